"""The step debugger: a run that pauses before nodes, inspected and driven from another thread.

    dbg = Debugger()                                  # or Debugger(step=True): pause before the first node too
    handle = start_run(board, debugger=dbg)           # pauses before every node whose `breakpoint` is set
    dbg.wait_paused(10)                               # True once paused (False: the run ended, or timeout)
    dbg.paused_at.friendly_name, dbg.values, dbg.variables, dbg.inputs
    dbg.step()        # run the next node (exec or pure) and pause before the one after
    dbg.step_over()   # run to the next node on this level: the rest of a loop body up to the loop's next
                      # iteration (or past its end); on a loop node itself, the whole loop
    dbg.resume()      # go on to the next breakpoint or the end
    dbg.stop()        # cancel: the run ends Cancelled

The debugger is a run listener (`flowlike_core.events`): the run pauses inside its `node_started` hook, on the
run's own worker thread, so the caller's thread (a notebook kernel) stays free while a run is paused, and every
branch of the run waits together. Plain code can pause that way too: a loop body runs inside the loop node's
call (`ctx.fire`), where there is nothing to await. Breakpoints are read from the board as the run reaches each
node, so one set or cleared while paused counts at once. A run without a debugger costs nothing: the executor
only calls the hooks of listeners it was given.

Branches that run at the same time (parallel execution, parallel for-each iterations) may pause at once: the
oldest pause is the one shown (`paused_at`, what listeners last heard), and each command lets that one go, so
every pause is seen in turn. Step over counts levels by exec nodes running inside others (a loop's body runs
inside the loop); branches running at once share that count, so step over is approximate among them. A parallel
loop's body on worker processes (`workers="processes"` or "dask") runs there as one step: its nodes are told here
after they ran, so they are never paused at (a breakpoint among them says so once, as a RuntimeWarning).
"""

from __future__ import annotations

import sys
import threading
import time
import warnings
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from flowlike_core.board import Node, PinDirection
from flowlike_core.errors import RunError
from flowlike_core.events import Listener
from flowlike_core.executor import Executor
from flowlike_core.run import NodeTrace, Run, RunStatus, key_parts, value_key
from flowlike_core.stopping import watch

if TYPE_CHECKING:
    from types import FrameType

POLL = 0.1
"""Seconds between looks at the run's cancel flag while paused (a cancel from the run's handle, not `stop`)."""


_NOTIFY = Executor.notify.__code__
"""The code that tells listeners of the nodes of this process (a fork's too): a node told by other code (the relay
of a body on worker processes) ran elsewhere, already."""


class Mode(Enum):
    CONTINUE = "continue"
    """Pause at breakpoints only."""
    STEP = "step"
    """Pause before the next node of any kind."""
    OVER = "step over"
    """Pause before the next exec node on the level paused at (see `Debugger.step_over`), or at a breakpoint."""


class Debugger(Listener):
    """Controls one debug run (pass it to `start_run(..., debugger=)`); its methods are safe from any thread."""

    settle: float = 0.0
    """Seconds `resume`, `step` and `step_over` wait by default for the run to pause again (or end) before they
    return; the notebook's debugger waits, so that the next line of a cell sees where the run stopped."""

    def __init__(self, *, step: bool = False) -> None:
        self._mode = Mode.STEP if step else Mode.CONTINUE
        self._changed = threading.Condition()
        self._waiting: list[_Pause] = []
        """The pauses waiting for a command, oldest first: branches that run at the same time (parallel execution,
        parallel for-each iterations) may pause at once. The oldest is the one shown; a command lets it go."""
        self._ended = False
        self._over: tuple[int, str | None] = (0, None)
        self._running: list[str] = []
        """Exec nodes that started and have not finished, outermost first (branches on threads of their own share
        it, hence the approximate step over among them)."""
        self.pauses = 0
        """How many times the run paused so far."""
        self._executor: Executor | None = None
        self._told_elsewhere = False
        """Whether a breakpoint in a body on worker processes has been said not to pause (said once)."""
        self._on_paused: list[Any] = []
        self._on_resumed: list[Any] = []

    def attach(self, executor: Executor, on_paused: list[Any], on_resumed: list[Any]) -> None:
        """Called by the executor of the run this debugger controls, with the listeners' paused and resumed hooks."""
        if self._executor is not None:
            raise RunError(f"this debugger already controls run {self._executor.run.id}; make one per run")
        self._executor, self._on_paused, self._on_resumed = executor, on_paused, on_resumed

    # ---- the run's side (its worker thread) ----------------------------------------------------------------

    def node_started(self, run: Run, trace: NodeTrace) -> None:
        executor = self._attached()
        caller = sys._getframe(1)
        if caller.f_code is not _NOTIFY:  # told by a relay of a body on worker processes, after the node ran there
            self._ran_elsewhere(run, trace)
            return
        pure = executor.plan.nodes[trace.node_id].pure
        if not pure:
            self._running.append(trace.node_id)
        running = self._running
        level = (len(running) + 1, running[-1]) if pure else (len(running), running[-2] if len(running) > 1 else None)
        if self._should_pause(run, trace.node_id, pure, level):
            self._pause(executor, trace, level, _executor_of(trace, caller) or executor)

    def _ran_elsewhere(self, run: Run, trace: NodeTrace) -> None:
        """A node of a body on worker processes (a parallel loop's `workers`): its events come here after it ran
        there, so it cannot be paused at; a breakpoint on it (or stepping into it) says so, once a run."""
        node = run.board.nodes.get(trace.node_id)
        if self._told_elsewhere or node is None or not (node.breakpoint or self._mode is Mode.STEP):
            return
        self._told_elsewhere = True
        loop = run.board.nodes.get(self._running[-1]) if self._running else None
        body = f"the body of {loop.label()}" if loop is not None else "a body"
        warnings.warn(f"run {run.id}: node {node.label()} runs on worker processes ({body}), where the debugger "
                      f"cannot pause: it ran there before the debugger heard of it. Set the loop's "
                      f"workers='threads' to step through its body", RuntimeWarning, stacklevel=2)

    def node_finished(self, run: Run, trace: NodeTrace) -> None:
        running = self._running
        if running and not self._attached().plan.nodes[trace.node_id].pure:
            for index in range(len(running) - 1, -1, -1):
                if running[index] == trace.node_id:
                    del running[index]
                    break

    def finished(self, run: Run) -> None:
        with self._changed:
            self._ended = True
            self._waiting.clear()
            self._changed.notify_all()

    def _should_pause(self, run: Run, node_id: str, pure: bool, level: tuple[int, str | None]) -> bool:
        node = run.board.nodes.get(node_id)
        if node is not None and node.breakpoint:
            return True
        mode = self._mode
        if mode is Mode.STEP:
            return True
        if mode is not Mode.OVER or pure:
            return False
        depth, inside = level
        over_depth, over_inside = self._over
        if depth != over_depth:
            return depth < over_depth
        # The same level: a node after the one stepped over, unless it is inside a loop or sequence, where only
        # the start of its next body counts (a node that the enclosing node's exec outputs lead to directly).
        return over_inside is None or (inside == over_inside and self._entered_from(over_inside, node_id))

    def _entered_from(self, outer: str, node_id: str) -> bool:
        exec_next = self._attached().plan.nodes[outer].exec_next
        return any(target.node_id == node_id for targets in exec_next.values() for target, _ in targets)

    def _pause(self, executor: Executor, trace: NodeTrace, level: tuple[int, str | None], running: Executor) -> None:
        """Wait for a command. Listeners hear of a pause when it becomes the one shown (at once, or when the one
        before it goes on), under the lock, so that they hear pauses and resumes in the order they happen."""
        pause = _Pause(trace, level, running)
        with self._changed:
            if executor.cancelled or self._ended:  # stopped: a node still going on (pulling an input, a sibling
                executor.check_cancelled()  # branch) is not paused at, nor a pause told after the stop
                return
            self._waiting.append(pause)
            self.pauses += 1
            if len(self._waiting) == 1:
                executor.notify(self._on_paused, trace)
            self._changed.notify_all()
            while pause in self._waiting and not executor.cancelled:
                self._changed.wait(POLL)
            if pause in self._waiting:
                self._waiting.remove(pause)
        executor.check_cancelled()  # stopped while paused: unwinds the run as cancelled
        trace.start = time.time()  # the pause is not the node's time

    def _attached(self) -> Executor:
        if self._executor is None:
            raise RunError("this debugger controls no run yet: pass it to start_run(..., debugger=)")
        return self._executor

    # ---- the caller's side (any thread) ---------------------------------------------------------------------

    def resume(self, wait: float | None = None) -> Debugger:
        """Go on to the next breakpoint (or the end). `wait`: seconds to wait for that (None: `settle`)."""
        return self._go_on(Mode.CONTINUE, wait)

    def step(self, wait: float | None = None) -> Debugger:
        """Run the node paused at and pause before the next one, exec or pure (while running: pause at the next)."""
        return self._go_on(Mode.STEP, wait)

    def step_over(self, wait: float | None = None) -> Debugger:
        """Run to the next exec node on this level: inside a loop's (or sequence's) body, the rest of the body
        up to the start of its next iteration, or past the loop when it ends; on a node that runs a body (a loop
        node), the node with its whole body. Breakpoints on the way still pause."""
        with self._changed:
            if not self._waiting:
                raise RunError(f"run {self.run.id} is not paused: step over needs a node to step over")
        return self._go_on(Mode.OVER, wait)

    def _go_on(self, mode: Mode, wait: float | None) -> Debugger:
        with self._changed:
            if self._ended:
                raise RunError(f"run {self.run.id} of board {self.run.board.name!r} has ended "
                               f"({self.run.status.value}); start another to debug again")
            self._mode = mode
            if self._waiting:
                self._over = self._waiting.pop(0).level
                executor = self._attached()
                executor.notify(self._on_resumed)
                if self._waiting:  # a branch that paused meanwhile is the one shown now
                    executor.notify(self._on_paused, self._waiting[0].trace)
                self._changed.notify_all()
        wait = self.settle if wait is None else wait
        if wait:
            self.wait_paused(wait)
        return self

    def stop(self, wait: float | None = None) -> Debugger:
        """Cancel the run (paused or not): it ends Cancelled. Node code that ignores the cancel (a plain-Python
        loop stepped into) is interrupted, as a run handle's cancel does: cleanup that cooperates (a node awaiting
        its close) never is (`flowlike_core.stopping`). `wait`: seconds to wait for the end (None: `settle`; see
        `wait`)."""
        executor = self._attached()
        executor.cancel()
        with self._changed:
            self._waiting.clear()  # (the run's threads see the cancel and unwind: paused no longer)
            self._changed.notify_all()
            if not self._ended:
                watch(executor, lambda: self._ended)
        wait = self.settle if wait is None else wait
        if wait:
            self.wait(wait)
        return self

    def wait_paused(self, timeout: float | None = None) -> bool:
        """Wait until the run pauses: True when it is paused, False when it ended or `timeout` passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while not self._waiting and not self._ended:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self._changed.wait(POLL if left is None else min(left, POLL))
            return bool(self._waiting)

    def wait(self, timeout: float | None = None) -> Run:
        """Wait until the run ends (a paused run waits for a command from another thread), at most `timeout`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while not self._ended:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self._changed.wait(POLL if left is None else min(left, POLL))
        return self.run

    # ---- what there is to see -------------------------------------------------------------------------------

    @property
    def run(self) -> Run:
        """The live run (status, traces, values)."""
        return self._attached().run

    @property
    def is_paused(self) -> bool:
        return bool(self._waiting)

    @property
    def ended(self) -> bool:
        return self._ended

    @property
    def paused_at(self) -> Node | None:
        """The node the run is paused before (its code has not run yet), None when not paused."""
        pause = self._front()
        return None if pause is None else self.run.board.nodes.get(pause.trace.node_id)

    @property
    def values(self) -> dict[str, dict[str, Any]]:
        """Every output value set so far, by node name and pin name as the user sees them (a node shown under a
        name that several nodes share is `name (id)`); values are the live Python objects."""
        board = self.run.board
        names = shown_names(board.nodes.values())
        found: dict[str, dict[str, Any]] = {}
        for key, value in _all_values(self._scope().run.values).items():
            node_id, pin_id = key_parts(key)
            node = board.nodes.get(node_id)
            pin = node.pins.get(pin_id) if node is not None else None
            if pin is not None:
                found.setdefault(names[node_id], {}).setdefault(pin.name, value)
        return found

    @property
    def inputs(self) -> dict[str, Any]:
        """The data inputs of the node paused at, as far as they are known (see `pin_value`), by pin name."""
        node = self.paused_at
        if node is None:
            return {}
        executor = self._scope()
        values = _all_values(executor.run.values)
        known: dict[str, Any] = {}
        for pin in node.ordered_pins(PinDirection.INPUT):
            if not pin.is_exec:
                found, value = self._pin_value(executor, values, node, pin.id)
                if found:
                    known.setdefault(pin.name, value)
        return known

    def pin_value(self, node_id: str, pin_id: str) -> tuple[bool, Any]:
        """(found, value) of a pin as the run stands, for views of a paused run (the editor's hover and inspector):
        an output's value so far, in the paused node's scope (a parallel iteration's own); an input's from its
        wire, or its default when unwired. An input of the paused node whose pure source is not computed yet in
        this step is not found: the value it left in an earlier step (a loop's last iteration) is not the one the
        node will read."""
        executor = self._scope()
        return self._pin_value(executor, _all_values(executor.run.values), self.run.board.node(node_id), pin_id)

    def _pin_value(self, executor: Executor, values: dict[str, Any], node: Node, pin_id: str) -> tuple[bool, Any]:
        pin = node.pin(pin_id)
        source, source_pin = node.id, pin.id
        if pin.is_input:
            wires = self.run.board.wires_into(node.id, pin.id)
            if not wires:
                return True, pin.default_value
            source, source_pin = wires[0].from_node, wires[0].from_pin
            plan = executor.plan.nodes.get(source)
            paused = self._front()
            if plan is not None and plan.pure and source not in executor.pure_done and paused is not None \
                    and paused.trace.node_id == node.id:
                return False, None
        key = value_key(source, source_pin)
        return (True, values[key]) if key in values else (False, None)

    def _scope(self) -> Executor:
        """Whose values there are to see: the paused node's executor (a parallel body's fork), else the run's."""
        pause = self._front()
        return pause.running if pause is not None else self._attached()

    def _front(self) -> _Pause | None:
        """The pause shown (and commanded): the oldest waiting."""
        waiting = self._waiting
        try:
            return waiting[0]
        except IndexError:  # (let go meanwhile)
            return None

    @property
    def variables(self) -> dict[str, Any]:
        """The run's variable values now (a copy of the dict; the values are the live objects)."""
        return dict(self.run.variables)

    def state(self) -> str:
        """`paused before 'Double' (id)`, `running`, or how the run ended (a failed run: which node, and why)."""
        if self._executor is None:
            return "not started"
        node = self.paused_at
        if node is not None:
            return f"paused before {node.label()}"
        run = self.run
        if run.status is RunStatus.RUNNING:
            return "running"
        failed = f" ({run.error})" if run.status is RunStatus.FAILED and run.error else ""
        return f"ended: {run.status.value}{failed}"

    def __repr__(self) -> str:
        if self._executor is None:
            return "<Debugger: not started>"
        return f"<Debugger of {self.run.board.name!r} run {self.run.id}: {self.state()}, {self.pauses} pauses>"


@dataclass(eq=False)
class _Pause:
    """One execution waiting for a command."""

    trace: NodeTrace
    level: tuple[int, str | None]
    """Where: (exec nodes running, counting the paused one; the one it runs inside)."""
    running: Executor
    """The executor running the paused node: a parallel body's fork, whose values are its iteration's own."""


def _executor_of(trace: NodeTrace, frame: FrameType | None) -> Executor | None:
    """The executor whose execution `trace` is: the Context of it on the stack of the hook's caller (a parallel
    body's fork runs its nodes in a Context of its own executor). Looked for only when the run pauses."""
    from flowlike_core.context import Context

    while frame is not None:
        for value in frame.f_locals.values():
            if type(value) is Context and value.record is trace:
                return value._executor
        frame = frame.f_back
    return None


def _all_values(values: dict[str, Any]) -> dict[str, Any]:
    """A run's values, or a fork's: its own writes over those of the scopes it falls back to (`parallel.Scope`)."""
    parent = getattr(values, "parent", None)
    if parent is None:
        return dict(values)
    return {**_all_values(parent), **dict(dict.items(values))}


def shown_name(node: Node) -> str:
    return node.friendly_name or node.name


def shown_names(nodes: Any) -> dict[str, str]:
    """Node id -> the name a user reads on the canvas; names shared by several nodes get their id added."""
    nodes = list(nodes)
    counts: dict[str, int] = {}
    for node in nodes:
        counts[shown_name(node)] = counts.get(shown_name(node), 0) + 1
    return {node.id: shown_name(node) if counts[shown_name(node)] == 1 else f"{shown_name(node)} ({node.id})"
            for node in nodes}
