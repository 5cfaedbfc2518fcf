"""A position that is not (x, y) or (x, y, z) numbers is refused naming it: `board.add(..., at="ab")` said
"could not convert string to float: 'a'", `at=(1,)` "not enough values to unpack", four numbers a pydantic
validation error for Node, and `board.comment(..., at=...)` the same."""

from __future__ import annotations

import pytest

import flowlike_nb as fnb
from flowlike_core.errors import BoardError


@pytest.mark.parametrize("at", ["ab", (1,), ("x", 2), (1, 2, 3, 4), (1, None)])
def test_a_position_that_is_no_position_is_named(at: object) -> None:
    board = fnb.Board("positions")
    expected = f"at={at!r}: a position is (x, y) or (x, y, z), in numbers"
    with pytest.raises(BoardError) as raised:
        board.add("log_info", "say", at=at)
    assert str(raised.value) == f"node 'say': {expected}"
    with pytest.raises(BoardError) as raised:
        board.comment("note", at=at)
    assert str(raised.value) == f"comment: {expected}"
    assert not board.core.nodes and not board.core.comments


def test_positions_of_two_or_three_numbers_are_kept() -> None:
    board = fnb.Board("positions")
    assert board.add("log_info", at=(10, 20)).core.coordinates == (10.0, 20.0, 0.0)
    assert board.comment("note", at=(1.5, 2, 3)).coordinates == (1.5, 2.0, 3.0)
