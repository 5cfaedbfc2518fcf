"""Rough edges met in a fifth trial of the editor (a teacher preparing a demo in JupyterLab), each kept fixed here."""

from __future__ import annotations

import re

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BUSY = '''
import flowlike_nb as fnb

@fnb.node(category="Demo", exec_pins=True)
def explode(text: str = "x") -> str:
    "Fails on purpose."
    raise ValueError("on purpose")

board = fnb.Board("busy toolbar")
start = board.add("events_simple", node_id="start")
say = board.add("log_info", node_id="say")
boom = board.add("explode", node_id="boom")
after = board.add("log_info", node_id="after")
start.outputs.exec_out >> say.inputs.exec_in
say.outputs.exec_out >> boom.inputs.exec_in
boom.outputs.exec_out >> after.inputs.exec_in
boom.outputs.result >> say.inputs.message
editor = board.editor(height='480px')
editor
'''

FITS = """(root) => {
    const bar = root.querySelector("[data-testid='toolbar']").getBoundingClientRect();
    const out = [];
    for (const child of root.querySelector("[data-testid='toolbar']").children) {
        const box = child.getBoundingClientRect();
        if (!box.width) continue;  // not shown (moved into the More menu)
        const name = child.dataset.testid || child.className;
        if (box.left < bar.left - 0.5 || box.right > bar.right + 0.5) out.push(name);
        else if (child.scrollWidth > child.clientWidth + 1) out.push(`${name} (cut)`);
    }
    return out;
}"""


@pytest.mark.parametrize("frontend", ["lab"])
@pytest.mark.parametrize("width", [1400, 1200, 1050, 950])
def test_after_a_failed_run_the_toolbar_keeps_every_control_and_the_run_status_whole(
        notebook_page: NotebookPage, width: int) -> None:
    """With Lab's file browser open, after a run with several statuses (a legend of three) the toolbar pushed Full
    size out of the editor and cut the run status to "S"."""
    notebook_page.page.set_viewport_size({"width": width, "height": 900})
    notebook_page.open(notebook_page.server.write_notebook(f"busy-{width}.ipynb", [BUSY]))
    notebook_page.run_all()
    editor = notebook_page.page.get_by_test_id("flowlike-editor")
    expect(editor.locator("[data-testid='node'][data-node-id='start']")).to_be_visible(timeout=30_000)
    editor.get_by_test_id("toolbar-run").click()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Failed", timeout=30_000)
    expect(editor.get_by_test_id("legend-item")).to_have_count(3)
    expect(editor.get_by_test_id("problems")).to_be_visible()
    assert editor.evaluate(FITS) == []


BIG_NOTE = '''
import flowlike_nb as fnb
from flowlike_core import Comment, commands

board = fnb.Board("big note")
start = board.add("events_simple", node_id="start", at=(40, 40))
board.core.apply(commands.UpsertComment(Comment(content="Read me first", coordinates=(-1000, -1000, 0),
                                                width=3000, height=3000)))
editor = board.editor(height='480px')
editor
'''


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_node_added_where_there_is_no_room_is_brought_into_view(notebook_page: NotebookPage) -> None:
    """A node asked for on a comment lands next to it (never on it); when that is out of view, the user saw nothing
    happen: the node was added, selected and off screen."""
    editor = notebook_page.open_editor("big-note", [BIG_NOTE], 1)
    editor.get_by_test_id("toolbar-palette").click()
    palette = editor.get_by_test_id("palette")
    palette.get_by_test_id("palette-search").fill("uppercase")
    expect(palette.get_by_test_id("palette-list")).to_have_attribute("data-query", "uppercase", timeout=60_000)
    palette.locator("[data-testid='palette-entry'][data-node-type='string_to_upper']").click()
    added = editor.locator("[data-testid='node'][data-node-type='string_to_upper']")
    expect(added).to_have_class(re.compile(r"\bfl-selected\b"))
    where = notebook_page.run_code("print(next(n.coordinates for n in board.core.nodes.values() "
                                   "if n.name == 'string_to_upper'))")
    x, y, _ = (float(v) for v in where.strip("()").split(","))
    assert x <= -1000 - 200 or x >= 2000 or y <= -1000 - 56 or y >= 2000, where  # clear of the comment
    canvas = editor.get_by_test_id("editor-canvas")
    notebook_page.wait_until(lambda: inside(added.bounding_box(), canvas.bounding_box()), 10,
                             "the added node to be in view")


def inside(box: dict[str, float] | None, frame: dict[str, float] | None) -> bool:
    return bool(box and frame) and frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] \
        and frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]
