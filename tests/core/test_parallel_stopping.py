"""A parallel body stopped (a sibling failed, or the run was cancelled) is left to finish cleanup that cooperates (a
node awaiting its close on the body's own thread), as a run is (its thread was interrupted on a blind timer); a body
stuck in plain Python is still interrupted (tests/scale/test_parallel_interrupt.py)."""

from __future__ import annotations

import threading

import pytest
from held_bodies import held_branch, held_builder
from pack_builder import Builder
from stopping_nodes import DEADLINE, HeldInNativeCode, awaits_its_close

from flowlike_core import NodeStatus, NodeType, RunStatus, commands, exec_in, exec_out, start_run
from flowlike_core.executor import CANCEL_GRACE

SLOW = 8 * CANCEL_GRACE
"""How long a cleanup here takes: longer than the grace after which a body stuck in plain Python is interrupted,
and than a cancelled run whose loop does not answer is given up on (its loop held while it waited for its bodies)."""

AwaitsItsClose = awaits_its_close("t_par_awaits_its_close", SLOW)


class FailsOnceStarted(NodeType):
    """Fails once its sibling awaits."""

    name = "t_par_fails_once_started"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        assert AwaitsItsClose.started.wait(DEADLINE), "the sibling never started"
        raise RuntimeError("branch broke")


@pytest.fixture
def build() -> Builder:
    build = Builder()
    for node_type in (AwaitsItsClose, FailsOnceStarted):
        build.registry.register(node_type)
    AwaitsItsClose.started, AwaitsItsClose.closed = threading.Event(), threading.Event()
    return build


@pytest.mark.parametrize("model", ["threads", "tasks"])
@pytest.mark.parametrize("stopped_by", ["a failing sibling", "the run's cancel"])
def test_a_branch_awaiting_its_close_when_stopped_finishes_it(build, model, stopped_by):
    start, parallel = build.add("events_simple"), build.add("control_par_execution", thread_model=model)
    closes = build.add("t_par_awaits_its_close")
    build.chain(start, parallel)
    left, right = [pin.id for pin in parallel.ordered_pins() if pin.name == "exec_out"]
    build.board.apply(commands.Connect(parallel.id, left, closes.id, "exec_in"))
    if stopped_by == "a failing sibling":
        broken = build.add("t_par_fails_once_started")
        build.board.apply(commands.Connect(parallel.id, right, broken.id, "exec_in"))
    handle = start_run(build.board, registry=build.registry)
    assert AwaitsItsClose.started.wait(DEADLINE), "the branch never started"
    if stopped_by == "the run's cancel":
        handle.cancel()
    run = handle.wait(DEADLINE)
    assert handle.done(), "the run did not end"
    assert AwaitsItsClose.closed.is_set(), "the branch's close was interrupted"
    assert run.stuck is None, run.stuck
    if stopped_by == "a failing sibling":
        assert run.status is RunStatus.FAILED and "branch broke" in (run.error or "")
    else:
        assert run.status is RunStatus.CANCELLED
    assert [t.status for t in run.traces_of(closes.id)] == [NodeStatus.CANCELLED]


def test_an_iteration_stopped_while_paused_keeps_the_trace_of_the_node_it_paused_at(build):
    """A parallel iteration's node paused at by the debugger, then stopped, never ran: the run ended Cancelled with
    no trace of it (its fork's trace was still Running when the iterations were merged, and the merge dropped it)."""
    from flowlike_core.debugger import Debugger

    start, loop, say = build.add("events_simple"), build.add("control_par_for_each", array=[1, 2, 3],
                                                             max_concurrent=1), build.add("log_info")
    build.chain(start, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", say, "message")
    build.board.apply(commands.ToggleBreakpoint(say.id))
    debugger = Debugger()
    start_run(build.board, registry=build.registry, debugger=debugger)
    assert debugger.wait_paused(DEADLINE) and debugger.paused_at is not None and debugger.paused_at.id == say.id
    run = debugger.stop(wait=DEADLINE).run
    assert debugger.ended and run.status is RunStatus.CANCELLED
    assert [(t.status, t.end is not None) for t in run.traces_of(say.id)] == [(NodeStatus.CANCELLED, True)]
    assert run.logs() == [] and debugger.pauses == 1



def test_a_cancelled_run_whose_branch_is_held_in_native_code_is_given_up_on_as_stuck():
    """Its run waits for the branch with its loop free (the branch might cooperate); once the branch's interrupt has
    not landed within the grace, the run is given up on as its own stuck node is, naming the branch's node (not
    waited for as cooperating, up to `CLEANUP_LIMIT`)."""
    build = held_builder(HeldInNativeCode)
    held_branch(build, HeldInNativeCode.name)
    handle = start_run(build.board, registry=build.registry)
    try:
        assert HeldInNativeCode.started.wait(DEADLINE), "the branch never started"
        handle.cancel()
        run = handle.wait(DEADLINE)
        assert handle.done() and run.status is RunStatus.CANCELLED
        assert run.stuck is not None and "did not stop when cancelled" in run.stuck, run.stuck
        assert HeldInNativeCode.name in run.stuck
    finally:
        HeldInNativeCode.let_go.set()
