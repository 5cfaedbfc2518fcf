"""The board editor in a real browser: what the canvas shows, and that edits and runs reach the kernel's Board.

Every test opens a fresh notebook whose first cell builds a small board from node types of its own
(so these tests depend on the engine and the editor, not on the catalog), and whose second cell shows it:

    start ──exec──▶ double ──exec──▶ report          text (a pure node with a String output)
                    result ─ ─ ─ ▶ value  (Integer; left unwired: tests wire it)
"""

from __future__ import annotations

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

SETUP = '''
from flowlike_core import Board, DataType, NodeType, commands, data_in, default_registry, exec_in, exec_out
from flowlike_nb import node
from flowlike_nb.widgets import BoardEditor

class Start(NodeType):
    name = "bt_start"
    friendly_name = "Start"
    is_event = True
    pins = (exec_out(),)
    def run(self, ctx):
        ctx.activate("exec_out")

class Report(NodeType):
    name = "bt_report"
    friendly_name = "Report"
    pins = (exec_in(), data_in("value", DataType.INTEGER))
    def run(self, ctx):
        ctx.set_result(ctx.get_input("value"))

default_registry().register(Start, pack="browser-test", replace=True)
default_registry().register(Report, pack="browser-test", replace=True)

@node(category="Browser test", exec_pins=True)
def bt_double(x: int = 21) -> int:
    "Twice x."
    return 2 * x

@node(category="Browser test", friendly_name="Make Text")
def bt_text() -> str:
    "A constant string."
    return "not a number"

@node(category="Browser test", exec_pins=True)
def bt_explode(x: int = 0) -> int:
    "Always fails."
    raise ValueError("bt_explode always fails")

board = Board(name="browser-test")
board.apply(commands.AddNode(Start.create(node_id="start", coordinates=(20, 40, 0))))
board.apply(commands.AddNode(bt_double.create(node_id="double", coordinates=(300, 40, 0))))
board.apply(commands.AddNode(Report.create(node_id="report", coordinates=(620, 40, 0))))
board.apply(commands.AddNode(bt_text.create(node_id="text", coordinates=(300, 330, 0))))
board.apply(commands.Connect("start", "exec_out", "double", "exec_in"))
board.apply(commands.Connect("double", "exec_out", "report", "exec_in"))
'''
SHOW = "editor = BoardEditor(board, height='560px')\neditor"
NODES, WIRES = 4, 2


def open_editor(notebook: NotebookPage, test_name: str) -> Locator:
    """Open the test notebook, run it, and return the editor once every node box is drawn."""
    return notebook.open_editor(test_name, [SETUP, SHOW], NODES)


def node_box(editor: Locator, node_id: str) -> Locator:
    return editor.locator(f"[data-testid='node'][data-node-id='{node_id}']")


def pin(editor: Locator, node_id: str, name: str, direction: str) -> Locator:
    return node_box(editor, node_id).locator(
        f"[data-testid='pin'][data-pin-name='{name}'][data-direction='{direction}']"
    )


def drag(page: Page, source: Locator, target: Locator) -> None:
    """Press on `source`, move in steps (as a hand would), release on `target`."""
    start, end = source.bounding_box(), target.bounding_box()
    assert start and end, "both pins must be on screen"
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


def run_from_toolbar(editor: Locator, expected_status: str) -> None:
    editor.get_by_test_id("toolbar-run").click()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", expected_status, timeout=30_000)


def test_editor_renders_adds_node_and_runs(notebook_page: NotebookPage) -> None:
    """The core, in JupyterLab and Notebook 7: draw the board, add a node from the palette, run it."""
    editor = open_editor(notebook_page, "core")
    expect(editor.get_by_test_id("wire")).to_have_count(WIRES)
    expect(node_box(editor, "double").get_by_test_id("node-title")).to_contain_text("Bt Double")
    # in, x, out, result; the On Error pair shows as a marker until the node is selected
    expect(node_box(editor, "double").get_by_test_id("pin")).to_have_count(4)
    expect(node_box(editor, "double").get_by_test_id("error-marker")).to_have_count(1)

    palette = editor.get_by_test_id("palette")
    if not palette.is_visible():
        editor.get_by_test_id("toolbar-palette").click()
    palette.get_by_test_id("palette-search").fill("browser make text")
    entries = palette.get_by_test_id("palette-entry")
    expect(entries).to_have_count(1, timeout=30_000)  # the kernel indexes every pack once for the first search
    entries.first.click()
    expect(editor.locator("[data-testid='node'][data-node-type='bt_text']")).to_have_count(2)
    assert notebook_page.run_code("print(len(board.nodes), sum(n.name == 'bt_text' for n in board.nodes.values()))") \
        == f"{NODES + 1} 2"

    # A wire made in a cell shows on the canvas, then the toolbar's Run brings the result into the kernel.
    notebook_page.run_code("board.apply(commands.Connect('double', 'result', 'report', 'value'))")
    expect(editor.get_by_test_id("wire")).to_have_count(WIRES + 1)
    editor.scroll_into_view_if_needed()
    run_from_toolbar(editor, "Success")
    assert notebook_page.run_code("editor.wait(30)\nresult = editor.last_run.result\nprint(result)") == "42"


@pytest.mark.parametrize("frontend", ["lab"])
def test_dragged_wire_reaches_the_kernel_and_runs(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "wire")
    source, target = pin(editor, "double", "result", "out"), pin(editor, "report", "value", "in")
    wire = editor.locator(f"[data-testid='wire'][data-from-pin='{source.get_attribute('data-pin-id')}']"
                          f"[data-to-pin='{target.get_attribute('data-pin-id')}']")
    expect(wire).to_have_count(0)
    drag(notebook_page.page, source, target)

    expect(wire).to_have_count(1)
    expect(editor.get_by_test_id("wire")).to_have_count(WIRES + 1)
    assert notebook_page.run_code(
        "print(len(board.connections), [(c.from_node, c.to_node) for c in board.connections "
        "if board.nodes[c.to_node].pins[c.to_pin].name == 'value'])"
    ) == f"{WIRES + 1} [('double', 'report')]"

    editor.scroll_into_view_if_needed()
    run_from_toolbar(editor, "Success")
    for node_id in ("start", "double", "report"):
        expect(node_box(editor, node_id)).to_have_attribute("data-status", "succeeded")
    assert notebook_page.run_code("editor.wait(30)\nprint(editor.last_run.result)") == "42"


@pytest.mark.parametrize("frontend", ["lab"])
def test_incompatible_wire_is_refused_with_its_reason(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "refused")
    drag(notebook_page.page, pin(editor, "text", "result", "out"), pin(editor, "report", "value", "in"))

    message = editor.get_by_test_id("editor-message")
    expect(message).to_have_attribute("data-kind", "refused")
    expect(message).to_contain_text("cannot connect Make Text.Result [String] -> Report.Value [Integer]: "
                                     "data types differ (String vs Integer)")
    expect(message).not_to_contain_text("(text)")
    expect(editor.get_by_test_id("wire")).to_have_count(WIRES)
    assert notebook_page.run_code("print(len(board.connections))") == str(WIRES)


@pytest.mark.parametrize("frontend", ["lab"])
def test_failing_node_is_highlighted_after_a_run(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "failing")
    notebook_page.run_code(
        "board.apply(commands.AddNode(bt_explode.create(node_id='boom', coordinates=(300, 200, 0))))\n"
        "board.apply(commands.Connect('start', 'exec_out', 'boom', 'exec_in'))"
    )
    boom = node_box(editor, "boom")
    expect(boom).to_have_count(1)
    expect(editor.locator("[data-testid='wire'][data-from-node='start']")).to_have_attribute("data-to-node", "boom")

    editor.scroll_into_view_if_needed()
    run_from_toolbar(editor, "Failed")
    expect(boom).to_have_attribute("data-status", "failed")
    expect(boom).to_contain_class("fl-selected")
    expect(editor.get_by_test_id("inspector-error")).to_contain_text("bt_explode always fails")
    expect(node_box(editor, "double")).not_to_have_attribute("data-status", "succeeded")


@pytest.mark.parametrize("frontend", ["lab"])
def test_wire_dropped_on_canvas_offers_fitting_nodes_then_undo_and_redo(notebook_page: NotebookPage) -> None:
    """Dropping a wire on empty canvas filters the palette to nodes that fit; undo and redo span canvas and cells."""
    editor = open_editor(notebook_page, "dropped")
    canvas = editor.get_by_test_id("editor-canvas").bounding_box()
    value = pin(editor, "report", "value", "in")
    start = value.bounding_box()
    assert canvas and start
    x, y = canvas["x"] + canvas["width"] * 0.85, canvas["y"] + canvas["height"] * 0.9
    assert notebook_page.page.evaluate("([x, y]) => !document.elementFromPoint(x, y).closest('[data-node-id]')",
                                       [x, y]), "the drop point must be bare canvas"
    notebook_page.page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    notebook_page.page.mouse.down()
    notebook_page.page.mouse.move(x, y, steps=12)
    notebook_page.page.mouse.up()

    palette = editor.get_by_test_id("palette")
    expect(palette.get_by_test_id("palette-filter")).to_be_visible()
    expect(palette.get_by_test_id("palette-filter")).to_contain_text("Report.value [Integer]")
    palette.get_by_test_id("palette-search").fill("browser test")
    entries = palette.get_by_test_id("palette-entry")
    # bt_double and bt_explode give an Integer; Make Text, Start, Report do not (the first search waits for the
    # kernel to index every pack)
    expect(entries).to_have_count(2, timeout=30_000)
    assert sorted(entries.evaluate_all("(es) => es.map((e) => e.dataset.nodeType)")) == ["bt_double", "bt_explode"]
    palette.locator("[data-testid='palette-entry'][data-node-type='bt_double']").click()

    expect(editor.get_by_test_id("node")).to_have_count(NODES + 1)
    expect(editor.locator(f"[data-testid='wire'][data-to-pin='{value.get_attribute('data-pin-id')}']")) \
        .to_have_count(1)
    feeds_report = ("print(len(board.nodes), [board.nodes[c.from_node].name for c in board.connections "
                    "if c.to_node == 'report' and board.nodes['report'].pins[c.to_pin].name == 'value'])")
    assert notebook_page.run_code(feeds_report) == f"{NODES + 1} ['bt_double']"

    editor.scroll_into_view_if_needed()
    editor.get_by_test_id("toolbar-undo").click()
    expect(editor.get_by_test_id("node")).to_have_count(NODES)
    assert notebook_page.run_code(feeds_report) == f"{NODES} []"

    notebook_page.run_code("board.redo()")
    expect(editor.get_by_test_id("node")).to_have_count(NODES + 1)
    expect(editor.get_by_test_id("wire")).to_have_count(WIRES + 1)


@pytest.mark.parametrize("frontend", ["lab"])
def test_inspector_default_and_keyboard_delete_reach_the_kernel(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "inspector")
    node_box(editor, "double").get_by_test_id("node-title").click()
    expect(node_box(editor, "double")).to_contain_class("fl-selected")
    default = editor.locator("[data-testid='inspector-default'][data-pin-name='x']")
    expect(default).to_have_value("21")
    default.fill("5")
    default.press("Enter")
    expect(node_box(editor, "double")).not_to_contain_text("21")
    expect(node_box(editor, "double")).to_contain_text("5")
    assert notebook_page.run_code("print(board.nodes['double'].pin('x').default_value)") == "5"

    editor.scroll_into_view_if_needed()
    node_box(editor, "text").get_by_test_id("node-title").click()
    notebook_page.page.keyboard.press("Delete")
    expect(editor.get_by_test_id("node")).to_have_count(NODES - 1)
    assert notebook_page.run_code("print(sorted(board.nodes))") == "['double', 'report', 'start']"
    editor.scroll_into_view_if_needed()
    node_box(editor, "start").get_by_test_id("node-title").click()  # keys go to the focused canvas
    notebook_page.page.keyboard.press("Control+z")
    expect(node_box(editor, "text")).to_have_count(1)
    assert notebook_page.run_code("print('text' in board.nodes)") == "True"


def kernel_eval(notebook: NotebookPage, code: str, expression: str) -> str:
    """Run `code` in the kernel and return `repr(expression)` after it, without touching the page's focus."""
    return notebook.page.evaluate(
        """async ([code, expression]) => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const reply = await kernel.requestExecute({code, user_expressions: {value: expression}}).done;
            const value = reply.content.user_expressions.value;
            return value.status === "ok" ? value.data["text/plain"] : `${value.ename}: ${value.evalue}`;
        }""",
        [code, expression],
    )


@pytest.mark.parametrize("frontend", ["lab"])
def test_inspector_keeps_text_being_typed_when_a_patch_redraws_it(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "typing")
    node_box(editor, "double").get_by_test_id("node-title").click()
    name = editor.get_by_test_id("inspector-friendly-name")
    name.click()
    name.press_sequentially("Halve")
    expect(name).to_have_value("Bt DoubleHalve")

    # A cell edits the selected node: its patch redraws the inspector while the name is being typed.
    assert kernel_eval(notebook_page, "board.apply(commands.UpdateNode('double', comment='from a cell'))",
                       "board.nodes['double'].friendly_name") == "'Bt Double'"
    expect(editor.get_by_test_id("inspector-comment")).to_have_value("from a cell")
    expect(name).to_have_value("Bt DoubleHalve")
    expect(name).to_be_focused()
    assert kernel_eval(notebook_page, "", "board.nodes['double'].friendly_name") == "'Bt Double'"  # not sent yet

    name.press_sequentially("d")  # the caret stayed at the end
    name.press("Enter")
    expect(node_box(editor, "double").get_by_test_id("node-title")).to_have_text("Bt DoubleHalved")
    assert kernel_eval(notebook_page, "", "board.nodes['double'].friendly_name") == "'Bt DoubleHalved'"

    # The same for a pin default, which sits deeper in the panel (label > input).
    default = editor.locator("[data-testid='inspector-default'][data-pin-name='x']")
    default.click()
    default.press("End")
    default.press_sequentially("7")
    kernel_eval(notebook_page, "board.apply(commands.UpdateNode('double', comment='again'))", "None")
    expect(editor.get_by_test_id("inspector-comment")).to_have_value("again")
    expect(default).to_have_value("217")
    expect(default).to_be_focused()
    assert kernel_eval(notebook_page, "", "board.nodes['double'].pin('x').default_value") == "21"
    default.press("Enter")
    expect(node_box(editor, "double")).to_contain_text("217")
    assert kernel_eval(notebook_page, "", "board.nodes['double'].pin('x').default_value") == "217"
