"""A Date pin gives the node what its type hint says: a `datetime.date` parameter gets a date, a `datetime` one a
datetime, whichever arrives (a default read back from a file is a datetime; `--var`, `%flowlike run --var` and
papermill `-p` pass text)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core import BoardError, RunStatus
from flowlike_core.cli import parse_value
from flowlike_nb.kernel.papermill import variables_from

DAY = dt.date(2024, 1, 2)
STAMP = dt.datetime(2024, 1, 2, 3, 4, 5)


@fnb.node
def trial4_day_of(day: dt.date) -> str:
    """What arrived, as `type:repr`."""
    return f"{type(day).__name__}:{day!r}"


@fnb.node
def trial4_stamp_of(when: dt.datetime | None = None) -> str:
    """What arrived, as `type:repr`."""
    return f"{type(when).__name__}:{when!r}"


def board_of(kind: type, name: str) -> fnb.Board:
    """A board returning what `trial4_day_of` (kind date) or `trial4_stamp_of` got from the variable `value`."""
    board = fnb.Board(name)
    board.variable("value", kind, DAY if kind is dt.date else STAMP, exposed=True)
    start = board.add("events_simple", "start")
    value = board.add("variable_get", "value", var_ref="value")
    node = board.add("trial4_day_of" if kind is dt.date else "trial4_stamp_of", "what")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    value.outputs.value_ref >> node.inputs[0]
    node.outputs.result >> done.inputs.response
    return board


def test_a_date_input_gets_a_date_from_every_path(tmp_path: Path, shell: InteractiveShell) -> None:
    board = board_of(dt.date, "days")
    expected = f"date:{DAY!r}"
    assert board.run().result == expected
    loaded = fnb.load(str(board.save(tmp_path / "days.board.json")))
    assert loaded.run().result == expected, "the default read back from the file"
    assert board.run({"value": parse_value(board.core, "value", "2024-01-02")}).result == expected, "--var"
    assert board.run(variables_from(board, {"value": "2024-01-02"})).result == expected, "papermill -p"
    assert board.run({"value": STAMP}).result == expected, "a datetime arriving at a date input"
    shell.user_ns["days"] = board
    run = shell.run_line_magic("flowlike", "run days --var value=2024-01-02")
    assert run.result == expected, "%flowlike run --var"


def test_a_date_default_read_back_from_a_file_is_a_date(tmp_path: Path) -> None:
    board = fnb.Board("literal")
    start = board.add("events_simple", "start")
    node = board.add("trial4_day_of", "what", day=DAY)
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    node.outputs.result >> done.inputs.response
    assert fnb.load(str(board.save(tmp_path / "literal.board.json"))).run().result == f"date:{DAY!r}"


def test_a_datetime_input_gets_a_datetime(tmp_path: Path) -> None:
    board = board_of(dt.datetime, "stamps")
    assert board.run().result == f"datetime:{STAMP!r}"
    midnight = dt.datetime(2024, 1, 2)
    assert board.run({"value": DAY}).result == f"datetime:{midnight!r}", "a date arriving at a datetime input"
    loaded = fnb.load(str(board.save(tmp_path / "stamps.board.json")))
    assert loaded.run().result == f"datetime:{STAMP!r}"
    with pytest.raises(BoardError, match="value None for variable 'value' does not fit its type Date"):
        board.run({"value": None})  # (None is no date: leave it out to use the default)
    board.variable("value", dt.datetime, None, exposed=True)  # declared without a value: it holds None anyway
    assert board.run({"value": None}).result == "NoneType:None"


def test_text_that_is_no_date_fails_the_node_naming_it() -> None:
    board = fnb.Board("bad day")
    board.variable("anything", object, "not a day")
    start = board.add("events_simple", "start")
    value = board.add("variable_get", "anything", var_ref="anything")
    node = board.add("trial4_day_of", "what")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    value.outputs.value_ref >> node.inputs.day
    node.outputs.result >> done.inputs.response
    run = board.run()
    assert run.status is RunStatus.FAILED
    assert "input 'day' needs a date, got 'not a day'" in run.error and "what" in run.error


def test_a_date_read_back_from_a_file_is_a_date_everywhere(tmp_path: Path) -> None:
    """Not only at typed inputs: the variable's value (a Generic result here) and the run record keep the date."""
    board = fnb.Board("plain day")
    board.variable("day", dt.date, DAY, exposed=True)
    start = board.add("events_simple", "start")
    day = board.add("variable_get", "day", var_ref="day")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    day.outputs.value_ref >> done.inputs.response
    run = fnb.load(str(board.save(tmp_path / "plain.board.json"))).run()
    assert type(run.result) is dt.date and run.result == DAY
    assert run.core.record().variables == {"day": "2024-01-02"}
