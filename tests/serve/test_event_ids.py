"""Run events carry ids, so a client whose stream broke resumes where it was (`Last-Event-ID`, what a browser's
EventSource sends when it reconnects), and one that has seen `finished` gets a 204: an EventSource reconnects
after every stream that ends, and was sent the whole run again each time (every 3 s, without end)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import httpx
import pytest
from serve_boards import Served, jupyter_server

from flowlike_core import Board
from flowlike_core import service as service_module
from flowlike_core.run import Run
from flowlike_core.service import ServiceRun


def blocks(text: str) -> list[dict[str, str]]:
    return [dict(line.split(": ", 1) for line in block.splitlines()) for block in text.strip().split("\n\n")]


def check_resuming(client: httpx.Client) -> None:
    run_id = client.post("/flowlike/runs?wait=1", json={"board": "hooks/echo.board.json", "payload": 1}).json()["id"]
    whole = blocks(client.get(f"/flowlike/runs/{run_id}/events").text)
    assert [int(block["id"]) for block in whole] == list(range(1, len(whole) + 1)), whole
    assert whole[-1]["event"] == "finished"
    resumed = client.get(f"/flowlike/runs/{run_id}/events", headers={"Last-Event-ID": "2"})
    assert resumed.status_code == 200 and blocks(resumed.text) == whole[2:]
    over = client.get(f"/flowlike/runs/{run_id}/events", headers={"Last-Event-ID": whole[-1]["id"]})
    assert (over.status_code, over.text) == (204, "")
    wrong = client.get(f"/flowlike/runs/{run_id}/events", headers={"Last-Event-ID": "soon"})
    assert wrong.status_code == 400 and "Last-Event-ID: 'soon' is not" in wrong.json()["error"], wrong.text


def test_flowlike_serve_resumes_a_stream_after_its_last_event_id(served: Served) -> None:
    check_resuming(served.client)


def test_jupyter_resumes_a_stream_after_its_last_event_id(tmp_path: Path) -> None:
    with jupyter_server(tmp_path) as (client, _):
        check_resuming(client)


def test_events_not_kept_are_counted_after_the_id_resumed_from(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Events 1-5 are kept, 6-12 only went to the subscribers of the moment, 13 is `finished`."""
    monkeypatch.setattr(service_module, "MAX_EVENTS", 5)
    (tmp_path / "b.board.json").write_text(Board(name="b").to_json())
    run = Run("r", Board.load(tmp_path / "b.board.json"), "", {})
    entry = ServiceRun("r", "b.board.json", handle=cast(Any, SimpleNamespace(run=run)))
    for n in range(12):
        entry._emit("log", {"n": n})
    entry._emit("finished", None, last=True)

    def resumed(after: int) -> list[tuple[Any, str, Any]]:
        async def read() -> list[tuple[Any, str, Any]]:
            return [(seq, kind, data if kind != "finished" else None)
                    async for seq, kind, data in entry.numbered_events(after)]

        return asyncio.run(read())

    logs = [(n + 1, "log", {"n": n}) for n in range(5)]
    assert resumed(0) == [*logs, (None, "dropped", {"count": 7}), (13, "finished", None)]
    assert resumed(3) == [*logs[3:], (None, "dropped", {"count": 7}), (13, "finished", None)]
    assert resumed(8) == [(None, "dropped", {"count": 4}), (13, "finished", None)]
    assert resumed(12) == [(13, "finished", None)]
    assert resumed(13) == []


def test_a_stream_says_it_is_alive_while_the_run_is_quiet(tmp_path: Path) -> None:
    """A node that works a long time without an event left the stream silent: a proxy (or a client's read
    timeout) took it for dead and cut it. A comment every `ping` seconds keeps it going (EventSource ignores it)."""
    from serve_boards import make_boards

    from flowlike_core.service import RunManager, sse_stream

    make_boards(tmp_path)
    runs = RunManager(tmp_path)

    async def read() -> list[str]:
        entry = runs.start({"board": "slow.board.json"})  # a log line, then a 30 s delay
        seen: list[str] = []
        async for chunk in sse_stream(entry, 0, ping=0.2):
            seen.append(chunk)
            if chunk == ": ping\n\n" and seen.count(chunk) == 2:
                runs.cancel(entry.id)
            if chunk.startswith("event: finished"):
                return seen
        return seen

    try:
        seen = asyncio.run(asyncio.wait_for(read(), 60))
    finally:
        runs.close()
    assert seen[0].startswith("event: start\n") and seen[-1].startswith("event: finished\n")
    assert seen.count(": ping\n\n") >= 2
    assert [int(line[4:]) for chunk in seen for line in chunk.splitlines() if line.startswith("id: ")] == list(
        range(1, len(seen) - seen.count(": ping\n\n") + 1))
