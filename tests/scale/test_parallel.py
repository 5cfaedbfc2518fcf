"""control_par_for_each: iterations run at once, each with its own values; the record reads like a sequential
run's; a failing iteration fails the run and the record says what the others did."""

from __future__ import annotations

import time

import pytest
from flowlike_catalog.std.loops import ForEach, ParallelForEach

from flowlike_core import Board, Registry, RunStatus, commands, run_board


@pytest.fixture(scope="module")
def loops(registry) -> Registry:
    local = Registry()
    for key in ("s_start", "s_slow_double", "s_check"):
        local.register(registry.get(key))
    local.register(ForEach)
    local.register(ParallelForEach)
    return local


def loop_board(loops: Registry, key: str, items: list[int], **loop_inputs) -> Board:
    """start -> loop(items) -> body: slow double(value) -> check(value, double)."""
    board = Board(name=key)
    defaults = {"array": items, **loop_inputs}
    add = lambda type_key, node_id, **d: board.apply(commands.AddNode(loops.get(type_key).create(node_id=node_id, **d)))  # noqa: E731
    add("s_start", "start")
    add(key, "loop", **defaults)
    add("s_slow_double", "double")
    add("s_check", "check")
    for wire in [("start", "exec_out", "loop", "exec_in"), ("loop", "exec_out", "double", "exec_in"),
                 ("loop", "value", "double", "value"), ("double", "exec_out", "check", "exec_in"),
                 ("loop", "value", "check", "value"), ("double", "double", "check", "double")]:
        board.apply(commands.Connect(*wire))
    return board


def record(run) -> tuple:
    return ([(t.node_id, t.status, [line.message for line in t.logs]) for t in run.traces if t.node_id != "loop"],
            sorted(run.values.values()), run.status)


def test_iterations_overlap_and_read_their_own_values(loops):
    slow = loops.get("s_slow_double")
    slow.peak, slow.gather = 0, (4, time.monotonic() + 60)  # 4 wait for each other (a 5th would raise the peak)
    items = list(range(8))
    try:
        parallel = run_board(loop_board(loops, "control_par_for_each", items, max_concurrent=4), registry=loops)
    finally:
        slow.gather = (0, 0.0)
    assert parallel.ok, parallel.error
    assert slow.peak == 4
    sequential = run_board(loop_board(loops, "control_for_each", items), registry=loops)
    assert record(parallel) == record(sequential)
    assert [line.message for line in parallel.logs()] == [m for i in items for m in (f"{i} doubled", f"checked {i}")]
    assert parallel.executions("double") == parallel.executions("check") == 8


def test_max_concurrent_one_is_sequential(loops):
    slow = loops.get("s_slow_double")
    slow.peak = 0
    assert run_board(loop_board(loops, "control_par_for_each", [1, 2, 3], max_concurrent=1), registry=loops).ok
    assert slow.peak == 1


@pytest.mark.parametrize(("cancel", "others"), [(True, "cancelled"), (False, "finished")])
def test_a_failing_iteration_fails_the_run_and_the_record_says_which(loops, cancel, others):
    run = run_board(_failing(loops, cancel), registry=loops)
    assert run.status is RunStatus.FAILED
    assert "item 1 is bad" in run.error
    line = next(line.message for line in run.logs() if line.node_id == "loop")
    assert line.startswith("iteration 1 failed; ")
    if cancel:
        assert line.endswith("2, 3, 4 and 5 cancelled")  # 0 ran alongside 1: finished or cancelled, by timing
    else:
        assert line == "iteration 1 failed; iterations 0, 2, 3, 4 and 5 finished"


def _failing(loops: Registry, cancel: bool) -> Board:
    board = Board(name="failing")
    add = lambda type_key, node_id, **d: board.apply(commands.AddNode(loops.get(type_key).create(node_id=node_id, **d)))  # noqa: E731
    add("s_start", "start")
    add("control_par_for_each", "loop", array=list(range(6)), max_concurrent=2, cancel_on_failure=cancel)
    add("s_slow_double", "double", fail_on=1)
    board.apply(commands.Connect("start", "exec_out", "loop", "exec_in"))
    board.apply(commands.Connect("loop", "exec_out", "double", "exec_in"))
    board.apply(commands.Connect("loop", "value", "double", "value"))
    return board


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_iterations_on_other_processes_read_like_a_sequential_run(loops, workers, request):
    if workers == "dask":
        request.getfixturevalue("dask_backend")  # its client is this process's default one
    items = list(range(5))
    parallel = run_board(loop_board(loops, "control_par_for_each", items, workers=workers), registry=loops)
    assert parallel.ok, parallel.error
    assert record(parallel) == record(run_board(loop_board(loops, "control_for_each", items), registry=loops))


def test_dask_iterations_run_when_the_clients_cached_identity_lists_no_workers(loops, dask_backend, monkeypatch):
    """The client refreshes its cached scheduler identity every few seconds without the per-worker part: a chunk
    sent just after got no worker to go to, and the loop failed with dask's 'Only use allow_other_workers= if
    using workers=' (1 run in 3 on a busy machine)."""
    client = dask_backend.client
    refreshed = client.sync(client.scheduler.identity, n_workers=0)  # what the client's periodic refresh caches
    monkeypatch.setattr(client, "scheduler_info", lambda *args, **kwargs: refreshed)
    assert refreshed["workers"] == {}
    items = list(range(5))
    parallel = run_board(loop_board(loops, "control_par_for_each", items, workers="dask"), registry=loops)
    assert parallel.ok, parallel.error
    assert record(parallel) == record(run_board(loop_board(loops, "control_for_each", items), registry=loops))


@pytest.mark.parametrize("cancel", [False, True])
@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_a_failing_iteration_on_other_processes_fails_the_run(loops, workers, cancel, request):
    if workers == "dask":
        request.getfixturevalue("dask_backend")
    board = _failing(loops, cancel=cancel)
    board.apply(commands.UpdateNode(board.node("loop").id, defaults={"workers": workers}))
    run = run_board(board, registry=loops)
    assert run.status is RunStatus.FAILED and "item 1 is bad" in run.error and run.error_node == "double"
    line = next(line.message for line in run.logs() if line.node_id == "loop")
    assert line.startswith("iteration 1 failed; iteration")
    if not cancel:
        assert line == "iteration 1 failed; iterations 0, 2, 3, 4 and 5 finished"
    assert [t.node_id for t in run.traces if t.node_id == "double"] == ["double"] * run.executions("double")


def test_iterations_go_out_in_even_chunks_of_consecutive_items():
    from flowlike_core.backends.bodies import chunks

    assert chunks(8, 2) == [[0, 1], [2, 3], [4, 5], [6, 7]]
    assert chunks(5, 2) == [[0, 1], [2], [3], [4]]
    assert chunks(3, 8) == [[0], [1], [2]]
    assert chunks(0, 2) == []


def test_listeners_hear_iterations_with_the_run_itself(loops):
    from flowlike_core import Listener

    class Hear(Listener):
        def __init__(self) -> None:
            self.runs: set[int] = set()
            self.finished: list[str] = []

        def node_finished(self, run, trace):
            self.runs.add(id(run))
            self.finished.append(trace.node_id)

    hear = Hear()
    run = run_board(loop_board(loops, "control_par_for_each", [1, 2, 3]), registry=loops, listeners=[hear])
    assert run.ok and hear.runs == {id(run)}
    assert sorted(hear.finished) == sorted(["start", "loop"] + ["double", "check"] * 3)
