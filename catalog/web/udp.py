"""UDP with asyncio datagram endpoints: bind, send to an address, receive with limits, close."""

from __future__ import annotations

import asyncio
import socket
from typing import Annotated, Any

from flowlike_catalog.web.errors import routed
from flowlike_catalog.web.sessions import (
    Port,
    SessionIn,
    config_of,
    deadline_after,
    forget,
    limits,
    open_session,
    received,
    resource,
    session_in,
    session_out,
)
from pydantic import BaseModel, ConfigDict

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Web/UDP"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)


class UdpConfig(BaseModel):
    model_config = ConfigDict(frozen=True)
    host: str = "127.0.0.1"
    port: Port = 0
    """0 lets the system pick a free port (see the session's local_addr)."""


class Endpoint(asyncio.DatagramProtocol):
    """A bound socket and the datagrams that arrived and were not read yet."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.inbox: asyncio.Queue[tuple[bytes, tuple[str, int]] | None] = asyncio.Queue()
        self.failure: OSError | None = None
        """Why the last datagram could not be sent (asyncio hands the socket's error here, not to the sender)."""

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.inbox.put_nowait((data, addr))

    def error_received(self, exc: OSError) -> None:
        self.failure = exc

    def connection_lost(self, exc: Exception | None) -> None:
        self.inbox.put_nowait(None)  # wakes a waiting receive: the socket is closed

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()


class UdpBind(NodeType):
    name = "udp_bind"
    friendly_name = "UDP Bind"
    description = "Opens a UDP socket on a local address, for sending and receiving datagrams."
    pins = (exec_in(),
            data_in("config", DataType.STRUCT, schema=UdpConfig.model_json_schema(), required=True,
                    description="{'host': '127.0.0.1', 'port': 0}"),
            exec_out(), session_out(), exec_out("exec_error", "Error", "The address could not be bound"))

    async def run(self, ctx: Context, *, config: Any) -> None:
        config = config_of(config, UdpConfig, "UDP")
        loop = asyncio.get_running_loop()
        try:
            transport, endpoint = await loop.create_datagram_endpoint(Endpoint, local_addr=(config.host, config.port))
        except OSError as exc:
            routed(ctx, "exec_error", ConnectionError(f"cannot bind UDP {config.host}:{config.port}: {exc}"))
            return
        ctx.close_at_end(endpoint.close)
        host, port = transport.get_extra_info("sockname")[:2]
        ctx.set_output("session", open_session(ctx, "udp", endpoint, local_addr=f"{host}:{port}"))
        ctx.activate("exec_out")


@node(friendly_name="UDP Send To", exec_pins=True)
async def udp_send_to(ctx: Context, session: SessionIn, target_host: str,
                      target_port: Annotated[int, Pin(range=(1, 65535))], payload: str = "") -> Annotated[
        int, Pin(name="bytes_sent")]:
    """Sends one datagram with the payload as UTF-8."""
    if not 1 <= target_port <= 65535:
        raise ValueError(f"target_port must be 1..65535, got {target_port}")
    if not target_host:
        raise ValueError("target_host is empty: give the host or address to send to")
    endpoint = resource(ctx, "udp", session)
    if endpoint.transport.is_closing():
        raise ConnectionError("the UDP session is closed")
    data = payload.encode("utf-8")
    family = endpoint.transport.get_extra_info("socket").family
    try:  # resolved here: the socket's own lookup would block the loop, and its failure reached no one
        found = await asyncio.get_running_loop().getaddrinfo(target_host, target_port, family=family,
                                                             type=socket.SOCK_DGRAM)
    except OSError as exc:
        raise ConnectionError(f"cannot send UDP to {target_host}:{target_port}: {exc}") from None
    endpoint.failure = None
    endpoint.transport.sendto(data, found[0][4])
    if endpoint.failure is not None:
        raise ConnectionError(f"cannot send UDP to {target_host}:{target_port}: {endpoint.failure}")
    return len(data)


class UdpReceive(NodeType):
    name = "udp_receive"
    friendly_name = "UDP Receive"
    description = ("Fires On Listening (send from there), then On Message per datagram until the limits or until "
                   "the session is closed; then On Close.")
    pins = (exec_in(), session_in(), *limits(),
            exec_out("on_listening", "On Listening"),
            exec_out("on_message", "On Message", "Fires per datagram"),
            data_out("payload", DataType.STRING, description="The datagram as UTF-8 text"),
            data_out("sender_host", DataType.STRING), data_out("sender_port", DataType.INTEGER),
            exec_out("on_close", "On Close"))

    async def run(self, ctx: Context, *, session: Any, timeout_seconds: float, max_messages: int) -> None:
        endpoint, deadline = resource(ctx, "udp", session), deadline_after(timeout_seconds)
        await ctx.fire("on_listening")
        async for data, sender in received(endpoint.inbox.get, deadline, max_messages):
            host, port = sender[:2]
            ctx.set_output("payload", data.decode("utf-8", "replace"))
            ctx.set_output("sender_host", host)
            ctx.set_output("sender_port", port)
            await ctx.fire("on_message")
        ctx.activate("on_close")


@node(friendly_name="UDP Close", exec_pins=True)
def udp_close(ctx: Context, session: SessionIn) -> None:
    """Closes the UDP socket."""
    resource(ctx, "udp", session).close()
    forget(ctx, session)
