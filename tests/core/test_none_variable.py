"""A run given None for a variable declared with a value of its type is refused at its start, naming the variable
and its type: it was taken, and the run failed later inside the node reading it (`int_add`: a TypeError; over HTTP
a run record, not a 422). A variable declared without a value (Flow-Like's variable with no default) holds None
anyway, and a Generic one takes anything: both take None."""

from __future__ import annotations

import datetime as dt

import pytest

from flowlike_core import Board, BoardError, Variable, commands, default_registry, run_board
from flowlike_core.types import DataType, ValueType


def board_with(data_type: DataType, default: object, value_type: ValueType = ValueType.NORMAL) -> Board:
    board = Board(name="nulls")
    board.apply(commands.UpsertVariable(Variable(name="offset", data_type=data_type, value_type=value_type,
                                                 default_value=default, exposed=True)))
    board.apply(commands.AddNode(default_registry().get("events_simple").create()))
    return board


@pytest.mark.parametrize(("data_type", "value_type", "default", "label"), [
    (DataType.INTEGER, ValueType.NORMAL, 5, "Integer"),
    (DataType.DATE, ValueType.NORMAL, dt.date(2024, 1, 2).isoformat(), "Date"),
    (DataType.STRING, ValueType.ARRAY, ["a"], "Array<String>"),
])
def test_none_for_a_variable_declared_with_a_value_is_refused_naming_it(data_type, value_type, default, label):
    with pytest.raises(BoardError, match=rf"^value None for variable 'offset' does not fit its type {label}; leave "
                                         rf"it out to use its default$"):
        run_board(board_with(data_type, default, value_type), variables={"offset": None})


def test_none_for_a_variable_declared_without_a_value_is_taken() -> None:
    run = run_board(board_with(DataType.INTEGER, None), variables={"offset": None}).raise_for_status()
    assert run.variables["offset"] is None


def test_none_for_a_generic_variable_is_taken() -> None:
    run = run_board(board_with(DataType.GENERIC, 7), variables={"offset": None}).raise_for_status()
    assert run.variables["offset"] is None
