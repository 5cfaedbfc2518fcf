"""`board.app()` kernel side: controls per exposed variable, runs, outputs, live re-runs, widget actions."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pytest

import flowlike_nb as fnb
from flowlike_core import DataType
from flowlike_core.errors import BoardError
from flowlike_nb.widgets.app import BoardApp

from .conftest import until


@pytest.fixture
def adder() -> fnb.Board:
    """events_simple -> return(n + bonus): n a ranged Integer, bonus a Float, plus every other control kind."""
    board = fnb.Board("adder")
    board.variable("n", int, 3, exposed=True, schema={"minimum": 0, "maximum": 10})
    board.variable("bonus", int, 100, exposed=True)
    board.variable("ratio", float, 0.5, exposed=True, schema={"minimum": 0.0, "maximum": 1.0, "multipleOf": 0.1})
    board.variable("loud", bool, False, exposed=True)
    board.variable("colour", str, "red", exposed=True, schema={"enum": ["red", "green"]})
    board.variable("label", str, "hi", exposed=True)
    board.variable("day", DataType.DATE, "2026-01-02T00:00:00", exposed=True)
    board.variable("source", DataType.PATHBUF, None, exposed=True)
    board.variable("key", str, "k", exposed=True, secret=True)
    board.variable("hidden", int, 1)
    start = board.add("events_simple", "start")
    n, bonus = board.add("variable_get", "n", var_ref="n"), board.add("variable_get", "bonus", var_ref="bonus")
    total = board.add("int_add", "total")
    back = board.add("events_generic_return_result", "back")
    start.outputs.exec_out >> back.inputs.exec_in
    n.outputs.value_ref >> total.inputs.integer1
    bonus.outputs.value_ref >> total.inputs.integer2
    total.outputs.sum >> back.inputs.response
    return board


def test_each_exposed_variable_gets_the_control_its_type_asks_for(adder: fnb.Board) -> None:
    app = adder.app(["total.sum"])
    kinds = {name: type(control) for name, control in app.controls.items()}
    assert kinds == {"n": widgets.IntSlider, "bonus": widgets.IntText, "ratio": widgets.FloatSlider,
                     "loud": widgets.Checkbox, "colour": widgets.Dropdown, "label": widgets.Text,
                     "day": widgets.DatePicker, "source": widgets.FileUpload}
    assert (app.controls["n"].min, app.controls["n"].max, app.controls["n"].value) == (0, 10, 3)
    assert app.controls["ratio"].step == pytest.approx(0.1)
    assert app.controls["colour"].options == ("red", "green")
    assert app.controls["day"].value == dt.date(2026, 1, 2)


def test_run_uses_the_controls_and_shows_the_output(adder: fnb.Board) -> None:
    app = adder.app(["total.sum"])
    app.controls["n"].value = 7
    run = app.run()
    assert run.result == 107
    assert run.variables["n"] == 7 and run.variables["colour"] == "red"
    assert "107" in app.shown.children[0].children[1].value
    assert app.status.value.startswith("Success")
    app.controls["bonus"].value = 1
    app.run_button.click()
    assert "8" in app.shown.children[0].children[1].value and adder.last_run.result == 8


def test_the_status_reads_a_short_run_in_microseconds_and_a_long_one_in_seconds(adder: fnb.Board) -> None:
    app = adder.app(["total.sum"])
    run = app.run()
    run.end = run.start + 0.0004
    app.show(run)
    assert app.status.value == "Success in 400 µs"
    run.end = run.start + 1.5
    app.show(run)
    assert app.status.value == "Success in 1.50 s"


def test_live_apps_rerun_once_after_a_burst_of_changes(adder: fnb.Board) -> None:
    app = adder.app(["total.sum"], live=True, debounce=0.2)
    runs: list[int] = []
    original = app.board.start

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a spy around the real start
        runs.append(1)
        return original(*args, **kwargs)

    app.board.start = counting  # type: ignore[method-assign]
    for value in (1, 2, 3, 4, 9):
        app.controls["n"].value = value
    until(lambda: app.last_run is not None and app.last_run.result == 109)
    assert len(runs) == 1
    assert "109" in app.shown.children[0].children[1].value


def test_uploaded_files_reach_a_pathbuf_variable(adder: fnb.Board) -> None:
    app = adder.app()
    upload = app.controls["source"]
    upload.value = ({"name": "data.csv", "type": "text/csv", "size": 4, "content": memoryview(b"a,b\n"),
                     "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},)
    values = app.values()
    assert values["source"].endswith("data.csv")
    with open(values["source"], "rb") as handle:
        assert handle.read() == b"a,b\n"


def test_a_failed_run_shows_its_error_and_bad_outputs_are_refused(adder: fnb.Board) -> None:
    with pytest.raises(BoardError, match="write node.pin"):
        adder.app(["total"])
    failing = fnb.Board("failing")
    start, parse = failing.add("events_simple", "start"), failing.add("val_from_string", "parse", string="{")
    back = failing.add("events_generic_return_result", "back")
    start.outputs.exec_out >> back.inputs.exec_in
    parse.outputs.value_ref >> back.inputs.response
    failed = failing.app(["parse.value_ref"])
    run = failed.run()
    assert not run.ok
    assert "Failed" in failed.status.value and "not valid JSON" in failed.status.value


def test_widget_actions_start_their_event_node(adder: fnb.Board) -> None:
    action = adder.add("events_widget_action", "on bump", action_id="bump")
    plus = adder.add("int_add", "plus", integer2=1000)
    back = adder.add("events_generic_return_result", "back2")
    action.outputs.exec_out >> back.inputs.exec_in
    action.outputs.action_context >> plus.inputs.integer1
    plus.outputs.sum >> back.inputs.response
    app = adder.app(["plus.sum"], start="start", actions={"Bump": "bump"}, on_change={"bonus": "bump"})
    app.action_buttons["Bump"].click()  # a button: no context
    assert app.last_run.start_node == action.id
    app.controls["bonus"].value = 5  # a control bound to the action: its new value is the context
    until(lambda: app.last_run.result == 1005)
    assert app.last_run.start_node == action.id
    assert app.run().result == 3 + 5
    with pytest.raises(BoardError, match="no events_widget_action node with action id 'nope'"):
        adder.app(actions={"x": "nope"})


def test_the_app_displays_as_its_widget(adder: fnb.Board) -> None:
    app = adder.app(["total.sum"])
    assert isinstance(app, BoardApp)
    bundle = app._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == app.widget.model_id


def test_outputs_show_tables_as_tables_images_as_images_and_text_as_text() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pyarrow as pa
    from PIL import Image

    from flowlike_nb.widgets.app import TABLE_ROWS, output_widget

    table = output_widget(pa.table({"city": ["Oslo", "Rome"], "people": [709_000, 2_761_000]}))
    assert isinstance(table, widgets.HTML) and "<table" in table.value and "Rome" in table.value
    big = output_widget(pa.table({"n": list(range(TABLE_ROWS + 5))}))
    assert f"{TABLE_ROWS + 5:,} rows" in big.value and f"<td>{TABLE_ROWS}</td>" not in big.value
    image = output_widget(Image.new("RGB", (3, 2), "red"))
    assert isinstance(image, widgets.Image) and image.value[:8] == b"\x89PNG\r\n\x1a\n"
    figure, axes = plt.subplots()
    axes.plot([1, 2, 3])
    chart = output_widget(figure)
    plt.close(figure)
    assert isinstance(chart, widgets.Image) and chart.value[:8] == b"\x89PNG\r\n\x1a\n"
    text = output_widget("<b>hi</b>")
    assert "&lt;b&gt;hi&lt;/b&gt;" in text.value
    assert "&quot;a&quot;: 1" in output_widget({"a": 1}).value
