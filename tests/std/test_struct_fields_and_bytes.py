"""Struct fields, break, make from a schema, and values to and from bytes."""

from __future__ import annotations

import pytest
from flowlike_catalog.std.conversions import val_from_bytes, val_to_bytes
from flowlike_catalog.std.structs import struct_break, struct_get_fields, struct_make_from_schema

SCHEMA = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "level": {"type": "integer", "default": 1},
                   "tags": {"type": "array", "items": {"type": "string"}, "default": []}},
}


def test_get_fields_and_break(b):
    person = {"name": "Ada", "age": 36}
    assert struct_get_fields.func(person) == (["name", "age"], ["Ada", 36])
    assert struct_break.func(person) == {"name": "Ada", "age": 36}
    assert b.compute("struct_get_fields", "field_names", struct={"x": 1, "y": 2}) == ["x", "y"]


def test_make_from_schema_fills_defaults_and_checks(b):
    assert struct_make_from_schema.func(SCHEMA, {"name": "Ada"}) == {"name": "Ada", "level": 1, "tags": []}
    assert struct_make_from_schema.func(SCHEMA, {"name": "Ada", "level": 3}) == {"name": "Ada", "level": 3,
                                                                                 "tags": []}
    with pytest.raises(ValueError, match=r"at \$: 'name' is a required property"):
        struct_make_from_schema.func(SCHEMA, {})
    with pytest.raises(ValueError, match=r"at \$.level: 'high' is not of type 'integer'"):
        struct_make_from_schema.func(SCHEMA, {"name": "Ada", "level": "high"})
    assert b.compute("struct_make_from_schema", "struct_out", schema=SCHEMA, values={"name": "Bo"}) == \
        {"name": "Bo", "level": 1, "tags": []}


def test_values_to_bytes_and_back(b):
    assert val_to_bytes.func({"b": 1, "a": "é"}, False) == '{"a":"é","b":1}'.encode()
    assert val_to_bytes.func([1, 2], True) == b"[\n  1,\n  2\n]"
    assert val_from_bytes.func(b'{"a": [1, 2]}') == {"a": [1, 2]}
    assert val_from_bytes.func(list(b"3.5")) == 3.5
    with pytest.raises(ValueError, match="the bytes are not UTF-8 text \\(byte 0 is invalid\\)"):
        val_from_bytes.func(b"\xff")
    with pytest.raises(ValueError, match="the text in the bytes is not valid JSON"):
        val_from_bytes.func(b"{")
    assert b.compute("val_to_bytes", "bytes", value="hi", pretty=False) == b'"hi"'
