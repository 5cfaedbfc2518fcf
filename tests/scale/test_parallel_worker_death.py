"""A parallel loop's iterations on worker processes whose worker dies: every iteration is accounted for in the run's
record. Those the dead worker took with it are named on the loop node (they showed as merely failed, and what they
had done there was silently missing from the record); the others' traces are all there."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading

import pytest
from pack_builder import Builder
from scale_boards import until

from flowlike_core import DataType, NodeStatus, NodeType, RunStatus, data_in, data_out, exec_in, exec_out, start_run
from flowlike_core.backends import bodies

DEADLINE = 120.0
"""For a pool of spawned processes to start, die and be replaced on a busy machine."""


def exits_on_four() -> type[NodeType]:
    """A node type made here (cloudpickled by value to the workers): its process exits on the value 4."""

    class ExitsOnFour(NodeType):
        name = "t_exits_on_four"
        pins = (exec_in(), data_in("value", DataType.INTEGER, default=0), exec_out())

        def run(self, ctx):
            if ctx.get_input("value") == 4:
                os._exit(7)
            ctx.activate("exec_out")

    return ExitsOnFour


def items(listed: str) -> set[int]:
    """The items (1 ..) of the iterations (0 ..) a log line lists ("iteration 3", "iterations 0, 1 and 5")."""
    return {int(index) + 1 for index in re.findall(r"\d+", listed)}


def summed_up(summary: str) -> dict[str, set[int]]:
    """The items of the iterations that failed, finished and were cancelled, as the loop's summary line lists them
    (a group with none is left out of it)."""
    found = dict.fromkeys(("failed", "finished", "cancelled"), set())
    for part in summary.split("; "):
        listed, outcome = re.fullmatch(r"(iterations? [\d, and]+) (failed|finished|cancelled)", part).groups()
        found[outcome] = items(listed)
    return found


def test_iterations_lost_with_a_dead_worker_are_named_and_the_others_kept() -> None:
    build = Builder()
    build.registry.register(exits_on_four())
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=list(range(1, 9)),
                                                        max_concurrent=2, workers="processes")
    say, exits = build.add("log_info"), build.add("t_exits_on_four")
    build.chain(start, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", say, "message")
    build.wire(say, "exec_out", exits, "exec_in")
    build.wire(loop, "value", exits, "value")
    run = start_run(build.board, registry=build.registry).wait(DEADLINE)
    assert run.status is RunStatus.FAILED and "exited with code 7" in (run.error or "")
    lines = [line.message for line in run.traces_of(loop.id)[0].logs]
    summary = next(line for line in lines if re.match(r"iterations? [\d, and]+ failed", line))
    failed_items, finished_items, cancelled_items = summed_up(summary).values()
    gone = next((line for line in lines if "on a worker that died" in line), None)
    assert gone is not None, lines
    lost_items = items(re.match(r"iterations? ([\d, and]+) (was|were) on", gone).group(1))
    assert 4 in lost_items and lost_items <= failed_items  # (the others failed: the pool died before they started)
    assert finished_items | failed_items | cancelled_items == set(range(1, 9)), lines  # (cancelled: after the death)
    assert sorted(int(line.message) for line in run.logs() if line.node_id == say.id) == sorted(finished_items)
    assert len(run.traces_of(exits.id)) == len(finished_items)


def killed_on_five() -> type[NodeType]:
    """A node type made here: on the value 5 its process is killed (SIGKILL, as an out-of-memory killer would), else
    it passes ten times its value on."""

    class KilledOnFive(NodeType):
        name = "t_killed_on_five"
        pins = (exec_in(), data_in("value", DataType.INTEGER, default=0), exec_out(),
                data_out("tenfold", DataType.INTEGER))

        def run(self, ctx):
            if ctx.get_input("value") == 5:
                os.kill(os.getpid(), signal.SIGKILL)
            ctx.set_output("tenfold", 10 * ctx.get_input("value"))
            ctx.activate("exec_out")

    return KilledOnFive


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_iterations_a_killed_worker_had_finished_keep_their_traces_and_outputs(workers, request, monkeypatch) -> None:
    """One iteration at a time, in two chunks of three (items 1-3, 4-6): the worker is killed running item 5, after
    it finished item 4 and before it started item 6. Each iteration's result came back as it ended, so item 4's
    traces, log line and output are in the record; only item 5 is named lost (the whole chunk was: 4, 5 and 6); item 6
    fails with the worker, never started. (Dask would run the chunk again on another worker, which item 5 kills in
    turn; here its scheduler gives a task up on the first death.)"""
    if workers == "dask":
        backend = request.getfixturevalue("dask_backend")
        monkeypatch.setattr(backend._cluster.scheduler, "allowed_failures", 0)
    build = Builder()
    build.registry.register(killed_on_five())
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=list(range(1, 7)),
                                                        max_concurrent=1, workers=workers)
    say, killed = build.add("log_info"), build.add("t_killed_on_five")
    build.chain(start, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", say, "message")
    build.wire(say, "exec_out", killed, "exec_in")
    build.wire(loop, "value", killed, "value")
    run = start_run(build.board, registry=build.registry).wait(DEADLINE)
    assert run.status is RunStatus.FAILED and "died" in (run.error or ""), run.error
    lines = [line.message for line in run.traces_of(loop.id)[0].logs]
    assert "iteration 4 was on a worker that died: what its nodes did there, if anything, is not in this run's " \
           "record" in lines, lines
    summary = next(line for line in lines if re.match(r"iterations? [\d, and]+ failed", line))
    assert summary == "iterations 4 and 5 failed; iterations 0, 1, 2 and 3 finished", lines  # (5: never started)
    assert [line.message for line in run.logs() if line.node_id == say.id] == ["1", "2", "3", "4"]
    assert [trace.status for trace in run.traces_of(killed.id)] == [NodeStatus.SUCCESS] * 4
    assert run.output(killed.id, "tenfold") == 40
    if workers == "dask":  # (its nanny starts the killed worker again: the cluster is left as it was found)
        until(lambda: len(backend.client.nthreads()) == 2, "the killed dask worker to be replaced")


def keeps_a_lock() -> type[NodeType]:
    """A node type made here: its output is a lock, which no pickler can send back from a worker."""

    class KeepsALock(NodeType):
        name = "t_keeps_a_lock"
        pins = (exec_in(), exec_out(), data_out("lock", DataType.GENERIC))

        def run(self, ctx):
            import threading

            ctx.set_output("lock", threading.Lock())
            ctx.activate("exec_out")

    return KeepsALock


def test_an_iteration_whose_values_cannot_come_back_fails_saying_so_with_its_traces_kept() -> None:
    """(The whole chunk failed, as if its worker had died: its iterations were named lost and their traces gone.)"""
    build = Builder()
    build.registry.register(keeps_a_lock())
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=[1, 2], max_concurrent=1,
                                                        workers="processes")
    say, keeps = build.add("log_info"), build.add("t_keeps_a_lock")
    build.chain(start, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", say, "message")
    build.wire(say, "exec_out", keeps, "exec_in")
    run = start_run(build.board, registry=build.registry).wait(DEADLINE)
    assert run.status is RunStatus.FAILED and "could not be sent back from its worker" in (run.error or ""), run.error
    lines = [line.message for line in run.traces_of(loop.id)[0].logs]
    assert not any("on a worker that died" in line for line in lines), lines
    assert [line.message for line in run.logs() if line.node_id == say.id] == ["1"]  # (2: cancelled, as 1 failed)
    assert [trace.status for trace in run.traces_of(keeps.id)] == [NodeStatus.SUCCESS]


def killing_loop(array: list[int]) -> Builder:
    """A board whose loop runs `t_killed_on_five` on each item of `array`, one at a time on the process pool."""
    build = Builder()
    build.registry.register(killed_on_five())
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=array, max_concurrent=1,
                                                        workers="processes")
    killed = build.add("t_killed_on_five")
    build.chain(start, loop)
    build.wire(loop, "exec_out", killed, "exec_in")
    build.wire(loop, "value", killed, "value")
    return build


def pool_readers() -> int:
    return sum(thread.name == "flowlike-pool-events" for thread in threading.enumerate())


def open_files() -> set[str]:
    """What this process's open file descriptors are open to (`pipe:[inode]`...)."""
    targets = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # (closed meanwhile)
            targets.add(os.readlink(f"/proc/self/fd/{fd}"))
    return targets


def test_a_dead_pools_pipe_reader_ends_and_its_pipe_closes() -> None:
    """A pool whose worker dies is replaced; its pipe's reader thread and the pipe go with it (they stayed: a long
    session whose loops kept losing workers piled up threads and open pipes)."""
    fine, killing = killing_loop([1, 2, 3]), killing_loop([4, 5, 6])
    assert start_run(fine.board, registry=fine.registry).wait(DEADLINE).status is RunStatus.SUCCESS
    readers, dead_pipes = pool_readers(), set()
    for _ in range(2):
        assert bodies._pool is not None
        dead_pipes.add(os.readlink(f"/proc/self/fd/{bodies._pool[1].poster.writer.fileno()}"))
        assert start_run(killing.board, registry=killing.registry).wait(DEADLINE).status is RunStatus.FAILED
        assert start_run(fine.board, registry=fine.registry).wait(DEADLINE).status is RunStatus.SUCCESS
    until(lambda: pool_readers() <= readers and not dead_pipes & open_files(),
          f"the dead pools' readers and pipes {dead_pipes} to go ({readers} readers before)")
