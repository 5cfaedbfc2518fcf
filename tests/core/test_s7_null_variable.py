"""A run given None for a typed variable is refused at its start, naming the variable and its type: it was taken,
and the run failed later inside the node that read it (int_add: a TypeError). A Generic variable takes None."""

from __future__ import annotations

import pytest

from flowlike_core import Board, BoardError, Variable, commands, default_registry, run_board
from flowlike_core.types import DataType


def board_with(data_type: DataType) -> Board:
    board = Board(name="nulls")
    board.apply(commands.UpsertVariable(Variable(name="offset", data_type=data_type, default_value=None,
                                                 exposed=True)))
    board.apply(commands.AddNode(default_registry().get("events_simple").create()))
    return board


def test_none_for_a_typed_variable_is_refused_naming_it() -> None:
    with pytest.raises(BoardError, match=r"None for variable 'offset' does not fit its type Normal<Integer>"):
        run_board(board_with(DataType.INTEGER), variables={"offset": None})


def test_none_for_a_generic_variable_is_taken() -> None:
    run = run_board(board_with(DataType.GENERIC), variables={"offset": None}).raise_for_status()
    assert run.variables["offset"] is None
