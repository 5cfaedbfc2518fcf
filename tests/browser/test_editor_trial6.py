"""Rough edges met in a sixth trial of the editor (a teacher giving a demo on an 801-node board in JupyterLab),
each kept fixed here."""

from __future__ import annotations

import re

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DEMO = '''
import flowlike_nb as fnb

board = fnb.Board("class demo")
before = board.add("events_simple", node_id="start")
for i in range(400):
    text = board.add("string_to_upper", node_id=f"text{i}", string=f"step {i}")
    say = board.add("log_info", node_id=f"say{i}")
    before.outputs.exec_out >> say.inputs.exec_in
    text.outputs.uppercase_string >> say.inputs.message
    before = say
editor = board.editor(height="600px")
editor
'''

FRAMES_WHILE_LAYING_OUT = """(root) => new Promise((done) => {
    let frames = 0;
    const tick = () => {
        if (!root.dataset.layingOut) return done(frames);
        frames += 1;
        requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})"""


@pytest.mark.parametrize("frontend", ["lab"])
def test_laying_out_a_big_board_says_so_and_leaves_the_notebook_responsive(notebook_page: NotebookPage) -> None:
    """Layout on 801 nodes took ELK seconds on the page's thread: the notebook froze (no scrolling, no clicks, no
    word of what was going on) until the nodes jumped. ELK now runs in a worker and the editor says it is busy."""
    notebook_page.open(notebook_page.server.write_notebook("trial6-layout.ipynb", [DEMO]))
    notebook_page.run_all()
    editor = notebook_page.page.get_by_test_id("flowlike-editor")
    canvas = editor.get_by_test_id("editor-canvas")
    expect(canvas).to_have_attribute("data-drawn", re.compile(r"^[1-9]"), timeout=120_000)
    editor.scroll_into_view_if_needed()
    where = "print(board.core.nodes['say200'].coordinates)"
    before = notebook_page.run_code(where)
    editor.get_by_test_id("toolbar-layout").click()  # the first one also fetches ELK from the kernel
    expect(editor).to_have_attribute("data-laying-out", "801", timeout=30_000)
    expect(editor.get_by_test_id("editor-message")).to_contain_text("Laying out 801 nodes")
    expect(editor.get_by_test_id("editor-message")).to_be_hidden(timeout=120_000)
    notebook_page.wait_until(lambda: notebook_page.run_code(where) != before, 60, "the kernel to get the layout")
    assert notebook_page.run_code("print(board.core.history.can_undo)") == "True"
    editor.get_by_test_id("toolbar-layout").click()  # ELK loaded: all the time goes to laying out
    expect(editor).to_have_attribute("data-laying-out", "801", timeout=30_000)
    frames = editor.evaluate(FRAMES_WHILE_LAYING_OUT)
    assert frames >= 10, f"the page drew {frames} frames while laying out: it froze"
    expect(editor.get_by_test_id("editor-message")).to_be_hidden(timeout=120_000)
