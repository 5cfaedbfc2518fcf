"""The run API's answers a client acts on: when to try again after a 429 or a 503 (Retry-After), `?status=` in any
case, and a run's start time from the moment it was accepted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from serve_boards import TOKEN, Served, make_boards

from flowlike_core import Board
from flowlike_core.run import Run, RunStatus
from flowlike_core.service import RETRY_AFTER_SECONDS, Refused, RunManager, ServiceRun, record_of, run_summary


@pytest.fixture
def runs(tmp_path: Path) -> Iterator[RunManager]:
    make_boards(tmp_path)
    manager = RunManager(tmp_path, max_runs=1)
    yield manager
    manager.close()


def test_a_run_over_max_runs_is_told_when_to_try_again(runs: RunManager) -> None:
    """A 429 said nothing of when to come back: a client retried at once, in a loop, or gave up."""
    runs.start({"board": "slow.board.json"})
    with pytest.raises(Refused) as refused:
        runs.start({"board": "hooks/echo.board.json"})
    assert (refused.value.status, refused.value.headers) == (429, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def test_a_stopping_server_refuses_a_run_with_a_503_told_when_to_try_again(runs: RunManager) -> None:
    runs.cancel_all()
    with pytest.raises(Refused) as refused:
        runs.start({"board": "hooks/echo.board.json"})
    assert (refused.value.status, refused.value.headers) == (503, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def test_a_store_that_cannot_be_used_is_a_503_without_retry_after(runs: RunManager) -> None:
    """Trying again changes nothing until the setting is fixed and the server restarted: no Retry-After."""
    runs.refusing = "FlowlikeRuns.store=x: not a usable storage configuration"
    with pytest.raises(Refused) as refused:
        runs.start({"board": "hooks/echo.board.json"})
    assert (refused.value.status, refused.value.headers) == (503, {})


def test_flowlike_serve_sends_retry_after_on_a_503(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from flowlike_core.serve import create_app

    make_boards(tmp_path)
    runs = RunManager(tmp_path)
    runs.cancel_all()
    with TestClient(create_app(tmp_path, TOKEN, runs), headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        answer = client.post("/flowlike/runs", json={"board": "hooks/echo.board.json"})
    assert (answer.status_code, answer.headers.get("retry-after")) == (503, str(RETRY_AFTER_SECONDS)), answer.text
    assert answer.json()["error"].startswith("the server is shutting down")


@pytest.mark.parametrize(("running", "success"), [("running", "success"), ("RUNNING", "SUCCESS"),
                                                  ("Running", "Success"), ("rUnNiNg", "sUcCeSs")])
def test_status_filters_in_any_case(runs: RunManager, running: str, success: str) -> None:
    """`?status=running` was a 400 ("not a run status"), though it names the status the listing shows."""
    going = runs.start({"board": "slow.board.json"})
    assert [run["id"] for run in runs.listing({"status": running})["runs"]] == [going.id]
    assert runs.listing({"status": success}) == {"runs": []}


@pytest.mark.parametrize("wanted", ["Sleeping", "", "run"])
def test_an_unknown_status_is_a_400_naming_the_statuses(runs: RunManager, wanted: str) -> None:
    with pytest.raises(Refused) as refused:
        runs.listing({"status": wanted})
    assert refused.value.status == 400
    assert str(refused.value) == (f"?status={wanted}: not a run status; the statuses are "
                                  f"{', '.join(RunStatus)} (in any case)")


def test_the_listing_over_http_takes_status_in_any_case(served: Served) -> None:
    going = served.client.post("/flowlike/runs", json={"board": "slow.board.json"}).json()["id"]
    try:
        running = served.client.get("/flowlike/runs", params={"status": "running"})
        assert running.status_code == 200, running.text
        assert going in {run["id"] for run in running.json()["runs"]}
    finally:
        served.client.delete(f"/flowlike/runs/{going}")


def test_a_run_has_its_start_time_from_the_moment_it_is_made(tmp_path: Path) -> None:
    """Its start was 0 until its thread started it: records read 1970, or null where the service hid it."""
    make_boards(tmp_path)
    run = Run("r1", Board.load(tmp_path / "slow.board.json"), "start", {})
    assert run.start > 0
    entry = ServiceRun("r1", "slow.board.json", handle=cast(Any, SimpleNamespace(run=run)))
    assert record_of(run)["start"] == run_summary(entry)["start"] is not None
    assert run_summary(entry)["end"] is None
    run.start = 1_700_000_000.5
    assert record_of(run)["start"] == run_summary(entry)["start"] == "2023-11-14T22:13:20.500000Z"


def test_a_201_answer_has_the_runs_start_time(served: Served) -> None:
    answer = served.client.post("/flowlike/runs", json={"board": "slow.board.json"})
    try:
        assert answer.status_code == 201 and answer.json()["start"] is not None, answer.text
        record = served.client.get(f"/flowlike/runs/{answer.json()['id']}").json()
        assert record["start"] == answer.json()["start"], "the start a 201 said is the record's"
    finally:
        served.client.delete(f"/flowlike/runs/{answer.json()['id']}")



def test_every_flowlike_runs_setting_is_documented() -> None:
    """`jupyter server --help-all` cannot list them: it prints its help before it loads any extension (JupyterLab's
    LabApp is not there either), so the extension's docstring and docs/apps.md are where a user finds them."""
    import flowlike_nb.kernel.server as extension
    from flowlike_nb.kernel.server import FlowlikeRuns

    apps = (Path(__file__).resolve().parents[2] / "docs" / "apps.md").read_text()
    settings = sorted(FlowlikeRuns.class_traits(config=True))
    assert "max_runs" in settings
    for name in settings:
        assert f"c.FlowlikeRuns.{name} = " in (extension.__doc__ or ""), name
        assert f"c.FlowlikeRuns.{name} = " in apps, name


def test_a_runs_start_is_not_moved_by_its_thread(tmp_path: Path) -> None:
    """The executor set it again as its thread started the run: a 201's start and the record's differed."""
    from flowlike_core.executor import start_run

    make_boards(tmp_path)
    handle = start_run(Board.load(tmp_path / "hooks" / "echo.board.json"), payload=1)
    made = handle.run.start
    assert handle.wait().ok and handle.run.start == made
