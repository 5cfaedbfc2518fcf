"""Live connections (sockets, brokers) of a run: kept in `ctx.cache`, named on pins by a small session struct.

Connect and listen nodes hold their connection while their branches run, like a loop holds its body:
they fire their start pin (on_connect, on_listening, on_subscribed), then one pin per received message or
connection, and close when the peer closes, the timeout passes, the message limit is reached or a Close
node closed the session; then on_close fires.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from flowlike_core import Context, DataType, Pin, PinSpec, data_in, data_out

PAYLOAD_TYPES = ("Text", "Binary")
Port = Annotated[int, Field(ge=0, le=65535)]
"""A TCP or UDP port number in a config struct (0: any free port, where binding)."""
class Session(BaseModel):
    """Names an open connection of the run."""

    model_config = ConfigDict(frozen=True)
    ref_id: str
    remote_addr: str = ""
    local_addr: str = ""


SESSION_SCHEMA = Session.model_json_schema()
SESSION_IN = "The session, from the Connect (or Bind) node"
SessionIn = Annotated[Session, Pin(description=SESSION_IN)]
"""The session input of a function node (`session_in()` is the same pin for a class node)."""
MessageType = Annotated[str, Pin(valid_values=PAYLOAD_TYPES)]
"""How a payload pin's text is sent: Text as UTF-8, Binary from base64 (see `payload_bytes`)."""


def session_in() -> PinSpec:
    return data_in("session", DataType.STRUCT, schema=SESSION_SCHEMA, required=True, description=SESSION_IN)


def session_out(description: str = "") -> PinSpec:
    return data_out("session", DataType.STRUCT, schema=SESSION_SCHEMA, description=description)


def limits() -> tuple[PinSpec, ...]:
    return (data_in("timeout_seconds", DataType.INTEGER, default=0, friendly_name="Timeout (s)",
                    description="Stop receiving after this long (0: until closed)"),
            data_in("max_messages", DataType.INTEGER, default=0,
                    description="Stop after this many messages (0: no limit)"))


def open_session(ctx: Context, kind: str, resource: Any, remote_addr: str = "", local_addr: str = "") -> Session:
    session = Session(ref_id=f"{kind}-{uuid.uuid4().hex}", remote_addr=remote_addr, local_addr=local_addr)
    ctx.cache[session.ref_id] = resource
    return session


@contextlib.asynccontextmanager
async def held(ctx: Context, kind: str, connection: Any, close: Callable[[], Awaitable[Any]], remote_addr: str = "",
               local_addr: str = "") -> AsyncIterator[Session]:
    """A session on the `session` output while the body runs (the branches the node fires), then `close()`d and
    forgotten, however the branches ended."""
    session = open_session(ctx, kind, connection, remote_addr, local_addr)
    try:
        ctx.set_output("session", session)
        yield session
    finally:
        await close()
        forget(ctx, session)


def resource(ctx: Context, kind: str, session: Any) -> Any:
    """The live object a session names, with a clear error when this run has none."""
    ref_id = session.ref_id if isinstance(session, Session) else (session or {}).get("ref_id", "")
    found = ctx.cache.get(ref_id) if ref_id.startswith(f"{kind}-") else None
    if found is None:
        raise LookupError(f"no open {kind} session {ref_id!r} in this run: connect first (sessions live for one run)")
    return found


def forget(ctx: Context, session: Any) -> None:
    ref_id = session.ref_id if isinstance(session, Session) else (session or {}).get("ref_id", "")
    ctx.cache.pop(ref_id, None)


def deadline_after(timeout_seconds: float) -> float | None:
    """The `time.monotonic()` at which a wait of `timeout_seconds` ends (None: 0 waits without a limit)."""
    return time.monotonic() + timeout_seconds if timeout_seconds > 0 else None


async def received(next_item: Callable[[], Awaitable[Any]], deadline: float | None, max_items: int,
                   closed: tuple[type[BaseException], ...] = ()) -> AsyncIterator[Any]:
    """What `next_item()` gives, one at a time, until `max_items` were given (0: no limit), the `deadline`
    (see `deadline_after`) passed, or the connection ended: `next_item()` gave None or raised one of `closed`."""
    given = 0
    while not max_items or given < max_items:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return
        try:
            item = await asyncio.wait_for(next_item(), left)
        except (TimeoutError, *closed):
            return
        if item is None:
            return
        given += 1
        yield item


def payload_bytes(message_type: str, payload: str) -> bytes:
    """Text is sent as UTF-8; Binary payloads are written as base64 on the pin."""
    if message_type == "Text":
        return payload.encode("utf-8")
    if message_type == "Binary":
        try:
            return base64.b64decode(payload, validate=True)
        except ValueError:
            raise ValueError("a Binary payload must be base64 text") from None
    raise ValueError(f"message_type must be Text or Binary, got {message_type!r}")


def config_of(value: Any, model: type[BaseModel], what: str) -> Any:
    """The `config` input as its model; a one-line error naming the input and each wrong field."""
    from pydantic import ValidationError

    if isinstance(value, model):
        return value
    if not isinstance(value, dict) or not value:
        raise TypeError(f"input 'config' needs a {what} config struct, got {value!r}")
    unknown = [f"field {name!r}: Extra inputs are not permitted" for name in value if name not in model.model_fields]
    if unknown:  # ignored, a typo left a setting at its default ("tls": true connected in plain text)
        raise ValueError(f"input 'config' is not a valid {what} config: {'; '.join(unknown)} (its fields: "
                         f"{', '.join(model.model_fields)})")
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(f"field {'.'.join(map(str, error['loc']))!r}: {error['msg']}" for error in exc.errors())
        raise ValueError(f"input 'config' is not a valid {what} config: {problems}") from None
