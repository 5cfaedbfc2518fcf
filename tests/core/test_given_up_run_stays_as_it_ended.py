"""A run given up on while a parallel body is stuck in native code has ended: once the stuck body is let go it must
not change that run any more (its record, traces, values, events and steps stay what they were when it ended). The
body's release merged its fork into the ended run: the loop's `value` and `index` appeared in its values, its steps
grew, the stuck node's trace took another end and error, and what the node emitted as it was let go joined the run's
events. The run's variables stay too: a let-go node that sets one as it leaves (in a `finally`, which runs as its
interrupt lands) changed the ended run's, which it shares with the run's bodies."""

from __future__ import annotations

import pytest
from held_bodies import held_branch, held_builder, held_iteration
from pack_builder import Builder
from stopping_nodes import DEADLINE, HeldInNativeCode

from flowlike_core import DataType, Listener, RunStatus, Variable, commands, start_run


class HeldThenEmits(HeldInNativeCode):
    """Held in native code until let go, then emits an event (as a node reporting what its native call did)."""

    name = "t_held_then_emits"

    def run(self, ctx):
        HeldInNativeCode.started.set()
        HeldInNativeCode.let_go.wait()
        ctx.emit("let_go", {"done": True})
        ctx.activate("exec_out")


class HeldThenNotes(HeldInNativeCode):
    """Held in native code until let go; as it leaves, whatever ended it, notes so in the variable `note`."""

    name = "t_held_then_notes"

    def run(self, ctx):
        try:
            HeldInNativeCode.started.set()
            HeldInNativeCode.let_go.wait()
        finally:
            ctx.set_variable("note", "let go")
        ctx.activate("exec_out")


@pytest.fixture
def build() -> Builder:
    return held_builder(HeldThenEmits, HeldThenNotes)


def _branch(build: Builder):
    held_branch(build, HeldThenEmits.name, build.add("log_info", message="after the hold"))


def _iteration(build: Builder):
    after = build.add("log_info")
    loop, _ = held_iteration(build, HeldThenEmits.name, after)
    build.wire(loop, "value", after, "message")


def _main_run(build: Builder):
    """Not a body: the run's own chain, the held node on the executor's fast path (which counts steps in a local)."""
    start, held, after = build.add("events_simple"), build.add(HeldThenEmits.name), build.add("log_info")
    build.chain(start, held, after)


def _state(run) -> tuple:
    """What the run shows (the parallel node's own trace too, which the executor ended again)."""
    return run.record().model_dump(), dict(run.values), run.steps, run.stuck, list(run.events)


def _given_up_on(build: Builder, state, **options) -> tuple:
    """Run the board until its body is held, give it up, then let the body go: the run's `state` as it ended, and
    once the body was let go."""
    handle = start_run(build.board, registry=build.registry, **options)
    try:
        assert HeldInNativeCode.started.wait(DEADLINE), "the body never started"
        handle.cancel()
        run = handle.wait(DEADLINE)
        assert run.status is RunStatus.CANCELLED and run.stuck is not None, run.stuck
        ended = state(run)
    finally:
        HeldInNativeCode.let_go.set()
    assert handle._ended.wait(DEADLINE), "the run's thread never ended once its body was let go"
    return ended, state(run)


@pytest.mark.parametrize("body", [_branch, _iteration, _main_run], ids=["a branch", "an iteration", "the main run"])
@pytest.mark.parametrize("watched", [False, True], ids=["quiet", "with a listener"])
def test_a_run_given_up_on_does_not_change_when_its_stuck_body_is_let_go(build, body, watched):
    body(build)
    ended, after = _given_up_on(build, _state, listeners=[Listener()] if watched else [])
    assert after == ended


def _held_main_run(build: Builder, held_key: str) -> None:
    build.chain(build.add("events_simple"), build.add(held_key), build.add("log_info"))


@pytest.mark.parametrize("body", [held_branch, held_iteration, _held_main_run],
                         ids=["a branch", "an iteration", "the main run"])
def test_a_body_let_go_after_its_run_ended_leaves_the_runs_variables(build, body):
    build.board.apply(commands.UpsertVariable(Variable(name="note", data_type=DataType.STRING, default_value="")))
    body(build, HeldThenNotes.name)
    ended, after = _given_up_on(build, lambda run: dict(run.variables))
    assert ended == {"note": ""}
    assert after == ended
