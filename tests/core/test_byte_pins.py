"""A `bytes` hint is Flow-Like's Array<Byte> (its `Vec<u8>`): a Byte is one byte value, 0 to 255."""

from __future__ import annotations

import pytest

from flowlike_core import node
from flowlike_core.types import DataType, ValueType, fits, pin_type_of


@pytest.mark.parametrize("hint", [bytes, bytes | None, bytearray])
def test_bytes_are_a_byte_array(hint: object) -> None:
    assert pin_type_of(hint)[:2] == (DataType.BYTE, ValueType.ARRAY)


def test_a_bytes_function_takes_a_list_of_byte_values_as_default() -> None:
    @node
    def size(data: bytes = None) -> int:
        return len(data or b"")

    pins = {p["name"]: p for p in size.describe()["pins"]}
    assert (pins["data"]["data_type"], pins["data"]["value_type"]) == ("Byte", "Array")
    assert size.create(data=[1, 2, 255]).pin("data").default_value == [1, 2, 255]
    assert fits([1, 2, 255], DataType.BYTE, ValueType.ARRAY) and not fits([1, 2, 255], DataType.BYTE, ValueType.NORMAL)
