"""`@fnb.node` parameters typed `list[date]`, `list[datetime]`, `dict[str, date]` and `date | None` get what
their hints say from every way a notebook passes Date values: a variable's value, `--var` and papermill `-p`
JSON text, `%flowlike run --var`, a board file read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core.cli import parse_value
from flowlike_nb.kernel.papermill import variables_from

DAYS = [dt.date(2024, 1, 2), dt.date(2024, 1, 3)]
TEXT = '["2024-01-02", "2024-01-03T10:30"]'


def kinds(values: Any) -> list[str]:
    return [f"{type(v).__name__}:{v.isoformat()}" for v in values]


@fnb.node
def collections_days(days: list[dt.date]) -> list[str]:
    """What arrived, as `type:iso` per item."""
    return kinds(days)


@fnb.node
def collections_stamps(stamps: list[dt.datetime]) -> list[str]:
    """What arrived, as `type:iso` per item."""
    return kinds(stamps)


@fnb.node
def collections_day_map(days: dict[str, dt.date]) -> list[str]:
    """What arrived, as `type:iso` per value."""
    return kinds(days.values())


@fnb.node
def collections_maybe_day(day: dt.date | None = None) -> str:
    """What arrived, as `type:iso`."""
    return "None" if day is None else kinds([day])[0]


def board_of(node: str, kind: Any, value: Any) -> fnb.Board:
    """A board returning what `node` got from the exposed variable `value` (of type `kind`)."""
    board = fnb.Board(node)
    board.variable("value", kind, value, exposed=True)
    start = board.add("events_simple", "start")
    read = board.add("variable_get", "value", var_ref="value")
    what = board.add(node, "what")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    read.outputs.value_ref >> what.inputs[0]
    what.outputs.result >> done.inputs.response
    return board


def test_a_date_list_gets_dates_from_every_path(tmp_path: Path, shell: InteractiveShell) -> None:
    board = board_of("collections_days", list[dt.date], DAYS)
    expected = ["date:2024-01-02", "date:2024-01-03"]
    assert board.run().result == expected
    assert board.run({"value": parse_value(board.core, "value", TEXT)}).result == expected, "--var"
    assert board.run(variables_from(board, {"value": TEXT})).result == expected, "papermill -p"
    stamps = [dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 3, 10, 30)]
    assert board.run({"value": stamps}).result == expected, "datetimes arriving"
    loaded = fnb.load(str(board_of("collections_days", list[dt.date], stamps).save(tmp_path / "d.board.json")))
    assert loaded.run().result == expected, "datetimes read back from a file"
    shell.user_ns["days"] = board
    assert shell.run_line_magic("flowlike", f"run days --var value='{TEXT}'").result == expected


def test_a_datetime_list_a_date_map_and_an_optional_date() -> None:
    stamps = board_of("collections_stamps", list[dt.datetime], DAYS)
    assert stamps.run().result == ["datetime:2024-01-02T00:00:00", "datetime:2024-01-03T00:00:00"]
    assert stamps.run({"value": parse_value(stamps.core, "value", TEXT)}).result == [
        "datetime:2024-01-02T00:00:00", "datetime:2024-01-03T10:30:00"]
    days = board_of("collections_day_map", dict[str, dt.date], {"a": DAYS[0]})
    assert days.run({"value": parse_value(days.core, "value", '{"a": "2024-01-03T10:30"}')}).result == [
        "date:2024-01-03"]
    maybe = board_of("collections_maybe_day", dt.date, DAYS[0])
    assert maybe.run({"value": parse_value(maybe.core, "value", "2024-01-03T10:30")}).result == "date:2024-01-03"
    assert maybe.run({"value": dt.datetime(2024, 1, 3, 10, 30)}).result == "date:2024-01-03"
