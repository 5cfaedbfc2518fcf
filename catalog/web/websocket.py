"""WebSocket clients (the `websockets` library): connect, send, receive with a timeout, close."""

from __future__ import annotations

import asyncio
import base64
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.errors import routed
from flowlike_catalog.web.sessions import (
    MessageType,
    SessionIn,
    config_of,
    deadline_after,
    held,
    limits,
    payload_bytes,
    received,
    resource,
    session_out,
)
from pydantic import BaseModel, ConfigDict, Field

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Web/WebSocket"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)


class WebSocketConfig(BaseModel):
    model_config = ConfigDict(frozen=True)
    url: str
    headers: dict[str, str] = Field(default_factory=dict)
    timeout_seconds: float = 30.0
    """For the opening handshake."""


MESSAGE = "Text, or base64 for a binary message"


def message_outputs() -> tuple[Any, ...]:
    return data_out("message", DataType.STRING, description=MESSAGE), data_out("is_binary", DataType.BOOLEAN)


def as_text(message: str | bytes) -> tuple[str, bool]:
    if isinstance(message, bytes):
        return base64.b64encode(message).decode("ascii"), True
    return message, False


class WebSocketConnect(NodeType):
    name = "websocket_connect"
    friendly_name = "WebSocket Connect"
    description = ("Opens a WebSocket and fires On Connect (send and receive there); then, if On Message is wired, "
                   "fires it per received message until the limits; then closes and fires On Close.")
    pins = (exec_in(),
            data_in("config", DataType.STRUCT, schema=WebSocketConfig.model_json_schema(), required=True,
                    description="{'url': 'ws://...', 'headers': {...}, 'timeout_seconds': 30}"),
            *limits(),
            exec_out("on_connect", "On Connect"), session_out(),
            exec_out("on_message", "On Message", "Fires per message received after On Connect's branch"),
            *message_outputs(),
            exec_out("on_close", "On Close"), exec_out("exec_error", "Error", "The connection could not be opened"))

    async def run(self, ctx: Context, *, config: Any, timeout_seconds: float, max_messages: int) -> None:
        from websockets.asyncio.client import connect

        config = config_of(config, WebSocketConfig, "WebSocket")
        try:
            socket = await connect(config.url, additional_headers=config.headers or None,
                                   open_timeout=config.timeout_seconds)
        except Exception as exc:  # OSError, timeouts, and websockets' handshake errors (InvalidStatus, InvalidURI)
            routed(ctx, "exec_error", ConnectionError(f"cannot open WebSocket {config.url}: {exc}"))
            return
        async with held(ctx, "websocket", socket, socket.close, remote_addr=config.url):
            await ctx.fire("on_connect")
            if ctx.is_wired("on_message"):
                await self.receive_all(ctx, socket, timeout_seconds, max_messages)
        ctx.activate("on_close")

    @staticmethod
    async def receive_all(ctx: Context, socket: Any, timeout_seconds: float, max_messages: int) -> None:
        from websockets.exceptions import ConnectionClosed

        async for message in received(socket.recv, deadline_after(timeout_seconds), max_messages, (ConnectionClosed,)):
            text, binary = as_text(message)
            ctx.set_output("message", text)
            ctx.set_output("is_binary", binary)
            await ctx.fire("on_message")


@node(friendly_name="WebSocket Send", exec_pins=True)
async def websocket_send(ctx: Context, session: SessionIn, message_type: MessageType = "Text",
                         payload: str = "") -> None:
    """Sends one message: Text as is, Binary from base64."""
    data = payload_bytes(message_type, payload)
    socket = resource(ctx, "websocket", session)
    await socket.send(data.decode("utf-8") if message_type == "Text" else data)


class Received(NamedTuple):
    received: bool
    message: Annotated[str, Pin(description=MESSAGE)]
    is_binary: bool


@node(friendly_name="WebSocket Receive", exec_pins=True)
async def websocket_receive(ctx: Context, session: SessionIn, timeout_seconds: float = 10.0) -> Received:
    """Waits for the next message; Received is false after the timeout or when the socket closed."""
    from websockets.exceptions import ConnectionClosed

    socket = resource(ctx, "websocket", session)
    try:
        return Received(True, *as_text(await asyncio.wait_for(socket.recv(), timeout_seconds or None)))
    except (TimeoutError, ConnectionClosed):
        return Received(False, "", False)


@node(friendly_name="WebSocket Close", exec_pins=True)
async def websocket_close(ctx: Context, session: SessionIn) -> None:
    """Closes the WebSocket (its Connect node then fires On Close)."""
    await resource(ctx, "websocket", session).close()
