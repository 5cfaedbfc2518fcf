"""Date collections at typed inputs: `list[date]`, `list[datetime]`, `set[date]`, `dict[str, date]` and their
`| None` forms get each item as the hint says, as a plain `date` input does (a datetime's day, a date at
midnight, ISO text read), from a default, a board file and a Generic wire alike; an item that is no date fails
the node naming node, pin and item."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from flowlike_core import Board, DataType, NodeType, Registry, ValueType, commands, data_in, exec_in, exec_out
from flowlike_core import node as node_type
from flowlike_core.executor import run_board
from flowlike_core.node import ERROR_EXEC, ERROR_MESSAGE

DAY, NEXT = dt.date(2024, 1, 2), dt.date(2024, 1, 3)
TEXTS = ["2024-01-02", "2024-01-03T10:30:00"]


def kinds(values: Any) -> list[str]:
    return [f"{type(v).__name__}:{v.isoformat()}" for v in values]


class Start(NodeType):
    name = "dates_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx: Any) -> None:
        ctx.activate("exec_out")


class Finish(NodeType):
    name = "dates_finish"
    pins = (exec_in(), data_in("value", DataType.GENERIC))

    def run(self, ctx: Any) -> None:
        ctx.set_result(ctx.get_input("value"))


class DayCount(NodeType):
    """A class node whose keyword input declares `list[date]`: it gets dates, as a function node does."""

    name = "dates_class_days"
    pins = (exec_in(), data_in("days", DataType.DATE, value_type=ValueType.ARRAY), exec_out())

    def run(self, ctx: Any, *, days: list[dt.date]) -> None:
        ctx.set_result(kinds(days))
        ctx.activate("exec_out")


@node_type
def anything(value: Any = None) -> Any:
    """Passes any value on through a Generic output (ISO text, as JSON gives it)."""
    return value


@node_type
def day_list(days: list[dt.date]) -> list[str]:
    return kinds(days)


@node_type
def stamp_list(stamps: list[dt.datetime] | None = None) -> list[str] | None:
    return None if stamps is None else kinds(stamps)


@node_type
def day_set(days: set[dt.date]) -> list[str]:
    return sorted(kinds(days))


@node_type
def day_map(days: dict[str, dt.date]) -> dict[str, str]:
    return {key: f"{type(v).__name__}:{v.isoformat()}" for key, v in days.items()}


@node_type(exec_pins=True)
def checked_days(days: list[dt.date]) -> int:
    return len(days)


@pytest.fixture(scope="module")
def registry() -> Registry:
    reg = Registry()
    for kind in (Start, Finish, DayCount, anything, day_list, stamp_list, day_set, day_map, checked_days):
        reg.register(kind, pack="dates")
    return reg


def add(board: Board, registry: Registry, name: str, **defaults: Any) -> Any:
    return board.apply(commands.AddNode(registry.get(name).create(**defaults)))


def result_of(registry: Registry, reader: str, pin: str, value: Any, *, wired: bool, reloaded: bool = False) -> Any:
    """Runs start -> finish(reader.result), `value` reaching `reader`'s `pin` as its default or over a Generic
    wire; `reloaded`: the board's file text read back first."""
    board = Board(name="dates")
    start, finish = add(board, registry, "dates_start"), add(board, registry, "dates_finish")
    read = add(board, registry, reader, **({} if wired else {pin: value}))
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", finish.id, "exec_in"),
                                commands.Connect(read.id, "result", finish.id, "value")]))
    if wired:
        source = add(board, registry, "anything", value=value)
        board.apply(commands.Connect(source.id, "result", read.id, pin))
    if reloaded:
        board = Board.from_json(board.to_json())
    return run_board(board, registry=registry).raise_for_status().result


@pytest.mark.parametrize("wired", [False, True])
def test_a_date_list_gets_dates(registry, wired):
    assert result_of(registry, "day_list", "days", TEXTS, wired=wired) == ["date:2024-01-02", "date:2024-01-03"]
    mixed = [DAY, dt.datetime(2024, 1, 3, 10, 30)]
    assert result_of(registry, "day_list", "days", mixed, wired=wired) == ["date:2024-01-02", "date:2024-01-03"]


@pytest.mark.parametrize("wired", [False, True])
def test_a_datetime_list_gets_datetimes(registry, wired):
    expected = ["datetime:2024-01-02T00:00:00", "datetime:2024-01-03T10:30:00"]
    assert result_of(registry, "stamp_list", "stamps", TEXTS, wired=wired) == expected
    if wired:  # (a None default of an Array input is its empty list)
        assert result_of(registry, "stamp_list", "stamps", None, wired=True) is None, "None passes"


def test_sets_and_maps_get_dates(registry):
    assert result_of(registry, "day_set", "days", TEXTS, wired=True) == ["date:2024-01-02", "date:2024-01-03"]
    assert result_of(registry, "day_map", "days", {"a": TEXTS[1], "b": DAY}, wired=True) == {
        "a": "date:2024-01-03", "b": "date:2024-01-02"}


def test_defaults_read_back_from_a_board_file(registry):
    stamps = [dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 3, 10, 30)]  # midnight is written as a datetime
    assert result_of(registry, "day_list", "days", stamps, wired=False, reloaded=True) == [
        "date:2024-01-02", "date:2024-01-03"]
    assert result_of(registry, "stamp_list", "stamps", [DAY, NEXT], wired=False, reloaded=True) == [
        "datetime:2024-01-02T00:00:00", "datetime:2024-01-03T00:00:00"]
    assert result_of(registry, "day_map", "days", {"a": stamps[1]}, wired=False, reloaded=True) == {
        "a": "date:2024-01-03"}


def routed_error(registry: Registry, value: Any) -> str:
    """The message On Error of a days-checking step gets when `value` reaches its Date Array input."""
    board = Board(name="bad days")
    start, finish = add(board, registry, "dates_start"), add(board, registry, "dates_finish")
    check, source = add(board, registry, "checked_days"), add(board, registry, "anything", value=value)
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", check.id, "exec_in"),
                                commands.Connect(source.id, "result", check.id, "days"),
                                commands.Connect(check.id, ERROR_EXEC, finish.id, "exec_in"),
                                commands.Connect(check.id, ERROR_MESSAGE, finish.id, "value")]))
    message = run_board(board, registry=registry).raise_for_status().result
    assert f"node {check.label()}: input 'days'" in message
    return message


def test_an_item_that_is_no_date_fails_the_node_naming_it(registry):
    assert "item 1 needs a date, got 'soon' (not an ISO date or time)" in routed_error(registry, ["2024-01-02", "soon"])
    assert "needs a list of dates, got str" in routed_error(registry, "2024-01-02")


def test_a_class_nodes_keyword_input_gets_dates(registry):
    board = Board(name="class days")
    start, days = add(board, registry, "dates_start"), add(board, registry, "dates_class_days")
    source = add(board, registry, "anything", value=TEXTS)
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", days.id, "exec_in"),
                                commands.Connect(source.id, "result", days.id, "days")]))
    assert run_board(board, registry=registry).raise_for_status().result == ["date:2024-01-02", "date:2024-01-03"]
