"""The quickstart notebook, run top to bottom in the browser: every cell succeeds and the editor in it shows the
kernel's board exactly, after the cells below it have edited that board."""

import shutil
from pathlib import Path

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

QUICKSTART = Path(__file__).resolve().parents[2] / "notebooks" / "quickstart.ipynb"

ERRORS = """() => {
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    const found = [];
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code') continue;
        if (cell.executionCount === null) found.push(`cell ${i} did not run`);
        for (const output of cell.outputs.toJSON()) {
            if (output.output_type === 'error') found.push(`cell ${i}: ${output.ename}: ${output.evalue}`);
        }
    }
    return found;
}"""


def test_quickstart_runs_and_its_editor_shows_the_board(notebook_page: NotebookPage) -> None:
    name = f"quickstart-{notebook_page.frontend}.ipynb"
    shutil.copy(QUICKSTART, notebook_page.server.root / name)
    notebook_page.open(name)
    notebook_page.run_all()

    assert notebook_page.page.evaluate(ERRORS) == []
    nodes, wires = notebook_page.run_code("print(len(editor.board.nodes), len(editor.board.connections))").split()
    editor = notebook_page.page.get_by_test_id("flowlike-editor")
    expect(editor).to_have_count(1)
    editor.scroll_into_view_if_needed()
    editor.get_by_test_id("toolbar-fit").click()  # the canvas draws what is in view: all of it, now
    expect(editor.get_by_test_id("node")).to_have_count(int(nodes))
    expect(editor.get_by_test_id("wire")).to_have_count(int(wires))
