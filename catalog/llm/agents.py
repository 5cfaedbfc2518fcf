"""Agents: a model plus tools, run in a loop until the model answers without calling a tool or the step limit.

Each step is one model call; every tool call the model asks for runs (a failing tool's error goes back to
the model as the tool's answer, so it can recover) and its result is fed back. Every step and tool call is
written into the run's log. With infinite context on, the conversation is kept under max_context_tokens
(about four characters a token) by dropping the oldest turns ('truncate') or by having the model summarise
them ('summarize').
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from flowlike_catalog.llm.generative import chunk_streamer, history_in
from flowlike_catalog.llm.history import as_history
from flowlike_catalog.llm.mcp_tools import McpTools, mcp_tools, transport
from flowlike_catalog.llm.structs import (
    Agent,
    AgentTool,
    History,
    HistoryMessage,
    McpServer,
    Response,
    ResponseChunk,
    ToolCall,
    ToolFunction,
    as_model,
)
from flowlike_catalog.llm.tools import THINK, call_tool, tool_from_board, tool_from_node
from flowlike_catalog.llm.wire import OnChunk, complete

from flowlike_core import (
    Context,
    DataType,
    NodeType,
    Pin,
    PinOptions,
    ValueType,
    data_in,
    data_out,
    exec_in,
    exec_out,
    node,
)
from flowlike_core.policy import allowed_path

CATEGORY = "AI/Agents"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
BUILDER = "AI/Agents/Builder"

AGENT_SCHEMA = Agent.model_json_schema()
AGENT_IN = data_in("agent", DataType.STRUCT, schema=AGENT_SCHEMA, required=True)
AgentIn = Annotated[Agent, Pin("Agent")]
AgentOut = Annotated[Agent, Pin("Agent", name="agent_out")]
ContextMode = Annotated[str, Pin(valid_values=("truncate", "summarize"),
                                 description="How an over-long conversation is shortened")]
CHARS_PER_TOKEN = 4


def as_agent(value: Any) -> Agent:
    if value is None:
        raise ValueError("no agent: wire one from 'Agent From Model'")
    return Agent.model_validate(value)


@node(category=BUILDER)
def agent_from_model(model: Any, max_iter: Annotated[int, Pin(range=(1, 1000))] = 15,
                     infinite_context: bool = False, context_mode: ContextMode = "summarize",
                     max_context_tokens: int = 32000) -> AgentOut:
    """An agent with no tools yet: add them with the Register nodes."""
    return Agent(model=as_model(model), max_iter=max_iter, infinite_context=infinite_context,
                 context_mode=context_mode, max_context_tokens=max_context_tokens)


@node(friendly_name="Set Agent System Prompt", category=BUILDER)
def agent_set_system_prompt(agent_in: AgentIn, system_prompt: str = "") -> AgentOut:
    """The instructions the agent starts every conversation with."""
    return as_agent(agent_in).model_copy(update={"system_prompt": system_prompt})


def _with_tools(agent: Any, tools: list[AgentTool]) -> Agent:
    agent = as_agent(agent)
    names = {t.name for t in tools}
    return agent.model_copy(update={"tools": [t for t in agent.tools if t.name not in names] + tools})


@node(friendly_name="Register Function Tools", category=BUILDER, capabilities=["files", "network"])
def agent_register_function_tools(
    agent_in: AgentIn,
    functions: Annotated[list[str], Pin(description="Catalog keys of function nodes, e.g. 'int_add'")] = None,
    boards: Annotated[list[str], Pin(description="Board files; exposed variables are the arguments")] = None,
) -> AgentOut:
    """Gives the agent tools: function nodes (their input pins become the tool's JSON Schema) and boards."""
    tools = [tool_from_node(key) for key in functions or ()]
    tools += [tool_from_board(Path(allowed_path(path, "board file"))) for path in boards or ()]
    return _with_tools(agent_in, tools)


@node(friendly_name="Register MCP Tools", category=BUILDER, capabilities=["processes", "network"])
def agent_register_mcp_tools(
    agent_in: AgentIn,
    uri: Annotated[str, Pin("MCP Server URI", "An http(s) URL (Streamable HTTP or SSE) or 'stdio:COMMAND ARGS...' "
                            "to start the server as a process")] = "",
    mode: Annotated[str, Pin(valid_values=("Automatic", "Manual"),
                             description="Automatic: every tool the server lists; Manual: the tools named in Tools")
                    ] = "Automatic",
    tools: Annotated[list[str], Pin(description="Manual mode: the names of the server's tools to use")] = None,
    timeout: Annotated[float, Pin(description="Seconds to wait for each answer of the server")] = 60.0,
) -> AgentOut:
    """Gives the agent the tools an MCP server lists: the agent connects when it runs and calls them there."""
    transport(uri)
    manual = mode.lower() == "manual"
    if not manual and mode.lower() != "automatic":
        raise ValueError(f"mode {mode!r}: use 'Automatic' or 'Manual'")
    if manual and not tools:
        raise ValueError("Manual mode: name the server's tools to use in 'tools'")
    if timeout <= 0:
        raise ValueError(f"timeout {timeout!r}: give the seconds to wait for the server, more than 0")
    server = McpServer(uri=uri, tool_filter=list(tools) if manual else None, timeout=timeout)
    agent = as_agent(agent_in)
    servers = [s for s in agent.mcp_servers if s.uri != uri] + [server]
    return agent.model_copy(update={"mcp_servers": servers})


@node(friendly_name="Register Thinking", category=BUILDER)
def agent_register_thinking(agent_in: AgentIn) -> AgentOut:
    """Gives the agent a 'think' tool to write down its reasoning between steps (logged in the run)."""
    return _with_tools(agent_in, [THINK])


def _tokens(messages: list[HistoryMessage]) -> int:
    return sum(len(m.model_dump_json()) for m in messages) // CHARS_PER_TOKEN


async def fit_context(ctx: Context, agent: Agent, messages: list[HistoryMessage]) -> list[HistoryMessage]:
    """The messages, shortened to the agent's token budget when infinite context is on."""
    if not agent.infinite_context or _tokens(messages) <= agent.max_context_tokens:
        return messages
    system = [m for m in messages if m.role == "system"]
    turns = [m for m in messages if m.role != "system"]
    if len(turns) < 2:
        return messages  # nothing older than the last message to drop
    keep = len(turns) - 1
    while keep > 1 and _tokens(system + turns[-keep:]) > agent.max_context_tokens // 2:
        keep -= 1
    while keep < len(turns) and turns[-keep].role == "tool":  # a tool answer needs the call before it
        keep += 1
    old, recent = turns[:-keep], turns[-keep:]
    if agent.context_mode == "truncate" or not old:
        ctx.info(f"context: dropped the {len(old)} oldest messages")
        return system + recent
    transcript = "\n".join(f"{m.role}: {m.text()}" for m in old)
    request = History(messages=[HistoryMessage(role="system", content="Summarise this conversation so far in a few "
                                               "sentences, keeping every fact needed to continue it."),
                                HistoryMessage(role="user", content=transcript)])
    summary = (await complete(agent.model, request, warn=ctx.warn)).content()
    ctx.info(f"context: summarised the {len(old)} oldest messages")
    return [*system, HistoryMessage(role="system", content=f"Summary of the earlier conversation: {summary}"),
            *recent]


async def run_agent(ctx: Context, agent: Agent, history: History,
                    on_chunk: OnChunk | None = None) -> tuple[Response, History]:
    """The agent loop: the final response and the whole conversation, tool calls and results included. The
    sessions with the agent's MCP servers are open for the loop and closed when it ends."""
    async with mcp_tools(ctx, agent.mcp_servers) as remote:
        return await _loop(ctx, agent, history, remote, on_chunk)


async def _loop(ctx: Context, agent: Agent, history: History, remote: McpTools,
                on_chunk: OnChunk | None) -> tuple[Response, History]:
    messages = list(history.messages)
    if agent.system_prompt and not any(m.role == "system" for m in messages):
        messages.insert(0, HistoryMessage(role="system", content=agent.system_prompt))
    tools = {tool.name: tool for tool in [*agent.tools, *remote.tools]}
    request = history.model_copy(update={"tools": [t.schema_for_model() for t in tools.values()] or None})
    response = Response()
    for step in range(1, agent.max_iter + 1):
        ctx.check_cancelled()
        messages = await fit_context(ctx, agent, messages)
        response = await complete(agent.model, request.with_messages(messages), on_chunk, ctx.warn)
        messages.append(response.to_message())
        calls = response.tool_calls()
        ctx.info(f"step {step}: " + (f"calls {', '.join(c.function.name for c in calls)}" if calls
                                     else f"answers {response.content()[:200]!r}"))
        if not calls:
            return response, history.with_messages(messages)
        for call in calls:
            result = await _answer(ctx, tools, remote, call.function.name, call.function.arguments)
            ctx.info(f"step {step}: {call.function.name}({call.function.arguments}) -> {result[:200]}")
            messages.append(HistoryMessage(role="tool", tool_call_id=call.id, name=call.function.name,
                                           content=result))
    ctx.warn(f"the agent stopped at its step limit ({agent.max_iter}) without a final answer")
    return response, history.with_messages(messages)


async def _answer(ctx: Context, tools: dict[str, AgentTool], remote: McpTools, name: str, arguments: str) -> str:
    """The tool's result, or its error as text for the model to read."""
    if name not in tools:
        return f"error: there is no tool {name!r}; the tools are {', '.join(tools) or 'none'}"
    try:
        parsed = ToolCall(function=ToolFunction(name=name, arguments=arguments)).parsed_arguments()
        return await (remote.call(name, parsed) if name in remote else call_tool(ctx, tools[name], parsed))
    except Exception as error:  # the model reads the error and may try again
        ctx.warn(f"tool {name} failed: {error}")
        return f"error: {error}"


def _outputs(done: str) -> tuple[Any, ...]:
    return (exec_out("on_stream", "On Stream"), data_out("chunk", DataType.STRUCT,
                                                         schema=ResponseChunk.model_json_schema()),
            exec_out(done, "Done"), data_out("response", DataType.STRUCT, schema=Response.model_json_schema()),
            data_out("history_out", DataType.STRUCT, schema=History.model_json_schema(), friendly_name="History"))


async def _run(ctx: Context, agent: Agent, history: Any, done: str, stream: bool) -> None:
    on_chunk = chunk_streamer(ctx, "on_stream", lambda c: ctx.set_output("chunk", c)) if stream else None
    response, conversation = await run_agent(ctx, agent, as_history(history), on_chunk)
    ctx.set_output("response", response)
    ctx.set_output("history_out", conversation)
    ctx.activate(done)


class AgentInvoke(NodeType):
    name = "agent_invoke"
    friendly_name = "Invoke Agent"
    description = "Runs the agent on the history until it answers (or reaches its step limit); each step is logged."
    pins = (exec_in(), AGENT_IN, history_in(),
            exec_out(), data_out("response", DataType.STRUCT, schema=Response.model_json_schema()),
            data_out("history_out", DataType.STRUCT, schema=History.model_json_schema(), friendly_name="History"))

    async def run(self, ctx: Context, *, agent: Any, history: Any) -> None:
        await _run(ctx, as_agent(agent), history, "exec_out", stream=False)


class AgentStreamInvoke(NodeType):
    name = "agent_stream_invoke"
    friendly_name = "Invoke Agent (Streaming)"
    description = "Like Invoke Agent, streaming every model call's chunks through On Stream."
    pins = (exec_in(), AGENT_IN, history_in(),
            *_outputs("exec_done"))

    async def run(self, ctx: Context, *, agent: Any, history: Any) -> None:
        await _run(ctx, as_agent(agent), history, "exec_done", stream=True)


class SimpleAgent(NodeType):
    name = "simple_agent"
    friendly_name = "Simple Agent"
    description = ("A model and function tools in one node: runs the agent loop on the history, streaming through "
                   "On Stream.")
    pins = (exec_in(), data_in("model", DataType.STRUCT, required=True), history_in(),
            data_in("max_iter", DataType.INTEGER, default=15, options=PinOptions(range=(1, 1000))),
            data_in("infinite_context", DataType.BOOLEAN, default=False),
            data_in("max_context_tokens", DataType.INTEGER, default=32000),
            data_in("context_mode", DataType.STRING, default="truncate",
                    options=PinOptions(valid_values=["truncate", "summarize"])),
            data_in("tools", DataType.STRING, ValueType.ARRAY, default=[],
                    description="Catalog keys of function nodes the agent may call"),
            *_outputs("exec_done"))

    async def run(self, ctx: Context, *, model: Any, history: Any, max_iter: int, infinite_context: bool,
                  max_context_tokens: int, context_mode: str, tools: list[str]) -> None:
        agent = Agent(model=as_model(model), max_iter=max_iter, infinite_context=infinite_context,
                      max_context_tokens=max_context_tokens, context_mode=context_mode,
                      tools=[tool_from_node(key) for key in tools or ()])
        await _run(ctx, agent, history, "exec_done", stream=ctx.is_wired("on_stream"))
