"""A parallel loop's iterations on other processes (workers "processes" or "dask") show in `run.traces` and
`run.logs()` while they run there, with no node listener (the notebook's run view polls the run), as a thread's do:
a node going on, its lines, a quiet node on the worker's fast path; once they have ended the record is the one a
sequential run leaves. With a node listener it hears them too, and the traces show the same."""

from __future__ import annotations

import pytest
from scale_boards import DEADLINE, until, waiting_board

from flowlike_core import Listener, LogLevel, run_board
from flowlike_core.executor import start_run


def states(run) -> list[tuple[str, str]]:
    return [(t.node_id, t.status.value) for t in run.traces]


def final(run) -> list[tuple[str, str, list[str]]]:
    return [(t.node_id, t.status.value, [line.message for line in t.logs]) for t in run.traces]


class Started(Listener):
    def __init__(self) -> None:
        self.started: list[str] = []

    def node_started(self, run, trace) -> None:
        self.started.append(trace.node_id)


def workers_of(request, workers: str) -> None:
    if workers == "dask":
        request.getfixturevalue("dask_backend")  # (the loop's iterations go to its client's cluster)


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_running_iterations_show_in_traces_and_logs_while_they_run(loops, workers, tmp_path, request) -> None:
    workers_of(request, workers)
    release = tmp_path / "release"
    board = waiting_board(loops, str(release), items=[1, 2], workers=workers, max_concurrent=2)
    handle = start_run(board, registry=loops)
    try:
        until(lambda: states(handle.run).count(("wait", "Running")) == 2, "the 2 iterations, running")
        until(lambda: {"waiting 1", "waiting 2"} <= {line.message for line in handle.run.logs()},
              "the 2 iterations' first lines")
        assert states(handle.run)[:2] == [("start", "Success"), ("loop", "Running")]
        assert not handle.done()
    finally:
        release.touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert final(run) == final(run_board(board.model_copy(deep=True), registry=loops))
    assert [t.node_id for t in run.traces] == ["start", "loop", "wait", "wait"]


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_a_quiet_node_of_a_running_iteration_shows_running(loops, workers, tmp_path, request) -> None:
    """A node that neither logs nor fails has no trace record on the worker until it ends (the fast path writes it
    then): it shows as going on all the same."""
    workers_of(request, workers)
    release = tmp_path / "release"
    board = waiting_board(loops, str(release), items=[1, 2], workers=workers, max_concurrent=2)
    board.log_level = LogLevel.WARN  # (its "waiting" line is held back: nothing makes its trace early)
    handle = start_run(board, registry=loops)
    try:
        until(lambda: states(handle.run).count(("wait", "Running")) == 2, "the 2 quiet nodes, running")
        assert not handle.done()
    finally:
        release.touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert states(run) == [("start", "Success"), ("loop", "Success"), ("wait", "Success"), ("wait", "Success")]


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_a_listened_run_shows_its_running_iterations_in_traces_too(loops, workers, tmp_path, request) -> None:
    workers_of(request, workers)
    release = tmp_path / "release"
    board = waiting_board(loops, str(release), items=[1, 2], workers=workers, max_concurrent=2)
    heard = Started()
    handle = start_run(board, registry=loops, listeners=[heard])
    try:
        until(lambda: states(handle.run).count(("wait", "Running")) == 2, "the 2 iterations, running")
        until(lambda: heard.started.count("wait") == 2, "the listener, told of both")
        assert not handle.done()
    finally:
        release.touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert final(run) == final(run_board(board.model_copy(deep=True), registry=loops))
