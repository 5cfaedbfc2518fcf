"""Asking a finished run for the output of a pure node nothing read: the run says why it has none and what computes
it, and `partial.output_after` computes it from the values the run left, once, without running the steps again."""

from __future__ import annotations

import pytest

from flowlike_core import Board, commands, default_registry, partial, run_board


def test_an_unread_pure_output_is_named_and_computed_after_the_run() -> None:
    board = Board(name="unread")
    for key, node_id, defaults in (("events_simple", "start", {}), ("int_add", "add", {"integer1": 1, "integer2": 2})):
        board.apply(commands.AddNode(default_registry().get(key).create(node_id=node_id, **defaults)))
    run = run_board(board).raise_for_status()
    with pytest.raises(KeyError, match=r"without exec pins runs only when a node reads it .*output_after\(run, "
                                       r"'add', 'sum'\)"):
        run.output("add", "sum")
    assert partial.output_after(run, "add", "sum") == 3
    assert run.output("add", "sum") == 3, "kept in the run's values"
