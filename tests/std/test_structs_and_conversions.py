"""Structs from maps and JSON, field access, schema-checked parsing, and conversions with clear errors."""

from __future__ import annotations

import json

import pytest

from flowlike_core import NodeFailed, RunStatus

SCHEMA = json.dumps({
    "type": "object",
    "required": ["name", "age"],
    "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
})


def test_make_struct_from_a_map_and_read_fields(b):
    make, get = b.add("struct_make", fields={"name": "Ada", "age": 36}), b.add("struct_get", field="age")
    b.wire(make, "struct", get, "struct")
    start, back = b.start(), b.add("events_generic_return_result")
    b.chain(start, back)
    b.wire(get, "value", back, "response")
    run = b.run()
    assert run.result == 36
    assert run.output(get.id, "found") is True
    assert b.compute("struct_has", "found", struct={"name": "Ada"}, field="email") is False
    assert b.compute("struct_get", "found", struct={"name": "Ada"}, field="email") is False


def test_struct_from_json_must_be_an_object(b):
    assert b.compute("struct_from_json", "struct", json='{"a": [1, 2]}') == {"a": [1, 2]}
    with pytest.raises(NodeFailed, match="the JSON must be a JSON object, got list"):
        b.compute("struct_from_json", "struct", json="[1]")


def test_set_and_remove_fields_leave_the_input_untouched(b):
    start, setter, remover = b.start(), b.add("struct_set", struct_in={"a": 1}, field="b", value=[2]), \
        b.add("struct_remove", field="a")
    b.chain(start, setter, remover)
    b.wire(setter, "struct_out", remover, "struct_in")
    run = b.run()
    assert run.output(setter.id, "struct_out") == {"a": 1, "b": [2]}
    assert run.output(remover.id, "struct_out") == {"b": [2]}
    assert run.output(remover.id, "removed_value") == 1


def test_removing_a_missing_field_names_the_fields(b):
    with pytest.raises(NodeFailed, match=r"struct has no field 'z' \(fields: a\)"):
        b.compute("struct_remove", "struct_out", struct_in={"a": 1}, field="z")


def test_parse_with_schema_accepts_valid_data(b):
    assert b.compute("parse_with_schema", "parsed", schema=SCHEMA, data='{"name": "Ada", "age": 36}') == \
        {"name": "Ada", "age": 36}


def test_parse_with_schema_routes_every_problem_to_on_error(b):
    start, parse = b.start(), b.add("parse_with_schema", schema=SCHEMA, data='{"age": -1}')
    handler = b.add("log_warning")
    b.chain(start, parse)
    b.wire(parse, "auto_handle_error", handler, "exec_in")
    b.wire(parse, "auto_handle_error_string", handler, "message")
    run = b.run()
    assert run.status is RunStatus.SUCCESS
    [message] = b.messages(run)
    assert "the data does not match the schema" in message
    assert "at $: 'name' is a required property" in message
    assert "at $.age: -1 is less than the minimum of 0" in message


@pytest.mark.parametrize(("schema", "data", "message"), [
    ("{", "{}", "the schema is not valid JSON: Expecting property name"),
    ('{"type": 5}', "{}", "the schema is not a valid JSON Schema"),
    (SCHEMA, '{"name": "Ada",}', "the data is not valid JSON: .* at line 1, column 16"),
])
def test_parse_with_schema_says_which_input_is_broken(b, schema, data, message):
    with pytest.raises(NodeFailed, match=message):
        b.compute("parse_with_schema", "parsed", schema=schema, data=data)


@pytest.mark.parametrize(("key", "output", "inputs", "expected"), [
    ("val_to_string", "string", {"value": "plain"}, "plain"),
    ("val_to_string", "string", {"value": {"a": [1, 2]}}, '{"a": [1, 2]}'),
    ("val_to_json", "json", {"value": "plain"}, '"plain"'),
    ("val_to_json", "json", {"value": {"a": 1}, "pretty": True}, '{\n  "a": 1\n}'),
    ("val_from_string", "value_ref", {"string": '{"a": [1, 2.5, null]}'}, {"a": [1, 2.5, None]}),
    ("string_to_int", "integer", {"string": " 42 "}, 42),
    ("string_to_float", "float", {"string": "4.2e1"}, 42.0),
    ("int_to_float", "float", {"integer": 3}, 3.0),
    ("float_to_int", "integer", {"float": -2.7}, -2),
    ("float_to_int", "integer", {"float": -2.7, "mode": "floor"}, -3),
    ("float_to_int", "integer", {"float": 2.5, "mode": "round"}, 2),
    ("float_to_int", "integer", {"float": 2.1, "mode": "ceil"}, 3),
])
def test_conversions(b, key, output, inputs, expected):
    result = b.compute(key, output, **inputs)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(("key", "output", "inputs", "message"), [
    ("string_to_int", "integer", {"string": "12a"}, "cannot read '12a' as an integer"),
    ("string_to_float", "float", {"string": "abc"}, "cannot read 'abc' as a number"),
    ("float_to_int", "integer", {"float": 1.0, "mode": "sideways"}, "unknown rounding 'sideways'"),
    ("val_from_string", "value_ref", {"string": "{'a': 1}"}, "JSON is not valid JSON"),
])
def test_conversion_errors_are_clear(b, key, output, inputs, message):
    with pytest.raises(NodeFailed, match=message):
        b.compute(key, output, **inputs)


def test_converted_value_feeds_typed_math(b):
    parse, add = b.add("string_to_int", string="40"), b.add("int_add", integer2=2)
    b.wire(parse, "integer", add, "integer1")
    assert b.value(add, "sum") == 42
