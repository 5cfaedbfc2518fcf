"""A run somewhere else, seen here: what both remote backends share.

- `prepare` (caller side) checks the run's input as a local run would, makes the local `Run` and packs a job:
  the board as JSON, the node types it uses (cloudpickle: by reference when importable, by value when defined
  in a notebook), the options.
- `execute` (worker side) runs the job with a `Recorder` that turns the listener hooks into plain events.
- `Mirror` (caller side) replays those events into the local `Run` and the caller's listeners, so a remote run
  reads like a local one: traces, logs, progress, values, status. `Relay` is its part that replays node events
  (a loop body's, told to the run's listeners); `InOrder` puts numbered batches back in order on the way.
"""

from __future__ import annotations

import pickle
import threading
import time
import warnings
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flowlike_core.backends import BackendError
from flowlike_core.board import Board
from flowlike_core.cache import ResultCache, SharedCache
from flowlike_core.errors import RunError
from flowlike_core.events import Listener, hooks
from flowlike_core.policy import Policy
from flowlike_core.registry import Registry
from flowlike_core.run import LogLine, NodeStatus, NodeTrace, Run, RunStatus

Event = tuple[Any, ...]
Emit = Callable[[Event], None]


@dataclass
class Job:
    """What a worker needs to run a board: all of it picklable, node types as cloudpickle bytes."""

    run_id: str
    board_json: str
    node_types: bytes
    start: str
    variables: dict[str, Any]
    payload: Any
    max_steps: int
    policy: Policy | None = None
    """What the nodes may reach; the worker's executor enforces it as a local run's does."""
    cache: SharedCache | None = None
    """The result cache the run uses, through its store (`flowlike_core.cache`)."""
    catalog: tuple[tuple[str, str, str], ...] = ()
    """(type key, pack, pack version) of the node types: part of every cached result's key."""


def prepare(board: Board, *, registry: Registry, start: str | None, payload: Any, variables: dict[str, Any] | None,
            max_steps: int, run_id: str | None, backend: str, policy: Policy | None = None,
            cache: ResultCache | None = None) -> tuple[Run, Job]:
    """The local Run and the job for a worker; raises what a local start would, and BackendError naming the node
    whose type cannot be sent."""
    from flowlike_core.board import new_id
    from flowlike_core.executor import find_start, prepare_variables
    from flowlike_core.plan import plan_for

    plan = plan_for(board, registry)
    start_id = find_start(board, plan, start)
    if plan.placeholders:
        from flowlike_core.interop.placeholders import refuse_reached

        refuse_reached(board, registry, start_id)
    run = Run(run_id or new_id(), board, start_id, prepare_variables(board, variables))
    board_json, node_types = _packed(board, registry, backend)
    types = {type(node.impl) for node in plan.nodes.values()}
    catalog = tuple(sorted((t.name, t.pack, t.pack_version) for t in types))
    job = Job(run.id, board_json, node_types, start_id, dict(variables or {}), payload, max_steps, policy,
              cache.shared(backend) if cache is not None else None, catalog)
    return run, job


_packs: dict[int, tuple[tuple[int, int, int], tuple[str, bytes]]] = {}
"""Caller side: the board's JSON and packed types by board identity, while its revision and registry stay."""


def _packed(board: Board, registry: Registry, backend: str) -> tuple[str, bytes]:
    key = (board.revision, id(registry), registry.generation)
    cached = _packs.get(id(board))
    if cached is None or cached[0] != key:
        board_id = id(board)
        if cached is None:
            weakref.finalize(board, _packs.pop, board_id, None)
        cached = _packs[board_id] = (key, (board.model_dump_json(by_alias=True),
                                           pack_node_types(board, registry, backend)))
    return cached[1]


def pack_node_types(board: Board, registry: Registry, backend: str) -> bytes:
    import cloudpickle

    types = {node.name: registry.get(node.name) for node in board.nodes.values() if node.name in registry}
    try:
        return cloudpickle.dumps(types)
    except Exception:  # noqa: BLE001 - find which type it is, to name it
        pass
    for key, node_type in types.items():
        try:
            cloudpickle.dumps(node_type)
        except Exception as exc:  # noqa: BLE001 - any pickling failure is the same refusal
            nodes = ", ".join(n.label() for n in board.nodes.values() if n.name == key)
            raise BackendError(f"node type {key!r} (node {nodes}) cannot be sent to a {backend} worker: "
                               f"{type(exc).__name__}: {exc}. Define it in an importable module, or run with "
                               f"backend='thread'") from exc
    raise BackendError(f"the node types of board {board.name!r} cannot be sent to a {backend} worker")


# ---- worker side -----------------------------------------------------------------------------------------


class Recorder(Listener):
    """Turns a run's hooks into events (plain tuples) for `emit`; tells `on_node` which node runs now."""

    def __init__(self, emit: Emit, on_node: Callable[[str], None] = lambda _: None) -> None:
        self.emit = emit
        self.on_node = on_node
        self.open: dict[int, tuple[int, str]] = {}
        """id(trace) -> (sequence number, node id) of the executions going on."""
        self.sequence = 0

    def start(self, run: Run) -> None:
        self.emit(("start", run.start))

    def node_started(self, run: Run, trace: NodeTrace) -> None:
        self.sequence += 1
        self.open[id(trace)] = (self.sequence, trace.node_id)
        self.on_node(trace.node_id)
        self.emit(("node_started", self.sequence, trace.node_id, trace.node_name, trace.step, trace.start,
                   trace.folded))

    def node_finished(self, run: Run, trace: NodeTrace) -> None:
        sequence, _ = self.open.pop(id(trace), (0, ""))
        self.on_node(next(reversed(self.open.values()))[1] if self.open else "")
        self.emit(("node_finished", sequence, trace.end, trace.status, trace.error, trace.traceback, trace.cached))

    def log(self, run: Run, line: LogLine) -> None:
        self.emit(("log", line))

    def progress(self, run: Run, node_id: str, fraction: float, message: str) -> None:
        self.emit(("progress", node_id, fraction, message))

    def finished(self, run: Run) -> None:
        self.emit(("finished", final_state(run)))


def final_state(run: Run) -> dict[str, Any]:
    """Everything a run leaves, picklable: values that cannot be pickled (live connections) stay behind."""
    return {"status": run.status, "start": run.start, "end": run.end, "steps": run.steps, "error": run.error,
            "error_node": run.error_node, "exception": _picklable(run.exception), "result": _picklable(run.result),
            "variables": _picklable_items(run.variables), "values": _picklable_items(run.values),
            "traces": list(run.traces), "folded": dict(run.folded), "reasons": run.reasons}


def _picklable(value: Any) -> Any:
    try:
        pickle.dumps(value)
        return value
    except Exception:  # noqa: BLE001 - whatever cannot travel stays behind
        return RunError(str(value)) if isinstance(value, BaseException) else None


def _picklable_items(values: dict[str, Any]) -> dict[str, Any]:
    try:
        pickle.dumps(values)
        return dict(values)
    except Exception:  # noqa: BLE001 - fall back to value by value
        pass
    kept = {}
    for key, value in values.items():
        try:
            pickle.dumps(value)
            kept[key] = value
        except Exception:  # noqa: BLE001 - a live object: not sent
            continue
    return kept


_last_board: list[Any] = [None, None, None]
"""Worker side: the last job's (board JSON, types) key, its Board and Registry."""


def execute(job: Job, emit: Emit, *, on_node: Callable[[str], None] = lambda _: None,
            cancelled: Callable[[], bool] = lambda: False) -> None:
    """Run a job here, its events to `emit` (the last one is `finished`); `cancelled` is polled."""
    import cloudpickle

    from flowlike_core.executor import start_run

    key = (job.board_json, job.node_types, job.catalog)
    if _last_board[0] != key:  # a new board: parse it and its types; the same board again reuses its plan
        registry = Registry()
        packs = {name: (pack, version) for name, pack, version in job.catalog}
        for name, node_type in cloudpickle.loads(job.node_types).items():
            pack, version = packs.get(name, (node_type.pack, node_type.pack_version))
            registry.register(node_type, pack=pack, replace=True, version=version)
        _last_board[:] = [key, Board.from_json(job.board_json, "<job>"), registry]
    _, board, registry = _last_board
    handle = start_run(board, registry=registry, start=job.start, payload=job.payload, variables=job.variables,
                       max_steps=job.max_steps, listeners=[Recorder(emit, on_node)], run_id=job.run_id,
                       policy=job.policy, cache=job.cache.open() if job.cache is not None else None)
    while not handle.done():
        handle.wait(0.05)
        if cancelled() and not handle.executor.cancelled:
            handle.cancel()


# ---- caller side -----------------------------------------------------------------------------------------


class Relay:
    """Replays a remote run's node events (started, finished, log, progress) to listener hooks, keeping the traces
    in `run.records` when `keep_records` (a listener that raises is reported, as in a local run)."""

    def __init__(self, run: Run, hooks_: dict[str, list[Any]], *, keep_records: bool) -> None:
        self.run = run
        self.hooks = hooks_
        self.keep_records = keep_records
        self.open: dict[int, NodeTrace] = {}

    def notify(self, name: str, *args: Any) -> None:
        for hook in self.hooks.get(name, ()):
            try:
                hook(self.run, *args)
            except Exception as exc:  # noqa: BLE001 - a listener never changes the run
                warnings.warn(f"run {self.run.id}: listener {getattr(hook, '__qualname__', hook)} failed: {exc}",
                              RuntimeWarning, stacklevel=2)

    def apply(self, event: Event) -> None:
        kind = event[0]
        if kind == "node_started":
            _, sequence, node_id, node_name, step, start, folded = event
            trace = self.open[sequence] = NodeTrace(node_id, node_name, step, start, folded=folded)
            if self.keep_records and not folded:
                self.run.records.append(trace)
            self.notify("node_started", trace)
        elif kind == "node_finished":
            _, sequence, end, status, error, traceback, cached = event
            trace = self.open.pop(sequence, None)
            if trace is not None:
                trace.end, trace.status, trace.error, trace.traceback, trace.cached = end, status, error, traceback, \
                    cached
                self.notify("node_finished", trace)
        elif kind == "log":
            line: LogLine = event[1]
            trace = next((t for t in reversed(self.open.values()) if t.node_id == line.node_id), None)
            if trace is not None:
                if not trace.logs:
                    trace.logs = []
                trace.logs.append(line)  # type: ignore[union-attr]
            self.notify("log", line)
        elif kind == "progress":
            self.notify("progress", *event[1:])


class Sender:
    """A job's events, sent while it runs: numbered batches `[key, number, pickled events]` handed to `post` every
    `every` seconds, and at once after a log line (the lines before a crash are the ones that explain it)."""

    def __init__(self, post: Callable[[list[Any]], None], key: str, every: float = 0.05) -> None:
        self.post, self.key, self.every = post, key, every
        self.outbox: list[Event] = []
        self.sent = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._tick, name=f"flowlike-events-{key}", daemon=True)
        self.thread.start()

    def emit(self, event: Event) -> None:
        with self.lock:
            self.outbox.append(event)
            if event[0] == "log":
                self._flush()

    def _tick(self) -> None:
        while not self.stop.wait(self.every):
            with self.lock:
                self._flush()

    def _flush(self) -> None:
        if self.outbox:
            import cloudpickle

            self.post([self.key, self.sent, cloudpickle.dumps(self.outbox)])
            self.sent += 1
            self.outbox = []

    def close(self) -> tuple[int, list[Event]]:
        """Stop sending: the number the last batch gets, and its events (they go back with the job's result)."""
        self.stop.set()
        self.thread.join()
        with self.lock:
            tail, self.outbox = self.outbox, []
            return self.sent, tail


class Channel:
    """Caller side: live event batches of many jobs, each handed to the sink registered for its job's key
    (batches of keys nobody waits for any more are dropped)."""

    def __init__(self) -> None:
        self.sinks: dict[str, Callable[[int, list[Event]], None]] = {}

    def deliver(self, message: list[Any]) -> None:
        key, number, data = message
        sink = self.sinks.get(key)
        if sink is not None:
            sink(number, pickle.loads(data))


class InOrder:
    """Numbered batches of events applied in the order they were sent, whatever order they arrive in."""

    def __init__(self, apply: Callable[[Event], None]) -> None:
        self.apply = apply
        self.next = 0
        """The number of the next batch to apply."""
        self.waiting: dict[int, list[Event]] = {}

    def add(self, number: int, events: list[Event]) -> None:
        self.waiting[number] = events
        while self.next in self.waiting:
            for event in self.waiting.pop(self.next):
                self.apply(event)
            self.next += 1

    def skip_gaps(self) -> None:
        """Apply what has arrived, past the batches that never did."""
        for number in sorted(self.waiting):
            for event in self.waiting.pop(number):
                self.apply(event)
            self.next = number + 1


class Mirror(Relay):
    """Replays a remote run's events into the local Run and its listeners, as the run goes and when it ends."""

    def __init__(self, run: Run, listeners: Iterable[Listener]) -> None:
        watchers = [*listeners, *Listener.active]
        super().__init__(run, {name: hooks(watchers, name) for name in
                               ("start", "node_started", "node_finished", "log", "progress", "finished")},
                         keep_records=True)
        self.ended = threading.Event()

    def apply(self, event: Event) -> None:
        kind = event[0]
        if kind == "start":
            self.run.start = event[1]
            self.notify("start")
        elif kind == "finished":
            self.finish(event[1])
        else:
            super().apply(event)

    def finish(self, state: dict[str, Any]) -> None:
        """Take the remote run's final state; its status goes last, so whoever sees it settled sees it all."""
        run = self.run
        if self.ended.is_set():
            return
        run.start = state["start"] or run.start
        run.end, run.steps = state["end"], state["steps"]
        run.variables.clear()
        run.variables.update(state["variables"])
        run.values.update(state["values"])
        run.result, run.error, run.error_node, run.exception = (state["result"], state["error"], state["error_node"],
                                                                state["exception"])
        run.records[:] = state["traces"]
        run.folded.clear()
        run.folded.update(state["folded"])
        run.reasons = state.get("reasons")
        self.open.clear()
        run.status = state["status"]
        self.ended.set()
        self.notify("finished")

    def wait(self, timeout: float | None, cancel: Callable[[], None], grace: float) -> Run:
        """Wait for the run to end, in short slices so that Ctrl-C is seen; Ctrl-C cancels it and gives the cancel
        `grace` seconds to land. The run handles of every remote backend wait this way."""
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while not self.ended.wait(0.05):
                if deadline is not None and time.monotonic() >= deadline:
                    break
        except KeyboardInterrupt:
            cancel()
            self.ended.wait(grace)
        return self.run

    def fail(self, error: RunError, node_id: str | None, status: RunStatus = RunStatus.FAILED) -> None:
        """The worker went away (died, hung, cancelled) before the run ended there: settle it here."""
        run = self.run
        if self.ended.is_set():
            return
        run.end = time.time()
        run.start = run.start or run.end
        run.error, run.error_node, run.exception = str(error), node_id or None, error
        closing = NodeStatus.CANCELLED if status is RunStatus.CANCELLED else NodeStatus.FAILED
        for trace in self.open.values():
            trace.end, trace.status = run.end, closing
            if trace.node_id == node_id:
                trace.error = str(error)
        if node_id and not any(t.node_id == node_id for t in self.open.values()):
            run.records.append(NodeTrace(node_id, run.board.nodes[node_id].name if node_id in run.board.nodes
                                         else node_id, 0, run.end, run.end, closing, error=str(error)))
        self.open.clear()
        run.status = status
        self.ended.set()
        self.notify("finished")

