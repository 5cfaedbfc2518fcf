"""Clients leaving an event stream of `flowlike serve` mid-way: the server stops writing to them at once (it wrote
on to the closed socket through a run's whole backlog, asyncio logging a warning per event, the loop serving no
other request meanwhile), and the runs and the server go on unharmed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
from serve_boards import TOKEN, chatty_board, free_port, make_boards, wait_until_listening

from flowlike_core.service import MAX_EVENTS


def test_clients_leaving_event_streams_early_are_dropped_quietly(tmp_path: Path) -> None:
    root = tmp_path / "boards"
    make_boards(root)
    chatty_board(root)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "flowlike_core.cli", "serve", str(root), "--port", str(port), "--token", TOKEN,
         "--no-history"], stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_until_listening(port, process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {TOKEN}"},
                          timeout=120) as client:
            chatty = client.post("/flowlike/runs?wait=1", json={"board": "chatty.board.json",
                                                                "variables": {"items": list(range(MAX_EVENTS))}})
            assert chatty.json()["status"] == "Success"
            slow = client.post("/flowlike/runs", json={"board": "slow.board.json"}).json()["id"]
            for run_id in (chatty.json()["id"], slow) * 3:
                with client.stream("GET", f"/flowlike/runs/{run_id}/events") as stream:
                    lines = stream.iter_lines()
                    assert next(lines) == "event: start"
            assert client.get(f"/flowlike/runs/{slow}").json()["status"] == "Running"
            assert client.delete(f"/flowlike/runs/{slow}").json()["status"] == "Cancelled"
            echo = client.post("/flowlike/runs?wait=1", json={"board": "hooks/echo.board.json", "payload": 1})
            assert echo.json()["result"] == 101
    finally:
        process.terminate()
        process.wait(30)
        log.close()
    written = (tmp_path / "serve.log").read_text()
    assert "socket.send() raised exception" not in written, written[:500]
