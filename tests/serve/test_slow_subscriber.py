"""A subscriber that reads events slower than its run emits them: the run goes on at its pace, and what waits for
the subscriber stays bounded (`MAX_QUEUED`); the events it missed are counted in one `dropped` event, in place."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from serve_boards import chatty_board

from flowlike_core.events import Listener
from flowlike_core.service import MAX_EVENTS, MAX_QUEUED, RunManager


def test_a_subscriber_that_does_not_read_keeps_a_bounded_backlog_and_learns_what_it_missed(tmp_path: Path) -> None:
    chatty_board(tmp_path)
    runs = RunManager(tmp_path)
    items = 3 * MAX_QUEUED

    async def subscribe_then_stall() -> list[tuple[str, Any]]:
        entry = runs.start({"board": "chatty.board.json", "variables": {"items": list(range(items))}})
        events = entry.events()
        first = await anext(events)  # subscribed; now reads nothing until the run has ended
        assert await entry.wait(120)
        [stalled] = entry.subscribers
        assert stalled.queue.qsize() <= MAX_QUEUED + 2  # the backlog, one dropped event, finished
        return [first, *[event async for event in events]]

    with Counter() as counter:
        events = asyncio.run(asyncio.wait_for(subscribe_then_stall(), 180))
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "start" and kinds[-1] == "finished"
    assert events[-1][1]["status"] == "Success"
    [dropped] = [data for kind, data in events if kind == "dropped"]
    assert dropped["count"] == counter.emitted - (len(events) - 2) > 0
    assert kinds[-2] == "dropped"  # in place: after the backlog, before the end


def test_a_late_subscriber_is_told_how_many_events_the_run_kept_no_longer(tmp_path: Path) -> None:
    chatty_board(tmp_path)
    runs = RunManager(tmp_path)
    items = MAX_EVENTS + 500

    async def subscribe_after_the_end() -> list[tuple[str, Any]]:
        entry = runs.start({"board": "chatty.board.json", "variables": {"items": list(range(items))}})
        assert await entry.wait(120)
        return [event async for event in entry.events()]

    with Counter() as counter:
        events = asyncio.run(asyncio.wait_for(subscribe_after_the_end(), 180))
    kinds = [kind for kind, _ in events]
    assert len(events) == MAX_EVENTS + 2 and kinds[-2:] == ["dropped", "finished"]
    assert events[-2][1]["count"] == counter.emitted - MAX_EVENTS > 0


class Counter(Listener):
    """Counts what every run of this process emits before it finishes (each is one event of the service)."""

    def __init__(self) -> None:
        self.emitted = 0

    def count(self, *_: Any) -> None:
        self.emitted += 1

    start = node_started = node_finished = log = event = progress = count
