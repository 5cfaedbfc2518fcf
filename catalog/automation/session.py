"""Flow-Like's unified automation session: one handle that browser, desktop and RPA nodes pass along.

The pins carry a small `AutomationSession` struct; what it names lives in the run's cache as a `LiveSession`,
whose parts (the browser, and whatever else a node attaches under a name) are closed when the session stops or the
run ends, however it ends.
"""

from __future__ import annotations

import platform
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from flowlike_core import Context, DataType, Pin, PinSpec, data_in, data_out, node

CATEGORY = "Automation"
CAPABILITIES = ()  # a session itself reaches nothing; the parts attached to it say what they reach
KIND = "automation-session"


class AutomationSession(BaseModel):
    """Names a live automation session of the run and says what it has open (Flow-Like's fields)."""

    model_config = ConfigDict(frozen=True)
    session_ref: str
    platform: Literal["Windows", "MacOS", "Linux"]
    default_delay_ms: int = 50
    click_delay_ms: int = 10
    debug_mode: bool = False
    browser_type: str | None = None
    browser_headless: bool | None = None
    browser_user_data_dir: str | None = None
    current_page_ref: str | None = None
    """The browser page (tab) the browser nodes act on: New Page hands on a session naming its new page."""
    current_window_handle: str | None = None


SESSION_SCHEMA = AutomationSession.model_json_schema()
SessionIn = Annotated[AutomationSession, Pin(description="The automation session, from Start Automation Session")]
SessionOut = Annotated[AutomationSession, Pin("Session", name="session_out",
                                              description="The session, for the next step")]


def session_in() -> PinSpec:
    """The session input of a class node (`SessionIn` is the same pin for a function node)."""
    return data_in("session", DataType.STRUCT, schema=SESSION_SCHEMA, required=True,
                   description="The automation session, from Start Automation Session")


def session_out() -> PinSpec:
    return data_out("session_out", DataType.STRUCT, schema=SESSION_SCHEMA, friendly_name="Session",
                    description="The session, for the next step")


class Part(Protocol):
    """Something a session holds open (a browser): closed with the session."""

    async def close(self) -> None: ...


@dataclass
class LiveSession:
    """What the run keeps for a session: its open parts by name ("browser", ...)."""

    parts: dict[str, Part] = field(default_factory=dict)

    async def close(self) -> None:
        """Close every part, the newest first; all are closed even when one fails (the first failure is raised)."""
        failure: BaseException | None = None
        while self.parts:
            _, part = self.parts.popitem()
            try:
                await part.close()
            except Exception as exc:  # noqa: BLE001 - close the rest first, then report
                failure = failure or exc
        if failure is not None:
            raise failure


def live_session(ctx: Context, session: Any) -> LiveSession:
    """The live session a handle names, with a clear error when this run has none."""
    ref = AutomationSession.model_validate(session).session_ref if session is not None else ""
    found = ctx.cache.get((KIND, ref))
    if found is None:
        raise LookupError(f"no automation session {ref!r} in this run: start one with Start Automation Session "
                          f"(sessions live for one run)" if ref else "no automation session given: wire one from "
                          "Start Automation Session")
    return found


def current_platform() -> Literal["Windows", "MacOS", "Linux"]:
    system = platform.system()
    return "Windows" if system == "Windows" else "MacOS" if system == "Darwin" else "Linux"


@node(friendly_name="Start Automation Session", exec_pins=True)
def automation_start_session(
    ctx: Context,
    default_delay_ms: Annotated[int, Pin("Default Delay (ms)", description="Delay between actions")] = 50,
    click_delay_ms: Annotated[int, Pin("Click Delay (ms)", description="Delay between moving and clicking")] = 10,
    debug_mode: Annotated[bool, Pin(description="Log every automation step")] = False,
) -> Annotated[AutomationSession, Pin(name="session", description="The session every automation node takes")]:
    """Starts an automation session for browser, desktop and RPA nodes; it is stopped when the run ends."""
    if default_delay_ms < 0 or click_delay_ms < 0:
        raise ValueError(f"delays must not be negative, got {default_delay_ms} and {click_delay_ms} ms")
    live = LiveSession()
    session = AutomationSession(session_ref=uuid.uuid4().hex, platform=current_platform(),
                                default_delay_ms=default_delay_ms, click_delay_ms=click_delay_ms, debug_mode=debug_mode)
    ctx.cache[(KIND, session.session_ref)] = live
    ctx.close_at_end(live.close)
    return session


@node(friendly_name="Stop Automation Session", exec_pins=True)
async def automation_stop_session(ctx: Context, session: SessionIn) -> None:
    """Stops the session: closes its browser and everything else it holds."""
    live = live_session(ctx, session)
    ctx.cache.pop((KIND, session.session_ref), None)
    await live.close()


def routed(ctx: Context, pin: str, exc: Exception) -> None:
    """Fire the node's own error output `pin` with `exc` logged when it is wired; else fail the node with it."""
    if not ctx.is_wired(pin):
        raise exc
    ctx.error(str(exc))
    ctx.activate(pin)
