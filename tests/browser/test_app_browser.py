"""`board.app()` in the browser: moving its slider re-runs the board (live) and the shown output follows."""

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CELLS = [
    """import flowlike_nb as fnb
board = fnb.Board("slider app")
board.variable("n", int, 3, exposed=True, schema={"minimum": 0, "maximum": 10})
start, read = board.add("events_simple", "start"), board.add("variable_get", "read", var_ref="n")
total, back = board.add("int_add", "total", integer2=100), board.add("events_generic_return_result", "back")
start.outputs.exec_out >> back.inputs.exec_in
read.outputs.value_ref >> total.inputs.integer1
total.outputs.sum >> back.inputs.response
app = board.app(["total.sum"], live=True, debounce=0.1)
app.run()
app""",
]


def test_moving_the_slider_reruns_the_board_and_updates_the_output(notebook_page: NotebookPage) -> None:
    name = notebook_page.server.write_notebook("app-slider.ipynb", CELLS)
    notebook_page.open(name)
    notebook_page.run_all()
    app = notebook_page.page.locator(".flowlike-app")
    expect(app).to_have_count(1, timeout=60_000)
    output = app.locator(".flowlike-app-output")
    expect(output).to_contain_text("103", timeout=30_000)
    track = app.locator(".widget-slider .noUi-base")
    box = track.bounding_box()
    assert box is not None
    track.click(position={"x": box["width"] * 0.7, "y": box["height"] / 2})  # a tap moves the handle there
    expect(app.locator(".widget-readout")).to_have_text("7")
    expect(output).to_contain_text("107", timeout=30_000)
    assert notebook_page.run_code("print(app.last_run.result, app.last_run.variables['n'])") == "107 7"
