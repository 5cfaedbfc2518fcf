"""A selection dragged on the canvas moves as one group and lands whole (a seventh trial of the editor)."""

from __future__ import annotations

import json

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


CHAINS = '''
import flowlike_nb as fnb

board = fnb.Board("move")
start = board.add("events_simple", node_id="start", at=(0, 0))
before = start
for i in range(8):
    x, y = 260 + (i % 2) * 480, (i // 2) * 170
    text = board.add("string_to_upper", node_id=f"text{i}", at=(x, y), string=f"step {i}")
    say = board.add("log_info", node_id=f"say{i}", at=(x + 240, y))
    before.outputs.exec_out >> say.inputs.exec_in
    text.outputs.uppercase_string >> say.inputs.message
    before = say
editor = board.editor(height="700px")
editor
'''

# where each node box and each wire's two ends are drawn, in the canvas's own units (screen / scale)
DRAWN = """(editor) => {
    const canvas = editor.querySelector('[data-testid=editor-canvas]');
    const scale = Number(canvas.dataset.scale);
    const origin = canvas.querySelector('[data-testid=editor-viewport]').getBoundingClientRect();
    const at = (x, y) => [Math.round((x - origin.left) / scale), Math.round((y - origin.top) / scale)];
    const nodes = {};
    for (const el of editor.querySelectorAll('[data-testid=node]')) {
        const box = el.getBoundingClientRect();
        nodes[el.dataset.nodeId] = at(box.left, box.top);
    }
    const wires = {};
    for (const el of editor.querySelectorAll('[data-testid=wire]')) {
        const matrix = el.getScreenCTM();
        const end = (length) => {
            const p = el.getPointAtLength(length);
            return at(matrix.a * p.x + matrix.c * p.y + matrix.e, matrix.b * p.x + matrix.d * p.y + matrix.f);
        };
        wires[el.dataset.wire] = [end(0), end(el.getTotalLength())];
    }
    const ports = {};
    for (const el of editor.querySelectorAll('[data-testid=node] [data-testid=pin]')) {
        const box = el.querySelector('[data-testid=pin-port]').getBoundingClientRect();
        ports[`${el.closest('[data-testid=node]').dataset.nodeId}/${el.dataset.pinId}`] =
            at(box.left + box.width / 2, box.top + box.height / 2);
    }
    return {nodes, wires, ports, groups: editor.querySelectorAll('[data-testid=moving-selection]').length};
}"""


def _close(a: list[float], b: list[float], within: float) -> bool:
    return abs(a[0] - b[0]) <= within and abs(a[1] - b[1]) <= within


def _wires_meet_their_pins(drawn: dict) -> None:
    """Each wire starts and ends at the ports it joins (a wire left behind by a move does not)."""
    for key, (start, end) in drawn["wires"].items():
        source, target = key.split(">")
        assert _close(start, drawn["ports"][source], 8) and _close(end, drawn["ports"][target], 8), (
            key, start, end, drawn["ports"][source], drawn["ports"][target])


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_dragged_selection_lands_whole_with_its_wires_and_one_undo_takes_it_back(
        notebook_page: NotebookPage) -> None:
    """A selection is moved as one group while dragged (300 nodes took 147 ms a move, box by box): every selected
    node lands moved by the same amount in the page and in the kernel, the node left out stays, each wire ends at
    its pins (inside the selection and leaving it), and one undo puts the nodes back."""
    editor = notebook_page.open_editor("trial7-move", [CHAINS], nodes=17)
    page = notebook_page.page
    where = "import json; print(json.dumps({i: list(n.coordinates[:2]) for i, n in board.core.nodes.items()}))"
    kernel_before = json.loads(notebook_page.run_code(where))
    steps = notebook_page.run_code("print(len(board.core.history.done))")
    editor.get_by_test_id("editor-canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+a")
    start = editor.locator("[data-testid='node'][data-node-id='start']")
    start.get_by_test_id("node-title").click(modifiers=["Control"])  # all but the start node
    expect(editor.locator("[data-testid='node'].fl-selected")).to_have_count(16)
    drawn_before = editor.evaluate(DRAWN)
    _wires_meet_their_pins(drawn_before)

    grip = editor.locator("[data-testid='node'][data-node-id='text2']").get_by_test_id("node-title").bounding_box()
    x, y = grip["x"] + 20, grip["y"] + grip["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 90, steps=12)
    expect(editor.get_by_test_id("moving-selection")).to_have_count(1)  # moved as one group
    _wires_meet_their_pins(editor.evaluate(DRAWN))  # also while it moves
    page.mouse.up()

    scale = float(editor.get_by_test_id("editor-canvas").get_attribute("data-scale"))
    moved = [60 / scale, 90 / scale]
    notebook_page.wait_until(lambda: json.loads(notebook_page.run_code(where)) != kernel_before, 60,
                             "the kernel to get the move")
    kernel_after = json.loads(notebook_page.run_code(where))
    for node, (x0, y0) in kernel_before.items():
        shift = [0, 0] if node == "start" else moved
        assert _close(kernel_after[node], [x0 + shift[0], y0 + shift[1]], 3 / scale), (node, kernel_after[node])
    drawn = editor.evaluate(DRAWN)
    assert drawn["groups"] == 0
    for node, (x0, y0) in drawn_before["nodes"].items():
        shift = [0, 0] if node == "start" else moved
        assert _close(drawn["nodes"][node], [x0 + shift[0], y0 + shift[1]], 3 / scale), (node, drawn["nodes"][node])
    _wires_meet_their_pins(drawn)
    assert notebook_page.run_code("print(len(board.core.history.done))") == str(int(steps) + 1)

    editor.get_by_test_id("editor-canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    notebook_page.wait_until(lambda: json.loads(notebook_page.run_code(where)) == kernel_before, 60,
                             "one undo to put the nodes back")
    notebook_page.wait_until(lambda: _same_places(editor.evaluate(DRAWN)["nodes"], drawn_before["nodes"]), 60,
                             "the page to draw the nodes back")
    _wires_meet_their_pins(editor.evaluate(DRAWN))


def _same_places(now: dict, before: dict) -> bool:
    return all(_close(now[node], place, 2) for node, place in before.items())
