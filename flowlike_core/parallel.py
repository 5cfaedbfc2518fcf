"""Concurrent bodies for `control_par_for_each` and `control_par_execution`.

Each iteration (or branch) runs in a fork of the executor: the same plan, variables, node memory and open
resources, but its own value scope (the loop's `value` and `index`, and every output its body sets, are the
iteration's own), its own pure-node cache and its own trace records (its events go to the run's as they are
emitted; the run's `traces` show its records while it goes: `Run.forks`). A body whose first node is blocking
runs on a thread of its own (`max_concurrent` at a time); one whose first node awaits runs as a task on the
run's event loop; with `own_threads` every body runs on a thread, its awaits on that thread's own event loop; with
workers "processes" or "dask" the bodies go out in chunks (`flowlike_core.backends.bodies`), each iteration landing
in its fork as it ends there (a worker that dies takes with it only the one it was running). When all are done
the forks are merged in iteration order: their values into the run's (the last iteration's win, as in a
sequential loop), their traces and folded counts into the run's, so the record reads the same whatever order the
iterations finished in.

A failed iteration: with `cancel_rest` the iterations still going are cancelled at their next node (on other
processes too, where those a chunk has not started do not start: `flowlike_core.backends.bodies.ChunkStop`),
otherwise they finish; either way the run fails afterwards with the first failure, and an error log line on the loop
node lists which iterations failed, finished and were cancelled. Bodies on threads stuck in plain Python when
cancelled (by a sibling's failure or the run's cancel) are interrupted after the run's cancel grace, as a run's own
node is; one that cooperates (a node awaiting its close) is left to finish, as a run is
(`flowlike_core.stopping`). A run given up on while a body is stuck where no interrupt lands (native code) ends
without it: the executions its bodies have going on end Cancelled with the run (`close_forks`), and the run stays
as it ended: a stuck body let go later is not merged into it (its traces, values, steps and events are its own), and
what it writes to the run's variables, secrets or its result cache's reasons goes to what the run held before it
ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import ctypes
import dataclasses
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from flowlike_core.errors import RunCancelled
from flowlike_core.plan import Target, targets_by_id
from flowlike_core.run import FULL_TRACES, EventLog, NodeStats, NodeStatus, NodeTrace, Records, Run, trace_of
from flowlike_core.stopping import held, watch
from flowlike_core.wording import noun_for

if TYPE_CHECKING:
    from flowlike_core.backends.bodies import ChunkStop, LoopValues
    from flowlike_core.context import Context
    from flowlike_core.executor import Executor


class Scope(dict[str, Any]):
    """An iteration's values: its own writes, falling back to the run's values for what it did not set."""

    __slots__ = ("parent",)

    def __init__(self, parent: dict[str, Any]) -> None:
        super().__init__()
        self.parent = parent

    def get(self, key: str, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.parent.get(key, default)

    def __missing__(self, key: str) -> Any:
        return self.parent[key]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.parent


def fork(executor: Executor, values: dict[str, Any]) -> Executor:
    """An executor for one iteration: shares what the run shares, owns its values, pure cache and records."""
    from flowlike_core.context import Context

    sub = copy.copy(executor)
    sub.run = copy.copy(executor.run)
    sub.run.records, sub.run.folded, sub.run.steps = Records(idents=executor.plan.idents), {}, 0
    sub.run.values = sub.values = Scope(executor.values)
    sub.values.update(values)
    sub.pure_cache, sub.pure_done = {}, set()
    sub.counts = list(executor.counts)  # (a node that ran before the loop has run: `ctx._read_unset` says so)
    sub._shared = Context(sub, executor._shared._plan, None, None)
    sub._loop = sub._task = None
    sub.thread_id = None
    sub.notify = executor.notify  # type: ignore[method-assign]  # listeners see the run itself, not the fork
    sub.run.forks, sub.run.forking = [], threading.Lock()
    sub.run.quiet = sub.running_quietly  # (what `traces` shows of its fast path, while the run shows the fork's)
    sub._hot = sub.hot_state()
    return sub


async def fire_each(ctx: Context, exec_output: str, outputs: Sequence[dict[str, Any]], *, max_concurrent: int,
                    cancel_rest: bool, workers: str = "threads") -> None:
    """Fire `exec_output` once per entry of `outputs` concurrently, each run seeing the node's data outputs set to
    that entry (output pin name -> value): the iterations of a parallel loop."""
    targets = ctx._plan.exec_next[exec_output]
    if not targets or not outputs:
        return
    keys = ctx._plan.outputs
    bodies = [(targets, {keys[name]: value for name, value in values.items()}) for values in outputs]
    await run_concurrently(ctx, bodies, max_concurrent=max_concurrent, cancel_rest=cancel_rest,
                           what=("iteration", "iterations"), workers=workers)


async def fire_branches(ctx: Context, exec_output: str, *, own_threads: bool) -> None:
    """Run every pin of the exec output group `exec_output` at once, each pin's targets one branch: the
    branches of a parallel execution. One fate: a failing branch cancels the others and fails the run."""
    bodies = [(targets, {}) for targets in ctx._plan.exec_branches[exec_output] if targets]
    await run_concurrently(ctx, bodies, max_concurrent=len(bodies), cancel_rest=True, what=("branch", "branches"),
                           own_threads=own_threads)


async def run_concurrently(ctx: Context, bodies: Sequence[tuple[list[Target], dict[str, Any]]], *,
                           max_concurrent: int, cancel_rest: bool, what: tuple[str, str], workers: str = "threads",
                           own_threads: bool = False) -> None:
    """Run each body (its exec targets, and the values it starts with) in a fork, at most `max_concurrent` at
    a time, here (`workers="threads"`; `own_threads`: each on a thread) or as jobs on other processes
    ("processes", "dask"); merge them in order; raise the first failure once all have ended. `what` names a body,
    and several, in the log lines that say which failed."""
    executor: Executor = ctx._executor
    forks = [fork(executor, values) for _, values in bodies]
    run = executor.run
    with run.forking:
        run.forks = [*run.forks, *(sub.run for sub in forks)]  # (a new list: a reader iterates the one it took)
    limit = asyncio.Semaphore(max(1, max_concurrent))
    threads = ThreadPoolExecutor(max_workers=max(1, min(max_concurrent, len(bodies))),
                                 thread_name_prefix=f"flowlike-par-{executor.run.id}")
    outcomes: list[BaseException | None] = [None] * len(bodies)
    lost: list[int] = []
    """Iterations whose job failed as a whole (its worker died): what they did there went with it."""

    stop_chunks: ChunkStop | None = None
    """Tells the chunks on other processes to start no iteration more."""
    values: LoopValues | None = None
    """What the bodies on other processes read of the run as the loop started: it goes to each worker once."""

    def ended(index: int, outcome: BaseException | None) -> None:
        outcomes[index] = outcome
        if outcome is not None and cancel_rest and not isinstance(outcome, asyncio.CancelledError):
            _stop_all(forks)
            if stop_chunks is not None:
                stop_chunks()

    def ready(indexes: list[int]) -> list[int]:
        """Those of `indexes` still to run; the others end cancelled before they start."""
        going = [index for index in indexes if not (executor.cancelled or forks[index].cancelled)]
        for index in set(indexes) - set(going):
            outcomes[index] = RunCancelled("cancelled before it started")
        return going

    async def one(index: int) -> None:
        sub, (targets, _) = forks[index], bodies[index]
        async with limit:
            if not ready([index]):
                return
            try:
                if own_threads or all(plan.blocking for plan, _ in targets):
                    await asyncio.get_running_loop().run_in_executor(threads, _run_blocking, sub, targets)
                else:
                    await _flow_here(sub, targets)
            except BaseException as exc:  # noqa: BLE001 - an iteration's end, whatever it is, is recorded
                ended(index, exc)

    async def chunk(job: Any, indexes: list[int]) -> None:
        """Iterations one after another on another process, as one job; each lands in its fork as it ends there."""
        from flowlike_core.backends.bodies import submit

        async with limit:
            going = ready(indexes)
            if not going:
                return
            started: set[int] = set()
            """Iterations the worker began: the chunk's first as it started, the next one as each ended."""
            landed: set[int] = set()

            def arrived(place: int, result: Any) -> None:
                if place + 1 < len(going):
                    started.add(going[place + 1])
                if result is not None:
                    landed.add(going[place])
                    ended(going[place], _land(result, forks[going[place]]))

            try:
                shipped = [(targets_by_id(bodies[i][0]), bodies[i][1]) for i in going]
                await submit(workers, dataclasses.replace(job, bodies=shipped), values, executor, arrived,
                             [forks[i].run for i in going],
                             lambda: executor.cancelled or any(forks[i].cancelled for i in going))
            except BaseException as exc:  # noqa: BLE001 - the job failed (its worker died): the rest of it did
                for index in going:
                    if index in landed:
                        continue
                    if index in started and not _cancelled(exc):
                        lost.append(index)
                    ended(index, exc)  # (one it had not started fails with it: it never will)

    if workers == "threads":
        runs = [one(index) for index in range(len(bodies))]
    else:
        from flowlike_core.backends.bodies import ChunkStop, body_job, chunks, slots

        stop_chunks = ChunkStop(workers, executor.run.id)
        job, values = body_job(executor, bodies[0][0], cancel_rest, stop_chunks, workers)
        runs = [chunk(job, indexes) for indexes in chunks(len(bodies), min(max_concurrent, slots(workers)))]
    stopped = False
    try:
        await asyncio.gather(*runs)
    except asyncio.CancelledError:
        stopped = True
        _stop_all(forks)
        if stop_chunks is not None:
            stop_chunks()
        raise
    finally:
        if stop_chunks is not None:
            stop_chunks.close()
        if values is not None:
            values.release()
        try:
            if stopped:  # (bodies may still go on on their threads, cooperating: awaiting their close)
                await _threads_ended(threads, forks)
        finally:
            with _uninterrupted(executor):  # (no node code of its own runs here: the run's interrupt goes to the forks)
                threads.shutdown(wait=True)
                with run.forking:  # (a reader of the run's traces sees the forks' traces in its records or the forks)
                    if not run.end:  # (one that ended first stays as it ended: `close_forks`)
                        for sub, outcome in zip(forks, outcomes, strict=True):
                            merge(executor, sub, outcome)
                        merged = {id(sub.run) for sub in forks}
                        run.forks = [live for live in run.forks if id(live) not in merged]
    if run.end:
        raise RunCancelled("the run ended before its parallel bodies")
    failures = [(i, exc) for i, exc in enumerate(outcomes) if exc is not None and not _cancelled(exc)]
    if failures:
        cancelled = [i for i, exc in enumerate(outcomes) if exc is not None and _cancelled(exc)]
        finished = [i for i, exc in enumerate(outcomes) if exc is None]
        ended = (("failed", [i for i, _ in failures]), ("finished", finished), ("cancelled", cancelled))
        ctx.error("; ".join(f"{_bodies(what, found)} {outcome}" for outcome, found in ended if found))
        if lost:
            one = len(lost) == 1
            ctx.error(f"{_bodies(what, sorted(lost))} {'was' if one else 'were'} on a worker that died: what "
                      f"{'its' if one else 'their'} nodes did there, if anything, is not in this run's record")
        raise failures[0][1]
    if executor.cancelled:
        raise RunCancelled("the run was cancelled")


async def _threads_ended(threads: ThreadPoolExecutor, forks: list[Executor]) -> None:
    """Wait for the bodies on the pool's threads to end without holding the run's event loop: it answers the
    cancel's probe meanwhile (`flowlike_core.stopping`), so a run whose bodies cooperate is not taken for stuck.
    Returns early when a body is held where its interrupt does not land (native code): the caller then waits
    holding the loop, as for a node of its own held there, and the run is given up on as stuck. A cancel
    meanwhile does not cut the wait short: it is raised once the wait is over."""
    from flowlike_core.executor import CANCEL_GRACE

    ended = asyncio.ensure_future(asyncio.to_thread(threads.shutdown, True))
    cancelled = False
    while not ended.done():
        try:
            await asyncio.wait((ended,), timeout=CANCEL_GRACE)
        except asyncio.CancelledError:
            cancelled = True
            continue
        if any(map(held, forks)):
            break
    if cancelled:
        raise asyncio.CancelledError


def close_forks(run: Run, status: NodeStatus, at: float, error: str | None) -> None:
    """The run ended before its node code (it was given up on while a node or a parallel body is stuck where no
    interrupt lands): its bodies' executions going on end with it, as its own do (`Run.close_open`: `status` at `at`,
    saying why, `error`), and what it shows of its bodies stays as it was then: each fork in `run.forks` is replaced by
    a copy of it as it ended (`_as_ended`), and the run keeps copies of what it shared with them (`_keep_shared`). A
    stuck body let go later changes only its own fork, which the run no longer shows, and is not merged into the run
    (`run_concurrently`)."""
    _keep_shared(run)
    with run.forking:
        forks = list(run.forks)
    ended = [_as_ended(body, status, at, error) for body in forks]
    with run.forking:
        run.forks = ended


def _keep_shared(run: Run) -> None:
    """The run's variables, its redactor and its result cache's reasons, which its bodies write as they go (a fork
    shares them: a secret variable it sets adds its value to the redactor; a worker's iteration lands its reasons),
    become copies of themselves as the run ended: a body let go later writes into what the run held before. (A dict
    is copied whole under the GIL: no write lands half-way; a redactor builds its new pattern aside.)"""
    run.variables = type(run.variables)(run.variables)  # (the cache's `_ReadVariables` stays one)
    run.redactor = copy.copy(run.redactor)
    if run.reasons is not None:
        run.reasons = dict(run.reasons)


def _as_ended(body: Run, status: NodeStatus, at: float, error: str | None) -> Run:
    """A copy of a parallel body's run as the run ended: its records (with its quiet execution going on, which has
    none yet: a thread's fast path, a worker's mirrored) and its own bodies', their executions going on closed. The
    body's events go on in a log of their own: the run's stays as it ended."""
    with body.forking:  # (a merge of its own bodies lands wholly in its records or is still wholly in its forks)
        current = body.running_quietly()
        records = [*body.records, *([] if current is None else [current])]
        forks = list(body.forks)
        events, body.events = body.events, _detached(body.events)
    ended = copy.copy(body)
    ended.records = Records([record if type(record) is tuple else _copy_trace(record) for record in records])
    ended.close_open(status, at, error)
    ended.forking, ended.quiet, ended.events = threading.Lock(), None, events
    ended.forks = [_as_ended(inner, status, at, error) for inner in forks]
    return ended


def _copy_trace(trace: NodeTrace) -> NodeTrace:
    """A trace the live one's later changes (its end, status, log lines) do not reach."""
    copied = copy.copy(trace)
    copied.logs = list(trace.logs) if trace.logs else ()
    return copied


def _detached(events: EventLog) -> EventLog:
    """An event log for a body that outlives its run: as full as the run's, so that it keeps no more than it would
    have (a body's events are the run's until then)."""
    detached = EventLog(events.cap)
    detached.kept, detached.dropped = list(events.kept), events.dropped
    return detached


def _land(result: Any, sub: Executor) -> BaseException | None:
    """What an iteration did on another process lands in its fork, as a thread's would; its failure, if any."""
    from flowlike_core.executor import _Abort

    sub.values.update(result.values)
    _said_once(sub.unset_reads, result)
    sub.run.records, sub.run.folded, sub.run.steps = result.records, result.folded, result.steps
    sub.run.result = result.result
    if result.reasons and sub.run.reasons is not None:
        sub.run.reasons.update(result.reasons)
    sub.run.events.extend(result.events, result.dropped_events)  # (the run's own list: a fork shares it)
    return None if result.error is None else _Abort(result.error, result.error_node)


def _said_once(said: set[tuple[str, str]], result: Any) -> None:
    """Keep the warnings of unset reads (`ctx._read_unset`) of an iteration from another process that the run has not
    given yet (the run's `said`, which the forks share): another worker's iteration may have said the same."""
    again = result.unset_reads & said
    said |= result.unset_reads
    for trace in (record for record in result.records if isinstance(record, NodeTrace) and record.logs):
        trace.logs = [line for line in trace.logs if not any(
            trace.node_id == node_id and line.message.startswith(f"input {name!r} read None: ")
            for node_id, name in again)]


_interrupting = threading.Lock()
"""Held while a fork's thread is interrupted, and while it leaves its body: an interrupt never lands past it."""


def _run_blocking(sub: Executor, targets: list[Target]) -> None:
    sub.thread_id = threading.get_ident()  # (interruptible from now on: `_interrupt`)
    try:
        left = sub.flow_blocking(targets)
        if left:
            asyncio.run(_flow_here(sub, left))
    finally:
        _leave(sub)


def _leave(sub: Executor) -> None:
    """The fork's body has ended on this pool thread: no interrupt may reach it any more, nor one sent as it ended
    land in the pool's own code (it is cleared)."""
    from flowlike_core.executor import _Interrupted

    while True:
        try:
            with _interrupting:
                sub.thread_id = None
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)
            return
        except _Interrupted:  # sent as the body ended, landed here: the body is over anyway
            continue


def _stop_all(forks: list[Executor]) -> None:
    """Cancel every fork; one on a thread of its own is watched, and interrupted when held in plain Python there
    (not while it cooperates: its loop answers, say a node awaiting its close; `flowlike_core.stopping`)."""
    for sub in forks:
        _stop(sub)
        if sub.thread_id is not None:
            watch(sub, lambda sub=sub: sub.thread_id is None, lambda sub=sub: _interrupt(sub))


def _interrupt(sub: Executor) -> None:
    """Interrupt a fork's thread while its body is still on it (`_leave` clears `thread_id` under the same lock)."""
    with _interrupting:
        if sub.thread_id is not None:
            sub.interrupt()


@contextlib.contextmanager
def _uninterrupted(executor: Executor) -> Iterator[None]:
    """While the forks are waited for and merged: the run's interrupt does not land in this machinery."""
    thread_id, executor.thread_id = executor.thread_id, None
    try:
        yield
    finally:
        executor.thread_id = thread_id


async def _flow_here(sub: Executor, targets: list[Target]) -> None:
    """Run a fork's body as the current task, so cancelling the fork stops it at its next await."""
    sub._loop, sub._task = asyncio.get_running_loop(), asyncio.current_task()
    await sub.flow(targets)


def _stop(sub: Executor) -> None:
    """Cancel a fork from any thread (a thread's loop may close as we ask: then the fork has ended anyway)."""
    with contextlib.suppress(RuntimeError):
        sub.cancel()


def _cancelled(exc: BaseException) -> bool:
    error = getattr(exc, "error", exc)
    return isinstance(error, RunCancelled | asyncio.CancelledError)


def _bodies(what: tuple[str, str], indexes: list[int]) -> str:
    """`iteration 1`, `iterations 0 and 2`, `branches 0, 1 and 3`: which bodies (`what`: a body, several), by index."""
    *first, last = map(str, indexes)
    return f"{noun_for(len(indexes), *what)} {', '.join(first) + ' and ' if first else ''}{last}"


def merge(executor: Executor, sub: Executor, outcome: BaseException | None) -> None:
    """Fold an iteration's values, traces and counts into the run, as if it had run there. An execution its body
    left going (a node paused at when the run was stopped; `outcome`: how the body ended) ended with it: it is kept,
    cancelled (or failed, when the body failed), as a run's own are when it ends."""
    run = executor.run
    executor.values.update(dict.items(sub.values))
    run.steps += sub.run.steps
    if sub.run.result is not None:
        run.result = sub.run.result
    cut = NodeStatus.FAILED if outcome is not None and not _cancelled(outcome) else NodeStatus.CANCELLED
    for record in sub.run.records:
        trace = record if isinstance(record, NodeTrace) else trace_of(record)
        if trace.status is NodeStatus.RUNNING:
            trace.status, trace.end = cut, time.time()
        index = executor.plan.nodes[trace.node_id].index
        if executor.counts[index] < FULL_TRACES:
            executor.counts[index] += 1
            run.records.append(trace)
        else:
            executor.counts[index] += 1
            _stats(run.folded, trace).fold(trace)
    for node_id, stats in sub.run.folded.items():
        executor.counts[executor.plan.nodes[node_id].index] += stats.count
        _absorb(_stats(run.folded, stats), stats)


def _stats(folded: dict[str, NodeStats], of: NodeTrace | NodeStats) -> NodeStats:
    stats = folded.get(of.node_id)
    if stats is None:
        stats = folded[of.node_id] = NodeStats(of.node_id, of.node_name)
    return stats


def _absorb(into: NodeStats, other: NodeStats) -> None:
    if not into.count:
        into.first_step = other.first_step
    into.count += other.count
    into.total += other.total
    into.longest = max(into.longest, other.longest)
    into.failures += other.failures
    into.first_error = into.first_error or other.first_error
    into.last_error = other.last_error or into.last_error
    into.last_step = max(into.last_step, other.last_step)
    for line in other.logs:
        into.add_log(line)
    into.dropped_logs += other.dropped_logs

