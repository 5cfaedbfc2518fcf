"""JSON beyond parsing: repair broken JSON (json-repair), infer a JSON Schema from examples (genson)."""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.std.extra import extra
from flowlike_catalog.std.structs import parse_json

from flowlike_core import Pin, node

CATEGORY = "Utils/JSON"


@node(friendly_name="Repair Parse JSON", exec_pins=True)
def repair_parse(json_string: Annotated[str, Pin("JSON")] = "") -> Annotated[Any, Pin(name="result")]:
    """Parses JSON that may be broken, as language models and hand edits write it: missing quotes, commas and
    closing brackets, single quotes, trailing commas, comments, code fences. Text without any JSON in it is an
    error."""
    if not json_string.strip():
        raise ValueError("the JSON text is empty")
    value = extra("json_repair").repair_json(json_string, return_objects=True, skip_json_loads=False)
    if value == "" and json_string.strip() not in ('""', "''"):
        raise ValueError(f"found no JSON to repair in {json_string[:80]!r}")
    return value


@node(friendly_name="Make Tool Schema", exec_pins=True)
def utils_json_make_schema(
        example_json: Annotated[str, Pin("Example", description="An example value, as JSON")] = "{}",
        more_examples: Annotated[list[str], Pin(description="More examples (JSON) merged into the schema: "
                                                            "fields missing from some become optional")] = None,
) -> Annotated[dict, Pin(name="schema")]:
    """A JSON Schema (draft 2020-12) that the examples fit, as used for tool calls and structured output."""
    builder = extra("genson").SchemaBuilder(schema_uri="https://json-schema.org/draft/2020-12/schema")
    builder.add_object(parse_json(example_json, "the example"))
    for index, example in enumerate(more_examples or ()):
        builder.add_object(parse_json(example, f"example {index + 2}"))
    return builder.to_schema()
