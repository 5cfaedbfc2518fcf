"""A refused value is shown shortened: a megabyte pasted into an Integer pin (or a variable's default) gave a message
a megabyte long."""

from __future__ import annotations

import pytest

from flowlike_core import DataType, commands
from flowlike_core.board import Variable
from flowlike_core.errors import BoardError


def test_a_huge_value_refused_by_a_pin_is_shortened(build) -> None:
    node = build.add("t_add_one")
    with pytest.raises(BoardError, match="does not fit pin 'value'") as caught:
        build.board.apply(commands.UpdateNode(node.id, defaults={"value": "x" * 1_000_000}))
    assert len(str(caught.value)) < 300


def test_a_huge_default_refused_by_a_variable_is_shortened(build) -> None:
    with pytest.raises(BoardError, match="of variable 'n' does not fit its type") as caught:
        build.board.apply(commands.UpsertVariable(Variable(name="n", data_type=DataType.INTEGER,
                                                           default_value="x" * 1_000_000)))
    assert len(str(caught.value)) < 300
