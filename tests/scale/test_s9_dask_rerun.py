"""dask runs the task of a worker that died again on another (`distributed.scheduler.allowed-failures`): a chunk of a
loop's iterations started over from its first, so an iteration that had ended before the death ran twice (its
result landed once, its side effects happened twice). The chunk run again skips the iterations whose results have
landed: only the iteration that was running when its worker died runs again."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from pack_builder import Builder
from scale_boards import until

from flowlike_core import DataType, NodeType, data_in, exec_in, exec_out, start_run

DEADLINE = 120.0
"""For a dask worker to die, its task to go to another and the nanny to start it again on a busy machine."""


def writes_then_dies_once() -> type[NodeType]:
    """A node type made here (cloudpickled by value to the workers): appends its value to `folder`/done, and on the
    value 5 kills its process the first time (SIGKILL, as an out-of-memory killer would)."""

    class WritesThenDiesOnce(NodeType):
        name = "t_writes_then_dies_once"
        pins = (exec_in(), data_in("value", DataType.INTEGER, default=0), data_in("folder", DataType.STRING),
                exec_out())

        def run(self, ctx):
            folder = Path(ctx.get_input("folder"))
            with open(folder / "done", "a") as done:
                done.write(f"{ctx.get_input('value')}\n")
            died = folder / "died"
            if ctx.get_input("value") == 5 and not died.exists():
                died.touch()
                os.kill(os.getpid(), signal.SIGKILL)
            ctx.activate("exec_out")

    return WritesThenDiesOnce


def test_a_chunk_run_again_after_its_worker_died_skips_the_iterations_that_had_ended(dask_backend,
                                                                                      tmp_path) -> None:
    """One iteration at a time, in two chunks of three (items 1-3, 4-6): the worker dies running item 5, after item
    4 had ended; dask runs that chunk again, which runs items 5 and 6 (not 4 again)."""
    build = Builder()
    build.registry.register(writes_then_dies_once())
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=list(range(1, 7)),
                                                        max_concurrent=1, workers="dask")
    writes = build.add("t_writes_then_dies_once", folder=str(tmp_path))
    build.chain(start, loop)
    build.wire(loop, "exec_out", writes, "exec_in")
    build.wire(loop, "value", writes, "value")
    try:
        run = start_run(build.board, registry=build.registry).wait(DEADLINE)
        assert run.ok, run.error
        assert (tmp_path / "died").exists()  # (the worker did die)
        done = [int(line) for line in (tmp_path / "done").read_text().split()]
        assert done == [1, 2, 3, 4, 5, 5, 6], done  # 5 again: it was running when its worker died
        assert len(run.traces_of(writes.id)) == 6
    finally:  # (its nanny starts the killed worker again: the cluster is left as it was found)
        until(lambda: len(dask_backend.client.nthreads()) == 2, "the killed dask worker to be replaced")
