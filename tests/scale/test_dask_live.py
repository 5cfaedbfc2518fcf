"""Runs and loop iterations on dask (and loop iterations on the process pool) report as they go: logs, traces and
progress reach the run record and the listeners while the run is still going (a node waits for a file the test
creates once it has heard them)."""

from __future__ import annotations

import pytest
from scale_boards import DEADLINE, until, waiting_board

from flowlike_core import Listener, NodeStatus, RunStatus, commands, run_board
from flowlike_core.executor import start_run


class Watcher(Listener):
    def __init__(self) -> None:
        self.events: list[str] = []

    def node_started(self, run, trace):
        self.events.append(f"started {trace.node_id}")

    def node_finished(self, run, trace):
        self.events.append(f"finished {trace.node_id} {trace.status}")

    def log(self, run, line):
        self.events.append(f"log {line.message}")

    def progress(self, run, node_id, fraction, message):
        self.events.append(f"progress {node_id} {fraction} {message}")


def test_a_dask_run_reports_while_it_runs(loops, dask_backend, tmp_path):
    release = tmp_path / "release"
    watcher = Watcher()
    handle = start_run(waiting_board(loops, str(release)), registry=loops, backend=dask_backend,
                       listeners=[watcher])
    until(lambda: "progress wait 0.5 half-way" in watcher.events, "the waiting node's progress")
    assert not handle.done()
    assert watcher.events == ["started start", "finished start Success", "started wait", "log waiting 0",
                              "progress wait 0.5 half-way"]
    assert [(t.node_id, t.status.value) for t in handle.run.traces] == [("start", "Success"), ("wait", "Running")]
    assert [line.message for line in handle.run.logs()] == ["waiting 0"]
    release.touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    here = Watcher()
    run_board(waiting_board(loops, str(release)), registry=loops, listeners=[here])
    assert watcher.events == here.events


def test_cancel_stops_the_run_on_its_worker(loops, dask_backend, tmp_path):
    watcher = Watcher()
    handle = start_run(waiting_board(loops, str(tmp_path / "never")), registry=loops, backend=dask_backend,
                       listeners=[watcher])
    until(lambda: "log waiting 0" in watcher.events, "the run to start on its worker")
    handle.cancel()
    assert handle.wait(DEADLINE).status is RunStatus.CANCELLED
    client = dask_backend.client
    until(lambda: not any(client.processing().values()), "the worker to drop the cancelled run")


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_loop_iterations_on_other_processes_report_while_they_run(loops, workers, tmp_path, request):
    if workers == "dask":
        request.getfixturevalue("dask_backend")  # its client is this process's default one
    release = tmp_path / "release"
    board = waiting_board(loops, str(release), items=[0, 1], workers=workers, max_concurrent=2)
    watcher = Watcher()
    handle = start_run(board, registry=loops, listeners=[watcher])
    until(lambda: {"log waiting 0", "log waiting 1"} <= set(watcher.events), "both iterations' first log line")
    assert not handle.done()
    release.touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert [line.message for line in run.logs()] == ["waiting 0", "released 0", "waiting 1", "released 1"]
    heard = [event for event in watcher.events if event.split()[1] == "wait" or event.startswith("log")]
    iteration = ["started wait", "log waiting {}", "progress wait 0.5 half-way", "log released {}",
                 "finished wait Success"]
    assert sorted(heard) == sorted(event.format(item) for item in (0, 1) for event in iteration)
    for item in ("0", "1"):  # each iteration's lines in its own order
        assert [e for e in heard if e.endswith(f" {item}")] == [f"log waiting {item}", f"log released {item}"]


def test_flowlike_run_on_its_own_local_cluster_ends_without_dask_errors(tmp_path):
    """The command leaves the LocalCluster it started: closed before the interpreter tears it down, dask has no
    scattered board to mourn (it logged an ERROR about lost data after every successful run)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("distributed")
    board = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"
    done = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "run", str(board), "--backend", "dask",
                           "--no-history"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "DASK_TEMPORARY_DIRECTORY": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "result: 17" in done.stdout + done.stderr
    assert " - ERROR - " not in done.stderr and "lose" not in done.stderr, done.stderr


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_an_iteration_on_another_process_shows_in_the_traces_as_soon_as_it_has_ended(loops, workers, tmp_path,
                                                                                    request):
    """Items 0 and 1 go to one worker, one after the other: item 0 (its file is there) ends at once, item 1 waits.
    Item 0's traces are in the run's traces while item 1 still waits (they came with the whole chunk)."""
    if workers == "dask":
        request.getfixturevalue("dask_backend")
    there, release = tmp_path / "there", tmp_path / "release"
    there.touch()
    board = waiting_board(loops, "", items=[str(there), *[str(release)] * 3], workers=workers, max_concurrent=1)
    board.apply(commands.Disconnect("loop", "value", "wait", "value"))
    board.apply(commands.Connect("loop", "value", "wait", "path"))
    board.apply(commands.Connect("loop", "index", "wait", "value"))
    handle = start_run(board, registry=loops)
    ended = lambda: [[line.message for line in trace.logs] for trace in handle.run.traces  # noqa: E731
                     if trace.node_id == "wait" and trace.status is NodeStatus.SUCCESS]
    until(lambda: ended() == [["waiting 0", "released 0"]], "item 0's traces while item 1 waits")
    assert not handle.done()
    release.touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert [[line.message for line in trace.logs] for trace in run.traces_of("wait")] == \
        [[f"waiting {item}", f"released {item}"] for item in range(4)]
