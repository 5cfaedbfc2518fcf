"""Loop bodies on other processes: the iterations of a parallel for-each sent to a process pool or a dask cluster.

An iteration travels as a `BodyJob` (the board as JSON, its node types by cloudpickle, the run's variables, the
body's exec targets and the iteration's values) and comes back as a `BodyResult` (the values it set, its traces
and folded counts, its steps, its failure), which `flowlike_core.parallel` merges as it merges a thread's.
Variables a body sets stay in the worker: an iteration reads the run's variables as they were when it started.
On dask, when the run has listeners, an iteration's node events (started, finished, logs, progress) reach them
while it runs, as a thread's would (see `flowlike_core.backends.dask`); its traces join the record with its result.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flowlike_core.backends import BackendError
from flowlike_core.plan import Target
from flowlike_core.run import NodeStats, NodeTrace

if TYPE_CHECKING:
    from flowlike_core.backends.remote import Event
    from flowlike_core.executor import Executor

WORKERS = ("threads", "processes", "dask")


@dataclass
class BodyJob:
    run_id: str
    board_json: str
    node_types: bytes
    variables: dict[str, Any]
    targets: list[Target]
    values: dict[str, Any]
    topic: str | None = None
    """Where a dask task sends its live events (None: nobody listens)."""
    key: str = ""


@dataclass
class BodyResult:
    values: dict[str, Any]
    records: list[NodeTrace]
    folded: dict[str, NodeStats]
    steps: int
    result: Any = None
    error: Any = None
    """The RunError that failed the body (its class kept when it pickles)."""
    error_node: str | None = None
    batches: int = 0
    """Live event batches sent before the result: the tail below is batch number `batches`."""
    tail: list[Event] = field(default_factory=list)


def body_job(executor: Executor, targets: list[Target], values: dict[str, Any]) -> BodyJob:
    from flowlike_core.backends.remote import pack_node_types
    from flowlike_core.registry import Registry

    board = executor.run.board
    registry = Registry()
    for plan in executor.plan.nodes.values():
        registry.register(type(plan.impl), pack=type(plan.impl).pack, replace=True)
    return BodyJob(executor.run.id, board.model_dump_json(by_alias=True), pack_node_types(board, registry, "loop"),
                   dict(executor.variables), targets, values)


_boards: dict[str, tuple[Any, Any]] = {}
"""Worker side: board and registry by a hash of the job's board and types, so iterations reuse one plan."""


def run_body(job: BodyJob) -> BodyResult:
    """Worker side: run one iteration's body to its end."""
    import cloudpickle

    from flowlike_core.backends.remote import Recorder
    from flowlike_core.board import Board
    from flowlike_core.executor import Executor, _Abort
    from flowlike_core.plan import plan_for
    from flowlike_core.registry import Registry
    from flowlike_core.run import Run

    digest = hashlib.sha256(job.board_json.encode() + job.node_types).hexdigest()
    if digest not in _boards:
        registry = Registry()
        for node_type in cloudpickle.loads(job.node_types).values():
            registry.register(node_type, pack=node_type.pack, replace=True)
        _boards.clear()
        _boards[digest] = (Board.from_json(job.board_json, "<body job>"), registry)
    board, registry = _boards[digest]
    run = Run(job.run_id, board, job.targets[0][0], dict(job.variables))
    sender = None
    if job.topic is not None:
        from flowlike_core.backends.dask import Sender

        sender = Sender(job.topic, job.key)
    executor = Executor(plan_for(board, registry), run, listeners=[Recorder(sender.emit)] if sender else ())
    executor.values.update(job.values)
    error, error_node = None, None
    try:
        asyncio.run(executor.flow(job.targets))
    except _Abort as abort:
        error, error_node = abort.error, abort.node_id
    finally:
        batches, tail = sender.close() if sender else (0, [])
    own = {key: value for key, value in executor.values.items() if key not in job.values}
    return BodyResult(own, list(run.traces), dict(run.folded), run.steps, run.result, error, error_node, batches,
                      tail)


_pool: ProcessPoolExecutor | None = None


def process_pool() -> ProcessPoolExecutor:
    """One warm pool of spawned processes (a CPU each) for the loop bodies of this process."""
    global _pool
    if _pool is None:
        import multiprocessing

        if multiprocessing.current_process().daemon:
            raise BackendError("a parallel loop cannot start worker processes from inside a process-backend "
                               "worker; use workers='threads' or 'dask' there")
        _pool = ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn"))
    return _pool


async def submit(workers: str, job: BodyJob, executor: Executor) -> BodyResult:
    """Run a body on `workers` ("processes" or "dask") and wait for it without blocking the run's loop; on dask
    the run's listeners (those of `executor`) hear the body's node events as it goes."""
    if workers == "processes":
        return await asyncio.wrap_future(process_pool().submit(run_body, job))
    if workers == "dask":
        return await _on_dask(job, executor)
    raise BackendError(f"unknown workers {workers!r}: choose one of {', '.join(WORKERS)}")


async def _on_dask(job: BodyJob, executor: Executor) -> BodyResult:
    from flowlike_core.backends.dask import LATE_GRACE, channel
    from flowlike_core.backends.remote import InOrder, Relay

    client = _dask_client()
    loop = asyncio.get_running_loop()
    hooks = {"node_started": executor.on_node_started, "node_finished": executor.on_node_finished,
             "log": executor.on_log, "progress": executor.on_progress}
    if not any(hooks.values()):
        return await loop.run_in_executor(None, client.submit(run_body, job, pure=False).result)
    lines = channel(client)
    job.topic, job.key = lines.topic, f"flowlike-body-{job.run_id}-{uuid.uuid4().hex}"
    order = InOrder(Relay(executor.run, hooks, keep_records=False).apply)
    arrived = asyncio.Event()

    def deliver(number: int, events: list[Event]) -> None:
        if job.key in lines.sinks:  # not after the body has been settled
            order.add(number, events)
            arrived.set()

    lines.sinks[job.key] = lambda number, events: loop.call_soon_threadsafe(deliver, number, events)
    try:
        result: BodyResult = await loop.run_in_executor(None, client.submit(run_body, job, pure=False).result)
        order.add(result.batches, result.tail)
        deadline = loop.time() + LATE_GRACE
        while order.next <= result.batches and deadline > loop.time():  # batches still on their way
            arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), deadline - loop.time())
        order.skip_gaps()
        return result
    finally:
        lines.sinks.pop(job.key, None)


def _dask_client() -> Any:
    """The client of the dask worker this run is on, else this process's default client, else the dask
    backend's own (a LocalCluster unless configured)."""
    try:
        from distributed import get_client
    except ImportError as exc:
        raise BackendError("workers='dask' needs dask.distributed: pip install 'flowlike-nb[scale]'") from exc
    try:
        return get_client()
    except ValueError:
        from flowlike_core.backends import backend_for

        return backend_for("dask").client  # type: ignore[attr-defined]
