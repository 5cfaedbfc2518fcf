"""What a run leaves behind: status, traces of node executions with their logs, its events, and the values it produced.

`Run` is the live object (values stay Python objects); `RunRecord` is its JSON-native record, the form
that is printed by `flowlike run --json`, persisted by storage and shown by the kernel.

Trace memory is bounded: the first `FULL_TRACES` executions of each node keep a full `NodeTrace`; later ones
are folded into the node's `NodeStats` (count, total and longest time, first and last error, at most
`FOLDED_LOGS` log lines), so a loop that runs a node a million times costs what twenty executions cost.

Events (`ctx.emit`: what nodes stream to a frontend, such as the A2UI messages of the std pack's UI nodes) are
kept per run, not per node, whatever the board's log level: the first `MAX_EVENTS` in `Run.events`, the ones
after counted in `Run.events.dropped` (and `RunRecord.dropped_events`); live listeners hear every one.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import BaseModel, Field

from flowlike_core import wording
from flowlike_core.board import Board, LogLevel, PinDirection
from flowlike_core.errors import NodeFailed, RunCancelled, RunError, StepLimitExceeded
from flowlike_core.reasons import ALWAYS, EXEC_RUNS, NO_CACHE, NOT_RUN, Change, Reason
from flowlike_core.redaction import Redactor, secret_values
from flowlike_core.types import is_table, to_json_native

if TYPE_CHECKING:
    from flowlike_core.policy import Policy


class RunStatus(StrEnum):
    RUNNING = "Running"
    SUCCESS = "Success"
    FAILED = "Failed"
    CANCELLED = "Cancelled"


class NodeStatus(StrEnum):
    QUEUED = "Queued"
    RUNNING = "Running"
    SUCCESS = "Success"
    FAILED = "Failed"
    SKIPPED = "Skipped"
    CANCELLED = "Cancelled"


LEVEL_ORDER = {level: i for i, level in enumerate(LogLevel)}
FULL_TRACES = 20
"""Executions of one node that keep a full trace; the ones after are folded into its `NodeStats`."""
FOLDED_LOGS = 100
"""Log lines kept per node from its folded executions (the first ones; later lines are only counted)."""
MAX_EVENTS = 10_000
"""Events a run keeps (`Run.events`), all nodes together; later ones reach live listeners and are only counted."""


@dataclass(slots=True)
class LogLine:
    level: LogLevel
    message: str
    time: float
    node_id: str = ""


@dataclass(slots=True)
class RunEvent:
    """What a node streamed to whoever watches the run (`ctx.emit`): Flow-Like's `event_type` and payload."""

    event_type: str
    payload: Any
    """JSON-native (a copy made when it was emitted), secrets redacted."""
    time: float
    node_id: str = ""


class EventLog:
    """The events a run keeps: the first `cap` in the order they were emitted; `dropped` counts the ones after.
    Iterate it for the `RunEvent`s. Parallel branches of the run add to it at once (hence the lock)."""

    __slots__ = ("cap", "kept", "dropped", "_lock")

    def __init__(self, cap: int = MAX_EVENTS) -> None:
        self.cap = cap
        self.kept: list[RunEvent] = []
        self.dropped = 0
        self._lock = threading.Lock()

    def add(self, event: RunEvent) -> bool:
        """Keep `event` if there is room; False when the cap was reached (then it is only counted)."""
        with self._lock:
            if len(self.kept) < self.cap:
                self.kept.append(event)
                return True
            self.dropped += 1
            return False

    def extend(self, events: list[RunEvent], dropped: int = 0) -> None:
        """Add events kept elsewhere (a loop body's on another process), and what was dropped there."""
        for event in events:
            self.add(event)
        with self._lock:
            self.dropped += dropped

    def of(self, event_type: str) -> list[Any]:
        """The payloads of the kept events of one type, in order (`run.events.of("a2ui")`)."""
        return [event.payload for event in self.kept if event.event_type == event_type]

    def __iter__(self) -> Iterator[RunEvent]:
        return iter(list(self.kept))

    def __len__(self) -> int:
        return len(self.kept)

    def __repr__(self) -> str:
        return f"<EventLog {len(self.kept)} kept, {self.dropped} dropped (cap {self.cap})>"


@dataclass(slots=True)
class NodeTrace:
    """One execution of one node. Loops leave one trace per iteration of their body's nodes."""

    node_id: str
    node_name: str
    step: int
    start: float
    end: float = 0.0
    status: NodeStatus = NodeStatus.RUNNING
    logs: list[LogLine] | tuple[()] = ()
    """Empty tuple until the node logs: most nodes never do, and a list per execution costs."""
    error: str | None = None
    traceback: str | None = None
    folded: bool = False
    """Not kept in `Run.traces`: when it ends it is folded into the node's `NodeStats`."""
    cached: bool = False
    """Served from the result cache instead of running (`flowlike_core.cache`); `Run.why` says why or why not."""

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start) if self.end else 0.0


@dataclass(slots=True)
class NodeStats:
    """The executions of one node after its first `FULL_TRACES`, folded into counts."""

    node_id: str
    node_name: str
    count: int = 0
    total: float = 0.0
    """Seconds, summed over the folded executions."""
    longest: float = 0.0
    failures: int = 0
    first_error: str | None = None
    last_error: str | None = None
    first_step: int = 0
    last_step: int = 0
    logs: list[LogLine] = field(default_factory=list)
    dropped_logs: int = 0
    """Log lines of folded executions beyond `FOLDED_LOGS`: counted, not kept."""

    def add_log(self, line: LogLine) -> None:
        if len(self.logs) < FOLDED_LOGS:
            self.logs.append(line)
        else:
            self.dropped_logs += 1

    def fold(self, trace: NodeTrace) -> None:
        duration = trace.duration
        if not self.count:
            self.first_step = trace.step
        self.count += 1
        self.last_step = trace.step
        self.total += duration
        if duration > self.longest:
            self.longest = duration
        if trace.error is not None:
            self.failures += 1
            self.last_error = trace.error
            if self.first_error is None:
                self.first_error = trace.error
        if trace.logs:
            room = FOLDED_LOGS - len(self.logs)
            self.logs.extend(trace.logs[:max(room, 0)])
            self.dropped_logs += max(len(trace.logs) - max(room, 0), 0)


class LogRecord(BaseModel):
    level: LogLevel
    message: str
    time: dt.datetime
    node_id: str = ""
    replayed: bool = Field(default=False, exclude_if=lambda replayed: not replayed)
    """Told again by the result cache: the node's original execution logged it (`flowlike_core.cache`)."""

    @classmethod
    def of(cls, line: LogLine) -> LogRecord:
        return cls(level=line.level, message=line.message, time=_when(line.time), node_id=line.node_id,
                   replayed=getattr(line, "replayed", False))


class EventRecord(BaseModel):
    event_type: str
    payload: Any = None
    time: dt.datetime
    node_id: str = ""

    @classmethod
    def of(cls, event: RunEvent) -> EventRecord:
        return cls(event_type=event.event_type, payload=event.payload, time=_when(event.time), node_id=event.node_id)


class TraceRecord(BaseModel):
    node_id: str
    node_name: str
    step: int
    status: NodeStatus
    start: dt.datetime
    end: dt.datetime | None
    duration: float
    logs: list[LogRecord] = Field(default_factory=list)
    error: str | None = None
    traceback: str | None = None
    cached: bool = False


class ReasonRecord(BaseModel):
    """Why a node ran or was served from the result cache (`flowlike_core.reasons.Reason`)."""

    node_id: str
    node: str
    cached: bool
    why: str
    changes: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class FoldedRecord(BaseModel):
    node_id: str
    node_name: str
    count: int
    total: float
    longest: float
    failures: int = 0
    first_error: str | None = None
    last_error: str | None = None
    first_step: int = 0
    last_step: int = 0
    logs: list[LogRecord] = Field(default_factory=list)
    dropped_logs: int = 0


class RunRecord(BaseModel):
    """The JSON-native record of a run: what storage keeps and `--json` prints."""

    id: str
    board_id: str
    board_name: str
    board_version: tuple[int, int, int]
    start_node: str
    status: RunStatus
    start: dt.datetime
    end: dt.datetime | None
    duration: float
    variables: dict[str, Any]
    result: Any = None
    error: str | None = None
    error_node: str | None = None
    steps: int = 0
    traces: list[TraceRecord] = Field(default_factory=list)
    folded: list[FoldedRecord] = Field(default_factory=list)
    """Per node, its executions beyond the first `FULL_TRACES` (which are in `traces`)."""
    reasons: list[ReasonRecord] = Field(default_factory=list)
    """For a run with a result cache: per node, whether it was cached or ran, and why."""
    events: list[EventRecord] = Field(default_factory=list)
    """What nodes emitted (`ctx.emit`), the first `MAX_EVENTS` of the run, in order."""
    dropped_events: int = 0
    """Events emitted past `MAX_EVENTS`: told live, not kept."""

    def __repr__(self) -> str:
        """One line (the fields of a 13-node run made 14,000 characters); `flowlike runs RUN` shows it all."""
        error = f", error {self.error.splitlines()[0][:80]!r}" if self.error else ""
        return (f"<RunRecord {self.id} of board {self.board_name!r}: {self.status.value}, "
                f"{wording.counted(self.steps, 'step')}, {wording.counted(len(self.traces), 'trace')}{error}>")


def trace_of(record: NodeTrace | tuple[Any, ...]) -> NodeTrace:
    """The NodeTrace of a trace record (see `Records`)."""
    if type(record) is not tuple:
        return record  # type: ignore[return-value]
    (node_id, node_name), step, start, end = record
    return NodeTrace(node_id, node_name, step, start, end, NodeStatus.SUCCESS)


ROW = struct.Struct("qqdd")
"""A record in `Records.rows`: its node's index in the plan (negative: `~` the place of its NodeTrace in
`Records.traces`), step, start and end."""


class Records:
    """A run's trace records, in the order their executions started: compact tuples `((node_id, node_name), step,
    start, end)`, each a quiet execution that succeeded, and `NodeTrace`s. A sequence: read by index or in order,
    appended to, a record replaced at its index (a remote run's mirror, the traces made of the tuples).

    A record is a row of `ROW` (32 bytes) in `rows`, which the executor's fast path writes itself at `end` (growing
    `rows` in place, `grow`): a quiet execution has no object of its own, its tuple is made when it is read. A chain of
    thousands of nodes kept a tuple, an int and a float per node, fresh memory that each node wrote and the run freed
    at its end: a fifth of a node's time. A row names its node by its index in `idents` (the plan's), or points at its
    NodeTrace in `traces`. Written by the run's thread; read from any (the traces, a worker's live batches). What
    adds a NodeTrace holds `lock`."""

    __slots__ = ("rows", "end", "traces", "idents", "lock")

    def __init__(self, records: Iterable[Any] = (), idents: Sequence[tuple[str, str]] = ()) -> None:
        self.rows = bytearray(ROW.size * 64)
        self.end = 0
        """Bytes of `rows` written."""
        self.traces: list[NodeTrace] = []
        self.idents = idents
        self.lock = threading.Lock()
        for record in records:
            self.append(record)

    def __len__(self) -> int:
        return self.end // ROW.size

    def __getitem__(self, index: int) -> Any:
        if not 0 <= index < len(self):
            raise IndexError(f"trace record {index} of {len(self)}")
        return self._record(*ROW.unpack_from(self.rows, index * ROW.size))

    def __iter__(self) -> Iterator[Any]:
        rows = self.rows[:self.end]  # (a copy: the run may grow `rows` meanwhile)
        return (self._record(*row) for row in ROW.iter_unpack(rows))

    def __reduce__(self) -> tuple[Any, ...]:
        return Records, (list(self),)

    def _record(self, node: int, step: int, start: float, end: float) -> Any:
        return self.traces[~node] if node < 0 else (self.idents[node], step, start, end)

    def append(self, record: Any) -> None:
        """Add a record (a tuple is kept as its NodeTrace: only the executor's fast path writes rows)."""
        with self.lock:
            if self.end == len(self.rows):
                self.grow()
            self._point(self.end, record)
            self.end += ROW.size

    def __setitem__(self, index: int, record: Any) -> None:
        if not 0 <= index < len(self):
            raise IndexError(f"trace record {index} of {len(self)}")
        with self.lock:
            self._point(index * ROW.size, record)

    def _point(self, offset: int, record: Any) -> None:
        """Make the row at `offset` the record's NodeTrace."""
        self.traces.append(trace_of(record))
        ROW.pack_into(self.rows, offset, ~(len(self.traces) - 1), 0, 0.0, 0.0)

    def grow(self) -> None:
        """Double `rows`, in place (the executor holds it)."""
        self.rows.extend(bytes(len(self.rows)))

    def as_traces(self) -> list[NodeTrace]:
        """Every record as its NodeTrace, each tuple made into one once (so that a trace read twice is the same)."""
        for index, record in enumerate(self):
            if type(record) is tuple:
                self[index] = trace_of(record)
        return list(self)


def value_key(node_id: str, pin_id: str) -> str:
    """The key of an output pin's value in `Run.values` (the one place that spells it). Interned: where the plan
    reads a value it holds the very key object the writer holds, so a lookup compares pointers, not text."""
    return sys.intern(f"{node_id}/{pin_id}")


def key_parts(key: str) -> tuple[str, str]:
    """The node id and pin id of a value key (`value_key` read back)."""
    node_id, _, pin_id = key.partition("/")
    return node_id, pin_id


def _when(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


class Run:
    """A run of a board: live while it goes, readable whatever its end (success, failure, cancel).

    This is the run's whole state that outlives it: `variables` and `values` (live Python objects), `traces`
    and `folded` (what ran, bounded in memory), `events` (what nodes emitted, bounded), `status`, `result`,
    `error`, `steps`. The executor's scratch
    (the step's pure cache, per-node memory, open resources) is its own and dropped when the run ends.
    """

    def __init__(self, run_id: str, board: Board, start_node: str, variables: dict[str, Any]) -> None:
        self.id = run_id
        self.board = board
        self.start_node = start_node
        self.variables = variables
        """Variable values, live: after the run, what the nodes left in them."""
        self.start_variables = _public_variables(board, variables)
        """The values the run started with (defaults and overrides), secrets masked: a JSON-native copy, but for a
        table (`types.is_table`), kept as it is (a pandas frame copied), which `record` lists or the history keeps."""
        self.secret_variables = frozenset(v.name for v in board.variables.values() if v.secret)
        self.redactor = Redactor(secret_values(board, variables))
        """Blanks the run's secrets in every text it lets out; grows as nodes set secret variables."""
        self.status = RunStatus.RUNNING
        self.start = time.time()
        """When the run was made (accepted), which a client is told at once (a 201): its thread starts it a moment
        later (a remote worker's mirror takes the worker's start, once it starts). Never 0: no record reads 1970."""
        self.end = 0.0
        self.records = Records()
        """The first `FULL_TRACES` executions of every node, in the order they started (see `Records`); read them as
        `traces`."""
        self.folded: dict[str, NodeStats] = {}
        """Per node id, its executions after those."""
        self.values: dict[str, Any] = {}
        """Last value of every output pin that was set, by `node_id/pin_id`."""
        self.events = EventLog()
        """What nodes emitted (`ctx.emit`), in order: the first `MAX_EVENTS`; `events.dropped` counts the rest."""
        self.result: Any = None
        self.error: str | None = None
        self.error_node: str | None = None
        self.exception: BaseException | None = None
        self.steps = 0
        """Exec node executions so far: what `max_steps` limits."""
        self.stuck: str | None = None
        """Set when a cancel could not stop a node in time: its thread may still be running it."""
        self.quiet: Callable[[], NodeTrace | None] | None = None
        """While the run goes: whoever runs it (the executor, a remote run's mirror) tells here the fast path's
        execution going on, which has no record until it ends (`running_quietly`). None once the run has ended."""
        self.forks: list[Run] = []
        """The runs of the parallel bodies going on (`flowlike_core.parallel`), in body order: their traces show in
        `traces` until they are merged into this run's. Changed, and read with this run's records, under `forking`."""
        self.forking = threading.Lock()
        self.reasons: dict[str, Reason] | None = None
        """With a result cache: per node id, whether its last execution was cached or ran, and why (exec nodes
        that always run are left out: `why` says it of them). None without a cache."""
        self.policy: Policy | None = None
        """What its nodes may reach (`flowlike_core.policy`; None: everything), set by whoever starts it: a node
        computed after the run from its values (`partial.output_after`) keeps to it too."""

    # ---- reading -------------------------------------------------------------------------------------

    @property
    def traces(self) -> list[NodeTrace]:
        """The first `FULL_TRACES` executions of every node as `NodeTrace`s, in the order they started, with the
        fast path's execution going on if there is one (`running_quietly`), then those of the parallel bodies going
        on (`forked`)."""
        if self.forks:
            with self.forking:  # (a merge lands wholly in the records or is still wholly in the forks)
                return self._traces(self.forked())
        return self._traces([])

    def _traces(self, forked: list[NodeTrace]) -> list[NodeTrace]:
        traces = self.records.as_traces()
        current = self.running_quietly()  # (after the records: one ending meanwhile is not shown twice)
        return [*traces, *([] if current is None else [current]), *forked]

    def forked(self) -> list[NodeTrace]:
        """The traces of the parallel bodies going on (`forks`), body after body, at most `FULL_TRACES` of a node
        with this run's own (as the merge keeps them). Call it holding `forking`."""
        kept: dict[str, int] = {}
        for record in self.records:
            node_id = record[0][0] if type(record) is tuple else record.node_id
            kept[node_id] = kept.get(node_id, 0) + 1
        forked: list[NodeTrace] = []
        for fork in list(self.forks):
            fork._show(kept, forked)
        return forked

    def _show(self, kept: dict[str, int], into: list[NodeTrace]) -> None:
        """Add this fork's traces to `into` (its records, its fast path's execution going on, its own forks'), but
        those of a node already shown `FULL_TRACES` times (`kept` counts them)."""
        with self.forking:
            records = list(self.records)
            current = self.running_quietly()  # (after the records: one ending meanwhile is not shown twice)
            for record in records if current is None else [*records, current]:
                node_id = record[0][0] if type(record) is tuple else record.node_id
                count = kept.get(node_id, 0)
                if count < FULL_TRACES:
                    kept[node_id] = count + 1
                    into.append(trace_of(record))
            for fork in list(self.forks):
                fork._show(kept, into)

    def running_quietly(self) -> NodeTrace | None:
        """A copy of the trace of the fast-path execution going on, if there is one (see `quiet`)."""
        quiet = self.quiet
        return None if quiet is None else quiet()

    def close_open(self, status: NodeStatus, at: float, error: str | None) -> None:
        """End its executions still Running in its records, `status` at `at`, saying why (stopped: `error`, the
        run's): the run ended before them (it failed, or was given up on while a node is stuck in native code)."""
        why = None if error is None else f"stopped: {error}"
        for record in self.records.traces:
            if record.status is NodeStatus.RUNNING:
                record.status, record.end, record.error = status, at, record.error or why

    @property
    def ok(self) -> bool:
        return self.status is RunStatus.SUCCESS

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start) if self.end else 0.0

    @property
    def dropped_events(self) -> int:
        """Events emitted past `MAX_EVENTS`, told live and not kept (as `RunRecord.dropped_events` says)."""
        return self.events.dropped

    def output(self, node: str, pin: str) -> Any:
        """The last value a node's output pin took in this run (node by id or unique name; pin by name)."""
        node_model = self.board.node(node)
        pin_model = node_model.pin(pin, PinDirection.OUTPUT)
        key = value_key(node_model.id, pin_model.id)
        if key not in self.values:
            unread = "" if any(p.is_exec for p in node_model.pins.values()) else (
                ": a node without exec pins runs only when a node reads it (flowlike_core.partial.output_after(run, "
                f"{node!r}, {pin!r}) computes it from this run)")
            raise KeyError(f"output {pin!r} of node {node_model.label()} was not set in run {self.id}{unread}")
        return self.values[key]

    def traces_of(self, node: str) -> list[NodeTrace]:
        """The full traces of a node (its first `FULL_TRACES` executions; `folded` counts the rest)."""
        node_id = self.board.node(node).id
        return [t for t in self.traces if t.node_id == node_id]

    @property
    def node_executions(self) -> int:
        """Executions of all nodes (exec and pure), traced and folded."""
        return len(self.traces) + sum(stats.count for stats in self.folded.values())

    def executions(self, node: str) -> int:
        """How many times a node ran, traced and folded."""
        node_id = self.board.node(node).id
        folded = self.folded.get(node_id)
        return len(self.traces_of(node_id)) + (folded.count if folded else 0)

    def logs(self, level: LogLevel = LogLevel.DEBUG) -> list[LogLine]:
        """Log lines kept by the run (every line of traced executions, the first ones of folded executions)."""
        floor = LEVEL_ORDER[level]
        lines = [line for t in self.traces for line in t.logs]
        if self.folded:
            lines += [line for stats in self.folded.values() for line in stats.logs]
            lines.sort(key=lambda line: line.time)
        return [line for line in lines if LEVEL_ORDER[line.level] >= floor]

    def why(self, node: str) -> Reason:
        """Why a node (by id or unique name) ran in this run, or was served from the result cache: readable text
        (`print(run.why("total"))`) with the structure behind it (`.cached`, `.changes`, `.as_dict()`)."""
        node_model = self.board.node(node)
        reason = (self.reasons or {}).get(node_model.id)
        if reason is not None:
            return reason
        if any(t.node_id == node_model.id for t in self.traces) or node_model.id in self.folded:
            change = Change(NO_CACHE, detail="this run had no result cache (run it with cache=...)") \
                if self.reasons is None else Change(ALWAYS, detail=EXEC_RUNS)
            return Reason(node_model.id, node_model.label(), False, (change,))
        return Reason(node_model.id, node_model.label(), False, (Change(NOT_RUN, detail="it was not reached"),))

    def failed_trace(self) -> NodeTrace | None:
        """The trace of the node whose error failed the run, if one did."""
        return next((t for t in reversed(self.traces) if t.status is NodeStatus.FAILED
                     and t.node_id == self.error_node), None)

    def raise_for_status(self) -> Run:
        """Raise if the run did not succeed (for scripts); returns the run otherwise."""
        if self.status is RunStatus.SUCCESS:
            return self
        if self.status is RunStatus.CANCELLED:
            raise RunCancelled(f"run {self.id} of board {self.board.name!r} was cancelled")
        if isinstance(self.exception, StepLimitExceeded | RunError) and not isinstance(self.exception, NodeFailed):
            raise self.exception
        where = self.board.nodes[self.error_node].label() if self.error_node in self.board.nodes else "?"
        raise NodeFailed(f"run {self.id} of board {self.board.name!r} failed at node {where}: {self.error}")

    # ---- record --------------------------------------------------------------------------------------

    def record(self, *, tables: bool = True) -> RunRecord:
        """Everything the run leaves, as plain data, with every secret redacted (`flowlike_core.redaction`). A table
        result or variable (`types.is_table`) is its rows, or with `tables=False` its short text: for a caller that
        keeps the table itself (the run history keeps it as an Arrow file), which a million rows as JSON would only
        slow down."""
        record = RunRecord(
            id=self.id,
            board_id=self.board.id,
            board_name=self.board.name,
            board_version=self.board.version,
            start_node=self.start_node,
            status=self.status,
            start=_when(self.start),
            end=_when(self.end) if self.end else None,
            duration=self.duration,
            variables={name: _recorded(value, tables) if is_table(value) else value
                       for name, value in self.start_variables.items()},
            result=_recorded(self.result, tables),
            error=self.error,
            error_node=self.error_node,
            steps=self.steps,
            traces=[
                TraceRecord(
                    node_id=t.node_id, node_name=t.node_name, step=t.step, status=t.status,
                    start=_when(t.start), end=_when(t.end) if t.end else None, duration=t.duration,
                    logs=[LogRecord.of(line) for line in t.logs],
                    error=t.error, traceback=t.traceback, cached=t.cached,
                )
                for t in self.traces
            ],
            reasons=[ReasonRecord(**reason.as_dict()) for reason in (self.reasons or {}).values()],
            events=[EventRecord.of(event) for event in self.events],
            dropped_events=self.events.dropped,
            folded=[
                FoldedRecord(
                    node_id=f.node_id, node_name=f.node_name, count=f.count, total=f.total, longest=f.longest,
                    failures=f.failures, first_error=f.first_error, last_error=f.last_error,
                    first_step=f.first_step, last_step=f.last_step, dropped_logs=f.dropped_logs,
                    logs=[LogRecord.of(line) for line in f.logs],
                )
                for f in self.folded.values()
            ],
        )
        return RunRecord.model_validate(self.redactor.value(record.model_dump())) if self.redactor else record

    def to_json(self) -> str:
        return json.dumps(self.record().model_dump(mode="json"), indent=2)

    def __repr__(self) -> str:
        return (f"<Run {self.id} of {self.board.name!r}: {self.status.value}, "
                f"{wording.counted(self.node_executions, 'node execution')} in {wording.duration(self.duration)}>")


def _public_variables(board: Board, values: dict[str, Any]) -> dict[str, Any]:
    """Variable values for a record: secrets are masked, never written. A table is not listed into rows here, at
    every run's start (1.2 s for 100,000 rows), but when a record asks for them: Arrow's cannot change, a pandas
    frame is copied."""
    secret = {v.name for v in board.variables.values() if v.secret}
    return {name: "***" if name in secret else value.copy() if type(value).__name__ == "DataFrame" and is_table(value)
            else value if is_table(value) else json_copy(value) for name, value in values.items()}


def _recorded(value: Any, tables: bool) -> Any:
    """A value as a record holds it: JSON-native; a table its rows, or not `tables`, its short text."""
    if is_table(value):
        return json_copy(value) if tables else repr(value)
    return json_copy(value)


def json_copy(value: Any) -> Any:
    """A JSON-native deep copy: through orjson for what it takes as is (C speed: a 100,000-item input costs
    milliseconds), else `to_json_native`."""
    if isinstance(value, list | dict):
        try:
            return orjson.loads(orjson.dumps(value))
        except (TypeError, orjson.JSONEncodeError):
            pass
    return to_json_native(value)
