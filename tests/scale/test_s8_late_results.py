"""A chunk of a loop's iterations that ended on its worker process, some of whose results never arrived here: those
iterations fail saying their results did not arrive after the chunk ended (they were named "on a worker that died",
though no worker had)."""

from __future__ import annotations

import pytest
from pack_builder import Builder

from flowlike_core import RunStatus, start_run
from flowlike_core.backends import bodies

DEADLINE = 120.0


def test_an_iteration_whose_result_never_arrives_fails_saying_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Items 1-4 one at a time in two chunks (1, 2 and 3, 4); the second result of each chunk is dropped as it
    arrives here, as if it had been lost on the way."""
    take = bodies.Inbox._take

    def dropping_the_second(inbox: bodies.Inbox, place: int, result: bodies.BodyResult | None) -> None:
        if place != 1:
            take(inbox, place, result)

    monkeypatch.setattr(bodies.Inbox, "_take", dropping_the_second)
    build = Builder()
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=[1, 2, 3, 4],
                                                        max_concurrent=1, workers="processes")
    say = build.add("log_info")
    build.chain(start, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", say, "message")
    run = start_run(build.board, registry=build.registry).wait(DEADLINE)
    assert run.status is RunStatus.FAILED, run.error
    assert run.error == f"an iteration's result did not arrive within {bodies.LATE_GRACE:g} s after its chunk had " \
                        f"ended on its worker (it ended there): what its nodes did is not in this run's record"
    lines = [line.message for line in run.traces_of(loop.id)[0].logs]
    assert not any("worker that died" in line for line in lines), lines
    # (2, 3: after the failure)
    assert lines[0] == "iteration 1 failed; iteration 0 finished; iterations 2 and 3 cancelled", lines
    assert [line.message for line in run.logs() if line.node_id == say.id][0] == "1"
