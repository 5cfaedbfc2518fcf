"""None fits every pin type (an input with no default holds it), and, asked (`none=False`, as a value given for a
variable declared with a value of its type), only a Generic one: None is no Integer, no Date."""

from __future__ import annotations

import pytest

from flowlike_core.types import DataType, ValueType, fits


@pytest.mark.parametrize("value_type", list(ValueType))
@pytest.mark.parametrize("data_type", [t for t in DataType if t not in (DataType.GENERIC, DataType.EXECUTION)])
def test_none_fits_a_typed_pin_unless_asked_not_to(data_type: DataType, value_type: ValueType) -> None:
    assert fits(None, data_type, value_type)
    assert not fits(None, data_type, value_type, none=False)


@pytest.mark.parametrize("value_type", list(ValueType))
def test_none_always_fits_generic(value_type: ValueType) -> None:
    assert fits(None, DataType.GENERIC, value_type, none=False)


def test_asking_changes_nothing_for_other_values() -> None:
    assert fits(3, DataType.INTEGER, ValueType.NORMAL, none=False)
    assert fits([1, None], DataType.GENERIC, ValueType.ARRAY, none=False)
    assert not fits("3", DataType.INTEGER, ValueType.NORMAL, none=False)
