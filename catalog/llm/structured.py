"""Structured answers: the model fills a JSON Schema through a forced tool call, validated, with one repair try.

A forced tool call is the one way to get schema-shaped output that all three wire formats share (Ollama
cannot force the call, so a JSON answer in the text is accepted too). When the data breaks the schema, the
validation errors go back to the model once; a second failure is an error that lists them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flowlike_catalog.llm.structs import History, HistoryMessage, LanguageModel, Response
from flowlike_catalog.llm.wire import complete

FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


def parse_schema(schema: str | dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema from text or a dict, checked against the meta-schema."""
    import jsonschema

    if isinstance(schema, str):
        try:
            schema = json.loads(schema)
        except json.JSONDecodeError as error:
            raise ValueError(f"schema is not JSON: {error}") from None
    if not isinstance(schema, dict):
        raise ValueError(f"schema must be a JSON object, got {type(schema).__name__}")
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        raise ValueError(f"schema is not a valid JSON Schema: {error.message}") from None
    return schema


async def extract(model: LanguageModel, history: History, schema: dict[str, Any], hint: str = "",
                  name: str = "extract", warn: Callable[[str], None] | None = None) -> Any:
    """The value the model gives for the conversation, valid under `schema` (rate-limit waits told to `warn`)."""
    wrapped = schema.get("type") != "object"
    parameters = {"type": "object", "properties": {"value": schema}, "required": ["value"]} if wrapped else schema
    tool = {"type": "function", "function": {"name": name, "parameters": parameters,
                                             "description": "Submit the data, following the schema exactly."}}
    instruction = f"Answer by calling the {name} tool with data that follows its JSON Schema." + \
        (f" {hint}" if hint else "")
    messages = [HistoryMessage(role="system", content=instruction), *history.messages]
    for attempt in (1, 2):
        request = history.model_copy(update={"messages": messages, "tools": [tool], "tool_choice": name})
        response = await complete(model, request, warn=warn)
        value, problem = _read(response, name, parameters)
        if problem is None:
            return value["value"] if wrapped else value
        if attempt == 2:
            raise ValueError(f"the model's answer breaks the schema even after a repair request: {problem}")
        messages = [*messages, response.to_message(), _repair(response, name, problem)]
    raise AssertionError("unreachable")


def _read(response: Response, name: str, schema: dict[str, Any]) -> tuple[Any, str | None]:
    """The submitted data and what is wrong with it (None when it is valid)."""
    calls = [c for c in response.tool_calls() if c.function.name == name]
    try:
        value = calls[0].parsed_arguments() if calls else _json_in(response.content())
    except ValueError as error:
        return None, str(error)
    from flowlike_catalog.std.structs import local_validator, schema_errors  # (imports the std pack: when used)

    errors = schema_errors(local_validator(schema), value)
    if errors:
        return value, "; ".join(f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:10])
    return value, None


def _json_in(text: str) -> Any:
    fenced = FENCE.search(text)
    candidate = (fenced.group(1) if fenced else text).strip()
    try:
        return json.loads(candidate)
    except json.JSONDecodeError:
        raise ValueError(f"no tool call and no JSON in the answer: {text[:200]!r}") from None


def _repair(response: Response, name: str, problem: str) -> HistoryMessage:
    request = f"That data is invalid: {problem}. Call {name} again with corrected data."
    calls = response.tool_calls()
    if calls:
        return HistoryMessage(role="tool", tool_call_id=calls[0].id, name=calls[0].function.name, content=request)
    return HistoryMessage(role="user", content=request)
