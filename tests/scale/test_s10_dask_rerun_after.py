"""A loop chunk dask runs again after its worker died (`flowlike_core.backends.dask.landed_before`):

- its live traces and lines show while it runs, as its first run's did (its batches, numbered from 0 again under the
  chunk's key, were taken for ones sent twice and dropped: nothing of the iteration run again showed until its
  result landed);
- under Cancel-On-Failure, once an iteration of the loop has failed it runs no iteration again (it started the one
  its worker died in over, after the failure, and ran it to its end);
- it runs though every worker that held its board has died (the board was scattered data on the workers, which
  dask's active memory manager leaves on one: "Removing worker ... caused the cluster to lose scattered data", and
  the chunk could not run again);
- it runs though more boards than the scheduler keeps went there since its board did (its board had been pushed
  out: the chunk could not read it)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from pack_builder import Builder
from scale_boards import until

from flowlike_core import DataType, NodeStatus, NodeType, RunStatus, data_in, exec_in, exec_out, start_run

DEADLINE = 120.0
"""For a dask worker to die, its task to go to another and the nanny to start it again on a busy machine."""


def dies_once() -> type[NodeType]:
    """A node type made here (cloudpickled by value to the workers). Value 1 fails at once. Value 2, the first time,
    logs a few lines (each its own live batch), waits for the file `folder`/die, then kills its process (SIGKILL, as
    an out-of-memory killer would); run again, it appends "again" to `folder`/ran, logs "again", and waits for
    `folder`/release."""

    class DiesOnce(NodeType):
        name = "t_dies_once"
        pins = (exec_in(), data_in("value", DataType.INTEGER, default=0), data_in("folder", DataType.STRING),
                exec_out())

        def run(self, ctx):
            import time

            folder, value = Path(ctx.get_input("folder")), ctx.get_input("value")
            if value == 1:
                raise RuntimeError("item 1 broke")
            if value == 2 and not (folder / "died").exists():
                (folder / "pid").write_text(str(os.getpid()))
                for line in range(5):
                    ctx.info(f"first run {line}")
                deadline = time.monotonic() + 120
                while not (folder / "die").exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
                (folder / "died").touch()
                os.kill(os.getpid(), signal.SIGKILL)
            if value == 2:
                with open(folder / "ran", "a") as ran:
                    ran.write("again\n")
                ctx.info("again")
                deadline = time.monotonic() + 120
                while not (folder / "release").exists() and time.monotonic() < deadline:
                    ctx.check_cancelled()
                    time.sleep(0.01)
            ctx.activate("exec_out")

    return DiesOnce


@pytest.fixture
def dask_loop(dask_backend, tmp_path):
    """A loop on dask of `dies_once` over `items`, two at a time; the cluster has both its workers again after."""

    def board(items: list[int]):
        build = Builder()
        build.registry.register(dies_once())
        start, loop = build.add("events_simple"), build.add("control_par_for_each", array=items, max_concurrent=2,
                                                            workers="dask")
        node = build.add("t_dies_once", folder=str(tmp_path))
        build.chain(start, loop)
        build.wire(loop, "exec_out", node, "exec_in")
        build.wire(loop, "value", node, "value")
        return build, node

    try:
        yield board
    finally:
        (tmp_path / "release").touch()
        until(lambda: len(dask_backend.client.nthreads()) == 2, "the killed dask worker to be replaced")


def test_a_chunk_run_again_shows_its_live_traces(dask_loop, tmp_path) -> None:
    build, node = dask_loop([2])
    handle = start_run(build.board, registry=build.registry)
    until(lambda: "first run 4" in [line.message for line in handle.run.logs()], "the first run's lines")
    (tmp_path / "die").touch()
    until(lambda: "again" in [line.message for line in handle.run.logs()], "the line of the chunk run again")
    assert [t.status for t in handle.run.traces_of(node.id)] == [NodeStatus.RUNNING]
    (tmp_path / "release").touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert [t.status for t in run.traces_of(node.id)] == [NodeStatus.SUCCESS]
    assert [line.message for line in run.logs()] == ["again"]


def test_a_chunk_run_again_after_a_failure_runs_nothing_again(dask_loop, tmp_path) -> None:
    build, node = dask_loop([1, 2])  # (two chunks, one item each, on the two workers at once)
    handle = start_run(build.board, registry=build.registry)
    until(lambda: NodeStatus.FAILED in [t.status for t in handle.run.traces_of(node.id)], "item 1's failure")
    (tmp_path / "die").touch()
    run = handle.wait(DEADLINE)
    assert run.status is RunStatus.FAILED and "item 1 broke" in (run.error or ""), run.error
    assert not (tmp_path / "ran").exists(), "item 2 ran again after item 1 had failed"
    assert [t.status for t in run.traces_of(node.id)] == [NodeStatus.FAILED]


def test_a_chunk_runs_again_after_every_worker_holding_its_board_died(dask_loop, dask_backend, tmp_path) -> None:
    build, node = dask_loop([2])
    handle = start_run(build.board, registry=build.registry)
    until(lambda: "first run 4" in [line.message for line in handle.run.logs()], "the first run's lines")
    running = int((tmp_path / "pid").read_text())
    client = dask_backend.client
    others = _worker_pids(client) - {running}
    for pid in others:  # (the other worker, which holds a copy of the board too, dies first)
        os.kill(pid, signal.SIGKILL)
    until(lambda: len(_worker_pids(client) - others) == 2, "the other dask worker to be replaced")
    (tmp_path / "die").touch()
    until(lambda: "again" in [line.message for line in handle.run.logs()], "the line of the chunk run again")
    (tmp_path / "release").touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert [t.status for t in run.traces_of(node.id)] == [NodeStatus.SUCCESS]


def test_a_chunk_runs_again_after_more_boards_than_the_cluster_keeps_went_there(dask_loop, dask_backend,
                                                                                 tmp_path) -> None:
    """A board stays on the scheduler while a task of its run can still run: past `ON_CLUSTER` boards run after it,
    it was pushed out, and its chunk run again after its worker died failed (it could not read its board)."""
    from flowlike_core.backends.dask import ON_CLUSTER

    build, node = dask_loop([2])
    handle = start_run(build.board, registry=build.registry)
    until(lambda: "first run 4" in [line.message for line in handle.run.logs()], "the first run's lines")
    for other in range(ON_CLUSTER + 1):  # (whole runs of other boards, on the other worker)
        board = Builder()
        board.board.name = f"other {other}"
        board.chain(board.add("events_simple"), board.add("log_info", message=f"other {other}"))
        ran = dask_backend.start(board.board, registry=board.registry, max_steps=100).wait(DEADLINE)
        assert ran.ok, ran.error
    until(lambda: len(_boards_on(dask_backend.client)) == ON_CLUSTER + 1,  # (as each run's task has ended)
          "the boards no run holds beyond the last ON_CLUSTER to leave the scheduler")
    (tmp_path / "die").touch()
    until(lambda: "again" in [line.message for line in handle.run.logs()] or handle.done(),
          "the line of the chunk run again")
    (tmp_path / "release").touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert [t.status for t in run.traces_of(node.id)] == [NodeStatus.SUCCESS]


def test_a_task_whose_board_is_not_on_the_scheduler_says_so(dask_backend) -> None:
    """(It failed with 'TimeoutError: ', nothing more.)"""
    from flowlike_core.backends import BackendError
    from flowlike_core.backends.dask import LATE_GRACE, board_of

    with pytest.raises(BackendError) as raised:
        dask_backend.client.submit(board_of, "gone", pure=False).result(DEADLINE)
    assert str(raised.value) == f"the board gone is not on the dask scheduler (waited {LATE_GRACE:g} s for it): its " \
                                f"runs had all ended, or the scheduler restarted"


def _boards_on(client) -> list[str]:
    """The boards on the client's scheduler (`flowlike_core.backends.dask.hold_board`)."""

    def boards(dask_scheduler) -> list[str]:
        return [name for name in dask_scheduler.extensions["variables"].variables if name.startswith("flowlike-board-")]

    return client.run_on_scheduler(boards)


def _worker_pids(client) -> set[int]:
    """The process ids of the cluster's workers that answer (none while one is dying: asked again)."""
    try:
        return set(client.run(os.getpid).values())
    except Exception:  # noqa: BLE001 - a worker dying as it was asked
        return set()
