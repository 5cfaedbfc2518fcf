"""What a teacher types into the editor's pin fields is checked by the engine (the front end re-implements no rule)."""

from __future__ import annotations

import pytest

from flowlike_core import Board


@pytest.mark.xfail(strict=True, reason="flowlike_core.commands.UpdateNode checks valid values but not a pin's range "
                                       "(proposed to the lead); the board took 99 for an Integer pin of range 0-10")
def test_a_number_outside_its_pins_range_is_refused_with_the_range(frontend, board: Board) -> None:
    reply = frontend("update_node", node_id="say", defaults={"times": 99})
    assert not reply["ok"]
    assert "range" in reply["reason"] and "10" in reply["reason"], reply["reason"]
    assert board.nodes["say"].pin("times").default_value == 1


def test_a_number_inside_its_pins_range_is_taken(frontend, board: Board) -> None:
    assert frontend("update_node", node_id="say", defaults={"times": 10})["ok"]
    assert board.nodes["say"].pin("times").default_value == 10
