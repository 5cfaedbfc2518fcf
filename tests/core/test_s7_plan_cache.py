"""A board's first run, which loads the packs its nodes come from, leaves a plan the next run reuses: the plan was
kept under the registry's state from before the packs loaded, so the second run compiled it all again (on a
server's event loop)."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from flowlike_core import Board, Registry, commands, default_registry, plan
from flowlike_core.registry import ENTRY_POINT_GROUP


def test_the_plan_of_a_board_whose_packs_load_while_compiling_is_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    board = Board(name="first run")
    board.apply(commands.AddNode(default_registry().get("events_simple").create(node_id="start")))
    registry = Registry(entries=entry_points(group=ENTRY_POINT_GROUP))  # no pack loaded yet: compiling loads std
    compiled = []
    real = plan.compile_plan
    monkeypatch.setattr(plan, "compile_plan", lambda *args: compiled.append(1) or real(*args))
    first = plan.plan_for(board, registry)
    assert plan.plan_for(board, registry) is first and len(compiled) == 1
