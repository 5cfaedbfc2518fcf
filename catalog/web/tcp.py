"""TCP with asyncio streams: connect to a server, listen for clients, send, receive with a timeout, close."""

from __future__ import annotations

import asyncio
import contextlib
from contextlib import AbstractAsyncContextManager
from typing import Any, NamedTuple

from flowlike_catalog.web.errors import routed
from flowlike_catalog.web.sessions import (
    MessageType,
    Port,
    Session,
    SessionIn,
    config_of,
    deadline_after,
    held,
    payload_bytes,
    received,
    resource,
    session_out,
)
from pydantic import BaseModel, ConfigDict

from flowlike_core import Context, DataType, NodeType, data_in, exec_in, exec_out, node
from flowlike_core.wording import counted

CATEGORY = "Web/TCP"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)


class TcpConfig(BaseModel):
    model_config = ConfigDict(frozen=True)
    host: str
    port: Port
    timeout_seconds: float = 30.0
    """For connecting."""


class TcpListenConfig(BaseModel):
    model_config = ConfigDict(frozen=True)
    host: str = "127.0.0.1"
    port: Port
    timeout_seconds: float = 0.0
    """Stop listening after this long (0: until max_connections)."""
    max_connections: int = 0
    """Stop listening after this many clients were served (0: no limit)."""


class Stream:
    """Both halves of a TCP connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def close(self) -> None:
        if not self.writer.is_closing():
            self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):  # the peer reset it first: closed all the same
            await self.writer.wait_closed()


def address(pair: Any) -> str:
    return f"{pair[0]}:{pair[1]}" if pair else ""


def holding(ctx: Context, stream: Stream) -> AbstractAsyncContextManager[Session]:
    """The stream's session while the node's branch runs; the stream is closed after it."""
    return held(ctx, "tcp", stream, stream.close, remote_addr=address(stream.writer.get_extra_info("peername")),
                local_addr=address(stream.writer.get_extra_info("sockname")))


class TcpConnect(NodeType):
    name = "tcp_connect"
    friendly_name = "TCP Connect"
    description = ("Connects to a TCP server and fires On Connect (send and receive there); then closes and fires "
                   "On Close.")
    pins = (exec_in(),
            data_in("config", DataType.STRUCT, schema=TcpConfig.model_json_schema(), required=True,
                    description="{'host': ..., 'port': ..., 'timeout_seconds': 30}"),
            exec_out("on_connect", "On Connect"), session_out(), exec_out("on_close", "On Close"),
            exec_out("exec_error", "Error", "The connection could not be made"))

    async def run(self, ctx: Context, *, config: Any) -> None:
        config = config_of(config, TcpConfig, "TCP")
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(config.host, config.port),
                                                    config.timeout_seconds or None)
        except (TimeoutError, OSError) as exc:
            where = f"{config.host}:{config.port}"
            routed(ctx, "exec_error", ConnectionError(f"cannot connect to {where}: {exc or 'timed out'}"))
            return
        async with holding(ctx, Stream(reader, writer)):
            await ctx.fire("on_connect")
        ctx.activate("on_close")


class TcpListen(NodeType):
    name = "tcp_listen"
    friendly_name = "TCP Listen"
    description = ("Listens for TCP clients: fires On Listening, then On Connection per client, one at a time "
                   "(each closed after its branch), until the config's limits; then On Close.")
    pins = (exec_in(),
            data_in("config", DataType.STRUCT, schema=TcpListenConfig.model_json_schema(), required=True,
                    description="{'host': '127.0.0.1', 'port': ..., 'timeout_seconds': 0, 'max_connections': 0}"),
            exec_out("on_listening", "On Listening"),
            exec_out("on_connection", "On Connection", "Fires per client, with its session"), session_out(),
            exec_out("on_close", "On Close"), exec_out("exec_error", "Error", "Could not listen on the address"))

    async def run(self, ctx: Context, *, config: Any) -> None:
        config = config_of(config, TcpListenConfig, "TCP listen")
        clients: asyncio.Queue[Stream] = asyncio.Queue()

        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await clients.put(Stream(reader, writer))

        try:
            server = await asyncio.start_server(accept, config.host, config.port)
        except OSError as exc:
            routed(ctx, "exec_error", ConnectionError(f"cannot listen on {config.host}:{config.port}: {exc}"))
            return
        deadline, served = deadline_after(config.timeout_seconds), 0
        try:
            await ctx.fire("on_listening")
            async for stream in received(clients.get, deadline, config.max_connections):
                served += 1
                async with holding(ctx, stream):
                    await ctx.fire("on_connection")
        finally:
            server.close()
            while not clients.empty():
                await clients.get_nowait().close()
            await server.wait_closed()
        ctx.info(f"served {counted(served, 'TCP client')} on {config.host}:{config.port}")
        ctx.activate("on_close")


@node(friendly_name="TCP Send", exec_pins=True)
async def tcp_send(ctx: Context, session: SessionIn, message_type: MessageType = "Text", payload: str = "") -> None:
    """Writes the payload: Text as UTF-8, Binary from base64."""
    stream = resource(ctx, "tcp", session)
    stream.writer.write(payload_bytes(message_type, payload))
    await stream.writer.drain()


class Received(NamedTuple):
    received: bool
    data: str


@node(friendly_name="TCP Receive", exec_pins=True)
async def tcp_receive(ctx: Context, session: SessionIn, delimiter: str = "\n", max_bytes: int = 65536,
                      timeout_seconds: float = 10.0) -> Received:
    """Reads up to and including the delimiter (a newline by default), or whatever arrives up to max_bytes when
    the delimiter is empty. Received is false after the timeout or at the end of the stream; the data is UTF-8
    text."""
    reader = resource(ctx, "tcp", session).reader
    read = reader.readuntil(delimiter.encode()) if delimiter else reader.read(max_bytes)
    try:
        data = await asyncio.wait_for(read, timeout_seconds or None)
    except asyncio.IncompleteReadError as exc:
        data = exc.partial
    except TimeoutError:
        data = b""
    return Received(bool(data), data.decode("utf-8", "replace"))


@node(friendly_name="TCP Close", exec_pins=True)
async def tcp_close(ctx: Context, session: SessionIn) -> None:
    """Closes the connection."""
    await resource(ctx, "tcp", session).close()
