"""A run given up on while a parallel body is stuck (held in native code, where no interrupt lands) ends Cancelled:
every trace it shows has a final status then. The stuck body's node showed Running in the finished run (its fork's
traces were left open: only the run's own were closed), in the run history and the editor, for ever."""

from __future__ import annotations

import pytest
from held_bodies import held_branch, held_builder, held_iteration
from pack_builder import Builder
from stopping_nodes import DEADLINE, HeldInNativeCode

from flowlike_core import Listener, NodeStatus, RunStatus, start_run


@pytest.fixture
def build() -> Builder:
    return held_builder(HeldInNativeCode)


@pytest.mark.parametrize("body", [held_branch, held_iteration], ids=["a branch", "an iteration"])
@pytest.mark.parametrize("watched", [False, True], ids=["quiet", "with a listener"])
def test_a_run_given_up_on_with_a_stuck_body_shows_no_node_running(build, body, watched):
    _, held = body(build, HeldInNativeCode.name)
    listeners = [Listener()] if watched else []  # (a node listener takes the careful path, which makes its trace)
    handle = start_run(build.board, registry=build.registry, listeners=listeners)
    try:
        assert HeldInNativeCode.started.wait(DEADLINE), "the body never started"
        handle.cancel()
        run = handle.wait(DEADLINE)
        assert handle.done() and run.status is RunStatus.CANCELLED and run.stuck is not None, run.stuck
        assert [t for t in run.traces if t.status is NodeStatus.RUNNING or not t.end] == []
        stuck = run.traces_of(held.id)
        assert stuck and {t.status for t in stuck} == {NodeStatus.CANCELLED}
        cancelled = [t for t in run.traces if t.status is NodeStatus.CANCELLED]  # (the parallel node's too)
        assert len(cancelled) == len(stuck) + 1
        reason = f"stopped: {run.error}"
        assert run.error.startswith("the run was cancelled; ") and all(t.error == reason for t in cancelled), reason
        assert {r.status for r in run.record().traces} <= {NodeStatus.SUCCESS, NodeStatus.CANCELLED}
    finally:
        HeldInNativeCode.let_go.set()
