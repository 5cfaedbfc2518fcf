"""Run a Board: exec nodes in steps (wavefronts), pure nodes pulled on demand and computed once per step.

    run = run_board(board, variables={"rows": 10})
    run.status, run.result, run.traces

A run goes on an event loop in a worker thread, so it works the same from a script, from the CLI and
from a notebook whose own loop is already running; KeyboardInterrupt in the caller cancels it cleanly.
"""

from __future__ import annotations

import asyncio
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flowlike_core.board import Board
from flowlike_core.context import Context
from flowlike_core.errors import (
    BoardError,
    NodeFailed,
    RunCancelled,
    RunError,
    StepLimitExceeded,
    UnknownNodeError,
    UnknownVariableError,
)
from flowlike_core.events import Event, Listener
from flowlike_core.node import ERROR_EXEC, ERROR_MESSAGE
from flowlike_core.plan import NodePlan, Plan, plan_for
from flowlike_core.registry import Registry, default_registry
from flowlike_core.run import LEVEL_ORDER, NodeStatus, NodeTrace, Run, RunStatus
from flowlike_core.types import fits, to_runtime

DEFAULT_MAX_STEPS = 1_000_000
_now = time.time
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


class Executor:
    """One run of one plan. Plain state: values by pin, the step's pure cache, per-node memory."""

    def __init__(self, plan: Plan, run: Run, *, payload: Any = None, max_steps: int = DEFAULT_MAX_STEPS,
                 listeners: Iterable[Listener] = ()) -> None:
        self.plan = plan
        self.run = run
        self.payload = payload
        self.max_steps = max_steps
        self.listeners = list(listeners)
        self.values = run.values
        self.variables = run.variables
        self.pure_cache: dict[str, Any] = {}
        self.node_state: dict[str, dict[str, Any]] = {}
        self.cache: dict[Any, Any] = {}
        self.step = 0
        self._record = run.traces.append
        self.log_floor = LEVEL_ORDER[run.board.log_level]
        self.cancelled = False
        """Set (from any thread) to stop the run; checked before every node and by `ctx.check_cancelled()`."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    def emit(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)

    # ---- control flow --------------------------------------------------------------------------------

    async def main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        run = self.run
        run.start = time.time()
        if self.listeners:
            self.emit(Event("run_started", run_id=run.id))
        try:
            if self.cancelled:
                raise _Abort(RunCancelled("cancelled before it started"))
            await self.flow([(run.start_node, None)])
            run.status = RunStatus.SUCCESS
        except _Abort as abort:
            run.exception = abort.error
            run.error = str(abort.error)
            run.error_node = abort.node_id
            run.status = RunStatus.CANCELLED if isinstance(abort.error, RunCancelled) else RunStatus.FAILED
        except asyncio.CancelledError:
            run.status = RunStatus.CANCELLED
            run.error = "the run was cancelled"
            run.exception = RunCancelled(run.error)
        finally:
            self.cache.clear()
            run.end = time.time()
            for trace in run.traces:
                if trace.status is NodeStatus.RUNNING:
                    trace.status = NodeStatus.CANCELLED if run.status is RunStatus.CANCELLED else NodeStatus.FAILED
                    trace.end = run.end
            if self.listeners:
                self.emit(Event("run_finished", run_id=run.id, status=run.status.value, message=run.error or ""))

    async def flow(self, frontier: list[tuple[str, str | None]]) -> None:
        """Run steps until no exec output is active: each step runs the nodes the last one activated."""
        nodes = self.plan.nodes
        while frontier:
            self.step += 1
            if self.pure_cache:
                self.pure_cache.clear()
            if len(frontier) == 1:
                node_id, trigger = frontier[0]
                plan = nodes[node_id]
                if plan.blocking:
                    frontier = self.execute_blocking(plan, trigger)
                else:
                    frontier = await self.execute(plan, trigger)
                continue
            try:
                async with asyncio.TaskGroup() as group:
                    tasks = [group.create_task(self.execute(nodes[node_id], pin)) for node_id, pin in frontier]
            except BaseExceptionGroup as errors:
                raise next((e for e in errors.exceptions if isinstance(e, _Abort)), errors.exceptions[0]) from None
            frontier = [target for task in tasks for target in task.result()]

    def execute_blocking(self, plan: NodePlan, trigger: str | None) -> list[tuple[str, str]]:
        """Run one exec node whose `run` is a plain function: the hot path, so `_begin` and `_succeeded`
        are written out here (no coroutine, no helper calls on success); `execute` is the readable twin."""
        run = self.run
        if run.steps >= self.max_steps or self.cancelled or self.listeners:
            trace, ctx = self._begin(plan, trigger)
        else:
            run.steps += 1
            trace = NodeTrace(plan.node_id, plan.node_name, self.step, _now())
            self._record(trace)
            ctx = Context(self, plan, trace, trigger)
        try:
            plan.run(ctx)
        except _Abort:
            self._finish(trace, NodeStatus.FAILED, "an error further along stopped the run")
            raise
        except NODE_ERRORS as exc:
            return self._failed(plan, trace, exc)
        if self.listeners:
            return self._succeeded(trace, ctx)
        trace.end = _now()
        trace.status = SUCCESS
        activated = ctx.activated
        if not activated:
            return []
        if len(activated) == 1:
            return plan.exec_next[activated[0]]
        return [target for pin in activated for target in plan.exec_next[pin]]

    async def execute(self, plan: NodePlan, trigger: str | None) -> list[tuple[str, str]]:
        """Run one exec node that awaits (its own `run`, or async pure nodes it reads)."""
        trace, ctx = self._begin(plan, trigger)
        try:
            for pure_id in plan.prefetch:
                await self.pull_async(pure_id)
            outcome = plan.run(ctx)
            if plan.is_async:
                await outcome
        except _Abort:
            self._finish(trace, NodeStatus.FAILED, "an error further along stopped the run")
            raise
        except asyncio.CancelledError:
            self._finish(trace, NodeStatus.CANCELLED, "cancelled")
            raise
        except NODE_ERRORS as exc:
            return self._failed(plan, trace, exc)
        return self._succeeded(trace, ctx)

    def _begin(self, plan: NodePlan, trigger: str | None) -> tuple[NodeTrace, Context]:
        run = self.run
        run.steps += 1
        if run.steps > self.max_steps:
            raise _Abort(StepLimitExceeded(
                f"step limit of {self.max_steps} node executions reached at node {plan.node.label()}: "
                f"a loop that never ends? Raise max_steps if the work is really that long"), plan.node_id)
        if self.cancelled:
            raise _Abort(RunCancelled("the run was cancelled"), plan.node_id)
        trace = NodeTrace(plan.node_id, plan.node_name, self.step, _now())
        run.traces.append(trace)
        if self.listeners:
            self.emit(Event("node_started", node_id=plan.node_id, status=NodeStatus.RUNNING.value))
        return trace, Context(self, plan, trace, trigger)

    def _succeeded(self, trace: NodeTrace, ctx: Context) -> list[tuple[str, str]]:
        """Close the trace; the activated exec outputs say what runs next (lists are shared, never changed)."""
        trace.end = _now()
        trace.status = NodeStatus.SUCCESS
        if self.listeners:
            self.emit(Event("node_finished", node_id=trace.node_id, status=NodeStatus.SUCCESS.value,
                            duration=trace.duration))
        activated = ctx.activated
        if not activated:
            return []
        exec_next = ctx._plan.exec_next
        if len(activated) == 1:
            return exec_next[activated[0]]
        return [target for pin in activated for target in exec_next[pin]]

    def _failed(self, plan: NodePlan, trace: NodeTrace, exc: BaseException) -> list[tuple[str, str]]:
        """Route a node's error to its wired On Error branch, or fail the run."""
        self._finish(trace, NodeStatus.FAILED, f"{type(exc).__name__}: {exc}", traceback.format_exc())
        if plan.error_wired:
            key = plan.outputs.get(ERROR_MESSAGE)
            if key:
                self.values[key] = trace.error
            return plan.exec_next[ERROR_EXEC]
        raise _Abort(NodeFailed(f"node {plan.node.label()} failed: {trace.error}"), plan.node_id) from exc

    def _finish(self, trace: NodeTrace, status: NodeStatus, error: str | None = None, tb: str | None = None) -> None:
        trace.end = _now()
        trace.status = status
        if error is not None:
            trace.error = error
            trace.traceback = tb
        if self.listeners:
            self.emit(Event("node_finished", node_id=trace.node_id, status=status.value, message=error or "",
                            duration=trace.duration))

    def check_cancelled(self) -> None:
        if self.cancelled:
            raise _Abort(RunCancelled("the run was cancelled"))

    def cancel(self) -> None:
        """Ask the run to stop; safe to call from any thread."""
        self.cancelled = True
        if self._loop is not None and self._task is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._task.cancel)

    # ---- pure nodes ----------------------------------------------------------------------------------

    def pull(self, node_id: str, key: str) -> Any:
        """The value of a pure node's output, computing the node once per step."""
        value = self.pure_cache.get(key, _MISSING)
        if value is _MISSING:
            self._compute_pure(node_id, None)
            value = self.pure_cache.get(key)
        return value

    async def pull_async(self, node_id: str) -> None:
        plan = self.plan.nodes[node_id]
        if any(key in self.pure_cache for key in plan.outputs.values()):
            return
        for upstream in plan.prefetch:
            await self.pull_async(upstream)
        outcome = self._compute_pure(node_id, None, allow_async=True)
        if outcome is not None:
            trace, awaitable = outcome
            try:
                await awaitable
            except NODE_ERRORS as exc:
                self._pure_failed(plan, trace, exc)
            self._finish(trace, NodeStatus.SUCCESS)

    def _compute_pure(self, node_id: str, trigger: str | None, allow_async: bool = False) -> Any:
        plan = self.plan.nodes[node_id]
        trace = NodeTrace(node_id, plan.node_name, self.step, _now())
        self.run.traces.append(trace)
        ctx = Context(self, plan, trace, trigger)
        try:
            outcome = plan.run(ctx)
            if plan.is_async:
                if allow_async:
                    return trace, outcome
                outcome.close()
                raise RuntimeError("async pure node pulled without prefetch")
        except _Abort:
            self._finish(trace, NodeStatus.FAILED, "an error further along stopped the run")
            raise
        except NODE_ERRORS as exc:
            self._pure_failed(plan, trace, exc)
        for key in plan.outputs.values():
            self.pure_cache.setdefault(key, None)
        self._finish(trace, NodeStatus.SUCCESS)
        return None

    def _pure_failed(self, plan: Any, trace: NodeTrace, exc: BaseException) -> None:
        self._finish(trace, NodeStatus.FAILED, f"{type(exc).__name__}: {exc}", traceback.format_exc())
        raise _Abort(NodeFailed(f"node {plan.node.label()} failed: {trace.error}"), plan.node.id) from exc


# ---- entry points ----------------------------------------------------------------------------------------


def prepare_variables(board: Board, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Variable values for a run: defaults, then overrides, which only exposed variables accept."""
    values = {v.name: to_runtime(v.default_value, v.data_type, v.value_type) for v in board.variables.values()}
    for name, value in (overrides or {}).items():
        variable = board.variable(name)
        if not variable.exposed:
            raise UnknownVariableError(f"variable {name!r} of board {board.name!r} is not exposed; "
                                       f"only exposed variables can be set from outside a run")
        native = value if not isinstance(value, set | tuple) else list(value)
        if not fits(native, variable.data_type, variable.value_type):
            raise BoardError(f"value {value!r} for variable {name!r} does not fit its type "
                             f"{variable.value_type.value}<{variable.data_type.value}>")
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
        raise UnknownNodeError(f"board {board.name!r} has no event node to start from")
    names = ", ".join(board.nodes[n].label() for n in plan.events)
    raise UnknownNodeError(f"board {board.name!r} has several event nodes ({names}); say which with start=")


finished_hooks: list[Callable[[Run], None]] = []
"""Called with every run of this process once it has ended (storage keeps the run history this way).
They run on the run's thread before `wait()` returns; a failing hook warns and never changes the run."""


class RunHandle:
    """A run going on in a worker thread: wait for it, or cancel it."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self.run = executor.run
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._main, name=f"flowlike-run-{self.run.id}", daemon=True)
        self._thread.start()

    def _main(self) -> None:
        try:
            asyncio.run(self.executor.main())
            for hook in list(finished_hooks):
                try:
                    hook(self.run)
                except Exception as exc:  # a hook (e.g. the run history) never changes the run's outcome
                    warnings.warn(f"run {self.run.id}: {getattr(hook, '__qualname__', hook)} failed: {exc}",
                                  RuntimeWarning, stacklevel=1)
        finally:
            self._finished.set()

    def cancel(self) -> None:
        self.executor.cancel()

    def done(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> Run:
        """Wait for the run; KeyboardInterrupt while waiting cancels it and returns the cancelled run.

        Waits in short slices so that an interrupt (SIGINT, or a kernel interrupt) is seen promptly.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while not self._finished.wait(0.05):
                if deadline is not None and time.monotonic() >= deadline:
                    break
        except KeyboardInterrupt:
            self.cancel()
            while not self._finished.wait(0.1):
                pass
        return self.run


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
) -> RunHandle:
    """Start a run in the background. Bad input (unknown start node, variable, node type) raises here."""
    from flowlike_core.board import new_id

    plan = plan_for(board, registry if registry is not None else default_registry())
    start_id = find_start(board, plan, start)
    run = Run(run_id or new_id(), board, start_id, prepare_variables(board, variables))
    executor = Executor(plan, run, payload=payload, max_steps=max_steps, listeners=listeners)
    return RunHandle(executor)


def run_board(board: Board, **options: Any) -> Run:
    """Run a board to its end and return the Run; a failed run raises nothing (see `raise_for_status`)."""
    return start_run(board, **options).wait()

