"""Repairing broken JSON and inferring schemas from examples."""

from __future__ import annotations

import json

import pytest
from flowlike_catalog.std.json_nodes import repair_parse, utils_json_make_schema

from flowlike_core import NodeFailed

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def test_repair_parse_fixes_what_models_and_people_break():
    assert repair_parse.func('{a: 1, "b": [1, 2') == {"a": 1, "b": [1, 2]}
    assert repair_parse.func("```json\n{'x': 1,}\n```") == {"x": 1}
    assert repair_parse.func("[1, 2") == [1, 2]
    assert repair_parse.func('{"ok": true}') == {"ok": True}


def test_repair_parse_refuses_text_without_json():
    with pytest.raises(ValueError, match="found no JSON to repair in 'hello world'"):
        repair_parse.func("hello world")
    with pytest.raises(ValueError, match="the JSON text is empty"):
        repair_parse.func("  ")


def test_schema_from_one_example_and_merged_examples():
    assert utils_json_make_schema.func('{"name": "Ada", "age": 36, "tags": ["x"]}', None) == {
        "$schema": DRAFT, "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"},
                       "tags": {"type": "array", "items": {"type": "string"}}},
        "required": ["age", "name", "tags"],
    }
    assert utils_json_make_schema.func('{"a": 1, "b": "x"}', ['{"a": 2.5}']) == {
        "$schema": DRAFT, "type": "object",
        "properties": {"a": {"type": "number"}, "b": {"type": "string"}}, "required": ["a"],
    }


def test_schema_examples_must_be_json(b):
    with pytest.raises(NodeFailed, match="example 2 is not valid JSON"):
        b.compute("utils_json_make_schema", "schema", example_json="{}", more_examples=["{oops"])
    schema = b.compute("utils_json_make_schema", "schema", example_json=json.dumps([1, 2]))
    assert schema == {"$schema": DRAFT, "type": "array", "items": {"type": "integer"}}
