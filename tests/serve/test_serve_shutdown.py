"""Stopping `flowlike serve` (Ctrl-C, SIGTERM) while runs go: they end Cancelled, each one kept in the run
history, the clients waiting on them answered, and the server exits promptly (no wait for a long board's end)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from serve_boards import TOKEN, Builder, free_port, wait_until_listening

EXIT_DEADLINE = 60.0
"""Far below the board's ten minutes: a server that waits for its runs to end fails the test."""


def endless_board(root: Path) -> None:
    board = Builder("endless")
    start, say, wait = board.add("events_simple"), board.add("log_info", message="going"), board.add(
        "delay", time=600_000.0)
    board.wire(start, "exec_out", say, "exec_in")
    board.wire(say, "exec_out", wait, "exec_in")
    board.save(root / "endless.board.json")


def wait_for(condition: Any, what: str, deadline: float = 60.0) -> None:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError(what)
        time.sleep(0.05)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_stopping_the_server_cancels_its_runs_records_them_and_exits(tmp_path: Path, stop: signal.Signals) -> None:
    root, store = tmp_path / "boards", tmp_path / "store"
    endless_board(root)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "flowlike_core.cli", "serve", str(root), "--port", str(port), "--token", TOKEN,
         "--store", str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    answers: dict[str, Any] = {}
    try:
        wait_until_listening(port, process)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {TOKEN}"},
                              timeout=EXIT_DEADLINE)
        alone = client.post("/flowlike/runs", json={"board": "endless.board.json"}).json()["id"]
        streamed = client.post("/flowlike/runs", json={"board": "endless.board.json"}).json()["id"]

        def waiting_post() -> None:
            answers["waited"] = client.post("/flowlike/runs?wait=1", json={"board": "endless.board.json"})

        streaming_began = threading.Event()

        def streaming() -> None:
            with client.stream("GET", f"/flowlike/runs/{streamed}/events") as stream:
                streaming_began.set()
                answers["events"] = list(stream.iter_lines())

        clients = [threading.Thread(target=waiting_post), threading.Thread(target=streaming)]
        for thread in clients:
            thread.start()

        def all_waiting() -> bool:
            going = client.get("/flowlike/runs", params={"status": "Running"}).json()["runs"]
            return len(going) == 3 and all(run["steps"] >= 3 for run in going)

        wait_for(all_waiting, "the three runs reach their delay")
        wait_for(streaming_began.is_set, "the event stream begins")
        process.send_signal(stop)
        try:
            process.wait(EXIT_DEADLINE)
        except subprocess.TimeoutExpired:
            pytest.fail(f"flowlike serve still running {EXIT_DEADLINE} s after {stop.name}")
        for thread in clients:
            thread.join(EXIT_DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    waited = answers["waited"]
    assert (waited.status_code, waited.json()["status"]) == (200, "Cancelled")
    events = answers["events"]
    assert "event: finished" in events
    assert json.loads(events[events.index("event: finished") + 1].removeprefix("data: "))["status"] == "Cancelled"
    listed = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "runs", "--store", str(store), "--json"],
                            capture_output=True, text=True, timeout=120, check=True,
                            env={**os.environ, "FLOWLIKE_STORE": str(store)})
    kept = {record["id"]: record["status"] for record in json.loads(listed.stdout)}
    assert kept == {alone: "Cancelled", streamed: "Cancelled", waited.json()["id"]: "Cancelled"}


def test_the_server_says_where_it_listens_once_it_does(tmp_path: Path) -> None:
    """It said nothing: a user could not tell that it was up, nor where (the folder, the URL, the run limit)."""
    endless_board(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "flowlike_core.cli", "serve", str(tmp_path), "--port", str(port), "--token", TOKEN,
         "--max-runs", "7", "--no-history"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until_listening(port, process)
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=EXIT_DEADLINE)
    assert (f"flowlike serve: the boards under {tmp_path} on http://127.0.0.1:{port}/flowlike/runs "
            f"(at most 7 runs at once; Ctrl-C stops)") in stderr.decode(), stderr.decode()
