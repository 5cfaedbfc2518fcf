"""The board editor in a real browser (JupyterLab + Debian's Chromium): time to show a board and to apply one edit.

A script that prints figures, not a test. Each figure has a baseline measured in the same run, on the same page:

1. Show: from executing the cell `BoardEditor(board)` to every node box in the DOM (plus one animation frame),
   for chains of 200, 500 and 1,000 nodes (2 wires per node: exec and data). Baselines: the same nodes as
   boxes of static HTML (`display(HTML(...))`), and as the value of one plain `ipywidgets.HTML` widget.
2. Cell-side edit: from executing `board.apply(UpdateNode(..., friendly_name=...))` to the new title in the
   node's box. Baseline: a cell setting a plain widget's trait, until the page shows the new text.
3. Front-end edit: from releasing the mouse after dragging a node box to the kernel's Board having the move
   (a board listener notes the kernel's clock; page and kernel share this machine's wall clock). Baseline:
   typing into a plain `ipywidgets.Text`, until the kernel's observer sees the value.
4. Interaction: the page's work per pointer move while dragging one node (event, script, style and layout;
   under 33 ms is 30+ frames per second), and one wheel zoom step until the next frame is laid out (the
   canvas draws what comes into view on that frame). Baselines: moving one box of the static HTML boxes,
   and scaling their container, the same way.

Show waits for every node box for the static baselines, and for the editor until the canvas has drawn every node
in view (`data-drawn`: it draws only what is in or near the view). Figures are medians of --reps repetitions; the
contenders are interleaved so that noise hits them alike. --big N also opens a board of N nodes and pans it.
5. Kernel side of an edit (first, no browser; --only-kernel: alone): with an editor open, a default edit, a rename
   and a data wire removed and put back, on the chains; baselines: the same edits with no editor open, and one
   whole `validate_board` of the board (what each edit cost before the editor checked only what an edit touches).

    .venv/bin/python benchmarks/bench_editor.py [--reps 3] [--sizes 200 500 1000]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from jupyter_harness import CHROMIUM, CHROMIUM_ARGS, JupyterServer, NotebookPage  # noqa: E402

SETUP = '''
import time
import ipywidgets as widgets
from IPython.display import HTML, display
from flowlike_core import Board, commands
from flowlike_nb import node
from flowlike_nb.widgets import BoardEditor

@node(category="Benchmark", exec_pins=True)
def bench_step(x: int = 0) -> int:
    "One step of a long chain."
    return x + 1

def chain(n):
    """n exec nodes in rows of 20, each wired to the next by exec and by data."""
    board = Board(name=f"chain-{n}")
    parts = [commands.AddNode(bench_step.create(node_id=f"n{i}", coordinates=((i % 20) * 260, (i // 20) * 180, 0)))
             for i in range(n)]
    for i in range(n - 1):
        parts += [commands.Connect(f"n{i}", "exec_out", f"n{i + 1}", "exec_in"),
                  commands.Connect(f"n{i}", "result", f"n{i + 1}", "x")]
    board.apply(commands.Batch(parts))
    return board

def static_boxes(board):
    """The baseline drawing: each node as a positioned box with its title and pins, as plain HTML."""
    boxes = []
    for node in board.nodes.values():
        x, y, _ = node.coordinates
        pins = "".join(f"<span class='bench-pin'>{p.name}</span>" for p in node.ordered_pins())
        boxes.append(f"<div class='bench-node' style='position:absolute;left:{x}px;top:{y}px;width:200px'>"
                     f"<b>{node.friendly_name}</b>{pins}</div>")
    return f"<div class='bench-board' style='position:relative;height:560px;overflow:auto'>{''.join(boxes)}</div>"

boards = {n: chain(n) for n in SIZES}
pages = {n: static_boxes(b) for n, b in boards.items()}
kernel_clock = {}

def note_moves(board, command):
    if isinstance(command, commands.MoveNode):
        kernel_clock.setdefault("edit", time.time())

for board in boards.values():
    board.subscribe(note_moves)
label = widgets.HTML("start")
typed = widgets.Text(description="type")
typed.observe(lambda change: kernel_clock.setdefault(("typed", change.new), time.time()), "value")
display(label, typed)
'''

SHOW = """async ({code, selector, count}) => {
    const app = window.jupyterapp;
    const notebook = app.shell.currentWidget.content;
    const index = notebook.model.cells.length;
    notebook.model.sharedModel.insertCell(index, {cell_type: 'code', source: code});
    notebook.activeCellIndex = index;
    const cell = notebook.widgets[index].node;
    const start = performance.now();
    app.commands.execute('notebook:run-cell');
    await new Promise((resolve) => {
        const check = () => cell.querySelectorAll(selector).length >= count ? resolve() : requestAnimationFrame(check);
        check();
    });
    await new Promise(requestAnimationFrame);
    return performance.now() - start;
}"""

UNTIL_TEXT = """async ({code, selector, text}) => {
    const app = window.jupyterapp;
    const notebook = app.shell.currentWidget.content;
    const index = notebook.model.cells.length;
    notebook.model.sharedModel.insertCell(index, {cell_type: 'code', source: code});
    notebook.activeCellIndex = index;
    const start = performance.now();
    app.commands.execute('notebook:run-cell');
    await new Promise((resolve) => {
        const shows = () => [...document.querySelectorAll(selector)].some((e) => e.textContent.includes(text));
        const check = () => shows() ? resolve() : requestAnimationFrame(check);
        check();
    });
    return performance.now() - start;
}"""

WHEEL_ZOOM = 0.0015
"""The editor zooms by exp(-deltaY * WHEEL_ZOOM) per wheel event (js/src/canvas.js)."""

CLEAR_CELLS_AFTER = """(keep) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    while (notebook.model.cells.length > keep) notebook.model.sharedModel.deleteCell(keep);
}"""

NOTE_CLOCK_ON = """(event) => {
    window.benchClock = null;
    window.addEventListener(event, () => { window.benchClock = Date.now() / 1000; }, {capture: true, once: true});
}"""


MOVE_STEPS = """async ({target, moved, steps}) => {
    // `moved`: the element the pointer drags (null: the editor's canvas gets the events); times each step.
    const canvas = document.querySelector(target);
    const box = canvas.getBoundingClientRect();
    const times = [];
    for (let i = 1; i <= steps; i++) {
        const start = performance.now();
        if (moved) document.querySelector(moved).style.left = `${i * 3}px`;
        else canvas.dispatchEvent(new PointerEvent("pointermove", {bubbles: true, pointerId: 1,
            clientX: box.left + box.width / 2 + i * 3, clientY: box.top + box.height / 2}));
        document.body.offsetHeight;  // style and layout now, as the frame would
        times.push(performance.now() - start);
        await new Promise(requestAnimationFrame);
    }
    return times;
}"""

ZOOM_STEPS = """async ({target, scaled, steps}) => {
    // One wheel step (the editor) or one scale change of `scaled` (the baseline), until the next frame is laid out.
    const canvas = document.querySelector(target);
    const box = canvas.getBoundingClientRect();
    const times = [];
    for (let i = 0; i < steps; i++) {
        await new Promise(requestAnimationFrame);
        const start = performance.now();
        const out = i < steps / 2;
        const factor = out ? 1 - 0.03 * (i + 1) : 0.55 + 0.03 * (i - steps / 2);
        if (scaled) document.querySelector(scaled).style.transform = `scale(${factor})`;
        else canvas.dispatchEvent(new WheelEvent("wheel", {bubbles: true, cancelable: true, deltaY: out ? 120 : -120,
            clientX: box.left + box.width / 2, clientY: box.top + box.height / 2}));
        await new Promise(requestAnimationFrame);
        document.body.offsetHeight;
        times.push(performance.now() - start);
    }
    return times;
}"""


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples):8.0f}"


class Bench:
    def __init__(self, notebook: NotebookPage, setup_cells: int) -> None:
        self.notebook = notebook
        self.page = notebook.page
        self.setup_cells = setup_cells

    def show(self, expression: str, selector: str, count: int, widget: bool = True) -> float:
        """Milliseconds from running a cell that shows `expression` to `count` elements matching `selector`."""
        code = f"_shown = {expression}\n_shown" if widget else expression
        elapsed = self.page.evaluate(SHOW, {"code": code, "selector": selector, "count": count})
        if widget:
            self.notebook.run_code("_shown.close()")
        self.page.evaluate(CLEAR_CELLS_AFTER, self.setup_cells)
        return elapsed

    def until_text(self, code: str, selector: str, text: str) -> float:
        return self.page.evaluate(UNTIL_TEXT, {"code": code, "selector": selector, "text": text})

    def kernel_time(self, key: object, timeout: float = 10.0) -> float:
        """When (kernel wall clock, s) the kernel saw the edit noted under `key`; asks again while it is in flight."""
        cells = self.page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.length")
        deadline = time.monotonic() + timeout
        while (shown := self.notebook.run_code(f"print(repr(kernel_clock.pop({key!r}, None)))")) == "None":
            if time.monotonic() > deadline:
                screenshot = ARTIFACTS / "bench-editor-failure.png"
                self.page.screenshot(path=screenshot)
                raise RuntimeError(f"the kernel never saw the {key!r} edit (screenshot: {screenshot})")
            self.page.evaluate(CLEAR_CELLS_AFTER, cells)
            time.sleep(0.2)
        self.page.evaluate(CLEAR_CELLS_AFTER, cells)
        return float(shown)

    def zoom_to(self, node_id: str) -> None:
        """Zoom the canvas in on a node until it is drawn about full size (as a user would before dragging it)."""
        node = self.page.locator(f"[data-testid='node'][data-node-id='{node_id}']")
        node.scroll_into_view_if_needed()
        box = node.bounding_box()
        assert box, f"node {node_id} is not on screen"
        self.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        scale = float(self.page.get_by_test_id("editor-canvas").get_attribute("data-scale") or 1)
        self.page.mouse.wheel(0, math.log(scale) / WHEEL_ZOOM)

    def drag_node(self, node_id: str, dx: float) -> float:
        """Drag a node box by its header; returns the page's wall-clock time (s) of the mouse release."""
        header = self.page.locator(f"[data-testid='node'][data-node-id='{node_id}'] [data-testid='node-header']")
        header.scroll_into_view_if_needed()
        box = header.bounding_box()
        assert box, f"node {node_id} is not on screen"
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        self.page.evaluate(NOTE_CLOCK_ON, "pointerup")
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(x + dx, y + 10, steps=5)
        self.page.mouse.up()
        return self.page.evaluate("() => window.benchClock")

    def interact(self, n: int, reps: int) -> tuple[list[float], list[float], list[float], list[float]]:
        """Per-step times of dragging one node and of zoom steps, in the editor and on the static boxes."""
        drag, drag_base, zoom, zoom_base = [], [], [], []
        canvas = "[data-testid='editor-canvas']"
        for _ in range(reps):
            self.page.evaluate(SHOW, {"code": f"editor = BoardEditor(boards[{n}])\neditor",
                                      "selector": f"{canvas}[data-drawn]", "count": 1})
            self.zoom_to("n0")
            header = self.page.locator("[data-testid='node'][data-node-id='n0'] [data-testid='node-header']")
            box = header.bounding_box()
            assert box
            self.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            self.page.mouse.down()
            self.page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + box["height"] / 2, steps=2)
            drag += self.page.evaluate(MOVE_STEPS, {"target": canvas, "moved": None, "steps": 30})
            self.page.mouse.up()
            zoom += self.page.evaluate(ZOOM_STEPS, {"target": canvas, "scaled": None, "steps": 30})
            self.notebook.run_code("editor.close()")
            self.page.evaluate(CLEAR_CELLS_AFTER, self.setup_cells)
            self.notebook.run_code(f"display(HTML(pages[{n}]))")
            container = ".bench-board"
            drag_base += self.page.evaluate(MOVE_STEPS, {"target": container, "moved": ".bench-node", "steps": 30})
            zoom_base += self.page.evaluate(ZOOM_STEPS, {"target": container, "scaled": container, "steps": 30})
            self.page.evaluate(CLEAR_CELLS_AFTER, self.setup_cells)
        return drag, drag_base, zoom, zoom_base

    def type_text(self, text: str) -> float:
        """Enter `text` into the plain Text widget (one input event); returns the page's wall-clock time (s) of it."""
        field = self.page.locator(".widget-text input").first
        self.page.evaluate(NOTE_CLOCK_ON, "input")
        field.fill(text)
        return self.page.evaluate("() => window.benchClock")


def measure(bench: Bench, sizes: list[int], reps: int) -> None:
    editor_nodes = "[data-testid='editor-canvas'][data-drawn]"
    print(f"Show a board (ms, median of {reps}): cell executed -> every node in view drawn (static: every box)")
    print(f"{'nodes':>6} {'editor':>8} {'static':>8} {'widget':>8} {'editor/static':>14} {'editor/widget':>14}")
    for n in sizes:
        editor, static, widget = [], [], []
        for _ in range(reps):
            editor.append(bench.show(f"BoardEditor(boards[{n}])", editor_nodes, 1))
            static.append(bench.show(f"display(HTML(pages[{n}]))", ".bench-node", n, widget=False))
            widget.append(bench.show(f"widgets.HTML(pages[{n}])", ".bench-node", n))
        ratio_static = statistics.median(editor) / statistics.median(static)
        ratio_widget = statistics.median(editor) / statistics.median(widget)
        print(f"{n:>6} {median_ms(editor)} {median_ms(static)} {median_ms(widget)} "
              f"{ratio_static:>14.1f} {ratio_widget:>14.1f}")

    print(f"\nApply one edit (ms, median of {reps}) with the board shown in the editor")
    print(f"{'nodes':>6} {'cell->DOM':>10} {'baseline':>9} {'ratio':>6} {'DOM->kernel':>12} {'baseline':>9} "
          f"{'ratio':>6}")
    for n in sizes:
        bench.page.evaluate(SHOW, {"code": f"editor = BoardEditor(boards[{n}])\neditor", "selector": editor_nodes,
                                   "count": 1})
        bench.zoom_to("n0")
        cell, cell_base, front, front_base = [], [], [], []
        for rep in range(reps):
            title = f"edited {n} {rep}"
            cell.append(bench.until_text(
                f"boards[{n}].apply(commands.UpdateNode('n1', friendly_name={title!r}))",
                "[data-testid='node'][data-node-id='n1'] [data-testid='node-title']", title))
            cell_base.append(bench.until_text(f"label.value = {title!r}", ".widget-html-content", title))
            released = bench.drag_node("n0", 40 if rep % 2 == 0 else -40)
            front.append((bench.kernel_time("edit") - released) * 1000)
            text = f"typed {n} {rep}"
            pressed = bench.type_text(text)
            front_base.append((bench.kernel_time(("typed", text)) - pressed) * 1000)
            bench.page.evaluate(CLEAR_CELLS_AFTER, bench.setup_cells + 1)
        print(f"{n:>6} {median_ms(cell):>10} {median_ms(cell_base):>9} "
              f"{statistics.median(cell) / statistics.median(cell_base):>6.1f} {median_ms(front):>12} "
              f"{median_ms(front_base):>9} {statistics.median(front) / statistics.median(front_base):>6.1f}")
        bench.notebook.run_code("editor.close()")
        bench.page.evaluate(CLEAR_CELLS_AFTER, bench.setup_cells)


def measure_interaction(bench: Bench, sizes: list[int], reps: int) -> None:
    print(f"\nInteract (ms, median of {reps} x 30 steps) with the board shown in the editor")
    print(f"{'nodes':>6} {'drag move':>10} {'baseline':>9} {'ratio':>6} {'zoom step':>10} {'baseline':>9} {'ratio':>6}")
    for n in sizes:
        drag, drag_base, zoom, zoom_base = bench.interact(n, reps)
        print(f"{n:>6} {median_ms(drag):>10} {median_ms(drag_base):>9} "
              f"{statistics.median(drag) / statistics.median(drag_base):>6.1f} {median_ms(zoom):>10} "
              f"{median_ms(zoom_base):>9} {statistics.median(zoom) / statistics.median(zoom_base):>6.1f}")


def big_board(bench: Bench, n: int) -> None:
    """A board of n nodes opens (nodes in view drawn) and pans (one frame per step)."""
    bench.notebook.run_code(f"boards[{n}] = chain({n})")
    shown = bench.page.evaluate(SHOW, {"code": f"big = BoardEditor(boards[{n}])\nbig",
                                       "selector": "[data-testid='editor-canvas'][data-drawn]", "count": 1})
    canvas = bench.page.get_by_test_id("editor-canvas")
    box = canvas.bounding_box()
    assert box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    started = time.perf_counter()
    bench.page.mouse.move(x, y)
    bench.page.mouse.down()
    bench.page.mouse.move(x - 600, y - 300, steps=30)
    bench.page.mouse.up()
    panned = (time.perf_counter() - started) * 1000 / 30
    drawn = canvas.get_attribute("data-drawn")
    print(f"\n{n}-node board: shown in {shown:.0f} ms ({drawn} nodes drawn after panning); "
          f"pan {panned:.0f} ms per step")
    bench.notebook.run_code("big.close()")
    bench.page.evaluate(CLEAR_CELLS_AFTER, bench.setup_cells)


def kernel_edits(sizes: list[int], reps: int) -> None:
    """The kernel's share of one edit with an editor open (the patch for the canvas and the problems check again),
    in this process: no browser. Baselines: the edit with no editor open, and one whole `validate_board`."""
    from flowlike_core import validate
    from flowlike_nb.widgets import BoardEditor

    namespace: dict = {}
    exec(SETUP.split("def static_boxes")[0], namespace)  # bench_step and chain(n), as the notebook has them
    chain, commands = namespace["chain"], namespace["commands"]

    def per_edit(board, edits: list) -> float:
        started = time.perf_counter()
        for edit in edits:
            board.apply(edit)
        return (time.perf_counter() - started) * 1000 / len(edits)

    def edits(n: int, rep: int) -> dict[str, list]:
        middle = f"n{n // 2}"
        return {"default": [commands.UpdateNode(middle, defaults={"x": rep * 10 + i}) for i in range(10)],
                "rename": [commands.UpdateNode(middle, friendly_name=f"step {rep} {i}") for i in range(10)],
                "rewire": [commands.Disconnect(f"n{n // 2 - 1}", "result", middle, "x"),
                           commands.Connect(f"n{n // 2 - 1}", "result", middle, "x")] * 5}

    print(f"\nKernel side of one edit with an editor open (ms, median of {reps} x 10 edits), vs the same edit "
          f"with no editor and one whole validate_board")
    print(f"{'nodes':>6} {'edit':>8} {'editor':>8} {'no editor':>10} {'validate':>9} {'editor/validate':>16}")
    for n in sizes:
        board = chain(n)
        editor = BoardEditor(board)
        editor.send = lambda content, buffers=None: None  # no front end: the kernel's work alone
        checks = []
        for _ in range(reps):
            started = time.perf_counter()
            validate.validate_board(board)
            checks.append((time.perf_counter() - started) * 1000)
        whole = statistics.median(checks)
        for kind in ("default", "rename", "rewire"):
            shown = [per_edit(board, edits(n, rep)[kind]) for rep in range(reps)]
            editor.close()
            bare = [per_edit(board, edits(n, rep)[kind]) for rep in range(reps)]
            editor = BoardEditor(board)
            editor.send = lambda content, buffers=None: None
            print(f"{n:>6} {kind:>8} {statistics.median(shown):>8.2f} {statistics.median(bare):>10.2f} "
                  f"{whole:>9.2f} {statistics.median(shown) / whole:>16.3f}")
        editor.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 500, 1000])
    parser.add_argument("--big", type=int, default=5000, help="nodes of the board that must open and pan (0: skip)")
    parser.add_argument("--only-interact", action="store_true", help="skip the show and edit figures")
    parser.add_argument("--only-kernel", action="store_true", help="only the kernel's share of an edit (no browser)")
    args = parser.parse_args(argv)
    kernel_edits(args.sizes, args.reps)
    if args.only_kernel:
        return

    with tempfile.TemporaryDirectory(prefix="bench-editor-") as workdir:
        server = JupyterServer.start(Path(workdir))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                notebook = NotebookPage(page, server, "lab")
                name = server.write_notebook("bench-editor.ipynb", [f"SIZES = {args.sizes!r}\n{SETUP}"])
                notebook.open(name)
                started = time.perf_counter()
                notebook.run_all()
                page.locator(".widget-text input").wait_for()
                print(f"setup cell (build boards {args.sizes}): {time.perf_counter() - started:.1f} s\n")
                bench = Bench(notebook, setup_cells=1)
                if not args.only_interact:
                    measure(bench, args.sizes, args.reps)
                measure_interaction(bench, args.sizes, args.reps)
                if args.big:
                    big_board(bench, args.big)
                notebook.assert_healthy()
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
