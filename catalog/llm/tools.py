"""Agent tools: a function node of the catalog or a board file, described to the model by a JSON Schema.

A function node's input pins become the schema's properties (pin types to JSON types, required pins
required) and its outputs the answer; a board's exposed variables are its arguments and its result the
answer. The 'think' tool only writes the model's reasoning into the run's log.
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Any

import pydantic_core
from flowlike_catalog.llm.structs import AgentTool

from flowlike_core import Context, DataType, PinDirection, ValueType, default_registry, run_board
from flowlike_core.wording import noun_for

_JSON_TYPES = {DataType.BOOLEAN: "boolean", DataType.INTEGER: "integer", DataType.FLOAT: "number",
               DataType.STRING: "string", DataType.DATE: "string", DataType.PATHBUF: "string",
               DataType.BYTE: "integer", DataType.STRUCT: "object"}

THINK = AgentTool(
    name="think",
    description="Write down your reasoning before you act; nothing changes and nothing is returned.",
    parameters={"type": "object", "properties": {"thought": {"type": "string"}}, "required": ["thought"]},
)


def json_schema(data_type: DataType, value_type: ValueType, schema: dict[str, Any] | None = None,
                description: str = "") -> dict[str, Any]:
    """The JSON Schema of a pin or variable type."""
    item: dict[str, Any] = dict(schema) if schema else \
        ({"type": _JSON_TYPES[data_type]} if data_type in _JSON_TYPES else {})
    if value_type in (ValueType.ARRAY, ValueType.HASHSET):
        item = {"type": "array", "items": item, **({"uniqueItems": True} if value_type is ValueType.HASHSET else {})}
    elif value_type is ValueType.HASHMAP:
        item = {"type": "object", "additionalProperties": item}
    return {**item, "description": description} if description else item


def tool_from_node(key: str) -> AgentTool:
    """The tool that runs the function node `key`; nodes that are not functions cannot be tools."""
    node_type = default_registry().get(key)
    if getattr(node_type, "func", None) is None:
        raise ValueError(f"node {key!r} is not a function node: only @node functions can be agent tools")
    properties, required = {}, []
    for pin in node_type.pins:
        if pin.direction is not PinDirection.INPUT or pin.data_type is DataType.EXECUTION:
            continue
        properties[pin.name] = json_schema(pin.data_type, pin.value_type, pin.schema, pin.description)
        if pin.options is not None and pin.options.required:
            required.append(pin.name)
    return AgentTool(name=key, description=node_type.description or node_type.friendly_name, node=key,
                     parameters={"type": "object", "properties": properties, "required": required})


def tool_from_board(path: str | Path) -> AgentTool:
    """The tool that runs a board file (ours or Flow-Like's): its exposed variables are the arguments, its result the
    answer."""
    from flowlike_core.interop import open_board

    board = open_board(path)[0]
    exposed = [v for v in board.variables.values() if v.exposed]
    properties = {v.name: json_schema(v.data_type, v.value_type, v.schema_, v.description) for v in exposed}
    return AgentTool(name=tool_name(board.name), description=board.description or board.name, board=str(path),
                     parameters={"type": "object", "properties": properties,
                                 "required": [v.name for v in exposed if v.default_value is None]})


def tool_name(name: str) -> str:
    """Tool names allow letters, digits, '_' and '-' only."""
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in name)[:64] or "board"


async def call_tool(ctx: Context, tool: AgentTool, arguments: dict[str, Any]) -> str:
    """Run the tool and give its answer as text for the model."""
    if tool.name == THINK.name and not tool.node and not tool.board:
        ctx.info(f"thought: {arguments.get('thought', '')}")
        return "ok"
    if tool.board:
        from flowlike_core.interop import open_board

        run = await asyncio.to_thread(run_board, open_board(tool.board)[0], variables=arguments)
        run.raise_for_status()
        return _as_text(run.result)
    node_type = default_registry().get(tool.node)
    names = {pin: parameter for parameter, pin in node_type.keywords}
    unknown = set(arguments) - set(names)
    if unknown:
        raise ValueError(f"tool {tool.name!r} has no {noun_for(len(unknown), 'argument')} {', '.join(sorted(unknown))}")
    kwargs = {names[pin]: value for pin, value in arguments.items()}
    if node_type.context is not None:
        kwargs[node_type.context] = ctx
    result = node_type.func(**kwargs)
    if inspect.isawaitable(result):
        result = await result
    if node_type.fields is not None:
        result = {pin: getattr(result, field) for pin, field in zip(node_type.outputs, node_type.fields, strict=True)}
    return _as_text(result)


def _as_text(value: Any) -> str:
    """Strings as they are; anything else (models, dataclasses, sets, dates) as JSON."""
    if isinstance(value, str):
        return value
    return pydantic_core.to_json(value, fallback=repr).decode()
