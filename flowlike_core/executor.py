"""Run a Board: exec nodes in steps (wavefronts), pure nodes pulled on demand and computed once per step.

    run = run_board(board, variables={"rows": 10})
    run.status, run.result, run.traces

Shaped like dask's local scheduler: plain functions over plain state. The `Run` holds everything a run
leaves (values, variables, traces); the `Executor` holds the scratch of one run (the step's pure cache,
node memory, open resources) and calls the listeners (`flowlike_core.events.Listener`) as nodes go.
A run goes on an event loop in a worker thread, so it works the same from a script, from the CLI and
from a notebook whose own loop is already running; KeyboardInterrupt in the caller cancels it cleanly.

Rules worth knowing:
- Pulling a pure node first computes the pure nodes it reads, in dependency order, without recursion (as
  Flow-Like runs a node's dependencies first), so chains of any length work.
- A pure node that raises fails the exec node that pulled it: when that node's On Error output is wired,
  the error goes there (the pure node's trace stays Failed); otherwise the run fails at the pure node.
- Parallel branches (`control_par_execution`, or an exec output wired to several nodes) share one fate:
  an unhandled failure in one fails the run, and its siblings are cancelled at their next await.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import inspect
import reprlib
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from flowlike_core.backends import stop_if_worker_importing_main
from flowlike_core.board import Board
from flowlike_core.context import Context, unset_read
from flowlike_core.errors import (
    BoardError,
    NodeFailed,
    RunCancelled,
    RunError,
    StepLimitExceeded,
    UnknownNodeError,
    UnknownVariableError,
)
from flowlike_core.events import Listener, hooks
from flowlike_core.node import ERROR_EXEC, ERROR_MESSAGE, EXEC_OUT
from flowlike_core.plan import VALUE, NodePlan, Plan, Target, Targets, plan_for
from flowlike_core.policy import Capability, Policy, refusal
from flowlike_core.policy import active as active_policy
from flowlike_core.registry import Registry, default_registry
from flowlike_core.run import FULL_TRACES, LEVEL_ORDER, ROW, NodeStats, NodeStatus, NodeTrace, Run, RunStatus
from flowlike_core.stopping import cooperating, watch, watched
from flowlike_core.types import INTEGER_RANGE, DataType, ValueType, beyond_integer, fits, to_runtime, type_label
from flowlike_core.wording import counted, raised

if TYPE_CHECKING:
    from flowlike_core.cache import ResultCache
    from flowlike_core.debugger import Debugger

DEFAULT_MAX_STEPS = 1_000_000
CANCEL_GRACE = 0.5
"""Seconds a cancelled run gets to stop by itself before node code is interrupted, and again before the
caller stops waiting for a node stuck where no interrupt reaches (native code)."""
CLEANUP_LIMIT = 30.0
"""Seconds a cancelled run that still cooperates (its event loop answers: it awaits, say a node's close; or it
closes its resources) is waited for before it is given up on as stuck. Cooperating code is never interrupted."""
_now = time.time
_write_row, _ROW_SIZE = ROW.pack_into, ROW.size
SUCCESS = NodeStatus.SUCCESS
NODE_ERRORS = (Exception, SystemExit, KeyboardInterrupt)
"""What node code may raise: all of it fails the node (`sys.exit()` in a node must not leave a run Running)."""
_MISSING = object()


class _Abort(BaseException):
    """Unwinds a run past node code (which may catch Exception) when it fails, is cancelled or runs away."""

    def __init__(self, error: RunError, node_id: str | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.node_id = node_id


class _PureFailed(_Abort):
    """A pure node raised: unwinds to the exec node that pulled it, which routes or re-raises it."""


class _Interrupted(_Abort):
    """Raised inside node code that ignored a cancel (see `RunHandle.cancel`)."""

    def __init__(self) -> None:
        super().__init__(RunCancelled("the run was cancelled while a node was running; the node was interrupted"))


class Executor:
    """One run of one plan: the run's scratch state and the functions that move it on."""

    def __init__(self, plan: Plan, run: Run, *, payload: Any = None, max_steps: int = DEFAULT_MAX_STEPS,
                 listeners: Iterable[Listener] = (), policy: Policy | None = None,
                 debugger: Debugger | None = None, cache: ResultCache | None = None) -> None:
        self.plan = plan
        self.run = run
        self.payload = payload
        self.max_steps = max_steps
        self.values = run.values
        self.variables = run.variables
        self.pure_cache: dict[str, Any] = {}
        """Outputs of the pure nodes computed in this step, by value key."""
        self.pure_done: set[str] = set()
        """Pure nodes computed in this step."""
        self.node_state: dict[str, dict[str, Any]] = {}
        """Per-node memory for one run (`ctx.state`)."""
        self.unset_reads: set[tuple[str, str]] = set()
        """(node id, input name) of the inputs that read an output no one had set, and said so (`ctx._read_unset`)."""
        self.cache: dict[Any, Any] = {}
        """Open resources shared by nodes for one run (`ctx.cache`)."""
        self.closers: list[Callable[[], Any]] = []
        """What `ctx.close_at_end` registered: called (and awaited) in reverse order when the run ends."""
        self.counts = [0] * len(plan.nodes)
        """Executions per node, by its plan's `index` (a list: a dict keyed by plans cost a chain a seventh of its
        time): the first `FULL_TRACES` are traced, later ones folded."""
        run.records.idents = plan.idents
        self.log_floor = LEVEL_ORDER[run.board.log_level]
        watchers = [*listeners, *Listener.active]
        if debugger is not None:  # it watches every node (so the fast path is off); last: the others hear a node
            watchers.append(debugger)  # start before the run pauses at it
        self.on_start, self.on_finished = hooks(watchers, "start"), hooks(watchers, "finished")
        self.on_node_started, self.on_node_finished = hooks(watchers, "node_started"), hooks(watchers, "node_finished")
        self.on_log, self.on_progress = hooks(watchers, "log"), hooks(watchers, "progress")
        self.on_event = hooks(watchers, "event")
        self.stopped_at = 0.0
        """When `flow_blocking` last left: the end of the last node it ran (or of its wait for it)."""
        self.step = 0
        """Steps so far: a step runs the nodes the one before activated (branches of a fork share one)."""
        self.cancelled = False
        """Set (from any thread) to stop the run; checked before every node and by `ctx.check_cancelled()`."""
        self.closing = False
        """Set when the run's node code is over and it closes its resources, then ends: no interrupt from then on."""
        self.fast_steps = 0 if self.on_node_started or self.on_node_finished else max_steps
        """Below this many steps a blocking node takes the fast path; 0 once cancelled or when watched."""
        self.policy = run.policy = policy
        """What the nodes may reach (None: everything, as in a notebook); see `flowlike_core.policy`. The run keeps it:
        a node computed after the run keeps to it too (`partial.output_after`)."""
        self.refused: dict[str, list[Capability]] = {} if policy is None else {
            p.node_id: refused for p in plan.nodes.values() if (refused := policy.refused(type(p.impl)))}
        """Nodes whose type needs what the policy refuses: they fail when they start, before they act."""
        self.sensitive = plan.sensitive
        """Nodes with wired inputs marked sensitive: what arrives there is secret from then on."""
        self.guarded = bool(self.refused or self.sensitive)
        if self.guarded:
            self.fast_steps = 0  # every execution goes through the careful path, which guards them
        self.redactor = run.redactor
        if plan.sensitive_values:
            run.redactor.add(*plan.sensitive_values)
        self._shared: Context = Context(self, next(iter(plan.nodes.values()), None), None, None)  # type: ignore[arg-type]
        """The Context of every fast-path execution."""
        self._hot = self.hot_state()
        run.quiet = self.running_quietly
        self.thread_id: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self.debugger = debugger
        """Pauses the run before nodes, in its node_started hook (`flowlike_core.debugger`); None for plain runs."""
        if debugger is not None:
            debugger.attach(self, hooks(watchers, "paused"), hooks(watchers, "resumed"))
        self.results = cache.session(self) if cache is not None else None
        """The result cache as this run uses it (`flowlike_core.cache`); None: every node runs, as ever."""
        if self.results is not None:
            start = plan.nodes.get(run.start_node)
            if start is not None and start.pure or any(not p.pure and p.impl.cacheable for p in plan.nodes.values()):
                self.fast_steps = 0  # only the careful path serves an idempotent exec node or a pure start node

    def hot_state(self) -> tuple[Any, ...]:
        """What `flow_blocking` reads, in one tuple (a loop body fires it once per iteration); a fork of this
        executor (`flowlike_core.parallel.fork`), which owns other records and values, makes its own."""
        records = self.run.records
        return self.run, self.counts, self._shared, self.run.folded, records, records.rows, self.pure_done

    def notify(self, hooks_: list[Any], *args: Any) -> None:
        """Call listener hooks; one that raises is reported and never changes the run."""
        for hook in hooks_:
            try:
                hook(self.run, *args)
            except Exception as exc:
                warnings.warn(f"run {self.run.id}: listener {getattr(hook, '__qualname__', hook)} failed: {exc}",
                              RuntimeWarning, stacklevel=2)

    # ---- control flow --------------------------------------------------------------------------------

    async def main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self.thread_id = threading.get_ident()
        if self.policy is not None:
            active_policy.set(self.policy)  # for the file nodes' path checks (this task and what it starts)
        run = self.run  # its start is when it was made (Run.start): a client told it at once reads it unchanged
        self.notify(self.on_start)
        status, error, node_id = RunStatus.SUCCESS, None, None
        try:
            if self.cancelled:
                raise _Abort(RunCancelled("cancelled before it started"))
            await self.flow([(self.plan.nodes[run.start_node], "")])
        except _Abort as abort:
            error, node_id = abort.error, abort.node_id
            status = RunStatus.CANCELLED if isinstance(abort.error, RunCancelled) else RunStatus.FAILED
        except asyncio.CancelledError:
            status, error = RunStatus.CANCELLED, RunCancelled("the run was cancelled")
        finally:
            await self.close_resources()
            self.cache.clear()
            self._shared._executor = None  # type: ignore[assignment]  # no cycle: the run's garbage goes at once
            end(self, status, error, node_id)

    async def close_resources(self) -> None:
        """Close what nodes opened for this run, newest first; a close that fails is a warning, not a failure.

        However long a close takes (a browser's, on a busy machine), it is not cut short: the closes go on as a task
        of their own, shielded from the run's cancel. A run cancelled while its thread was held in node code (a
        paused debug run, a blocking node) is told at its first await, which may be in a close: that cut the close
        short, and the run never ended."""
        self.closing = True
        closing = asyncio.ensure_future(self._close_all())
        while not closing.done():
            with contextlib.suppress(asyncio.CancelledError):  # the run's cancel, landing late: the closes go on
                await asyncio.shield(closing)

    async def _close_all(self) -> None:
        while self.closers:
            close = self.closers.pop()
            try:
                result = close()
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:  # the run is over: report it, never change its outcome
                warnings.warn(f"closing a resource at the end of run {self.run.id} failed: {exc!r}", RuntimeWarning,
                              stacklevel=1)

    async def flow(self, frontier: Targets) -> None:
        """Run steps until no exec output is active: each step runs the nodes the last one activated."""
        while True:
            frontier = self.flow_blocking(frontier)
            if not frontier:
                return
            self.step += 1
            if self.pure_done:
                self.new_step()
            if len(frontier) == 1:
                frontier = await self.execute(frontier[0])
                continue
            try:
                async with asyncio.TaskGroup() as group:
                    tasks = [group.create_task(self.execute(target)) for target in frontier]
            except BaseExceptionGroup as errors:
                raise next((e for e in errors.exceptions if isinstance(e, _Abort)), errors.exceptions[0]) from None
            frontier = [target for task in tasks for target in task.result()]

    def flow_blocking(self, frontier: Targets, clock: float | None = None) -> Targets:
        """Run steps of one blocking exec node each, without a coroutine; returns what is left for `flow`.

        The hot path: tracing is written out here for the common case (no node listeners, within limits)
        with one shared Context (a plain function cannot be re-entered); `execute` is the readable twin. While
        a node runs, its Context's `record` is its start time: its trace record, a row of `Records`, is written when
        it ends, unless the node made a `NodeTrace` meanwhile (it logged or failed: `Context.trace`). The step
        counters live in locals, written through as they change (the careful path changes them itself).
        One clock reading per node: an execution starts when the one before it ended; `clock`, when given, is when
        the first one starts (a loop's next iteration: when its last one ended, `stopped_at`).
        """
        run, counts, ctx, folded, records, rows, pure_done = self._hot
        steps, step, room = run.steps, self.step, 0  # (room: found at the first row, not per loop iteration)
        if clock is None:
            clock = _now()
        try:
            while frontier:
                try:
                    target, = frontier
                except ValueError:  # several targets: a wavefront, which `flow` runs
                    return frontier
                plan = target[0]
                if not plan.blocking:
                    return frontier
                step += 1
                if pure_done:
                    self.new_step()
                if steps >= self.fast_steps:
                    self.step = step  # (`run.steps` is written as it counts)
                    ctx.record = None
                    try:
                        frontier = self.execute_blocking(target)
                    finally:
                        steps, step, clock = run.steps, self.step, _now()
                    continue
                run.steps = steps = steps + 1  # (written as it goes: a run given up on while a node is stuck reads it)
                self.step = step
                index = plan.index
                count = counts[index]
                counts[index] = count + 1
                if plan.routes:  # (its trigger is read by no one: left untouched, as memory a long chain need not load)
                    ctx._plan, ctx.record = plan, clock
                else:
                    ctx._plan, ctx.record, ctx._target = plan, clock, target
                try:
                    run_node = plan.run  # (read as an attribute: a method-style call of a slot is never specialized)
                    frontier = run_node(ctx)
                except BaseException as exc:
                    ctx.clear_activations()
                    frontier = self._raised(plan, ctx, exc)
                    clock = _now()
                    continue
                end = _now()
                if ctx.record is not clock:  # the node made its trace
                    self._finished(ctx.record, end)
                elif count < FULL_TRACES:  # (`Records.append`, written out)
                    at = records.end
                    if at >= room:  # (`len(rows)` per node cost more than the row; `>=`: the careful path grows it too)
                        if at == len(rows):
                            records.grow()
                        room = len(rows)
                    _write_row(rows, at, index, step, clock, end)
                    records.end = at + _ROW_SIZE
                else:  # folded (`NodeStats.fold` of a plain success), written out: loop bodies spend their time here
                    try:
                        stats = folded[plan.node_id]
                    except KeyError:  # (its first folded execution: a subscript in a `try` costs less than a `get`)
                        stats = self.stats(plan.node_id, plan.node_name, step)
                    duration = end - clock
                    stats.count += 1
                    stats.total += duration
                    stats.last_step = step
                    if duration > stats.longest:
                        stats.longest = duration
                clock = end
                if plan.routes:
                    continue
                if ctx._more:  # (`_next` and `Context.clear_activations`, written out)
                    frontier = self._next(ctx)
                    ctx._more.clear()
                else:
                    frontier = ctx._next
                ctx._first, ctx._next = None, ()
                continue  # (CPython 3.11 specializes a loop's code at an unconditional jump back, not at `while`)
            return frontier
        finally:
            ctx.record = None  # (no execution of the fast path is going on: see `running_quietly`)
            self.stopped_at = clock

    def execute_blocking(self, target: Target) -> Targets:
        """Run one blocking exec node the careful way (step limit, cancel, node listeners)."""
        plan = target[0]
        ctx = self._begin(plan, target)
        try:
            if self.guarded:
                self.guard(plan, ctx)
            results = self.results
            if results is None or not results.replayed(plan, ctx):
                plan.run(ctx)
                if plan.routes:
                    ctx.activate(EXEC_OUT)
                if results is not None:
                    results.stored(plan, ctx)
        except BaseException as exc:
            return self._raised(plan, ctx, exc)
        self._end_trace(ctx, SUCCESS)
        return self._next(ctx)

    async def execute(self, target: Target) -> Targets:
        """Run one exec node that awaits (its own `run`, or async pure nodes it reads)."""
        plan = target[0]
        ctx = self._begin(plan, target)
        try:
            if self.guarded:
                self.guard(plan, ctx)
            if plan.awaits_pure:
                await self.pull_async(plan.pure_sources)
            results = self.results
            if results is None or not results.replayed(plan, ctx):
                outcome = plan.run(ctx)
                if plan.is_async:
                    await outcome
                elif plan.routes:
                    ctx.activate(EXEC_OUT)
                if results is not None:
                    results.stored(plan, ctx)
        except asyncio.CancelledError:
            self._end_trace(ctx, NodeStatus.CANCELLED, "cancelled")
            raise
        except BaseException as exc:
            return self._raised(plan, ctx, exc)
        self._end_trace(ctx, SUCCESS)
        return self._next(ctx)

    @staticmethod
    def _next(ctx: Context) -> Targets:
        """The targets of the exec outputs the execution activated (the plan's own tuples, shared, never changed)."""
        if not ctx._more:
            return ctx._next
        return [target for targets in ctx.activated.values() for target in targets]

    def _raised(self, plan: NodePlan, ctx: Context, exc: BaseException) -> Targets:
        """An exec node raised: route it to On Error, or unwind the run."""
        if isinstance(exc, _PureFailed):
            self._end_trace(ctx, NodeStatus.FAILED, f"an input failed: {exc.error}")
            if plan.error_wired:
                return self._handled(plan, str(exc.error))
            raise _Abort(exc.error, exc.node_id) from exc
        if isinstance(exc, _Abort):
            self._end_trace(ctx, _abort_status(exc), "stopped: " + str(exc.error))
            raise exc
        if not isinstance(exc, NODE_ERRORS):
            raise exc
        self._end_trace(ctx, NodeStatus.FAILED, f"{raised(exc)}{self._unrun_sources(plan)}",
                        traceback.format_exc())
        if plan.error_wired:
            return self._handled(plan, ctx.trace.error or "")
        raise _Abort(NodeFailed(f"node {plan.node.label()} failed: {ctx.trace.error}"), plan.node_id) from exc

    def _unrun_sources(self, plan: NodePlan) -> str:
        """What a failure may come from when an input read nothing because the exec node wired into it has not run
        (not upstream in the exec flow: `flowlike validate`'s read-before-run) or did not set it: the node then got
        None, and its error ("got NoneType") would not say why. Looked at only once a node has failed."""
        whys = (unset_read(self, name, source.key) for name, source in plan.reads.items()
                if source.kind == VALUE and source.key not in self.values)
        return "".join(f" ({why})" for why in whys if why is not None)

    def _handled(self, plan: NodePlan, message: str) -> Targets:
        key = plan.outputs.get(ERROR_MESSAGE)
        if key:
            self.values[key] = message
        return plan.exec_next[ERROR_EXEC]

    def _begin(self, plan: NodePlan, target: Target) -> Context:
        """Open an execution the careful way: step limit, cancel, a Context of its own, listeners told."""
        if self.cancelled:  # (first: a cancelled run counts no step more, even one let go after it ended)
            raise _Abort(RunCancelled("the run was cancelled"), plan.node_id)
        run = self.run
        run.steps += 1
        if run.steps > self.max_steps:
            raise _Abort(StepLimitExceeded(
                f"step limit of {self.max_steps} steps (exec node executions) reached at node {plan.node.label()}: "
                f"a loop that never ends? Raise max_steps (flowlike run --max-steps) if the work is really that "
                f"long"), plan.node_id)
        ctx = Context(self, plan, self._trace(plan, _now()), target)
        if self.on_node_started:
            self.notify(self.on_node_started, ctx.trace)
        return ctx

    def _trace(self, plan: NodePlan, start: float, counted: bool = False) -> NodeTrace:
        """The trace of a new execution of `plan`'s node (`counted`: already counted, by the fast path): kept in the
        run's records for its node's first `FULL_TRACES` executions, folded after."""
        count = self.counts[plan.index]
        if counted:
            count -= 1
        else:
            self.counts[plan.index] = count + 1
        trace = NodeTrace(plan.node_id, plan.node_name, self.step, start, folded=count >= FULL_TRACES)
        if count < FULL_TRACES:
            self.run.records.append(trace)
        return trace

    def trace_now(self, ctx: Context) -> NodeTrace:
        """The trace of a fast-path execution going on, made now (`Context.trace`): the node logged or failed."""
        trace = ctx.record = self._trace(ctx._plan, ctx.record, counted=True)  # type: ignore[arg-type]
        return trace

    def past_full_traces(self, ctx: Context) -> bool:
        """Whether the execution going on in `ctx` is past its node's first `FULL_TRACES`: a quiet one of those is
        folded as it goes and makes no `NodeTrace`."""
        return self.counts[ctx._plan.index] > FULL_TRACES

    def running_quietly(self) -> NodeTrace | None:
        """A copy of the trace of the fast-path execution going on, if it has not made its own (until it ends it has
        no record): what `Run.traces` shows, and a remote run's live traces."""
        ctx = self._shared
        plan, start = ctx._plan, ctx.record
        return NodeTrace(plan.node_id, plan.node_name, self.step, start) if type(start) is float else None

    def guard(self, plan: NodePlan, ctx: Context) -> None:
        """As a node starts, before it acts: fail it if its type needs what the run's policy refuses; make what
        is wired into its sensitive inputs secret."""
        refused = self.refused.get(plan.node_id)
        if refused:
            raise refusal(plan.node.label(), refused)
        for name in self.sensitive.get(plan.node_id, ()):
            self.redactor.add(ctx.get_input(name))

    def _end_trace(self, ctx: Context, status: NodeStatus, error: str | None = None, tb: str | None = None) -> None:
        if self.run.end:  # the run ended before this execution (given up on while it was stuck): it stays as closed
            return
        trace = ctx.trace
        trace.end = _now()
        trace.status = status
        if error is not None:
            redactor = self.redactor
            trace.error = redactor.text(error) if redactor else error
            trace.traceback = redactor.text(tb) if redactor and tb else tb
        self._ended(trace)

    def _finished(self, trace: NodeTrace, end: float) -> None:
        """A fast-path execution that made its trace has succeeded (unless the run was given up on meanwhile: then it
        stays as `end` closed it)."""
        if self.run.end:
            return
        trace.end = end
        if trace.status is NodeStatus.RUNNING:
            trace.status = SUCCESS
        self._ended(trace)

    def stats(self, node_id: str, node_name: str, step: int) -> NodeStats:
        """The folded executions of a node (made at its first, at `step`)."""
        stats = self.run.folded.get(node_id)
        if stats is None:
            stats = self.run.folded[node_id] = NodeStats(node_id, node_name, first_step=step)
        return stats

    def _ended(self, trace: NodeTrace) -> None:
        """An execution ended: fold it if it is past its node's full traces; tell the listeners."""
        if trace.folded:
            self.stats(trace.node_id, trace.node_name, trace.step).fold(trace)
        if self.on_node_finished:
            self.notify(self.on_node_finished, trace)

    def new_step(self) -> None:
        """Forget the pure values computed in the last step: the next reads compute them again (callers check
        `pure_done` first, so a step that computed none pays no call)."""
        self.pure_cache.clear()
        self.pure_done.clear()

    def check_cancelled(self) -> None:
        if self.cancelled:
            raise _Abort(RunCancelled("the run was cancelled"))

    def cancel(self) -> None:
        """Ask the run to stop; safe to call from any thread."""
        self.cancelled = True
        self.fast_steps = 0
        if self._loop is not None and self._task is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._task.cancel)

    def interrupt(self) -> bool:
        """Raise `_Interrupted` in the worker thread, stuck in node code that ignores a cancel (a plain-Python
        loop): True if sent. Wherever it lands in the run, it unwinds it as cancelled; never sent once the run
        closes its resources (`closing`)."""
        if self.thread_id is None or self.closing:
            return False
        return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread_id),
                                                          ctypes.py_object(_Interrupted)) == 1

    # ---- pure nodes ----------------------------------------------------------------------------------

    def pull(self, node_id: str, key: str) -> Any:
        """The value of a pure node's output, computing it (and what it reads) once per step."""
        value = self.pure_cache.get(key, _MISSING)
        if value is _MISSING:
            for pure_id in self._uncomputed([node_id]):
                self._compute_pure(self.plan.nodes[pure_id])
            value = self.pure_cache.get(key)
        return value

    async def pull_async(self, node_ids: list[str]) -> None:
        """Compute pure nodes and what they read, awaiting the async ones (before an exec node runs)."""
        for pure_id in self._uncomputed(node_ids):
            plan = self.plan.nodes[pure_id]
            awaitable = self._compute_pure(plan)
            if awaitable is not None:
                ctx, coroutine = awaitable
                try:
                    await coroutine
                except _Abort:
                    raise
                except NODE_ERRORS as exc:
                    self._pure_raised(plan, ctx, exc)
                self._pure_succeeded(plan, ctx)

    def _uncomputed(self, node_ids: list[str]) -> list[str]:
        """The pure nodes among `node_ids` and their pure upstream not yet computed this step, dependencies
        first: an iterative depth-first walk, linear in what it visits."""
        done, nodes = self.pure_done, self.plan.nodes
        order: list[str] = []
        seen: set[str] = set()
        stack: list[tuple[str, int]] = [(n, 0) for n in reversed(node_ids)]
        while stack:
            node_id, position = stack.pop()
            if position == 0:
                if node_id in done or node_id in seen:
                    continue
                seen.add(node_id)
            sources = nodes[node_id].pure_sources
            if position < len(sources):
                stack.append((node_id, position + 1))
                upstream = sources[position]
                if upstream not in done and upstream not in seen:
                    stack.append((upstream, 0))
            else:
                order.append(node_id)
        return order

    def _compute_pure(self, plan: NodePlan) -> tuple[Context, Any] | None:
        """Run a pure node whose inputs are ready; an async one is returned as (ctx, coroutine) to await."""
        self.pure_done.add(plan.node_id)
        puller = self._shared
        if type(puller.record) is float and not self.past_full_traces(puller):
            self.trace_now(puller)  # pulled by a fast-path execution that is kept: its trace first, in start order
        ctx = Context(self, plan, self._trace(plan, _now()), None)
        if self.on_node_started:
            self.notify(self.on_node_started, ctx.trace)
        try:
            if self.guarded:
                self.guard(plan, ctx)
            if self.results is not None and self.results.replayed(plan, ctx):
                self._pure_succeeded(plan, ctx)
                return None
            outcome = plan.run(ctx)
            if plan.is_async:
                return ctx, outcome
        except _Abort as abort:  # an input failed, or the run was cancelled or failed meanwhile
            self._end_trace(ctx, _abort_status(abort), "stopped: " + str(abort.error))
            raise
        except NODE_ERRORS as exc:
            self._pure_raised(plan, ctx, exc)
        self._pure_succeeded(plan, ctx)
        return None

    def _pure_succeeded(self, plan: NodePlan, ctx: Context) -> None:
        for key in plan.outputs.values():
            self.pure_cache.setdefault(key, None)
        if self.results is not None:
            self.results.stored(plan, ctx)
        self._end_trace(ctx, SUCCESS)

    def _pure_raised(self, plan: NodePlan, ctx: Context, exc: BaseException) -> None:
        self._end_trace(ctx, NodeStatus.FAILED, f"{raised(exc)}{self._unrun_sources(plan)}", traceback.format_exc())
        raise _PureFailed(NodeFailed(f"node {plan.node.label()} failed: {ctx.trace.error}"), plan.node_id) from exc


def _abort_status(abort: _Abort) -> NodeStatus:
    return NodeStatus.CANCELLED if isinstance(abort.error, RunCancelled) else NodeStatus.FAILED


_ending = threading.Lock()


def end(executor: Executor, status: RunStatus, error: RunError | None, node_id: str | None = None) -> bool:
    """Settle the run once: its status, open traces closed, listeners told. False if it had already ended
    (a caller gave up on a stuck node first, then the node finished)."""
    run = executor.run
    with _ending:
        if run.status is not RunStatus.RUNNING:
            return False
        run.end = time.time()
        run.exception, run.error, run.error_node = error, run.redactor.text(str(error)) if error else None, node_id
        run.quiet = None
        if status is not RunStatus.SUCCESS:  # (a run that succeeded left none open)
            shared = executor._shared
            if type(shared.record) is float:  # given up on while a fast-path node runs: it gets its trace
                executor.trace_now(shared)
            closed = NodeStatus.CANCELLED if status is RunStatus.CANCELLED else NodeStatus.FAILED
            run.close_open(closed, run.end, run.error)
            if run.forks or run.stuck is not None:  # given up on while node code goes on (stuck in native code):
                from flowlike_core.parallel import close_forks  # its bodies end too, what it shares stays as it is

                close_forks(run, closed, run.end, run.error)
        run.status = status
    results = executor.results
    executor.notify(executor.on_finished if results is None else [results.ended, *executor.on_finished])
    return True


# ---- entry points ----------------------------------------------------------------------------------------


_PLAIN: dict[DataType, set[type]] = {DataType.INTEGER: {int}, DataType.FLOAT: {float}, DataType.STRING: {str},
                                     DataType.BOOLEAN: {bool}}
"""Element types that fit an Array of these data types exactly as they are (a bool is no Integer here)."""


def prepare_variables(board: Board, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Variable values for a run: defaults, then overrides, which only exposed variables accept."""
    values = {v.name: to_runtime(v.default_value, v.data_type, v.value_type) for v in board.variables.values()}
    for name, value in (overrides or {}).items():
        variable = board.lookup_variable(name)
        if not variable.exposed:
            raise UnknownVariableError(f"variable {name!r} of board {board.name!r} is not exposed; "
                                       f"only exposed variables can be set from outside a run")
        native = value if not isinstance(value, set | tuple) else list(value)
        if variable.value_type is ValueType.ARRAY and type(native) is list and \
                set(map(type, native)) <= _PLAIN.get(variable.data_type, set()) and \
                (variable.data_type is not DataType.INTEGER or not native or
                 INTEGER_RANGE[0] <= min(native) and max(native) <= INTEGER_RANGE[1]):
            values[variable.name] = list(native)  # fits, and is its runtime form already: checked at C speed
            continue
        if not fits(native, variable.data_type, variable.value_type, none=variable.default_value is None):
            use_default = "; leave it out to use its default" if value is None else ""  # (unsaid: it may be secret)
            big = beyond_integer(native) if variable.data_type is DataType.INTEGER else None
            beyond = "" if big is None else \
                f" ({big} is beyond it: a signed 64-bit integer, {INTEGER_RANGE[0]} to {INTEGER_RANGE[1]})"
            raise BoardError(f"value {reprlib.repr(value)} for variable {name!r} does not fit its type "
                             f"{type_label(variable.data_type, variable.value_type)}{beyond}{use_default}")
        values[variable.name] = to_runtime(native, variable.data_type, variable.value_type) \
            if isinstance(native, str | int | float | list | dict) else value
    return values


def find_start(board: Board, plan: Plan, start: str | None) -> str:
    if start is not None:
        node = board.node(start)
        if node.id not in plan.events and node.is_pure:
            raise UnknownNodeError(f"node {node.label()} is pure and cannot start a run")
        return node.id
    if len(plan.events) == 1:
        return plan.events[0]
    if not plan.events:
        left_out = "".join(f"; {board.nodes[n].label()} is a placeholder (missing {board.nodes[n].name})"
                           for n in plan.placeholders)
        raise UnknownNodeError(f"board {board.name!r} has no event node to start from{left_out}")
    names = ", ".join(board.nodes[n].label() for n in plan.events)
    raise UnknownNodeError(f"board {board.name!r} has several event nodes ({names}); say which: start= "
                           f"(flowlike run --start NODE)")


class RunHandle:
    """A run going on in a worker thread: wait for it, or cancel it."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self.run = executor.run
        self._ended = threading.Event()
        """Set when the worker thread is done (a Thread.join interrupted by Ctrl-C can misreport that)."""
        self._thread = threading.Thread(target=self._main, name=f"flowlike-run-{self.run.id}", daemon=True)
        try:
            self._thread.start()
        except KeyboardInterrupt:  # Ctrl-C while the thread starts (its first log line may already be out)
            self.cancel()

    def _main(self) -> None:
        try:
            asyncio.run(self.executor.main())
        except _Abort as abort:  # an interrupt that landed outside node code, between two nodes
            end(self.executor, RunStatus.CANCELLED, abort.error)
        finally:
            self._ended.set()

    def cancel(self) -> None:
        """Stop the run: at once where it awaits. Node code that ignores the cancel is interrupted once the run's
        event loop has not answered for `CANCEL_GRACE` seconds (plain Python only: native code cannot be, see
        `wait`); cleanup that cooperates (a cancelled node awaiting its close, the run closing its resources) is
        left to finish (`flowlike_core.stopping`: the debugger's stop and a parallel body's forks stop the same way,
        and one watch serves them all)."""
        self.executor.cancel()
        if not self.done():
            watch(self.executor, self.done)

    @property
    def cancelled(self) -> bool:
        """True once `cancel` was called (the run may still be ending: its nodes close what they opened)."""
        return self.executor.cancelled

    def done(self) -> bool:
        return self._ended.is_set() or self.run.stuck is not None

    def __repr__(self) -> str:
        return (f"<RunHandle of run {self.run.id}, board {self.run.board.name!r}: {self.run.status.value}, "
                f"{counted(self.run.steps, 'step')}>")

    def wait(self, timeout: float | None = None) -> Run:
        """Wait for the run; KeyboardInterrupt while waiting cancels it and returns the cancelled run.

        Waits in short slices so that an interrupt (SIGINT, or a kernel interrupt) is seen promptly. A
        cancelled run whose node cannot be stopped (stuck in native code) is given up on after a grace: it
        shows Cancelled at once, with `run.stuck` naming the node still running in its thread. One that still
        cooperates (awaits, or closes its resources) is waited for, up to `CLEANUP_LIMIT` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while not self._joined(0.05):
                if deadline is not None and time.monotonic() >= deadline:
                    break
                if self.executor.cancelled:
                    self._give_up_when_stuck()
                    break
        except KeyboardInterrupt:
            self.cancel()
            self._give_up_when_stuck()
        return self.run

    def _joined(self, seconds: float) -> bool:
        return self._ended.wait(seconds)

    def _give_up_when_stuck(self) -> None:
        """Wait for a cancelled run to end; give up on it (with `run.stuck`) when its thread is held in node code
        an interrupt did not stop within `CANCEL_GRACE`, or it still cooperates after `CLEANUP_LIMIT`."""
        started = watched(self.executor)
        cancelled_at = started.since if started is not None else time.monotonic()
        check_at = time.monotonic() + 2 * CANCEL_GRACE
        while not self._joined(0.02):
            now = time.monotonic()
            if now < check_at:
                continue
            doing = cooperating(self.executor)
            found = watched(self.executor)  # (the debugger's stop may have started it: this run's one watch)
            watching, interrupted = (False, None) if found is None else (found.watching, found.interrupted_at)
            if self._joined(0):
                return
            if doing is not None and now - cancelled_at >= CLEANUP_LIMIT:
                self._stuck(f"was still {doing} {CLEANUP_LIMIT:g} s after the cancel")
                return
            if doing is None and not watching and (interrupted is None or now - interrupted >= CANCEL_GRACE):
                self._stuck("did not stop when cancelled")
                return
            check_at = time.monotonic() + CANCEL_GRACE

    def _stuck(self, why: str) -> None:
        running = [t for t in self.run.traces if t.status is NodeStatus.RUNNING]
        where = "the run" if self.executor.closing else running[-1].node_name if running else "a node"
        self.run.stuck = f"{where} {why}; its thread {self._thread.name} is still running it"
        end(self.executor, RunStatus.CANCELLED, RunCancelled(f"the run was cancelled; {self.run.stuck}"))


def start_run(
    board: Board,
    *,
    start: str | None = None,
    payload: Any = None,
    variables: Mapping[str, Any] | None = None,
    registry: Registry | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
    listeners: Iterable[Listener] = (),
    run_id: str | None = None,
    policy: Policy | None = None,
    backend: Any = "thread",
    debugger: Debugger | None = None,
    cache: ResultCache | None = None,
) -> RunHandle:
    """Start a run in the background. Bad input (unknown start node, variable, node type) raises here.

    `backend` says where: "thread" (here, on a worker thread), "process", "dask" or a backend object
    (`flowlike_core.backends`), whose handle has the same surface. A `debugger` pauses the run before nodes
    (`flowlike_core.debugger`); only a run on a thread here can be paused. A `cache` (`flowlike_core.cache`)
    serves pure nodes whose code and inputs it has seen, and the run says why each node ran; on another process
    it must keep its results in a store (`ResultCache.persist`), through which the workers share them."""
    from flowlike_core.board import new_id

    stop_if_worker_importing_main()  # (a script without the __main__ guard, imported again by a spawned worker)
    registry = registry if registry is not None else default_registry()
    if not (isinstance(backend, str) and backend == "thread"):
        if debugger is not None:
            raise RunError(f"a debug run goes on a thread in this process, not on backend {backend!r}")
        from flowlike_core.backends import backend_for

        return backend_for(backend).start(  # type: ignore[return-value]
            board, registry=registry, start=start, payload=payload,
            variables=dict(variables) if variables is not None else None, max_steps=max_steps,
            listeners=listeners, run_id=run_id, policy=policy, **({"cache": cache} if cache is not None else {}))
    plan = plan_for(board, registry)
    start_id = find_start(board, plan, start)
    refuse_unrunnable(board, registry, plan, start_id)
    run = Run(run_id or new_id(), board, start_id, prepare_variables(board, variables))
    executor = Executor(plan, run, payload=payload, max_steps=max_steps, listeners=listeners, policy=policy,
                        debugger=debugger, cache=cache)
    return RunHandle(executor)


def refuse_unrunnable(board: Board, registry: Registry, plan: Plan, start: str) -> None:
    """Raise, before anything runs, when a run from `start` could reach a node no installed pack provides, or a
    required input left empty (its node would get None, and might well succeed with nonsense)."""
    if not plan.placeholders and not plan.unfilled:
        return
    from flowlike_core.interop.placeholders import reachable, refuse_reached

    touched = reachable(board, start)
    if plan.placeholders:
        refuse_reached(board, registry, start, touched)
    empty = [f"input {pin!r} of {board.nodes[node_id].label()}" for node_id, pin in plan.unfilled if node_id in touched]
    if empty:
        raise BoardError(f"board {board.name!r}: {'; '.join(empty)}: required, but with neither a wire nor a value")


def run_board(board: Board, **options: Any) -> Run:
    """Run a board to its end and return the Run; a failed run raises nothing (see `raise_for_status`)."""
    return start_run(board, **options).wait()
