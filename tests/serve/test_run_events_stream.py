"""The run API streams what nodes emit (`ctx.emit`) as `event` server-sent events: a board's A2UI messages reach
an HTTP client whatever the board's log level."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from serve_boards import Builder

from flowlike_core import LogLevel
from flowlike_core.service import RunManager


def test_a2ui_messages_stream_as_events_at_warning_level(tmp_path: Path) -> None:
    ui = Builder("ui")
    ui.board.log_level = LogLevel.WARN
    start, surface = ui.add("events_simple"), ui.add("a2ui_create_surface")
    update = ui.add("a2ui_surface_update", components=[{"id": "hi", "component": {"type": "text"}}])
    ui.wire(start, "exec_out", surface, "exec_in")
    ui.wire(surface, "exec_out", update, "exec_in")
    ui.save(tmp_path / "ui.board.json")
    runs = RunManager(tmp_path)

    async def stream() -> list[tuple[str, Any]]:
        entry = runs.start({"board": "ui.board.json"})
        return [event async for event in entry.events()]

    events = asyncio.run(asyncio.wait_for(stream(), 60))
    assert [kind for kind, _ in events][-1] == "finished"
    assert not [data for kind, data in events if kind == "log"]
    [emitted] = [data for kind, data in events if kind == "event"]
    assert emitted["event_type"] == "a2ui" and emitted["node_id"] == update.id
    assert emitted["payload"] == {"type": "surfaceUpdate", "surfaceId": "main",
                                  "components": [{"id": "hi", "component": {"type": "text"}}]}
