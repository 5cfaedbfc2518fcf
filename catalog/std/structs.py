"""Structs: JSON objects. Make them from a map or JSON text, read and edit fields, parse against a JSON Schema."""

from __future__ import annotations

import json
from typing import Annotated, Any, NamedTuple, TypeVar

from flowlike_core import Pin, node

CATEGORY = "Structs"

T = TypeVar("T")
StructIn = Annotated[dict, Pin("Struct", name="struct_in")]
StructOut = Annotated[dict, Pin("Struct", name="struct_out")]


class Lookup(NamedTuple):
    value: Any
    found: bool


class Removed(NamedTuple):
    struct_out: Annotated[dict, Pin("Struct")]
    removed_value: Annotated[Any, Pin("Removed")]


def parse_json(text: str, what: str = "JSON") -> Any:
    """Parse JSON text, or say where it is broken."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def as_object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a JSON object, got {type(value).__name__}")
    return value


@node(friendly_name="Make Struct")
def struct_make(fields: dict[str, T] = None) -> Annotated[dict, Pin(name="struct")]:
    """A struct with the fields of the map."""
    return {str(key): value for key, value in as_object(fields, "fields").items()}


@node(friendly_name="Struct from JSON")
def struct_from_json(json: Annotated[str, Pin("JSON")] = "{}") -> Annotated[dict, Pin(name="struct")]:
    """Parses JSON text that holds an object."""
    return as_object(parse_json(json), "the JSON")


@node(friendly_name="Get Field")
def struct_get(struct: dict = None, field: str = "") -> Lookup:
    """The value of a field; Found is false when it is missing."""
    return Lookup(struct.get(field), field in struct)


@node(friendly_name="Has Field")
def struct_has(struct: dict = None, field: str = "") -> Annotated[bool, Pin(name="found")]:
    """Whether the struct has the field."""
    return field in struct


@node(friendly_name="Set Field", exec_pins=True)
def struct_set(struct_in: StructIn = None, field: str = "", value: Any = None) -> StructOut:
    """The struct with the field set to the value."""
    return {**struct_in, field: value}


@node(friendly_name="Remove Field", exec_pins=True)
def struct_remove(struct_in: StructIn = None, field: str = "") -> Removed:
    """The struct without the field, and the value it had."""
    result = dict(struct_in)
    if field not in result:
        known = ", ".join(sorted(result)) or "none"
        raise KeyError(f"struct has no field {field!r} (fields: {known})")
    return Removed(result, result.pop(field))


def local_validator(schema: dict[str, Any]) -> Any:
    """A validator for the schema that resolves only its own `$ref`s: jsonschema would otherwise fetch a remote
    `$ref` (http, file) while validating, and a board's schema is untrusted."""
    import jsonschema  # loaded on first use: it is slow to import
    import referencing

    validator_class = jsonschema.validators.validator_for(schema)
    try:
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise ValueError(f"the schema is not a valid JSON Schema: {exc.message}") from None
    return validator_class(schema, registry=referencing.Registry())  # an empty registry that retrieves nothing


def schema_errors(validator: Any, value: Any) -> list[Any]:
    """The validation errors of the value, by path; a reference the schema cannot resolve is a clear error."""
    import referencing.exceptions

    try:
        return sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    except referencing.exceptions.Unresolvable as exc:
        raise ValueError(f"the schema refers to {getattr(exc, 'ref', exc)!r}, which is not inside it: only local "
                         f"references are resolved (no URL or file is fetched)") from None


def validated(value: Any, schema: dict[str, Any]) -> Any:
    """The value, when it fits the JSON Schema; else an error naming every path that does not fit."""
    errors = schema_errors(local_validator(schema), value)
    if errors:
        problems = "; ".join(f"at {error.json_path}: {error.message}" for error in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ValueError(f"the data does not match the schema: {problems}{more}")
    return value


@node(friendly_name="Parse JSON with Schema", exec_pins=True)
def parse_with_schema(schema: Annotated[str, Pin(description="A JSON Schema, as JSON")] = "{}",
                      data: Annotated[str, Pin("JSON")] = "{}") -> Annotated[Any, Pin(name="parsed")]:
    """Parses JSON text and checks it against a JSON Schema; fails naming every path that does not fit."""
    schema_doc = as_object(parse_json(schema, "the schema"), "the schema")
    return validated(parse_json(data, "the data"), schema_doc)


class Fields(NamedTuple):
    field_names: Annotated[list[str], Pin("Names")]
    fields: Annotated[list[Any], Pin("Values")]


@node(friendly_name="Get Fields", category="Structs/Fields")
def struct_get_fields(struct: dict = None) -> Fields:
    """The field names and their values, in the struct's order."""
    return Fields(list(struct), list(struct.values()))


@node(friendly_name="Break Struct")
def struct_break(struct_in: StructIn = None) -> Annotated[dict[str, Any], Pin("Fields", name="fields")]:
    """The struct's fields as a map (Flow-Like grows one output per field of the struct's schema; node types
    here have fixed pins, so the fields come as one map: pick one with Get Value)."""
    return dict(as_object(struct_in, "the struct"))


@node(friendly_name="Make Struct (Schema)")
def struct_make_from_schema(
        schema: Annotated[dict, Pin(description="A JSON Schema of an object")] = None,
        values: Annotated[dict[str, Any], Pin(description="Field values; a missing field takes its default from "
                                                          "the schema")] = None,
) -> StructOut:
    """A struct that fits the schema: the values, with schema defaults for the fields they lack, checked
    against the schema (Flow-Like makes one input per field; here the fields come as one map)."""
    schema = as_object(schema, "the schema")
    defaults = {name: spec["default"] for name, spec in (schema.get("properties") or {}).items()
                if isinstance(spec, dict) and "default" in spec}
    return validated({**defaults, **(values or {})}, schema)
