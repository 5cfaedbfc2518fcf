"""Cancel On Failure reaches the chunks of a Parallel For Each already running on other worker processes or dask
workers: once an iteration has failed, the iterations a chunk has not started yet do not run, and the one it is
running stops at its next node (its next `ctx.check_cancelled()`), as on threads; one ignoring the cancel in plain
Python is interrupted there, as on threads (it ran to its end). Each chunk looked only at its own failures: a chunk
running beside the failed one went on through all its iterations."""

from __future__ import annotations

from pathlib import Path

import pytest
from pack_builder import Builder
from scale_boards import DEADLINE, until

from flowlike_core import DataType, NodeStatus, NodeType, RunStatus, data_in, exec_in, exec_out, start_run


def fails_beside() -> type[NodeType]:
    """A node type made here (cloudpickled by value to the workers). Each execution leaves `folder`/ran-VALUE. Value
    0 fails once value 2 has started (on another worker); value 2 waits for `folder`/go, looking whether it was
    cancelled meanwhile when `heeds` (failing after 30 s)."""

    class FailsBeside(NodeType):
        name = "t_fails_beside"
        pins = (exec_in(), data_in("value", DataType.INTEGER, default=0), data_in("folder", DataType.STRING),
                data_in("heeds", DataType.BOOLEAN, default=False), exec_out())

        def run(self, ctx):
            import time

            folder, value = Path(ctx.get_input("folder")), ctx.get_input("value")
            (folder / f"ran-{value}").touch()
            waits_for = {0: folder / "ran-2", 2: folder / "go"}.get(value)
            deadline = time.monotonic() + 30
            while waits_for is not None and not waits_for.exists():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{waits_for} never appeared")
                if ctx.get_input("heeds"):
                    ctx.check_cancelled()
                time.sleep(0.01)
            if value == 0:
                raise RuntimeError("item 0 broke")
            ctx.activate("exec_out")

    class AwaitsBeside(FailsBeside):
        """FailsBeside whose item 2 awaits between its looks (ignoring the cancel but at its awaits)."""

        name = "t_awaits_beside"

        async def run(self, ctx):
            import asyncio
            import time

            folder, value = Path(ctx.get_input("folder")), ctx.get_input("value")
            (folder / f"ran-{value}").touch()
            waits_for = {0: folder / "ran-2", 2: folder / "go"}.get(value)
            deadline = time.monotonic() + 30
            while waits_for is not None and not waits_for.exists():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{waits_for} never appeared")
                await asyncio.sleep(0.01)
            if value == 0:
                raise RuntimeError("item 0 broke")
            ctx.activate("exec_out")

    return FailsBeside, AwaitsBeside


@pytest.mark.parametrize("heeds", [False, True, "awaits"],
                         ids=["ignoring the cancel", "heeding the cancel", "ignoring it but at its awaits"])
@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_iterations_on_other_workers_stop_after_a_failure(workers, heeds, tmp_path, request, monkeypatch):
    """Items 0-7, two at a time in chunks of two: [0, 1] and [2, 3] run at once on the two workers; 0 fails while 2
    runs. 2 heeding the cancel stops by itself, 2 ignoring it (a plain-Python loop) is interrupted after the cancel's
    grace, as on a thread, and 2 ignoring it but awaiting is cancelled at its next await; either way 3 does not run
    (nor 1, after 0 in its own chunk, nor the chunks after, which had not gone out)."""
    from flowlike_core.backends import bodies, dask

    if workers == "dask":  # (the loop's iterations go to its client's cluster: both its workers, one restarted after
        client = request.getfixturevalue("dask_backend").client  # a test before killed it, maybe)
        until(lambda: len(client.nthreads()) == 2, "both dask workers")
    told = []
    owner, name = (bodies.ChunkStop, "__call__") if workers == "processes" else (dask, "stop_chunks")
    stop = getattr(owner, name)

    def stopping(*args) -> None:
        stop(*args)
        told.append(args)

    monkeypatch.setattr(owner, name, stopping)  # (what tells the workers: once it returns, they know)
    build = Builder()
    for node_type in fails_beside():
        build.registry.register(node_type)
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=list(range(8)), max_concurrent=2,
                                                        workers=workers, cancel_on_failure=True)
    node = build.add("t_awaits_beside" if heeds == "awaits" else "t_fails_beside", folder=str(tmp_path),
                     heeds=heeds is True)
    build.chain(start, loop)
    build.wire(loop, "exec_out", node, "exec_in")
    build.wire(loop, "value", node, "value")
    handle = start_run(build.board, registry=build.registry)
    try:
        until(lambda: NodeStatus.FAILED in [t.status for t in handle.run.traces_of(node.id)], "item 0's failure")
        until(lambda: told, "the loop to tell its workers to stop")
        until(handle.done, "the loop to end (item 2 stopping)")
    finally:
        (tmp_path / "go").touch()
    run = handle.wait(DEADLINE)
    assert run.status is RunStatus.FAILED and "item 0 broke" in (run.error or ""), run.error
    assert sorted(path.name for path in tmp_path.glob("ran-*")) == ["ran-0", "ran-2"]
    line = next(line.message for line in run.logs() if line.node_id == loop.id)
    assert line == "iteration 0 failed; iterations 1, 2, 3, 4, 5, 6 and 7 cancelled", line
    assert [t.status for t in run.traces_of(node.id)] == [NodeStatus.FAILED, NodeStatus.CANCELLED]


def test_a_cancelled_run_stops_its_loop_chunks_on_dask_workers(dask_backend, tmp_path, monkeypatch):
    """The run's cancel stops its loop's chunks too: items 2, 1, 3, 4 one at a time in chunks [2, 1] and [3, 4]; the
    run is cancelled while 2 runs (ignoring the cancel) and ends at once (it waited for the chunk's task to end, a
    thread of its loop waiting for it); once 2 has ended on its worker, its chunk starts no other (1 ran there, after
    the run had ended)."""
    from flowlike_core.backends import dask

    client = dask_backend.client
    until(lambda: len(client.nthreads()) == 2, "both dask workers")
    told, stop = [], dask.stop_chunks

    def stopping(*args) -> None:
        stop(*args)
        told.append(args)

    monkeypatch.setattr(dask, "stop_chunks", stopping)
    build = Builder()
    build.registry.register(fails_beside()[0])
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=[2, 1, 3, 4], max_concurrent=1,
                                                        workers="dask")
    node = build.add("t_fails_beside", folder=str(tmp_path))
    build.chain(start, loop)
    build.wire(loop, "exec_out", node, "exec_in")
    build.wire(loop, "value", node, "value")
    handle = start_run(build.board, registry=build.registry)
    try:
        until(lambda: (tmp_path / "ran-2").exists(), "item 2 to start")
        handle.cancel()
        run = handle.wait(DEADLINE)
        assert run.status is RunStatus.CANCELLED and run.stuck is None, run.error
        assert any(client.processing().values()), "the run waited for its loop's chunk to end on its worker"
        until(lambda: told, "the loop to tell its workers to stop")
    finally:
        (tmp_path / "go").touch()
    until(lambda: not any(client.processing().values()), "the chunk to end on its worker")
    assert sorted(path.name for path in tmp_path.glob("ran-*")) == ["ran-2"]
