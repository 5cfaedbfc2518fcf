"""Asking a finished run for the output of a pure node nothing read says why it has none and what computes it."""

from __future__ import annotations

import pytest

from flowlike_core import Board, commands, default_registry, partial, run_board


def test_an_unread_pure_output_names_run_to() -> None:
    board = Board(name="unread")
    for key, node_id, defaults in (("events_simple", "start", {}), ("int_add", "add", {"integer1": 1, "integer2": 2})):
        board.apply(commands.AddNode(default_registry().get(key).create(node_id=node_id, **defaults)))
    run = run_board(board).raise_for_status()
    with pytest.raises(KeyError, match=r"without exec pins runs only when a node reads it .*run_to\(board, 'add'\)"):
        run.output("add", "sum")
    assert partial.run_to(board, "add").output("add", "sum") == 3
