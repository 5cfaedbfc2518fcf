"""The harness itself: a plain ipywidgets widget renders and cells run, in JupyterLab and Notebook 7."""

import pytest

pytestmark = pytest.mark.browser


def test_widget_renders_and_cells_run(notebook_page, jupyter_server):
    name = jupyter_server.write_notebook(f"harness-{notebook_page.frontend}.ipynb", [
        "import ipywidgets as w\nw.HTML('<b data-testid=\"probe\">widgets work</b>')",
        "answer = 6 * 7\nprint('answer is', answer)",
    ])
    notebook_page.open(name)
    notebook_page.run_all()

    probe = notebook_page.page.get_by_test_id("probe")
    probe.wait_for()
    assert probe.inner_text() == "widgets work"
    assert notebook_page.output_text(1) == "answer is 42"
    assert notebook_page.run_code("print(answer + 1)") == "43"
