"""A run given up on while a parallel body is stuck in native code has ended: once the stuck body is let go it must
not change that run any more (its record, traces, values, events and steps stay what they were when it ended). The
body's release merged its fork into the ended run: the loop's `value` and `index` appeared in its values, its steps
grew, the stuck node's trace took another end and error, and what the node emitted as it was let go joined the run's
events."""

from __future__ import annotations

import threading

import pytest
from pack_builder import Builder
from stopping_nodes import DEADLINE, HeldInNativeCode

from flowlike_core import Listener, RunStatus, commands, start_run


class HeldThenEmits(HeldInNativeCode):
    """Held in native code until let go, then emits an event (as a node reporting what its native call did)."""

    name = "t_held_then_emits"

    def run(self, ctx):
        HeldInNativeCode.started.set()
        HeldInNativeCode.let_go.wait()
        ctx.emit("let_go", {"done": True})
        ctx.activate("exec_out")


@pytest.fixture
def build() -> Builder:
    build = Builder()
    build.registry.register(HeldThenEmits)
    HeldInNativeCode.started, HeldInNativeCode.let_go = threading.Event(), threading.Event()
    return build


def _branch(build: Builder):
    start, parallel = build.add("events_simple"), build.add("control_par_execution", thread_model="threads")
    held, after = build.add(HeldThenEmits.name), build.add("log_info", message="after the hold")
    build.chain(start, parallel)
    left = next(pin.id for pin in parallel.ordered_pins() if pin.name == "exec_out")
    build.board.apply(commands.Connect(parallel.id, left, held.id, "exec_in"))
    build.chain(held, after)
    return parallel


def _iteration(build: Builder):
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=[1, 2], max_concurrent=2)
    held, after = build.add(HeldThenEmits.name), build.add("log_info")
    build.chain(start, loop)
    build.wire(loop, "exec_out", held, "exec_in")
    build.wire(loop, "value", after, "message")
    build.chain(held, after)
    return loop


def _main_run(build: Builder):
    """Not a body: the run's own chain, the held node on the executor's fast path (which counts steps in a local)."""
    start, held, after = build.add("events_simple"), build.add(HeldThenEmits.name), build.add("log_info")
    build.chain(start, held, after)
    return held


def _state(run) -> tuple:
    """What the run shows (the parallel node's own trace too, which the executor ended again)."""
    return run.record().model_dump(), dict(run.values), run.steps, run.stuck, list(run.events)


@pytest.mark.parametrize("body", [_branch, _iteration, _main_run], ids=["a branch", "an iteration", "the main run"])
@pytest.mark.parametrize("watched", [False, True], ids=["quiet", "with a listener"])
def test_a_run_given_up_on_does_not_change_when_its_stuck_body_is_let_go(build, body, watched):
    body(build)
    listeners = [Listener()] if watched else []
    handle = start_run(build.board, registry=build.registry, listeners=listeners)
    try:
        assert HeldInNativeCode.started.wait(DEADLINE), "the body never started"
        handle.cancel()
        run = handle.wait(DEADLINE)
        assert run.status is RunStatus.CANCELLED and run.stuck is not None, run.stuck
        ended = _state(run)
    finally:
        HeldInNativeCode.let_go.set()
    assert handle._ended.wait(DEADLINE), "the run's thread never ended once its body was let go"
    assert _state(run) == ended
