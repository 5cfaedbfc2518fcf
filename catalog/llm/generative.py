"""Asking a model: invoke (streamed or whole), a one-line prompt, tool calls, a yes/no branch, schema extraction.

Streaming: every chunk is set on the Chunk output, the On Stream branch runs to completion with it, and the
chunk's text goes to the run's progress events (message = the new text) so that a watcher can show the
answer growing. Invoke streams when On Stream is wired or the history asks for it (Set Stream).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.llm.history import as_history
from flowlike_catalog.llm.structs import History, HistoryMessage, LanguageModel, Response, ResponseChunk, as_model
from flowlike_catalog.llm.structured import extract, parse_schema
from flowlike_catalog.llm.wire import complete

from flowlike_core import (
    Context,
    DataType,
    NodeType,
    Pin,
    PinSpec,
    ValueType,
    data_in,
    data_out,
    exec_in,
    exec_out,
    node,
)

CATEGORY = "AI/Generative"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)

MODEL_SCHEMA = LanguageModel.model_json_schema()
HISTORY_SCHEMA = History.model_json_schema()
ModelIn = Annotated[LanguageModel, Pin(description="From a provider node")]
Schema = Annotated[str, Pin(description="JSON Schema of the answer (any type; objects work best)")]
Hint = Annotated[str, Pin(description="Extra instructions for the model")]


def model_in() -> PinSpec:
    return data_in("model", DataType.STRUCT, schema=MODEL_SCHEMA, required=True, description="From a provider node")


def history_in() -> PinSpec:
    return data_in("history", DataType.STRUCT, schema=HISTORY_SCHEMA, required=True)


def chunk_streamer(ctx: Context, fire: str, emit: Callable[[ResponseChunk], None], text_only: bool = False
                   ) -> Callable[[ResponseChunk], Awaitable[None]]:
    """What to do per streamed chunk: set the outputs, report the text as progress, run the `fire` branch.
    `text_only` skips chunks without text (the last ones carry only the finish reason and usage)."""
    async def on_chunk(chunk: ResponseChunk) -> None:
        ctx.check_cancelled()
        if text_only and not chunk.content:
            return
        emit(chunk)
        if chunk.content:
            ctx.progress(0.0, message=chunk.content)
        await ctx.fire(fire)

    return on_chunk


class Invoke(NodeType):
    name = "ai_generative_invoke"
    friendly_name = "Invoke Model"
    description = ("Sends the history to the model and returns its response. Streams chunk by chunk through "
                   "On Stream when that is wired (or the history asks to stream), then fires Done.")
    pins = (exec_in(), model_in(), history_in(),
            exec_out("on_stream", "On Stream"), data_out("chunk", DataType.STRUCT,
                                                         schema=ResponseChunk.model_json_schema()),
            exec_out("done", "Done"), data_out("result", DataType.STRUCT, schema=Response.model_json_schema()))

    async def run(self, ctx: Context, *, model: Any, history: Any) -> None:
        history = as_history(history)
        stream = ctx.is_wired("on_stream") or bool(history.stream)
        on_chunk = chunk_streamer(ctx, "on_stream", lambda c: ctx.set_output("chunk", c)) if stream else None
        ctx.set_output("result", await complete(as_model(model), history, on_chunk, ctx.warn))
        ctx.activate("done")


class InvokeSimple(NodeType):
    name = "ai_generative_invoke_simple"
    friendly_name = "Invoke Simple"
    description = "A system prompt and a prompt in, the answer's text out; streams tokens through On Stream when wired."
    pins = (exec_in(), model_in(), data_in("system_prompt", DataType.STRING, default=""),
            data_in("prompt", DataType.STRING, default=""),
            exec_out("on_stream", "On Stream"), data_out("token", DataType.STRING),
            exec_out("done", "Done"), data_out("result", DataType.STRING))

    async def run(self, ctx: Context, *, model: Any, system_prompt: str, prompt: str) -> None:
        messages = [HistoryMessage(role="system", content=system_prompt)] if system_prompt else []
        history = History(messages=[*messages, HistoryMessage(role="user", content=prompt)])
        on_chunk = chunk_streamer(ctx, "on_stream", lambda c: ctx.set_output("token", c.content),
                                  text_only=True) \
            if ctx.is_wired("on_stream") else None
        response = await complete(as_model(model), history, on_chunk, ctx.warn)
        ctx.set_output("result", response.content())
        ctx.activate("done")


def parse_tools(tools: str | list[Any]) -> list[dict[str, Any]]:
    """OpenAI tool definitions from JSON text or a list; bare {name, description, parameters} are wrapped."""
    if isinstance(tools, str):
        try:
            tools = json.loads(tools or "[]")
        except json.JSONDecodeError as error:
            raise ValueError(f"tools is not JSON: {error}") from None
    if not isinstance(tools, list):
        raise ValueError("tools must be a JSON array of function definitions")
    out = []
    for tool in tools:
        function = tool.get("function", tool) if isinstance(tool, dict) else None
        if not isinstance(function, dict) or not function.get("name"):
            raise ValueError(f"each tool needs a name: {tool!r}")
        out.append({"type": "function", "function": {"name": function["name"],
                                                     "description": function.get("description", ""),
                                                     "parameters": function.get("parameters") or
                                                     {"type": "object", "properties": {}}}})
    return out


CALL_SCHEMA = {"type": "object", "required": ["id", "name", "arguments"], "properties": {
    "id": {"type": "string", "description": "What a Tool message answering the call names (Tool Call Id)"},
    "name": {"type": "string"}, "arguments": {"type": "object"}}}


class InvokeWithTools(NodeType):
    name = "invoke_llm_with_tools"
    friendly_name = "Invoke With Tools"
    description = ("Offers the model tools (a JSON array of function definitions). Tool Call Args are the "
                   "arguments of the first call (empty when the model answered in text); Tool Calls lists every "
                   "call as {id, name, arguments}.")
    pins = (exec_in(), model_in(), history_in(),
            data_in("tools", DataType.STRING, default="[]",
                    description='e.g. [{"name": "get_weather", "parameters": {"type": "object", ...}}]'),
            data_in("tool_choice", DataType.STRING, default="Auto",
                    description="Auto, Required, None, or the name of the tool to call"),
            exec_out("exec_done", "Done"), data_out("response", DataType.STRUCT, schema=Response.model_json_schema()),
            data_out("tool_call_args", DataType.STRUCT),
            data_out("tool_calls", DataType.STRUCT, ValueType.ARRAY, schema=CALL_SCHEMA,
                     description="Every call: {id, name, arguments}"))

    async def run(self, ctx: Context, *, model: Any, history: Any, tools: str, tool_choice: str) -> None:
        request = as_history(history).model_copy(update={"tools": parse_tools(tools), "tool_choice": tool_choice})
        response = await complete(as_model(model), request, warn=ctx.warn)
        calls = [{"id": c.id, "name": c.function.name, "arguments": c.parsed_arguments()}
                 for c in response.tool_calls()]
        ctx.set_output("response", response)
        ctx.set_output("tool_call_args", calls[0]["arguments"] if calls else {})
        ctx.set_output("tool_calls", calls)
        ctx.activate("exec_done")


DECISION = {"type": "object", "required": ["decision"],
            "properties": {"decision": {"type": "boolean", "description": "The answer: true or false"}}}


class Branch(NodeType):
    name = "llm_branch"
    friendly_name = "LLM Branch"
    description = "Asks the model a yes/no question about the prompt and follows True or False."
    pins = (exec_in(), model_in(), data_in("prompt", DataType.STRING, required=True),
            exec_out("true", "True"), exec_out("false", "False"))

    async def run(self, ctx: Context, *, model: Any, prompt: str) -> None:
        history = History(messages=[HistoryMessage(role="user", content=prompt)])
        answer = await extract(as_model(model), history, DECISION, "Decide the question or statement: true or false.",
                               name="decide", warn=ctx.warn)
        ctx.info(f"the model decided {answer['decision']}")
        ctx.activate("true" if answer["decision"] else "false")


class Extracted(NamedTuple):
    response: Annotated[Any, Pin(description="The data, valid under the schema")]


@node(friendly_name="LLM Extractor", exec_pins=True)
async def llm_extractor(ctx: Context, model: ModelIn, schema: Schema, text: str, hint: Hint = "") -> Extracted:
    """Extracts data that follows a JSON Schema from the text; invalid data is sent back for one repair."""
    history = History(messages=[HistoryMessage(role="user", content=text)])
    return Extracted(await extract(as_model(model), history, parse_schema(schema), hint, warn=ctx.warn))


@node(friendly_name="LLM Extractor (History)", exec_pins=True)
async def llm_extractor_history(ctx: Context, model: ModelIn, schema: Schema, history: History,
                                hint: Hint = "") -> Extracted:
    """Extracts data that follows a JSON Schema from a conversation; invalid data is sent back for one repair."""
    return Extracted(await extract(as_model(model), as_history(history), parse_schema(schema), hint,
                                   warn=ctx.warn))
