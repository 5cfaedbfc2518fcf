"""What the browser reports while it works: console messages (and uncaught page errors) from the moment it opened,
the network requests seen since Start Network Observer, and when the network has gone quiet.

Playwright hears these from the browser itself, so nothing is injected into pages and nothing is lost when a
page navigates.
"""

from __future__ import annotations

import time
from typing import Annotated, NamedTuple

from flowlike_catalog.automation.browser import ConsoleMessage, NetworkRequest, browser_of
from flowlike_catalog.automation.session import AutomationSession, SessionIn, SessionOut, session_in, session_out

from flowlike_core import Context, DataType, NodeType, Pin, data_in, exec_in, exec_out, node

CATEGORY = "Automation/Browser/Observe"
CAPABILITIES = ("network", "files")  # drives the session's browser (its profile, downloads and screenshots are files)
LEVELS = ("", "log", "info", "warn", "error", "debug")
POLL_SECONDS = 0.025


class ConsoleLogs(NamedTuple):
    session_out: SessionOut
    logs: list[ConsoleMessage]
    count: int
    has_errors: Annotated[bool, Pin(description="Whether an error is among the messages")]


@node(friendly_name="Get Console Logs", exec_pins=True)
async def browser_get_console_logs(
    ctx: Context, session: SessionIn,
    level_filter: Annotated[str, Pin(valid_values=LEVELS, description="Only this level; empty: all")] = "",
) -> ConsoleLogs:
    """The console messages of the browser's pages since it opened (or since Clear Console Logs), oldest first;
    uncaught page errors come as errors."""
    if level_filter not in LEVELS:
        raise ValueError(f"level filter must be one of {', '.join(LEVELS[1:])} or empty, got {level_filter!r}")
    live = browser_of(ctx, session)
    logs = [entry.model_copy() for entry in live.console if not level_filter or entry.level == level_filter]
    return ConsoleLogs(session, logs, len(logs), any(entry.level == "error" for entry in logs))


@node(friendly_name="Clear Console Logs", exec_pins=True)
def browser_clear_console_logs(ctx: Context, session: SessionIn) -> SessionOut:
    """Forgets the console messages so far."""
    browser_of(ctx, session).console.clear()
    return session


@node(friendly_name="Start Network Observer", exec_pins=True)
def browser_start_network_observer(
    ctx: Context, session: SessionIn,
    url_pattern: Annotated[str, Pin(description="Only requests whose URL contains this; empty: all")] = "",
) -> SessionOut:
    """Starts recording the browser's network requests (again from none, when it was recording already)."""
    live = browser_of(ctx, session)
    live.observed, live.url_pattern = {}, url_pattern
    return session


class NetworkRequests(NamedTuple):
    session_out: SessionOut
    requests: list[NetworkRequest]
    count: int


@node(friendly_name="Get Network Requests", exec_pins=True)
async def browser_get_network_requests(
    ctx: Context, session: SessionIn,
    clear_after: Annotated[bool, Pin(description="Start again from none after reading")] = False,
) -> NetworkRequests:
    """The requests recorded since Start Network Observer, in the order they were sent, with status, headers,
    duration and size once they ended (none before the observer started)."""
    live = browser_of(ctx, session)
    await live.settled()
    requests = [entry.model_copy() for entry in (live.observed or {}).values()]
    if clear_after and live.observed is not None:
        live.observed = {}
    return NetworkRequests(session, requests, len(requests))


class WaitForNetworkIdle(NodeType):
    name = "browser_wait_for_network_idle"
    friendly_name = "Wait For Network Idle"
    description = ("Waits until no request of the browser has been in flight for the idle time (watched from the "
                   "start of the wait). Timeout fires when the network did not go quiet in time.")
    pins = (exec_in(), session_in(),
            data_in("idle_time_ms", DataType.INTEGER, default=500, friendly_name="Idle Time (ms)"),
            data_in("timeout_ms", DataType.INTEGER, default=30000, friendly_name="Timeout (ms)"),
            exec_out(), exec_out("exec_timeout", "Timeout", "The network did not go quiet in time"), session_out())

    async def run(self, ctx: Context, *, session: AutomationSession, idle_time_ms: int, timeout_ms: int) -> None:
        ctx.set_output("session_out", session)
        live = browser_of(ctx, session)
        start = time.monotonic()
        deadline, idle = start + max(timeout_ms, 0) / 1000, max(idle_time_ms, 0) / 1000
        while live.in_flight or time.monotonic() - max(start, live.quiet_since) < idle:  # quiet while watched too
            if time.monotonic() >= deadline:
                ctx.activate("exec_timeout")
                return
            await ctx.sleep(POLL_SECONDS)
        ctx.activate("exec_out")
