"""What a Parallel For Each's body on worker processes or dask reads of the run as the loop started (the outputs set
before it, the run's variables) travels to each worker once per loop, not with each of its chunks: a loop cuts its
iterations into two chunks per worker slot, and a large value (a 50 MB table, a long list) went with every one of
them, to the pool's pipe or through the dask scheduler, and was unpickled again by each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pack_builder import Builder
from scale_boards import until

from flowlike_core import DataType, LogLevel, NodeType, Variable, commands, data_in, data_out, exec_in, exec_out


def counted_types(ledger: Path, padding: int) -> list[type[NodeType]]:
    """Made here (cloudpickled by value to the workers): a value that writes the id of the process unpickling it to
    `ledger` (it pickles to over `padding` bytes), the node that makes it, and the body's node, which logs what it
    read."""

    def unpickled(size: int, pad: bytes) -> Counted:
        import os

        with open(ledger, "a") as out:
            out.write(f"{os.getpid()}:{size}\n")
        return Counted(size)

    class Counted:
        def __init__(self, size: int) -> None:
            self.size = size

        def __reduce__(self) -> tuple:
            return unpickled, (self.size, bytes(padding))

    class Make(NodeType):
        name = "t_make_counted"
        pins = (exec_in(), exec_out(), data_out("counted", DataType.GENERIC))

        def run(self, ctx):
            ctx.set_output("counted", Counted(7))
            ctx.activate("exec_out")

    class Read(NodeType):
        name = "t_read_counted"
        pins = (exec_in(), data_in("counted", DataType.GENERIC), data_in("value", DataType.INTEGER), exec_out())

        def run(self, ctx):
            counted, variable = ctx.get_input("counted"), ctx.get_variable("counted")
            ctx.info(f"{ctx.get_input('value')}: {type(counted).__name__} {counted.size}, "
                     f"{type(variable).__name__} {variable.size}")
            ctx.activate("exec_out")

    return [Make, Read], Counted


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_values_set_before_the_loop_travel_to_each_worker_once(workers, tmp_path, request):
    if workers == "dask":
        client = request.getfixturevalue("dask_backend").client
        until(lambda: len(client.nthreads()) == 2, "both dask workers")
    ledger = tmp_path / "unpickled"
    from flowlike_core.backends import bodies

    (make_type, read_type), counted = counted_types(ledger, bodies.INLINE)  # (smaller ones go with each chunk)
    build = Builder()
    build.registry.register(make_type)
    build.registry.register(read_type)
    build.board.apply(commands.UpsertVariable(Variable(name="counted", data_type=DataType.GENERIC, exposed=True)))
    items = list(range(12))
    make, loop = build.add("t_make_counted"), build.add("control_par_for_each", array=items, workers=workers)
    read = build.add("t_read_counted")
    build.chain(build.add("events_simple"), make, loop)
    build.wire(loop, "exec_out", read, "exec_in")
    build.wire(loop, "value", read, "value")
    build.wire(make, "counted", read, "counted")
    run = build.board.run(registry=build.registry, variables={"counted": counted(8)})
    assert run.ok, run.error
    read_lines = sorted((line.message for line in run.logs() if line.level is LogLevel.INFO and
                         line.node_id == read.id), key=lambda line: int(line.split(":")[0]))
    assert read_lines == [f"{item}: Counted 7, Counted 8" for item in items]
    here = f"{os.getpid()}:"
    loads = [line for line in ledger.read_text().split() if not line.startswith(here)]
    workers_used = {line.split(":")[0] for line in loads}
    assert workers_used, "no worker unpickled the values"
    # 4 chunks (two per worker slot) went to 2 workers: each unpickled the value and the variable once
    assert sorted(loads) == sorted(f"{pid}:{size}" for pid in workers_used for size in (7, 8))
    # what the body read leaves the workers' reach once the loop is over
    if workers == "processes":
        assert os.listdir(bodies._values_dir) == []
    else:
        until(lambda: not client.run_on_scheduler(_loop_values_held), "the loop's values to leave the scheduler")


def _loop_values_held(dask_scheduler) -> list[str]:
    return [name for name in dask_scheduler.extensions["variables"].variables if "loop-values" in name]


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_a_variable_that_cannot_travel_fails_the_loop_naming_it(workers, request):
    """It failed with pickle's words only (on processes), as the pool sent the chunk."""
    import threading

    if workers == "dask":
        request.getfixturevalue("dask_backend")
    build = Builder()
    build.board.apply(commands.UpsertVariable(Variable(name="guard", data_type=DataType.GENERIC, exposed=True)))
    loop = build.add("control_par_for_each", array=[1, 2], workers=workers)
    build.chain(build.add("events_simple"), loop)
    build.wire(loop, "exec_out", build.add("log_info"), "exec_in")
    run = build.board.run(registry=build.registry, variables={"guard": threading.Lock()})
    assert not run.ok
    assert "the run's variable 'guard', which the loop's iterations start from, cannot be sent to other processes " \
           "(TypeError: cannot pickle '_thread.lock' object): run the loop on workers 'threads'" in run.error


def reads_then_dies_once() -> list[type[NodeType]]:
    """Made here (cloudpickled by value to the workers): a node setting a large output, and one reading it that kills
    its process on the value 5 the first time (`folder`/died), once every worker has forgotten what it fetched."""

    class MakeLarge(NodeType):
        name = "t_make_large"
        pins = (exec_in(), exec_out(), data_out("large", DataType.GENERIC))

        def run(self, ctx):
            from flowlike_core.backends import bodies

            ctx.set_output("large", b"x" * (2 * bodies.INLINE))
            ctx.activate("exec_out")

    class ReadsThenDiesOnce(NodeType):
        name = "t_reads_then_dies_once"
        pins = (exec_in(), data_in("large", DataType.GENERIC), data_in("value", DataType.INTEGER),
                data_in("folder", DataType.STRING), exec_out())

        def run(self, ctx):
            import signal

            died = Path(ctx.get_input("folder")) / "died"
            if ctx.get_input("value") == 5 and not died.exists():
                from distributed import get_client

                def forget() -> None:
                    from flowlike_core.backends import bodies

                    bodies._befores.clear()

                get_client().run(forget)
                died.touch()
                os.kill(os.getpid(), signal.SIGKILL)
            ctx.info(f"{ctx.get_input('value')}: {len(ctx.get_input('large'))}")
            ctx.activate("exec_out")

    return [MakeLarge, ReadsThenDiesOnce]


def test_a_chunk_dask_runs_again_after_its_worker_died_reads_the_values_set_before_the_loop(dask_backend, tmp_path):
    """They stay on the scheduler while a chunk of the loop may run again: the one run again after its worker died
    (every worker forgot what it had fetched) reads them there."""
    from flowlike_core.backends import bodies

    client = dask_backend.client
    until(lambda: len(client.nthreads()) == 2, "both dask workers")
    build = Builder()
    for node_type in reads_then_dies_once():
        build.registry.register(node_type)
    make, loop = build.add("t_make_large"), build.add("control_par_for_each", array=list(range(1, 7)),
                                                      max_concurrent=1, workers="dask")
    reads = build.add("t_reads_then_dies_once", folder=str(tmp_path))
    build.chain(build.add("events_simple"), make, loop)
    build.wire(loop, "exec_out", reads, "exec_in")
    build.wire(loop, "value", reads, "value")
    build.wire(make, "large", reads, "large")
    try:
        run = build.board.run(registry=build.registry)
        assert run.ok, run.error
        assert (tmp_path / "died").exists()  # (the worker did die)
        assert sorted(line.message for line in run.logs() if line.node_id == reads.id) == \
            [f"{value}: {2 * bodies.INLINE}" for value in range(1, 7)]
    finally:  # (its nanny starts the killed worker again: the cluster is left as it was found)
        until(lambda: len(client.nthreads()) == 2, "the killed dask worker to be replaced")
