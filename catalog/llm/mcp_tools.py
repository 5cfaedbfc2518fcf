"""Agent tools served by MCP servers (Model Context Protocol), through the protocol's official Python SDK.

A server is named by one URI, as Flow-Like's 'Register MCP Tools' takes it: an http(s) URL speaks Streamable
HTTP, or the older HTTP+SSE transport when the server refuses that (the fallback the protocol advises clients),
and 'stdio:COMMAND ARGS...' starts the command and speaks over its stdin and stdout. An agent run opens one
session per server and lists its tools (tools/list); the model's calls of them go to that session (tools/call);
every session closes when the run ends, however it ends, and a stdio server's process ends with its session.
The run's policy decides whether an agent may start a server (processes) or reach one (network), wherever the
agent comes from. The SDK is imported only when an agent has servers.
"""

from __future__ import annotations

import shlex
import tempfile
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pydantic_core
from flowlike_catalog.llm.structs import AgentTool, McpServer
from flowlike_catalog.llm.tools import tool_name

from flowlike_core import Context
from flowlike_core.policy import Capability, CapabilityRefused, how_to_allow
from flowlike_core.policy import active as active_policy

if TYPE_CHECKING:
    from mcp import Client
    from mcp_types import CallToolResult

STDIO = "stdio:"
STDERR_TAIL = 2000
"""How much of a stdio server's last error output an error message quotes."""
MAX_PAGES = 100
"""Pages of tools/list read at most: a server whose listing never ends cannot hang the run."""


def transport(uri: str) -> str:
    """'stdio' or 'http': how to reach the server a URI names, or a clear error for what names none."""
    if uri.startswith(STDIO):
        if not shlex.split(uri[len(STDIO):]):
            raise ValueError(f"MCP server {uri!r}: no command after 'stdio:'")
        return "stdio"
    parts = urlsplit(uri)
    if parts.scheme in ("http", "https") and parts.netloc:
        return "http"
    raise ValueError(f"MCP server URI {uri!r}: use an http(s):// URL (Streamable HTTP or SSE) or "
                     "'stdio:COMMAND ARGS...' (a server started as a process)")


class McpSession:
    """One open session with one server: its tools as the model sees them, and calls of them."""

    def __init__(self, server: McpServer, client: Client, stderr: IO[str] | None) -> None:
        self.server = server
        self.client = client
        self.stderr = stderr
        self.names: dict[str, str] = {}
        """The server's name of each tool, by the name the model calls it (letters, digits, '_' and '-')."""

    def failure(self, doing: str, error: BaseException) -> RuntimeError:
        return failure(self.server, self.stderr, doing, error)

    async def list_tools(self) -> list[AgentTool]:
        """The server's tools (every page of tools/list), kept to the server's tool filter."""
        listed, cursor = [], None
        for _ in range(MAX_PAGES):
            try:
                page = await self.client.list_tools(cursor=cursor)
            except Exception as error:
                raise self.failure("listing its tools", error) from error
            listed += page.tools
            cursor = page.next_cursor
            if cursor is None:
                break
        else:
            raise RuntimeError(f"MCP server {self.server.uri!r}: its tool list goes on past {MAX_PAGES} pages")
        wanted = self.server.tool_filter
        if wanted is not None:
            unknown = sorted(set(wanted) - {tool.name for tool in listed})
            if unknown:
                raise RuntimeError(f"MCP server {self.server.uri!r} has no tool {', '.join(map(repr, unknown))}; "
                                   f"it lists {', '.join(tool.name for tool in listed) or 'none'}")
            listed = [tool for tool in listed if tool.name in wanted]
        tools = []
        for tool in listed:
            name = tool_name(tool.name)
            self.names[name] = tool.name
            tools.append(AgentTool(name=name, description=tool.description or tool.title or tool.name,
                                   parameters=tool.input_schema))
        return tools

    async def call(self, name: str, arguments: dict[str, Any]) -> str:
        """The tool's answer as text; its error (or a lost connection, or no answer in time) raised, named."""
        remote = self.names[name]
        try:
            result = await self.client.call_tool(remote, arguments)
        except Exception as error:
            raise self.failure(f"tool {remote!r}", error) from error
        text = result_text(result)
        if result.is_error:
            raise RuntimeError(f"MCP server {self.server.uri!r}: tool {remote!r} failed: {text}")
        return text


class McpTools:
    """The tools of an agent's MCP servers while their sessions are open."""

    def __init__(self) -> None:
        self.tools: list[AgentTool] = []
        self._sessions: dict[str, McpSession] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._sessions

    def add(self, ctx: Context, session: McpSession, tools: list[AgentTool]) -> None:
        for tool in tools:
            if tool.name in self._sessions:
                ctx.warn(f"MCP tool {tool.name!r} of {session.server.uri!r} replaces the one of "
                         f"{self._sessions[tool.name].server.uri!r}")
                self.tools = [t for t in self.tools if t.name != tool.name]
            self._sessions[tool.name] = session
            self.tools.append(tool)

    async def call(self, name: str, arguments: dict[str, Any]) -> str:
        return await self._sessions[name].call(name, arguments)


@asynccontextmanager
async def mcp_tools(ctx: Context, servers: list[McpServer]) -> AsyncIterator[McpTools]:
    """Sessions with the servers for one agent run, closed when it leaves (newest first, in the task that opened
    them, as the SDK needs); a failure inside is raised as it is, not wrapped in the SDK's exception groups."""
    toolbox, opened = McpTools(), []
    with ExitStack() as files:
        try:
            for server in servers:
                session = await _open(server, files)
                opened.append(session)
                tools = await session.list_tools()
                ctx.info(f"MCP server {server.uri}: tools {', '.join(t.name for t in tools) or 'none'}")
                toolbox.add(ctx, session, tools)
            yield toolbox
        finally:
            for session in reversed(opened):
                try:
                    await session.client.__aexit__(None, None, None)
                except Exception as error:  # the run's outcome stands: a session that closes badly is a warning
                    ctx.warn(f"closing MCP server {session.server.uri!r} failed: "
                             f"{describe(error, session.server.timeout)}")


async def _open(server: McpServer, files: ExitStack) -> McpSession:
    """A connected, initialised session with the server (a stdio server's error output goes to a file of `files`)."""
    try:
        from mcp import Client
        from mcp.client.sse import sse_client
        from mcp.client.stdio import StdioServerParameters, stdio_client
    except ImportError:
        raise ImportError("MCP tools need the MCP SDK: pip install 'flowlike-nb[llm]'") from None

    how = transport(server.uri)
    need = Capability.PROCESSES if how == "stdio" else Capability.NETWORK
    policy = active_policy.get()
    if policy is not None and need not in policy.allow:
        raise CapabilityRefused(f"MCP server {server.uri!r} needs {need.value}, which this run does not allow "
                                f"({how_to_allow([need])})")
    stderr = None
    if how == "stdio":
        command, *args = shlex.split(server.uri[len(STDIO):])
        error_output = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115 - kept open
        stderr = files.enter_context(error_output)  # for the life of the session
        targets: list[Any] = [stdio_client(StdioServerParameters(command=command, args=args), errlog=stderr)]
    else:  # Streamable HTTP first, then the older HTTP+SSE transport
        targets = [server.uri, sse_client(server.uri, timeout=server.timeout)]
    errors = []
    for target in targets:
        client = Client(target, read_timeout_seconds=server.timeout)
        try:
            await client.__aenter__()
        except Exception as error:
            errors.append(error)
            continue
        return McpSession(server, client, stderr)
    raise failure(server, stderr, "connecting", ExceptionGroup("connecting", errors)) from errors[0]


def failure(server: McpServer, stderr: IO[str] | None, doing: str, error: BaseException) -> RuntimeError:
    """An error that names the server and what failed, with the stdio server's last error output."""
    message = f"MCP server {server.uri!r}: {doing} failed: {describe(error, server.timeout)}"
    said = ""
    if stderr is not None:
        stderr.seek(0)
        said = stderr.read()[-STDERR_TAIL:].strip()
    return RuntimeError(f"{message} (the server's error output ends: {said})" if said else message)


def describe(error: BaseException, timeout: float) -> str:
    """What went wrong, in words: the SDK's exception groups opened, its timeout and closed-connection errors
    said plainly, a command that does not exist named."""
    from mcp.shared.exceptions import MCPError
    from mcp_types import CONNECTION_CLOSED, REQUEST_TIMEOUT

    leaves = []
    todo = [error]
    while todo:
        current = todo.pop(0)
        if isinstance(current, BaseExceptionGroup):
            todo[:0] = current.exceptions
        elif isinstance(current, MCPError) and current.code == REQUEST_TIMEOUT:
            leaves.append(f"no answer within {timeout:g} s")
        elif isinstance(current, MCPError) and current.code == CONNECTION_CLOSED:
            leaves.append("the server closed the connection")
        elif isinstance(current, FileNotFoundError):
            leaves.append(f"no such command ({current.strerror})")
        else:
            leaves.append(str(current) or type(current).__name__)
    return "; ".join(dict.fromkeys(leaves))


def result_text(result: CallToolResult) -> str:
    """A tool's answer for the model: its text blocks, other blocks as JSON, or its structured content."""
    parts = [block.text if block.type == "text" else block.model_dump_json(by_alias=True, exclude_none=True)
             for block in result.content]
    if not parts and result.structured_content is not None:
        return pydantic_core.to_json(result.structured_content).decode()
    return "\n".join(parts)
