"""Parallel bodies stuck in plain Python: a sibling's failure and a cancel stop them as a run's own node is stopped
(interrupted after the cancel grace), instead of the run waiting for them to end or giving them up as stuck."""

from __future__ import annotations

import threading
import time

import pytest
from pack_builder import Builder

from flowlike_core import NodeStatus, NodeType, RunStatus, commands, exec_in, exec_out, start_run

STUBBORN = 60.0
"""Seconds a stubborn node loops: far past any wait below, so only an interrupt ends it sooner."""
WAIT = 30.0


class Stubborn(NodeType):
    """Blocking: loops in plain Python, never looking at the cancel flag, for `STUBBORN` seconds."""

    name = "t_stubborn"
    pins = (exec_in(), exec_out())
    started = threading.Semaphore(0)

    def run(self, ctx):
        Stubborn.started.release()
        deadline = time.monotonic() + STUBBORN
        while time.monotonic() < deadline:
            time.sleep(0.005)
        ctx.activate("exec_out")


class Broken(NodeType):
    """Fails once a stubborn sibling has started."""

    name = "t_broken"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        assert Stubborn.started.acquire(timeout=WAIT), "the stubborn sibling never started"
        raise RuntimeError("branch broke")


@pytest.fixture
def build() -> Builder:
    build = Builder()
    for node_type in (Stubborn, Broken):
        build.registry.register(node_type)
    Stubborn.started = threading.Semaphore(0)
    return build


def finished(build: Builder, cancel_when_started: int = 0):
    handle = start_run(build.board, registry=build.registry)
    if cancel_when_started:
        for _ in range(cancel_when_started):
            assert Stubborn.started.acquire(timeout=WAIT), "the stubborn bodies never started"
        handle.cancel()
    run = handle.wait(WAIT)
    assert handle.done(), "the run still waits for a parallel body stuck in plain Python"
    assert run.stuck is None, run.stuck
    return run


@pytest.mark.parametrize("model", ["tasks", "threads"])
def test_a_failing_branch_interrupts_a_sibling_stuck_in_plain_python(build, model):
    start, parallel = build.add("events_simple"), build.add("control_par_execution", thread_model=model)
    stubborn, broken = build.add("t_stubborn"), build.add("t_broken")
    build.chain(start, parallel)
    left, right = [pin.id for pin in parallel.ordered_pins() if pin.name == "exec_out"]

    build.board.apply(commands.Connect(parallel.id, left, stubborn.id, "exec_in"))
    build.board.apply(commands.Connect(parallel.id, right, broken.id, "exec_in"))
    run = finished(build)
    assert run.status is RunStatus.FAILED and "branch broke" in run.error
    assert [t.status for t in run.traces_of(stubborn.id)] == [NodeStatus.CANCELLED]


def test_cancel_interrupts_parallel_iterations_stuck_in_plain_python(build):
    start, loop, stubborn = build.add("events_simple"), build.add("control_par_for_each", array=[1, 2]), \
        build.add("t_stubborn")
    build.chain(start, loop)
    build.wire(loop, "exec_out", stubborn, "exec_in")
    run = finished(build, cancel_when_started=2)
    assert run.status is RunStatus.CANCELLED
    assert [t.status for t in run.traces_of(stubborn.id)] == [NodeStatus.CANCELLED] * 2
