"""`--var` refusals read as English: "an Array<Float> value", "a HashMap<Integer> value", "an Integer value"."""

from __future__ import annotations

import pytest

from flowlike_core import Board, DataType, ValueType, Variable, commands
from flowlike_core.cli import BadInput, parse_var


@pytest.mark.parametrize(("value_type", "data_type", "label"), [
    (ValueType.ARRAY, DataType.FLOAT, "an Array<Float>"),
    (ValueType.HASHMAP, DataType.INTEGER, "a HashMap<Integer>"),
    (ValueType.HASHSET, DataType.STRING, "a HashSet<String>"),
    (ValueType.NORMAL, DataType.INTEGER, "an Integer"),
])
def test_the_article_fits_the_type(value_type: ValueType, data_type: DataType, label: str) -> None:
    board = Board(name="vars")
    board.apply(commands.UpsertVariable(Variable(name="x", data_type=data_type, value_type=value_type, exposed=True)))
    with pytest.raises(BadInput) as caught:
        parse_var(board, "x=[1,")
    assert f"x=[1,: not {label} value (read as JSON:" in str(caught.value)
