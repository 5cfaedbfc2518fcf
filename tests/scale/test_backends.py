"""The process and dask backends: same results as an in-kernel run; a misbehaving node under `process` fails the
run with its cause and leaves this process (and the pool) working."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from scale_boards import crash_board, misbehaving_board, square_board, until, waiting_board

from flowlike_core import Board, Listener, Registry, RunStatus, commands, default_registry, run_board
from flowlike_core.backends import BackendError
from flowlike_core.backends.process import ProcessBackend

BOARDS = sorted((Path(__file__).parents[2] / "notebooks" / "boards").glob("*.board.json"))


def outcome(run) -> tuple:
    """What must agree across backends: status, error, values, result, final variables, the order of traces."""
    return (run.status, run.error, run.error_node, run.values, run.result, run.variables,
            [(t.node_id, t.status, [line.message for line in t.logs]) for t in run.traces])


@pytest.mark.parametrize("path", BOARDS, ids=lambda p: p.name)
def test_example_boards_agree_across_backends(path, process_backend, dask_backend):
    board = Board.load(path)
    local = run_board(board)
    assert outcome(run_board(board, backend=process_backend)) == outcome(local)
    assert outcome(run_board(board, backend=dask_backend)) == outcome(local)


class Watcher(Listener):
    def __init__(self) -> None:
        self.events: list[str] = []

    def start(self, run):
        self.events.append("start")

    def node_finished(self, run, trace):
        self.events.append(f"finished {trace.node_id} {trace.status}")

    def log(self, run, line):
        self.events.append(f"log {line.message}")

    def progress(self, run, node_id, fraction, message):
        self.events.append(f"progress {message}")

    def finished(self, run):
        self.events.append(f"end {run.status}")


def test_notebook_node_types_travel_by_value_and_listeners_hear_everything(registry, process_backend):
    here, there = Watcher(), Watcher()
    run_board(square_board(registry), registry=registry, variables={"n": 12}, listeners=[here])
    run = run_board(square_board(registry), registry=registry, variables={"n": 12}, backend=process_backend,
                    listeners=[there])
    assert run.ok and run.result == 144
    assert there.events == here.events == ["start", "finished start Success", "finished square Success",
                                           "progress kept", "finished keep Success", "end Success"]


@pytest.mark.parametrize(("how", "cause"), [
    ("segfault", "died from SIGSEGV (signal 11, a segmentation fault) while node 's_misbehave' (bad) was running"),
    ("exit", "exited with code 7"),
])
def test_a_crashing_node_fails_the_run_and_leaves_us_alive(registry, process_backend, how, cause):
    run = run_board(misbehaving_board(registry, how), registry=registry, backend=process_backend)
    assert run.status is RunStatus.FAILED
    assert cause in run.error
    assert isinstance(run.exception, BackendError)
    assert run.error_node == "bad"
    assert run.traces_of("bad")[-1].status.value == "Failed"
    assert [line.message for line in run.logs()] == [f"going to do {how}"]
    if how == "segfault":  # where it crashed, from the worker's faulthandler: the native call, then the node's code
        assert " in string_at <- File " in run.error and " in run <- File " in run.error
    again = run_board(misbehaving_board(registry, "nothing"), registry=registry, backend=process_backend)
    assert again.ok and again.output("bad", "pid") != os.getpid()


@pytest.mark.parametrize(("how", "cause"), [
    ("segfault", "died from SIGSEGV (signal 11, a segmentation fault) while node 's_crash' (crash) was running; "
                 "at File "),
    ("exit", "exited with code 9 (os._exit(9) called in a node) while node 's_crash' (crash) was running"),
])
def test_a_node_crashing_as_it_starts_is_named(registry, process_backend, how, cause):
    """It crashes before the worker reports it (the node before it was the last one reported running, and its end
    was not reported yet: it logged, so the caller saw it start, and the crash came within the worker's next batch).
    Only the crashing node fails; the node before it, which had ended, succeeded."""
    run = run_board(crash_board(registry, how), registry=registry, backend=process_backend)
    assert run.status is RunStatus.FAILED
    assert cause in run.error
    assert run.error_node == "crash"
    assert run.traces_of("crash")[-1].status.value == "Failed"
    assert [line.message for line in run.logs()] == ["going to do nothing"]
    assert [(t.node_id, t.status.value) for t in run.traces] == [("start", "Success"), ("calm", "Success"),
                                                                 ("crash", "Failed")]
    assert run.traces_of("calm")[0].error is None and cause in run.traces_of("crash")[0].error


def test_a_segfault_in_a_parallel_branch_fails_that_node_and_stops_the_node_awaiting_the_branches(registry, tmp_path,
                                                                                                  process_backend):
    """Parallel Execution awaits its branches (on no thread's stack) when a branch's node segfaults: it was stopped
    by the death, it did not succeed."""
    from flowlike_catalog.std.control import ParallelExecution

    local = Registry()
    for key in ("s_start", "s_wait_for", "s_misbehave"):
        local.register(registry.get(key))
    local.register(ParallelExecution)
    board = Board(name="branches-crash")
    add = lambda key, node_id, **d: board.apply(commands.AddNode(local.get(key).create(node_id=node_id, **d)))  # noqa: E731
    add("s_start", "start")
    add("control_par_execution", "par", thread_model="threads")
    add("s_wait_for", "wait", path=str(tmp_path / "never"))
    add("s_misbehave", "bad", how="segfault")
    branches = [pin.id for pin in board.nodes["par"].pins.values() if pin.name == "exec_out"]
    for wire in [("start", "exec_out", "par", "exec_in"), ("par", branches[0], "wait", "exec_in"),
                 ("par", branches[1], "bad", "exec_in")]:
        board.apply(commands.Connect(*wire))
    run = run_board(board, registry=local, backend=process_backend)
    assert run.status is RunStatus.FAILED and run.error_node == "bad"
    assert "died from SIGSEGV (signal 11, a segmentation fault) while node 's_misbehave' (bad)" in run.error
    states = {t.node_id: (t.status.value, t.error) for t in run.traces}
    assert states["start"] == ("Success", None)
    assert states["par"] == ("Cancelled", "stopped: its worker process died")
    assert states["bad"][0] == "Failed" and "signal 11" in states["bad"][1]


def test_a_segfault_in_a_type_used_by_several_nodes_names_them_all(registry, process_backend):
    run = run_board(crash_board(registry, "segfault", before="s_crash"), registry=registry, backend=process_backend)
    assert run.status is RunStatus.FAILED
    assert "while one of the nodes 's_crash' (calm), 's_crash' (crash) was running" in run.error
    assert run.error_node is None


@pytest.mark.parametrize(("how", "death"), [
    ("exit", "exited with code 9 while node 's_crash' (crash) was running; the pool"),
    ("segfault", "died from a fatal error (Segmentation fault) while node 's_crash' (crash) was running; at File "),
])
def test_a_loop_body_crashing_its_pool_process_is_named_and_the_pool_replaced(registry, how, death):
    from flowlike_catalog.std.loops import ParallelForEach

    loops = Registry()
    for key in ("s_start", "s_crash"):
        loops.register(registry.get(key))
    loops.register(ParallelForEach)

    def looping(body: str) -> Board:
        board = Board(name=f"looping-{body}")
        add = lambda key, node_id, **d: board.apply(commands.AddNode(loops.get(key).create(node_id=node_id, **d)))  # noqa: E731
        add("s_start", "start")
        add("control_par_for_each", "loop", array=[1, 2, 3, 4], workers="processes", max_concurrent=2)
        add("s_crash", "crash", how=body)
        board.apply(commands.Connect("start", "exec_out", "loop", "exec_in"))
        board.apply(commands.Connect("loop", "exec_out", "crash", "exec_in"))
        return board

    run = run_board(looping(how), registry=loops)
    assert run.status is RunStatus.FAILED and run.error_node == "loop"
    assert f"a worker process of the loop's process pool {death}" in run.error
    assert run_board(looping("nothing"), registry=loops).ok  # on a new pool


def test_a_hanging_node_is_killed_after_the_timeout(registry):
    backend = ProcessBackend(1, timeout=1.5)
    try:
        run = run_board(misbehaving_board(registry, "hang"), registry=registry, backend=backend)
        assert run.status is RunStatus.FAILED
        assert "did not finish within its timeout of 1.5s while node 's_misbehave' (bad) was running" in run.error
        assert run_board(misbehaving_board(registry, "nothing"), registry=registry, backend=backend).ok
    finally:
        backend.close()


def test_memory_exhaustion_fails_the_node_under_the_limit(registry, process_backend):
    run = run_board(misbehaving_board(registry, "memory"), registry=registry, backend=process_backend)
    assert run.status is RunStatus.FAILED
    assert "MemoryError" in run.error
    assert "its process is limited to 1 GiB of address space (ProcessBackend(memory_limit=...))" in run.error, \
        "a bare MemoryError: says nothing of the limit that caused it"
    assert run.error_node == "bad"
    assert run_board(misbehaving_board(registry, "nothing"), registry=registry, backend=process_backend).ok


def test_a_node_error_is_an_ordinary_failure(registry, process_backend):
    run = run_board(misbehaving_board(registry, "raise"), registry=registry, backend=process_backend)
    assert run.status is RunStatus.FAILED
    assert "RuntimeError: on purpose" in run.error
    assert "in run\nRuntimeError: on purpose" in run.traces_of("bad")[-1].traceback


def test_cancel_reaches_the_worker(registry, process_backend):
    from flowlike_core.executor import start_run

    handle = start_run(misbehaving_board(registry, "hang"), registry=registry, backend=process_backend)
    while not handle.run.traces:  # the node has started in the worker
        handle.wait(0.05)
    handle.cancel()
    run = handle.wait(30)
    assert run.status is RunStatus.CANCELLED
    assert run_board(misbehaving_board(registry, "nothing"), registry=registry, backend=process_backend).ok


def test_a_cancel_before_the_worker_started_the_run_gives_it_its_grace_from_its_start(registry, tmp_path, monkeypatch):
    """A cold worker takes a while to import and start the run: a cancel sent meanwhile is not the node failing
    to stop, so the worker is not killed for it (its grace counts once the run has started there)."""
    from flowlike_core.backends import process
    from flowlike_core.executor import start_run

    monkeypatch.setattr(process, "CANCEL_GRACE", 0.5)  # less than a cold worker takes to start a run
    backend = ProcessBackend(1)
    try:
        handle = start_run(waiting_board(registry, str(tmp_path / "never")), registry=registry, backend=backend)
        handle.cancel()
        run = handle.wait(60)
        assert run.status is RunStatus.CANCELLED, run.error
        assert "killed" not in run.error
        deadline = time.monotonic() + 30  # (it goes back to the pool once it has sent its last batch)
        while not backend.pool.idle and time.monotonic() < deadline:
            handle.wait(0.05)
        assert backend.pool.idle and backend.pool.idle[0].alive(), "the worker stays in the pool"
    finally:
        backend.close()


def test_ctrl_c_in_a_terminal_leaves_the_pool_s_workers_alone(registry):
    """A terminal's Ctrl-C goes to the whole process group, the pool's workers too: the caller cancels its runs, so
    a worker ignores it (an idle one died of it with a traceback, and the next run failed on the dead worker)."""
    import signal

    backend = ProcessBackend(1)
    try:
        assert run_board(square_board(registry), registry=registry, variables={"n": 3}, backend=backend).ok
        until(lambda: bool(backend.pool.idle), "the worker back in the pool")
        worker = backend.pool.idle[0]
        os.kill(worker.process.pid, signal.SIGINT)
        assert run_board(square_board(registry), registry=registry, variables={"n": 4}, backend=backend).result == 16
        assert worker.alive()
    finally:
        backend.close()


def test_a_worker_that_died_while_idle_is_replaced_not_handed_a_run(registry):
    """An idle worker killed meanwhile (the OOM killer, a signal while it still started) is left out of the pool:
    the next run gets a live one (it was sent to the dead one and failed)."""
    backend = ProcessBackend(1)
    try:
        backend.pool.warm()
        backend.pool.idle[0].process.kill()
        backend.pool.idle[0].process.join(30)
        assert run_board(square_board(registry), registry=registry, variables={"n": 5}, backend=backend).result == 25
    finally:
        backend.close()


def test_a_node_type_that_cannot_be_pickled_is_refused_by_name(registry):
    import threading

    class Locked(registry.get("s_keep")):
        name = "s_locked"
        lock = threading.Lock()

    local = type(registry)()
    for node_type in [*(registry.get(k) for k in ("s_start", "s_keep")), Locked]:
        local.register(node_type)
    board = Board(name="locked")
    board.apply(commands.AddNode(Locked.create(node_id="locked")))
    with pytest.raises(BackendError, match=r"node type 's_locked' \(node 's_locked' \(locked\)\) cannot be sent"):
        run_board(board, registry=local, backend="process", start="locked")


def test_dask_runs_board_with_notebook_node_types(registry, dask_backend):
    run = run_board(square_board(registry), registry=registry, variables={"n": 5}, backend=dask_backend)
    assert run.ok and run.result == 25
    assert [t.node_id for t in run.traces] == [t.node_id for t in run_board(square_board(registry),
                                                                             registry=registry).traces]


def test_unknown_backend_is_refused():
    board = Board.load(BOARDS[0])
    with pytest.raises(BackendError, match="unknown backend 'gpu'"):
        run_board(board, registry=default_registry(), backend="gpu")


def test_flowlike_run_backend_process(capsys):
    from flowlike_core.cli import main

    board = str(BOARDS[0].parent / "loop_and_branch.board.json")
    assert main(["run", board, "--backend", "process", "--no-history", "--json"]) == 0
    out = capsys.readouterr()
    assert '"status": "Success"' in out.out and "INFO" in out.out + out.err


def test_a_node_crashing_its_dask_worker_fails_the_run_with_the_cause(registry, dask_backend):
    """The cluster drops the task of a worker that died (it showed Cancelled: the run was cancelled). The line the
    node logged just before it crashed reaches the run (it was lost with the worker's unsent batch of events)."""
    run = run_board(misbehaving_board(registry, "segfault"), registry=registry, backend=dask_backend)
    assert run.status is RunStatus.FAILED, run.error
    assert "the dask worker running the board died" in run.error and "cluster dropped the run's task" in run.error
    assert [line.message for line in run.logs()] == ["going to do segfault"]
    assert run.error_node == "bad" and [t.status.value for t in run.traces_of("bad")] == ["Failed"]
    assert run_board(square_board(registry), registry=registry, variables={"n": 6}, backend=dask_backend).result == 36
