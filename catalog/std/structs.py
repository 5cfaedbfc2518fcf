"""Structs: JSON objects. Make them from a map or JSON text, read and edit fields, parse against a JSON Schema."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from flowlike_catalog.std._build import function_node

from flowlike_core import DataType, NodeType, ValueType, data_in, data_out

STRUCT, GENERIC, BOOL, STR = DataType.STRUCT, DataType.GENERIC, DataType.BOOLEAN, DataType.STRING
_CATEGORY = "Structs"
_STRUCT = data_in("struct", STRUCT, friendly_name="Struct")
_STRUCT_IN = data_in("struct_in", STRUCT, friendly_name="Struct")
_STRUCT_OUT = data_out("struct_out", STRUCT, friendly_name="Struct")
_FIELD = data_in("field", STR, default="", friendly_name="Field")


def parse_json(text: str, what: str = "JSON") -> Any:
    """Parse JSON text, or say where it is broken."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a JSON object, got {type(value).__name__}")
    return value


def _make(fields: dict[str, Any]) -> dict[str, Any]:
    return {str(key): value for key, value in _object(fields, "fields").items()}


def _remove(struct: dict[str, Any], field: str) -> tuple[dict[str, Any], Any]:
    result = dict(struct)
    if field not in result:
        known = ", ".join(sorted(result)) or "none"
        raise KeyError(f"struct has no field {field!r} (fields: {known})")
    return result, result.pop(field)


def parse_with_schema(schema: str, data: str) -> dict[str, Any]:
    """Parse `data` and check it against the JSON Schema `schema`; an error names the path that is wrong."""
    schema_doc = _object(parse_json(schema, "the schema"), "the schema")
    try:
        jsonschema.validators.validator_for(schema_doc).check_schema(schema_doc)
    except jsonschema.SchemaError as exc:
        raise ValueError(f"the schema is not a valid JSON Schema: {exc.message}") from None
    value = parse_json(data, "the data")
    validator = jsonschema.validators.validator_for(schema_doc)(schema_doc)
    errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        problems = "; ".join(f"at {error.json_path}: {error.message}" for error in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ValueError(f"the data does not match the schema: {problems}{more}")
    return value


NODES: list[type[NodeType]] = [
    function_node("struct_make", "Make Struct", _CATEGORY, "A struct with the fields of the map.",
                  (data_in("fields", GENERIC, ValueType.HASHMAP, friendly_name="Fields", generic="T"),),
                  (data_out("struct", STRUCT, friendly_name="Struct"),), _make),
    function_node("struct_from_json", "Struct from JSON", _CATEGORY, "Parses JSON text that holds an object.",
                  (data_in("json", STR, default="{}", friendly_name="JSON"),),
                  (data_out("struct", STRUCT, friendly_name="Struct"),),
                  lambda text: _object(parse_json(text), "the JSON")),
    function_node("struct_get", "Get Field", _CATEGORY, "The value of a field; Found is false when it is missing.",
                  (_STRUCT, _FIELD),
                  (data_out("value", GENERIC, friendly_name="Value"), data_out("found", BOOL, friendly_name="Found")),
                  lambda struct, field: (struct.get(field), field in struct)),
    function_node("struct_has", "Has Field", _CATEGORY, "Whether the struct has the field.",
                  (_STRUCT, _FIELD), (data_out("found", BOOL, friendly_name="Found"),),
                  lambda struct, field: field in struct),
    function_node("struct_set", "Set Field", _CATEGORY, "The struct with the field set to the value.",
                  (_STRUCT_IN, _FIELD, data_in("value", GENERIC, friendly_name="Value")), (_STRUCT_OUT,),
                  lambda struct, field, value: {**struct, field: value}, exec_pins=True),
    function_node("struct_remove", "Remove Field", _CATEGORY, "The struct without the field, and the value it had.",
                  (_STRUCT_IN, _FIELD),
                  (_STRUCT_OUT, data_out("removed_value", GENERIC, friendly_name="Removed")),
                  _remove, exec_pins=True),
    function_node("parse_with_schema", "Parse JSON with Schema", _CATEGORY,
                  "Parses JSON text and checks it against a JSON Schema; fails naming every path that does not fit.",
                  (data_in("schema", STR, default="{}", friendly_name="Schema", description="A JSON Schema, as JSON"),
                   data_in("data", STR, default="{}", friendly_name="JSON")),
                  (data_out("parsed", GENERIC, friendly_name="Parsed"),),
                  parse_with_schema, exec_pins=True),
]
