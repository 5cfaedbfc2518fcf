"""What a node sees while it runs: its inputs and outputs, exec pins, logs, events, variables, progress, cancel."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from flowlike_core.board import LogLevel
from flowlike_core.errors import UnknownPinError, UnknownVariableError
from flowlike_core.plan import CONST, VALUE, NodePlan, Target, Targets
from flowlike_core.run import LEVEL_ORDER, MAX_EVENTS, LogLine, NodeTrace, RunEvent, json_copy, key_parts

if TYPE_CHECKING:
    from flowlike_core.executor import Executor


def unset_read(executor: Executor, name: str, key: str) -> str | None:
    """Why input `name` read None from `key`, a value no one has set: the node of that output has not run, or ran
    and did not set it (None when no node of the plan has it). What the reading node's trace says, and what a
    failure there adds to its error."""
    node_id, pin_id = key_parts(key)
    source = executor.plan.nodes.get(node_id)
    if source is None:
        return None
    why = f"ran but did not set its output {source.node.pins[pin_id].name!r}" if executor.counts[source.index] \
        else "has not run; wire its exec flow before this node"
    return f"input {name!r} read None: {source.node.label()} {why}"


_saying = threading.Lock()
"""Held while an unset read looks whether it was said and notes it (`Context._read_unset`): two threads of a
parallel body share the run's said reads, and both could look before either noted it (both warned)."""


class Context:
    """Valid while its node runs: the executor may reuse it for the node's next execution."""

    __slots__ = ("_executor", "_values", "_plan", "record", "_target", "_first", "_next", "_more")

    def __init__(self, executor: Executor, plan: NodePlan, record: NodeTrace | None, target: Target | None) -> None:
        self._executor = executor
        self._values = executor.values
        """The run's values (the executor's, or a parallel iteration's own scope)."""
        self._plan = plan
        self.record: NodeTrace | float | None = record
        """The execution's trace, or on the executor's fast path its start time until it needs one (`trace`)."""
        self._target = target
        """The exec input that started this execution, as the plan names it (None for pure nodes). The fast path
        stores the plan's own tuple: a long chain then loads no pin id per node."""
        self._first: str | None = None
        """The first exec output this execution activated (None: none yet); `_next` holds what is wired to it, and
        `_more` the exec outputs activated after it, in order. Most executions activate one: a chain then passes its
        targets in a slot, as a plain function hands on its result, without a dict written and emptied per node."""
        self._next: Targets = ()
        self._more: dict[str, Targets] = {}

    @property
    def trace(self) -> NodeTrace:
        """This execution's trace (on the fast path made on first use: most executions never need the object)."""
        record = self.record
        return record if type(record) is NodeTrace else self._executor.trace_now(self)  # type: ignore[return-value]

    @property
    def trigger_pin(self) -> str | None:
        """Id of the exec input pin that started this execution (empty or None for events and pure nodes)."""
        target = self._target
        return target[1] if target is not None else None

    @property
    def trigger(self) -> str | None:
        """Name of the exec input that started this execution (None for events and pure nodes)."""
        pin = self.trigger_pin
        return self._plan.exec_inputs.get(pin) if pin else None

    # ---- data pins -----------------------------------------------------------------------------------

    @property
    def node_id(self) -> str:
        return self._plan.node.id

    def get_input(self, name: str) -> Any:
        try:
            source = self._plan.reads[name]
        except KeyError:
            raise UnknownPinError(f"node {self._plan.node.label()} has no data input {name!r}") from None
        kind = source.kind
        if kind == VALUE:
            try:  # (no cost until it raises)
                return self._values[source.key]
            except KeyError:
                return self._read_unset(source.key)
        if kind == CONST:
            return source.constant() if source.mutable else source.value
        return self._executor.pull(source.node_id, source.key)

    def get_shaped_input(self, name: str) -> Any:
        """`get_input` in the Struct shape the node type declared for the input (`NodeType.input_shapes`): a dict
        validated into its pydantic model, or a model as a dict. Keyword inputs and `@node` parameters get it."""
        value = self.get_input(name)
        shaper = self._plan.shapers.get(name)
        return value if shaper is None else shaper(value)

    def get_inputs(self, name: str) -> list[Any]:
        """Every input of a variadic group (pins sharing one name), in pin order."""
        if name not in self._plan.inputs:
            raise UnknownPinError(f"node {self._plan.node.label()} has no data input {name!r}")
        executor = self._executor
        values = []
        for source in self._plan.inputs[name]:
            if source.kind == CONST:
                values.append(source.constant())
            elif source.kind == VALUE:
                try:
                    values.append(executor.values[source.key])
                except KeyError:
                    values.append(self._read_unset(source.key))
            else:
                values.append(executor.pull(source.node_id, source.key))
        return values

    def _read_unset(self, key: str) -> None:
        """What an input reads from an exec node's output no one has set (its node has not run: it is not upstream in
        the exec flow): None, as ever, and a warning in this node's trace, once per input per run (`flowlike
        validate` warns of it before a run)."""
        plan, executor = self._plan, self._executor
        name = next((name for name, group in plan.inputs.items() for source in group if source.key == key), key)
        with _saying:  # (only on a read that misses: off the hot path)
            if (plan.node_id, name) in executor.unset_reads:
                return None
            executor.unset_reads.add((plan.node_id, name))
        why = unset_read(executor, name, key)
        if why is not None:
            self.warn(why)
        return None

    def is_connected(self, name: str) -> bool:
        return any(source.kind != CONST for source in self._plan.inputs.get(name, ()))

    def set_output(self, name: str, value: Any) -> None:
        """Set a data output; a value its pin's declared type does not take fails the node (`output_types`)."""
        plan = self._plan
        try:
            at, usual, check = plan.output_at[name]
        except KeyError:
            raise UnknownPinError(f"node {plan.node.label()} has no data output {name!r}") from None
        if type(value) is not usual and check is not None:
            check(self, value)
        key = plan.bound[at]
        if not plan.plain_outputs:
            if plan.pure:
                self._executor.pure_cache[key] = value
            if name in plan.secret_outputs:  # on its way to a secret: masked from now on
                self._executor.redactor.add(value)
        self._values[key] = value

    # ---- exec pins -----------------------------------------------------------------------------------

    def activate(self, name: str) -> None:
        """Run what is wired to this exec output after this node finishes (once, however often it is activated)."""
        plan = self._plan
        try:
            targets = plan.bound[plan.exec_at[name]]
        except KeyError:
            raise UnknownPinError(f"node {plan.node.label()} has no exec output {name!r}") from None
        if self._first is None:
            self._first, self._next = name, targets
        elif name != self._first:
            self._more[name] = targets

    def deactivate(self, name: str) -> None:
        """Take back an activation of this exec output (nothing, if it was not activated)."""
        if name != self._first:
            self._more.pop(name, None)
        elif self._more:
            self._first = next(iter(self._more))
            self._next = self._more.pop(self._first)
        else:
            self._first, self._next = None, ()

    @property
    def activated(self) -> dict[str, Targets]:
        """The exec outputs this execution activated, in order, with what is wired to each (a copy)."""
        return {} if self._first is None else {self._first: self._next, **self._more}

    def clear_activations(self) -> None:
        self._first, self._next = None, ()
        self._more.clear()

    def fire(self, name: str, branch: int | None = None, *, once: set[tuple[str, str]] | None = None
             ) -> Awaitable[None]:
        """Run what is wired to this exec output now, to completion (loop bodies, sequences); await it.

        For a group of exec outputs sharing one name, `branch` picks one pin of the group (0-based);
        without it, every pin's targets run together. Inputs read afterwards see what the branch changed.
        A body of plain nodes runs right here (loops spend their time in this call), so what comes back is
        then already done; otherwise it is the coroutine that finishes the body. `once`, a set kept across
        fires, leaves out the targets (node id, exec input) it holds and takes those that run: a node wired to
        two branches of a Sequence runs once, as in Flow-Like.
        """
        plan = self._plan
        try:
            targets = plan.exec_next[name] if branch is None else plan.exec_branches[name][branch]
        except KeyError:
            raise UnknownPinError(f"node {plan.node.label()} has no exec output {name!r}") from None
        if once is not None:
            targets = [(target, pin) for target, pin in targets if (target.node_id, pin) not in once]
            once.update((target.node_id, pin) for target, pin in targets)
        if not targets:
            return _DONE
        executor = self._executor
        left = executor.flow_blocking(targets)
        if left or plan.awaits_pure:
            return self._finish_firing(left)
        if executor.pure_done:
            executor.new_step()
        return _DONE

    async def fire_for_each(self, name: str, items: Iterable[Any], *, value: str = "value", index: str = "index",
                            stop: Callable[[], bool] | None = None) -> int:
        """Fire `name` once per item, to completion, with the outputs `value` and `index` set to the item and its
        position; `stop`, if given, is asked after each item. Reports progress and stops when the run is cancelled.
        Returns how many items ran. What loop nodes are made of: per item it does the work of `check_cancelled`,
        two `set_output`s, `fire` and `progress`, without their calls."""
        items = list(items)
        plan, executor, values = self._plan, self._executor, self._values
        try:
            targets = plan.exec_next[name]
            keys = (plan.outputs[value], plan.outputs[index]) if plan.plain_outputs else None
        except KeyError as missing:
            raise UnknownPinError(f"node {plan.node.label()} has no output {missing}") from None
        total = len(items)
        value_key, index_key = keys or (None, None)
        flow, pure_done, awaits_pure = executor.flow_blocking, executor.pure_done, plan.awaits_pure
        progress = self.progress if executor.on_progress else None  # (all fixed while the loop runs)
        since = None  # when the next item's body starts, if nothing ran since the last one's ended (a clock less)
        for position, item in enumerate(items):
            if executor.cancelled:
                executor.check_cancelled()
            if keys is not None:
                values[value_key], values[index_key] = item, position
            else:
                self.set_output(value, item)
                self.set_output(index, position)
            if targets:
                left = flow(targets, since)
                if left or awaits_pure:
                    await self._finish_firing(left)
                else:
                    if pure_done:
                        executor.new_step()
                    if progress is None and stop is None:
                        since = executor.stopped_at
                        continue
                since = None
            if progress is not None:
                progress(position + 1, total)
            if stop is not None and stop():
                return position + 1
        return total

    async def _finish_firing(self, left: list[Any]) -> None:
        executor = self._executor
        if left:
            await executor.flow(left)
        if executor.pure_done:
            executor.new_step()
        if self._plan.awaits_pure:
            await executor.pull_async(self._plan.pure_sources)

    def is_wired(self, exec_output: str) -> bool:
        return bool(self._plan.exec_next.get(exec_output))

    def branches(self, exec_output: str) -> int:
        """How many pins the exec output group `exec_output` has (sequence and parallel nodes grow theirs)."""
        return len(self._plan.exec_branches.get(exec_output, ()))

    def wired_inputs(self, exec_input: str) -> list[str]:
        """Ids of this node's exec input pins called `exec_input` that have a wire (gather waits for them)."""
        return self._plan.wired_inputs.get(exec_input, [])

    # ---- run state -----------------------------------------------------------------------------------

    @property
    def state(self) -> dict[str, Any]:
        """Per-run memory of this node (do-once, flip-flop, gate, gather keep theirs here)."""
        return self._executor.node_state.setdefault(self._plan.node.id, {})

    @property
    def cache(self) -> dict[Any, Any]:
        """Per-run memory shared by all nodes: live resources (connections, open tables) that pins name by
        small handle structs. Dropped when the run ends."""
        return self._executor.cache

    def close_at_end(self, close: Callable[[], Any]) -> None:
        """Call `close` (awaited if it returns an awaitable) when the run ends, however it ends: how a node that
        opens a connection for `ctx.cache` makes sure it is closed."""
        self._executor.closers.append(close)

    @property
    def payload(self) -> Any:
        return self._executor.payload

    def set_result(self, value: Any) -> None:
        """Make `value` the run's result (what a board called as a function returns)."""
        self._executor.run.result = value

    def get_variable(self, name: str) -> Any:
        """A variable's value, by name or by id (Flow-Like's `var_ref` pins hold the id)."""
        return self._executor.variables[self._variable_name(name)]

    def set_variable(self, name: str, value: Any) -> None:
        name = self._variable_name(name)
        executor = self._executor
        if name in executor.run.secret_variables:  # a secret from now on, in every text the run lets out (the
            executor.redactor.add(value)  # executor's: a run given up on keeps a copy of its own, `close_forks`)
        executor.variables[name] = value

    def _variable_name(self, name_or_id: str) -> str:
        variables, board = self._executor.variables, self._executor.run.board
        if name_or_id in variables:
            return name_or_id
        variable = board.variables.get(name_or_id)
        if variable is not None and variable.name in variables:
            return variable.name
        raise UnknownVariableError(f"no variable {name_or_id!r} on board {board.name!r}")

    # ---- logs, events, progress, cancel ----------------------------------------------------------------

    def log(self, level: LogLevel, message: str) -> None:
        executor = self._executor
        if LEVEL_ORDER[level] < executor.log_floor:
            if executor.results is not None:  # kept with the node's result, for a run at a lower level to replay
                executor.results.quiet_line(self, level, str(message))
            return
        text = str(message)
        plan = self._plan
        line = LogLine(level, executor.redactor.text(text) if executor.redactor else text, time.time(), plan.node_id)
        if type(self.record) is float and executor.past_full_traces(self):
            # a fast-path execution past its node's full traces: the line is folded at once, no trace made
            executor.stats(plan.node_id, plan.node_name, executor.step).add_log(line)
        else:
            trace = self.trace
            if not trace.logs:
                trace.logs = []
            trace.logs.append(line)
        if executor.on_log:
            executor.notify(executor.on_log, line)

    def debug(self, message: str) -> None:
        self.log(LogLevel.DEBUG, message)

    def info(self, message: str) -> None:
        self.log(LogLevel.INFO, message)

    def warn(self, message: str) -> None:
        self.log(LogLevel.WARN, message)

    def error(self, message: str) -> None:
        self.log(LogLevel.ERROR, message)

    def fatal(self, message: str) -> None:
        self.log(LogLevel.FATAL, message)

    def emit(self, event_type: str, payload: Any = None) -> None:
        """Stream an event to whoever watches the run (a frontend, the notebook): Flow-Like's `stream_response`.
        Not a log line: the board's log level does not hold it back. Listeners hear it at once (`Listener.event`,
        also from worker processes); the run keeps it in `run.events` and its record (the first `MAX_EVENTS` of
        the run, later ones counted in `run.events.dropped`, with one warning line when the first is dropped).
        The payload goes as a JSON-native copy, secrets redacted. The std pack's UI nodes send their A2UI
        messages as `emit("a2ui", message)`. A node served from the result cache emits again what it emitted when
        it ran (its first `FOLDED_LOGS` events), as it tells its log lines again."""
        executor = self._executor
        data = json_copy(payload)
        event = RunEvent(str(event_type), executor.redactor.value(data) if executor.redactor else data, time.time(),
                         self._plan.node_id)
        if executor.results is not None:
            executor.results.emitted(self, event.event_type, event.payload)
        events = executor.run.events
        if not events.add(event) and events.dropped == 1:
            self.warn(f"the run keeps its first {MAX_EVENTS} events: later ones reach live listeners only "
                      f"(run.events.dropped counts them)")
        if executor.on_event:
            executor.notify(executor.on_event, event)

    def progress(self, done: float, total: float | None = None, message: str = "") -> None:
        """Report progress (`done` of `total`, or a fraction in 0..1) to whoever watches the run."""
        executor = self._executor
        if executor.on_progress:
            fraction = done / total if total else done
            executor.notify(executor.on_progress, self._plan.node_id, float(fraction), executor.redactor.text(message))

    @property
    def cancelled(self) -> bool:
        return self._executor.cancelled

    def check_cancelled(self) -> None:
        """Stop here if the run was cancelled; long loops in a node should call this now and then."""
        if self._executor.cancelled:
            self._executor.check_cancelled()

    async def sleep(self, seconds: float) -> None:
        """Wait without blocking other branches; ends early when the run is cancelled."""
        await asyncio.sleep(seconds)
        self.check_cancelled()


class _Done:
    """An awaitable that is already done: what `fire` returns when the body ran without awaiting. Its `__await__`
    is the empty tuple's `__iter__`, so awaiting it runs no Python code (a loop awaits it once per iteration)."""

    __slots__ = ()
    __await__: Callable[[], Iterator[None]] = staticmethod(().__iter__)


_DONE = _Done()
