"""A run given up on while its event loop is held in native code, with a Parallel For Each on workers "processes"
or "dask" going on beside it: its iteration running on a worker shows Cancelled in the ended run (it read Running
for ever: its fork's quiet execution going on, mirrored from the worker, was never closed), and what the run shows
does not change once the loop is let go (the chunk's cancel emptied the fork's mirrored records: the iteration's
trace vanished from the ended run)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pack_builder import Builder
from scale_boards import DEADLINE, node_types, until
from stopping_nodes import HeldInNativeCode

from flowlike_core import (
    DataType,
    Listener,
    LogLevel,
    NodeStatus,
    NodeType,
    RunStatus,
    commands,
    data_in,
    exec_in,
    exec_out,
    start_run,
)


def holds_the_loop() -> type[NodeType]:
    """A node that awaits the file at `path`, then holds the run's event loop in native code until the test lets it
    go (`HeldInNativeCode.let_go`). Made here so that cloudpickle sends it by value to the workers (which plan the
    whole board); it reaches its events only when it runs, here."""

    class HoldsTheLoop(NodeType):
        name = "t_holds_the_loop"
        pins = (exec_in(), data_in("path", DataType.STRING), exec_out())

        async def run(self, ctx):
            import asyncio
            import time
            from pathlib import Path

            from stopping_nodes import HeldInNativeCode

            path, deadline = Path(ctx.get_input("path")), time.monotonic() + 60
            while not path.exists() and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            HeldInNativeCode.started.set()
            HeldInNativeCode.let_go.wait()  # (on the run's event loop)
            ctx.activate("exec_out")

    return HoldsTheLoop


@pytest.fixture
def build() -> Builder:
    build = Builder()
    build.registry.register(holds_the_loop())
    build.registry.register(next(t for t in node_types() if t.name == "s_wait_for"))
    HeldInNativeCode.started, HeldInNativeCode.let_go = threading.Event(), threading.Event()
    return build


def _state(run) -> tuple:
    return run.record().model_dump(), dict(run.values), run.steps, list(run.events), dict(run.reasons or {})


def _given_up_on(build: Builder, workers: str, tmp_path: Path, landing: threading.Event | None = None,
                 **options) -> tuple:
    """Start -> Parallel Execution of a node holding the run's loop in native code and a Parallel For Each on
    `workers` whose iteration waits for a file; the run is given up on while both go on, then let go (with `landing`:
    once the iteration has ended and its result waits for the run's loop, which sets it). The run's `_state` as it
    ended, and once let go."""
    hold, release = tmp_path / "hold", tmp_path / "release"
    start, parallel = build.add("events_simple"), build.add("control_par_execution", thread_model="tasks")
    holds = build.add("t_holds_the_loop", path=str(hold))
    loop = build.add("control_par_for_each", array=[1], workers=workers, max_concurrent=1)
    wait = build.add("s_wait_for", path=str(release))
    build.chain(start, parallel)
    left, right = [pin.id for pin in parallel.ordered_pins() if pin.name == "exec_out"]
    build.board.apply(commands.Connect(parallel.id, left, holds.id, "exec_in"))
    build.board.apply(commands.Connect(parallel.id, right, loop.id, "exec_in"))
    build.wire(loop, "exec_out", wait, "exec_in")
    build.board.log_level = LogLevel.WARN  # (quiet: its "waiting" line is held back, nothing makes its trace early)
    handle = start_run(build.board, registry=build.registry, **options)
    try:
        until(lambda: [t.status for t in handle.run.traces if t.node_id == wait.id] == [NodeStatus.RUNNING],
              "the iteration, running on its worker")
        Path(hold).touch()
        assert HeldInNativeCode.started.wait(DEADLINE), "the run's loop was never held"
        handle.cancel()
        run = handle.wait(DEADLINE)
        assert run.status is RunStatus.CANCELLED and run.stuck is not None, run.stuck
        assert [t.status for t in run.traces_of(wait.id)] == [NodeStatus.CANCELLED]
        assert [t for t in run.traces if t.status is NodeStatus.RUNNING or not t.end] == []
        ended = _state(run)
        if landing is not None:
            release.touch()
            assert landing.wait(DEADLINE), "the iteration's result never came"
    finally:
        HeldInNativeCode.let_go.set()
        release.touch()
    assert handle._ended.wait(DEADLINE), "the run's thread never ended once its loop was let go"
    return ended, _state(run)


@pytest.mark.parametrize("workers", ["processes", "dask"])
@pytest.mark.parametrize("watched", [False, True], ids=["quiet", "with a listener"])
def test_an_iteration_on_a_worker_ends_with_a_run_given_up_on(build, workers, watched, tmp_path, request):
    if workers == "dask":
        request.getfixturevalue("dask_backend")  # (the loop's iterations go to its client's cluster)
    ended, after = _given_up_on(build, workers, tmp_path, listeners=[Listener()] if watched else [])
    assert after == ended


def test_the_reasons_of_an_iteration_landing_after_its_run_was_given_up_on_stay_out(build, tmp_path, monkeypatch):
    """With a result cache, an iteration's result says why what it ran ran (here: uncached, the cache being in
    memory); one landing once the run's loop is let go joined the ended run's reasons (`run.why`)."""
    from flowlike_core.backends import bodies
    from flowlike_core.cache import ResultCache

    landing, post = threading.Event(), bodies.Inbox._post

    def posted(inbox: bodies.Inbox, place: int, result: bodies.BodyResult | None) -> None:
        post(inbox, place, result)
        if result is not None:
            landing.set()

    monkeypatch.setattr(bodies.Inbox, "_post", posted)
    ended, after = _given_up_on(build, "processes", tmp_path, landing, cache=ResultCache())
    assert after == ended
