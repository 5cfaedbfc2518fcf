"""A parallel loop's iterations show in `run.traces` and `run.logs()` while they run, with no node listener (the
notebook's run view polls the run), on the thread backend and through a process worker's trace poller; once the
loop has merged them the traces are those of a run nobody polled."""

from __future__ import annotations

import threading
import time

import pytest
from flowlike_catalog.std.control import ParallelExecution
from flowlike_catalog.std.loops import ParallelForEach
from scale_boards import DEADLINE, until, waiting_board

from flowlike_core import DataType, NodeType, Registry, commands, data_in, exec_in, exec_out, run_board
from flowlike_core.board import Board
from flowlike_core.executor import start_run
from flowlike_core.run import FULL_TRACES

released = threading.Event()
"""What the waiting nodes of the thread test wait for (the test holds it)."""
arrived: list[int] = []
"""The values of the waiting nodes that have started waiting."""


class WaitForEvent(NodeType):
    """Logs, then waits until the test sets `released` (stopping when cancelled, failing after two minutes)."""

    name = "s7_wait_for_event"
    pins = (exec_in(), data_in("value", DataType.INTEGER, default=0), exec_out())

    def run(self, ctx):
        ctx.info(f"waiting {ctx.get_input('value')}")
        arrived.append(ctx.get_input("value"))
        deadline = time.monotonic() + 120
        while not released.wait(0.01):
            ctx.check_cancelled()
            if time.monotonic() > deadline:
                raise TimeoutError("never released")
        ctx.activate("exec_out")


def loop_registry(registry: Registry) -> Registry:
    loops = Registry()
    for key in ("s_start", "s_wait_for"):
        loops.register(registry.get(key))
    loops.register(ParallelForEach)
    loops.register(WaitForEvent)
    loops.register(ParallelExecution)
    return loops


def event_board(loops: Registry, items: int = 3) -> Board:
    """start -> parallel for-each([1 .. items], all at once) -> wait for the test's event (value: item)."""
    board = Board(name="waiting-for-event")
    add = lambda key, node_id, **d: board.apply(commands.AddNode(loops.get(key).create(node_id=node_id, **d)))  # noqa: E731
    add("s_start", "start")
    add("control_par_for_each", "loop", array=list(range(1, items + 1)), max_concurrent=items)
    add("s7_wait_for_event", "wait")
    for wire in [("start", "exec_out", "loop", "exec_in"), ("loop", "exec_out", "wait", "exec_in"),
                 ("loop", "value", "wait", "value")]:
        board.apply(commands.Connect(*wire))
    return board


def states(run) -> list[tuple[str, str]]:
    return [(t.node_id, t.status.value) for t in run.traces]


def final(run) -> list[tuple[str, str, list[str]]]:
    return [(t.node_id, t.status.value, [line.message for line in t.logs]) for t in run.traces]


def test_iterations_show_in_traces_while_they_run_on_threads(registry) -> None:
    loops = loop_registry(registry)
    board = event_board(loops)
    released.clear()
    handle = start_run(board, registry=loops)
    try:
        until(lambda: states(handle.run).count(("wait", "Running")) == 3, "the 3 iterations, running")
        assert states(handle.run)[:2] == [("start", "Success"), ("loop", "Running")]
        assert not handle.done()
    finally:
        released.set()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert final(run) == final(run_board(board, registry=loops))
    assert [t.node_id for t in run.traces] == ["start", "loop", "wait", "wait", "wait"]


def test_a_node_shows_at_most_its_full_traces_while_the_iterations_run(registry) -> None:
    loops = loop_registry(registry)
    board = event_board(loops, FULL_TRACES + 5)
    released.clear()
    arrived.clear()
    handle = start_run(board, registry=loops)
    try:
        until(lambda: len(arrived) == FULL_TRACES + 5, "every iteration, waiting")
        assert states(handle.run).count(("wait", "Running")) == FULL_TRACES  # (as the merge will keep them)
    finally:
        released.set()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert [t.node_id for t in run.traces].count("wait") == FULL_TRACES
    assert run.executions("wait") == FULL_TRACES + 5


@pytest.mark.parametrize("model", ["tasks", "threads"])
def test_branches_show_in_traces_and_logs_while_they_run(registry, model) -> None:
    loops = loop_registry(registry)
    board = Board(name="waiting-branches")
    add = lambda key, node_id, **d: board.apply(commands.AddNode(loops.get(key).create(node_id=node_id, **d)))  # noqa: E731
    add("s_start", "start")
    branches = add("control_par_execution", "branches", thread_model=model)
    board.apply(commands.Connect("start", "exec_out", "branches", "exec_in"))
    pins = [pin.id for pin in board.nodes[branches.id].ordered_pins() if pin.name == "exec_out"]
    for value, pin in enumerate(pins, 1):
        add("s7_wait_for_event", f"wait{value}", value=value)
        board.apply(commands.Connect("branches", pin, f"wait{value}", "exec_in"))
    released.clear()
    handle = start_run(board, registry=loops)
    try:
        until(lambda: ("wait1", "Running") in states(handle.run) and ("wait2", "Running") in states(handle.run),
              "both branches, running")
        until(lambda: {"waiting 1", "waiting 2"} <= {line.message for line in handle.run.logs()},
              "both branches' first lines")
        assert not handle.done()
    finally:
        released.set()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert final(run) == final(run_board(board, registry=loops))


def test_iterations_show_in_traces_and_logs_while_they_run_on_a_process_worker(registry, process_backend,
                                                                                tmp_path) -> None:
    loops = loop_registry(registry)
    release = tmp_path / "release"
    board = waiting_board(loops, str(release), items=[1, 2, 3])
    handle = start_run(board, registry=loops, backend=process_backend)
    try:
        until(lambda: states(handle.run).count(("wait", "Running")) == 3, "the 3 iterations, running")
        until(lambda: {"waiting 1", "waiting 2", "waiting 3"} <= {line.message for line in handle.run.logs()},
              "the 3 iterations' first lines")
        assert not handle.done()
    finally:
        release.touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert final(run) == final(run_board(board, registry=loops))
