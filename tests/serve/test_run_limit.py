"""The bound on runs going at once (`flowlike serve --max-runs`, Jupyter's `FlowlikeRuns.max_runs`): a run over it
is refused with a 429 that says how many go and the limit, and the runs going are left as they are."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from serve_boards import flowlike_serve, jupyter_server, make_boards

from flowlike_core.service import RETRY_AFTER_SECONDS, Refused, RunManager
from flowlike_core.wording import counted


def start_until_accepted(client: httpx.Client, board: str, deadline: float = 60.0) -> httpx.Response:
    """POST a run until it is accepted: a run cancelled a moment ago may still hold its place."""
    end = time.monotonic() + deadline
    while (answer := client.post("/flowlike/runs", json={"board": board})).status_code == 429:
        assert time.monotonic() < end, answer.text
        time.sleep(0.05)
    return answer


def check_the_limit_holds(client: httpx.Client, limit: int) -> None:
    going = [client.post("/flowlike/runs", json={"board": "slow.board.json"}) for _ in range(limit)]
    assert [answer.status_code for answer in going] == [201] * limit, [answer.text for answer in going]
    ids = [answer.json()["id"] for answer in going]
    try:
        over = client.post("/flowlike/runs", params={"wait": "1"}, json={"board": "hooks/echo.board.json"})
        assert over.status_code == 429, over.text
        assert over.headers["content-type"].startswith("application/json")
        assert over.headers.get("retry-after") == str(RETRY_AFTER_SECONDS), over.headers
        assert (over.json()["running"], over.json()["max_runs"]) == (limit, limit)
        assert f"{counted(limit, 'run')} going on this server, its limit (max runs) is {limit}" in over.json()["error"]
        assert [client.get(f"/flowlike/runs/{run_id}").json()["status"] for run_id in ids] == ["Running"] * limit
        assert client.delete(f"/flowlike/runs/{ids[0]}").json()["status"] == "Cancelled"
        again = start_until_accepted(client, "slow.board.json")
        assert again.status_code == 201, again.text
        ids.append(again.json()["id"])
    finally:
        for run_id in ids:
            client.delete(f"/flowlike/runs/{run_id}")


def test_flowlike_serve_refuses_a_run_over_max_runs_and_keeps_those_going(tmp_path: Path) -> None:
    make_boards(tmp_path)
    with flowlike_serve(tmp_path, "--max-runs", "2", "--no-history") as (client, _):
        check_the_limit_holds(client, 2)


def test_jupyter_refuses_a_run_over_its_max_runs_setting(tmp_path: Path) -> None:
    with jupyter_server(tmp_path, "--FlowlikeRuns.max_runs=1") as (client, _):
        check_the_limit_holds(client, 1)


@pytest.mark.parametrize(("value", "message"), [
    ("0", "--max-runs 0: the server must be able to run at least one board at once"),
    ("-3", "--max-runs -3: the server must be able to run at least one board at once"),
    ("many", "--max-runs: invalid int value: 'many'")])
def test_a_max_runs_below_one_is_bad_input(tmp_path: Path, value: str, message: str) -> None:
    done = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "serve", str(tmp_path), f"--max-runs={value}"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and message in done.stderr, done.stderr


def test_runs_started_at_once_from_many_threads_never_pass_the_limit(tmp_path: Path) -> None:
    make_boards(tmp_path)
    runs = RunManager(tmp_path, max_runs=3)
    runs.board("slow.board.json")  # loaded before: every start below takes the same path

    def start(_: int) -> int:
        try:
            runs.start({"board": "slow.board.json"})
        except Refused as exc:
            return exc.status
        return 201

    try:
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(start, range(40)))
        assert sorted(statuses) == [201] * 3 + [429] * 37
    finally:
        runs.close()


def test_a_run_that_ended_frees_its_place(tmp_path: Path) -> None:
    make_boards(tmp_path)
    runs = RunManager(tmp_path, max_runs=1)
    for payload in range(5):
        entry = runs.start({"board": "hooks/echo.board.json", "payload": payload})
        assert entry.ended.wait(60)
        assert runs.record(entry.id)["result"] == payload + 100


def test_a_limit_of_one_says_1_run(tmp_path: Path) -> None:
    make_boards(tmp_path)
    runs = RunManager(tmp_path, max_runs=1)
    going = runs.start({"board": "slow.board.json"})
    try:
        with pytest.raises(Refused, match=r"^1 run going on this server, its limit \(max runs\) is 1: "):
            runs.start({"board": "hooks/echo.board.json"})
    finally:
        runs.cancel(going.id)
        assert going.ended.wait(60)
        runs.close()
