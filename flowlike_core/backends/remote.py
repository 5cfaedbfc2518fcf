"""A run somewhere else, seen here: what both remote backends share.

- `prepare` (caller side) checks the run's input as a local run would, makes the local `Run` and packs a job:
  the board as JSON, the node types it uses (cloudpickle: by reference when importable, by value when defined
  in a notebook), the options.
- `execute` (worker side) runs the job as a thread run goes: with no node listener the executor keeps its fast
  path. A `Sender` sends the job's events in numbered batches; with each batch go the run's trace records written
  since the last one (`Tracker`: compact records, each execution once), so traces show live and nothing is sent
  twice. When the caller has listeners for node events, the executions go as node events instead (`NodeRecorder`:
  one `node` event per execution that started and ended between two other events, as a chain's do), and the
  caller makes its trace records of them.
- `Mirror` (caller side) replays those events into the local `Run` and the caller's listeners, so a remote run
  reads like a local one: traces, logs, events, progress, values, status. `Relay` is its part that tells node events to
  listeners (a loop body's, told to the run's listeners); `InOrder` puts numbered batches back in order on the way.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import threading
import time
import uuid
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flowlike_core.backends import BackendError
from flowlike_core.board import Board
from flowlike_core.cache import ResultCache, SharedCache
from flowlike_core.errors import RunError
from flowlike_core.events import Listener, hooks
from flowlike_core.plan import Plan
from flowlike_core.policy import Policy
from flowlike_core.registry import Registry
from flowlike_core.run import LogLine, NodeStatus, NodeTrace, Records, Run, RunEvent, RunStatus

Event = tuple[Any, ...]
Emit = Callable[[Event], None]


@dataclass
class Job:
    """What a worker needs to run a board: all of it picklable, node types as cloudpickle bytes."""

    run_id: str
    board_json: str
    """Empty when the worker has the board already (its sender knows: see `BOARDS_KEPT`)."""
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
    watched: bool = False
    """The caller has listeners for node events: the worker sends one per execution (off the fast path, as a
    watched thread run goes)."""
    board_key: str = ""
    """Names the board and its types as packed (a new key for each revision): a worker keeps boards by it."""


def prepare(board: Board, *, registry: Registry, start: str | None, payload: Any, variables: dict[str, Any] | None,
            max_steps: int, run_id: str | None, backend: str, policy: Policy | None = None,
            cache: ResultCache | None = None) -> tuple[Run, Job]:
    """The local Run and the job for a worker; raises what a local start would, and BackendError naming the node
    whose type cannot be sent."""
    from flowlike_core.board import new_id
    from flowlike_core.executor import find_start, prepare_variables, refuse_unrunnable
    from flowlike_core.plan import plan_for

    plan = plan_for(board, registry)
    start_id = find_start(board, plan, start)
    refuse_unrunnable(board, registry, plan, start_id)
    run = Run(run_id or new_id(), board, start_id, prepare_variables(board, variables))
    run.policy = policy
    board_json, node_types, board_key = _packed(board, registry, backend)
    job = Job(run.id, board_json, node_types, start_id, dict(variables or {}), payload, max_steps, policy,
              cache.shared(backend) if cache is not None else None, catalog_of(plan), board_key=board_key)
    return run, job


def catalog_of(plan: Plan) -> tuple[tuple[str, str, str], ...]:
    """(type key, pack, pack version) of a plan's node types, as a worker registers them."""
    types = {type(node.impl) for node in plan.nodes.values()}
    return tuple(sorted((t.name, t.pack, t.pack_version) for t in types))


_packs: dict[int, tuple[tuple[int, int, int], tuple[str, bytes, str]]] = {}
"""Caller side: the board's JSON, packed types and key by board identity, while its revision and registry stay."""


def _packed(board: Board, registry: Registry, backend: str) -> tuple[str, bytes, str]:
    key = (board.revision, id(registry), registry.generation)
    cached = _packs.get(id(board))
    if cached is None or cached[0] != key:
        board_id = id(board)
        if cached is None:
            weakref.finalize(board, _packs.pop, board_id, None)
        cached = _packs[board_id] = (key, (board.model_dump_json(by_alias=True),
                                           pack_node_types(board, registry, backend), uuid.uuid4().hex))
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
    """Turns a run's hooks into events for a `Sender`: its start (its trace records are followed from then on), log
    lines, emitted events, progress, its final state. No node hook: the executor keeps its fast path, as in an
    unwatched thread run; the traces go with the batches (`Tracker`)."""

    def __init__(self, sender: Sender) -> None:
        self.sender = sender

    def start(self, run: Run) -> None:
        self.sender.tracker.records = run.records
        self.sender.tracker.run = run
        self.sender.emit(("start", run.start))

    def log(self, run: Run, line: LogLine) -> None:
        self.sender.emit(("log", line))

    def event(self, run: Run, event: RunEvent) -> None:
        self.sender.emit(("event", event))

    def progress(self, run: Run, node_id: str, fraction: float, message: str) -> None:
        self.sender.emit(("progress", node_id, fraction, message))

    def finished(self, run: Run) -> None:
        self.sender.finish(final_state(run))


class NodeRecorder(Recorder):
    """A `Recorder` that tells every node execution instead of its trace record, for a caller whose listeners hear
    them (the executor goes the careful way, as it does for a watched thread run): `["node", sequence, node id,
    node name, step, start, folded]` as it starts, to which its end (end, status, error, traceback, cached) is
    added if nothing was sent or told after it meanwhile, else `("node_finished", sequence, end...)` follows. The
    caller makes the run's trace records of them (`Mirror`)."""

    def __init__(self, sender: Sender) -> None:
        super().__init__(sender)
        self.open: dict[int, list[Any]] = {}
        """id(trace) -> the `node` event of the executions going on."""
        self.sequence = 0

    def start(self, run: Run) -> None:
        self.sender.emit(("start", run.start))  # (no trace records: the node events carry the executions)

    def node_started(self, run: Run, trace: NodeTrace) -> None:
        self.sequence += 1
        event = self.open[id(trace)] = ["node", self.sequence, trace.node_id, trace.node_name, trace.step,
                                        trace.start, trace.folded]
        sender = self.sender
        with sender.lock:
            sender.outbox.append(event)

    def node_finished(self, run: Run, trace: NodeTrace) -> None:
        started = self.open.pop(id(trace), None)
        if started is not None:  # (the status as text: it pickles fast)
            self.sender.end_node(started, (trace.end, trace.status._value_, trace.error, trace.traceback,
                                           trace.cached))


def final_state(run: Run) -> dict[str, Any]:
    """Everything a run leaves but its traces (they went with the batches), picklable: values that cannot be
    pickled (live connections) stay behind."""
    return {"status": run.status, "start": run.start, "end": run.end, "steps": run.steps, "error": run.error,
            "error_node": run.error_node, "exception": _picklable(run.exception), "result": _picklable(run.result),
            "variables": _picklable_items(run.variables), "values": _picklable_items(run.values),
            "folded": dict(run.folded), "reasons": run.reasons}


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


class Tracker:
    """A run's trace records (`Run.records`), read while the executor writes them, from the thread that sends the
    events. An execution goes out once, as its record, when it has ended; one that has not when a batch goes out
    goes first as an open copy. A `NodeTrace` goes a batch after its end: the executor writes its status and error
    just after its end time (when the run is `over`, every record is settled). The fast path's execution going on,
    which has no record until it ends (`current`), goes as an open copy at index -1 whenever it changes. The traces
    of the run's parallel bodies going on (`Run.forked`), which join its records when they are merged, go as copies
    at index -2 whenever they change."""

    def __init__(self) -> None:
        self.records: Records = Records()
        self.seen = 0
        """Records looked at so far."""
        self.pending: dict[int, bool] = {}
        """Index -> whether it was seen ended, of the records sent open and not yet sent finished."""
        self.over = False
        self.current: Callable[[], NodeTrace | None] = lambda: None
        """The executor's `running_quietly`."""
        self.told: tuple[str, float] | None = None
        """(node id, start) of the fast path's execution last sent as going on."""
        self.run: Run | None = None
        """The run of `records`, whose parallel bodies going on are followed too (`Run.forks`)."""
        self.told_forked: list[tuple[Any, ...]] = []
        """What the parallel bodies' traces last sent said (`_said`)."""
        self.scanned: list[Run] | None = None
        """The run's forks as they were when their traces were last read (a merge or a new loop replaces the list)."""
        self.scan_after = 0.0
        """Until then (monotonic) the same forks' traces are not read again: 30 times what reading them took, so a
        loop of many iterations costs this thread a thirtieth of its time at most."""

    def poll(self) -> list[tuple[int, Any]]:
        """(index, record) of what changed since the last poll, new records in order."""
        records, over, seen = self.records, self.over, self.seen
        pending, self.pending = self.pending, {}
        run, forked = self.run, None
        if run is not None and (run.forks or self.told_forked):
            with run.forking:  # (a merge is wholly in the records seen or wholly in the forks)
                self.seen = len(records)
                now = time.monotonic()
                if run.forks is not self.scanned or now >= self.scan_after:
                    self.scanned, forked = run.forks, run.forked()
                    self.scan_after = now + 30 * (time.monotonic() - now)
        else:
            self.seen = len(records)
        changed = []
        for index in [*pending, *range(seen, self.seen)]:
            record = records[index]
            plain = type(record) is tuple
            ended = plain or record.status is not NodeStatus.RUNNING
            if ended and (plain or over or pending.get(index, False)):
                changed.append((index, _settled(record)))
                continue
            if index >= seen:
                changed.append((index, _opened(record)))
            self.pending[index] = ended
        current = None if over else self.current()
        told = (current.node_id, current.start) if current is not None else None
        if told != self.told:
            self.told = told
            changed.append((-1, current and _opened(current)))
        if forked is not None and (said := [_said(trace) for trace in forked]) != self.told_forked:
            self.told_forked = said
            changed.append((-2, [_settled(dataclasses.replace(trace, logs=list(trace.logs)) if trace.logs else
                                          copy.copy(trace)) for trace in forked]))
        return changed


def _said(trace: NodeTrace) -> tuple[Any, ...]:
    """What of a trace the caller sees change."""
    return trace.node_id, trace.step, trace.start, trace.end, trace.status, len(trace.logs), trace.error


def _settled(record: Any) -> Any:
    """An ended execution's record as it goes out: a compact tuple unless its trace says more than that it succeeded
    (a tuple pickles in a fraction of a trace's time)."""
    if type(record) is tuple or record.logs or record.error is not None or record.cached or \
            record.status is not NodeStatus.SUCCESS:
        return record
    return ((record.node_id, record.node_name), record.step, record.start, record.end)


def _opened(trace: NodeTrace) -> NodeTrace:
    """A running execution's trace, as the caller keeps it until it ends (see `Run.records`)."""
    return NodeTrace(trace.node_id, trace.node_name, trace.step, trace.start, folded=trace.folded)


class Sender:
    """A job's events, sent while it runs: numbered batches `[key, number, pickled events]` handed to `post` every
    `every` seconds, and at once after a log line (the lines before a crash are the ones that explain it). A batch
    starts with the trace records the run wrote since the last one (`Tracker`). `tick` is called after each
    periodic batch (a process worker reads its pipe for a cancel there). `post_log` sends a batch holding a log line
    (default: `post`): a dask worker's waits until the batch has left it, since the node may crash it next."""

    def __init__(self, post: Callable[[list[Any]], None], key: str, every: float = 0.05,
                 tick: Callable[[], None] = lambda: None,
                 post_log: Callable[[list[Any]], None] | None = None) -> None:
        self.post, self.key, self.every, self.tick = post, key, every, tick
        self.post_log = post_log or post
        self.tracker = Tracker()
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
                self._flush(self.post_log)

    def end_node(self, started: list[Any], end: tuple[Any, ...]) -> None:
        """An execution told by its `node` event has ended: its end joins that event if it is the last one waiting
        to go (the order of events stays as it was), else goes after as a `node_finished` event."""
        with self.lock:
            outbox = self.outbox
            if outbox and outbox[-1] is started:
                started.extend(end)
            else:
                outbox.append(("node_finished", started[1], *end))

    def finish(self, state: dict[str, Any]) -> None:
        """The run has ended, every record settled: its last records, then its final state."""
        with self.lock:
            self.tracker.over = True
            self.outbox.append(("finished", state))

    def tell_all(self) -> None:
        """Send now what the caller has not been told, ended executions settled (two polls: `Tracker` sends an
        execution settled a poll after it saw it end): the worker is about to exit."""
        if self.lock.acquire(timeout=1.0):
            try:
                self._flush()
                self._flush()
            finally:
                self.lock.release()

    def _tick(self) -> None:
        while not self.stop.wait(self.every):
            with self.lock:
                self._flush()
            self.tick()

    def _take(self) -> list[Event]:
        traces = self.tracker.poll()
        events, self.outbox = self.outbox, []
        return [("traces", traces), *events] if traces else events

    def _flush(self, post: Callable[[list[Any]], None] | None = None) -> None:
        events = self._take()
        if events:
            import cloudpickle

            (post or self.post)([self.key, self.sent, cloudpickle.dumps(events)])
            self.sent += 1

    def close(self) -> tuple[int, list[Event]]:
        """Stop sending: the number the last batch gets, and its events (they go back with the job's result)."""
        self.stop.set()
        self.thread.join()
        with self.lock:
            return self.sent, self._take()


BOARDS_KEPT = 4
"""Boards a worker keeps parsed and planned, the ones it ran last; a caller that knows which (it sends all the jobs
of a process worker, and keeps the same count in the same order) sends a job of one of them without the board."""
_boards: OrderedDict[str, tuple[Board, Registry]] = OrderedDict()
"""Worker side: by board key, the boards kept."""


def keeps(key: str) -> bool:
    """Worker side: whether this worker keeps the board of this key parsed."""
    return key in _boards


def kept_board(key: str, board_json: str, node_types: bytes,
               catalog: tuple[tuple[str, str, str], ...]) -> tuple[Board, Registry]:
    """Worker side: a board and a registry of its types, parsed once per board key (`board_json` may be empty when
    the sender knows this worker keeps it)."""
    import cloudpickle

    kept = _boards.get(key)
    if kept is None:
        if not board_json:
            raise BackendError(f"the worker no longer has board {key}; it will be sent again")
        registry = Registry()
        packs = {name: (pack, version) for name, pack, version in catalog}
        for name, node_type in cloudpickle.loads(node_types).items():
            pack, version = packs.get(name, (node_type.pack, node_type.pack_version))
            registry.register(node_type, pack=pack, replace=True, version=version)
        kept = _boards[key] = (Board.from_json(board_json, "<job>"), registry)
        while len(_boards) > BOARDS_KEPT:
            _boards.popitem(last=False)
    _boards.move_to_end(key)
    return kept


def execute(job: Job, sender: Sender, *, cancelled: Callable[[], bool] = lambda: False) -> None:
    """Run a job here, its events and traces going out through `sender` (the last event is `finished`);
    `cancelled` is polled."""
    from flowlike_core.executor import start_run

    board, registry = kept_board(job.board_key, job.board_json, job.node_types, job.catalog)
    recorder = NodeRecorder(sender) if job.watched else Recorder(sender)
    handle = start_run(board, registry=registry, start=job.start, payload=job.payload, variables=job.variables,
                       max_steps=job.max_steps, listeners=[recorder], run_id=job.run_id,
                       policy=job.policy, cache=job.cache.open() if job.cache is not None else None)
    sender.tracker.current = handle.executor.running_quietly
    while not handle.done():
        handle.wait(0.05)
        if cancelled() and not handle.executor.cancelled:
            handle.cancel()


# ---- caller side -----------------------------------------------------------------------------------------


class Relay:
    """Tells a remote run's node events (started, finished, log, event, progress) to listener hooks (a listener that
    raises is reported, as in a local run)."""

    def __init__(self, run: Run, hooks_: dict[str, list[Any]]) -> None:
        self.run = run
        self.hooks = hooks_
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
        if kind == "node":
            trace = NodeTrace(event[2], event[3], event[4], event[5], folded=event[6])
            ended = len(event) > 7
            self.began(event[1], trace, ended)
            self.notify("node_started", trace)
            if ended:
                self.end(trace, *event[7:])
            else:
                self.open[event[1]] = trace
        elif kind == "node_finished":
            trace = self.open.pop(event[1], None)
            if trace is not None:
                self.left(event[1])
                self.end(trace, *event[2:])
        elif kind == "log":
            line: LogLine = event[1]
            trace = next((t for t in reversed(self.open.values()) if t.node_id == line.node_id), None)
            if trace is not None:
                _add_line(trace, line)
            self.notify("log", line)
        elif kind == "event":
            self.notify("event", event[1])
        elif kind == "progress":
            self.notify("progress", *event[1:])

    def began(self, sequence: int, trace: NodeTrace, ended: bool) -> None:
        """An execution has started, and perhaps `ended` (a `Mirror` keeps its trace in the run's records)."""

    def left(self, sequence: int) -> None:
        """An execution that started in an earlier event has ended."""

    def end(self, trace: NodeTrace, end: float, status: str, error: str | None, traceback: str | None,
            cached: bool) -> None:
        trace.end, trace.status, trace.error, trace.traceback, trace.cached = end, _STATUSES[status], error, \
            traceback, cached
        self.notify("node_finished", trace)


_STATUSES = {status.value: status for status in NodeStatus}


def _add_line(trace: NodeTrace, line: LogLine) -> None:
    if not trace.logs:
        trace.logs = []
    trace.logs.append(line)  # type: ignore[union-attr]


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
        if number < self.next:  # (a batch sent twice)
            return
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
    """Replays a remote run's events into the local Run and its listeners, as the run goes and when it ends: its
    trace records go into `run.records` at the worker's own indexes; a watched run's executions (node events)
    become traces there in the order they started."""

    def __init__(self, run: Run, listeners: Iterable[Listener]) -> None:
        watchers = [*listeners, *Listener.active]
        super().__init__(run, {name: hooks(watchers, name) for name in
                               ("start", "node_started", "node_finished", "log", "event", "progress", "finished")})
        self.ended = threading.Event()
        """Set once the run is settled here and its finished listeners have run (a run history has its record): what
        waiting returns on."""
        self._settled = False
        self._settling = threading.Lock()
        self.running: dict[int, NodeTrace] = {}
        """Index in `run.records` -> trace, of the executions the worker last reported running."""
        self.current: NodeTrace | None = None
        """The worker's fast-path execution going on, which has no record there until it ends (`Tracker`)."""
        run.quiet = lambda: self.current
        self.indexes: dict[int, int] = {}
        """Sequence number of a watched run's execution going on -> the index of its trace in `run.records`."""
        self.forked = copy.copy(run)
        """The worker's parallel bodies going on, as one fork of the run here (in `run.forks` while there are any):
        their traces, which the worker sends until it merges them into its records."""
        forked = self.forked
        forked.records, forked.forks, forked.forking, forked.quiet = Records(), [], threading.Lock(), None

    @property
    def watched(self) -> bool:
        """Whether the listeners hear node events (then the worker sends them)."""
        return bool(self.hooks["node_started"] or self.hooks["node_finished"])

    def apply(self, event: Event) -> None:
        kind = event[0]
        if kind == "traces":
            self.records(event[1])
        elif kind == "start":
            self.run.start = event[1]
            self.notify("start")
        elif kind == "finished":
            self.finish(event[1])
        else:
            if kind == "log" and not self.open:
                self.log_line(event[1])  # (a watched run's lines go to the traces of its node events)
            elif kind == "event":
                self.run.events.add(event[1])  # (kept here as the worker kept it: same cap, same count)
            super().apply(event)

    def began(self, sequence: int, trace: NodeTrace, ended: bool) -> None:
        if not trace.folded:
            records = self.run.records
            if not ended:
                self.indexes[sequence] = len(records)
                self.running[len(records)] = trace
            records.append(trace)

    def left(self, sequence: int) -> None:
        index = self.indexes.pop(sequence, None)
        if index is not None:
            self.running.pop(index, None)

    def records(self, changed: list[tuple[int, Any]]) -> None:
        """Trace records the worker wrote or ended, at their index (new ones come in order), and its parallel bodies'
        traces; at once for a reader of the run's traces (a merge there is wholly in the records or in the forks)."""
        with self.run.forking:
            self._records(changed)

    def _records(self, changed: list[tuple[int, Any]]) -> None:
        records, running = self.run.records, self.running
        for index, record in changed:
            if index == -2:
                self.forked.records = Records(record)
                self.run.forks = [self.forked] if record else []
                continue
            if index < 0:
                self.current = record
                continue
            if index < len(records):
                records[index] = record
            else:
                records.append(record)
            if type(record) is NodeTrace and record.status is NodeStatus.RUNNING:
                running[index] = record
            else:
                running.pop(index, None)

    def log_line(self, line: LogLine) -> None:
        """A line goes into the trace of its node's execution going on (its final record brings them all)."""
        trace = next((t for t in reversed(self.running.values()) if t.node_id == line.node_id), None)
        if trace is not None:
            _add_line(trace, line)

    def running_node(self) -> str:
        """The node of the latest execution the worker reported going on ("" if none)."""
        if self.open:
            return self.open[next(reversed(self.open))].node_id
        if self.running:
            return self.running[next(reversed(self.running))].node_id
        return self.current.node_id if self.current is not None else ""

    def forget_executions(self) -> None:
        """The run has ended here: no execution of the worker's goes on any more."""
        self.open.clear()
        self.running.clear()
        self.indexes.clear()
        self.current = None
        self.run.quiet = None
        self.run.forks = []

    def finish(self, state: dict[str, Any]) -> None:
        """Take the remote run's final state; its status goes last, so whoever sees it settled sees it all."""
        run = self.run
        if not self._settle():
            return
        run.start = state["start"]
        run.end, run.steps = state["end"], state["steps"]
        run.variables.clear()
        run.variables.update(state["variables"])
        run.values.update(state["values"])
        run.result, run.error, run.error_node, run.exception = (state["result"], state["error"], state["error_node"],
                                                                state["exception"])
        run.folded.clear()
        run.folded.update(state["folded"])
        run.reasons = state.get("reasons")
        self.forget_executions()
        run.status = state["status"]
        self.notify("finished")
        self.ended.set()

    @property
    def settled(self) -> bool:
        """The run has ended here (its listeners may still be running: `ended` waits for them)."""
        return self._settled

    def _settle(self) -> bool:
        """True for the first of `finish` and `fail` (the worker's end and a watchdog's may race), which settles the
        run; its listeners run before `ended` is set, so a caller that stops waiting finds its record kept."""
        with self._settling:
            first, self._settled = not self._settled, True
            return first

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

    def fail(self, error: RunError, node_id: str | None, status: RunStatus = RunStatus.FAILED,
             outcome: Callable[[NodeTrace], tuple[NodeStatus, str | None]] | None = None) -> None:
        """The worker went away (died, hung, cancelled) before the run ended there: settle it here. The executions
        it reported going on end with the run's status, or as `outcome` judges them (status, error); the one of
        `node_id` says `error`."""
        run = self.run
        if not self._settle():
            return
        run.end = time.time()
        run.error, run.error_node, run.exception = str(error), node_id or None, error
        closing = NodeStatus.CANCELLED if status is RunStatus.CANCELLED else NodeStatus.FAILED
        if self.current is not None and not self.current.folded:
            self.running[len(run.records)] = self.current
            run.records.append(self.current)
        for trace in [*self.running.values(), *self.open.values()]:
            trace.end, trace.status = run.end, closing
            if outcome is not None:
                trace.status, trace.error = outcome(trace)
                if trace.status is NodeStatus.FAILED and trace.node_id != node_id:
                    trace.error = f"an input failed: {error}"
            if trace.node_id == node_id:
                trace.error = str(error)
        if node_id and not any(trace.node_id == node_id for trace in self.running.values()):
            run.records.append(NodeTrace(node_id, run.board.nodes[node_id].name if node_id in run.board.nodes
                                         else node_id, 0, run.end, run.end, closing, error=str(error)))
        self.forget_executions()
        run.status = status
        self.notify("finished")
        self.ended.set()
