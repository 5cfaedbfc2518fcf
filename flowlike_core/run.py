"""What a run leaves behind: status, a trace per node execution with its logs, and the values it produced.

`Run` is the live object (values stay Python objects); `RunRecord` is its JSON-native record, the form
that is printed by `flowlike run --json`, persisted by storage and shown by the kernel.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from flowlike_core.board import Board, LogLevel, PinDirection
from flowlike_core.errors import NodeFailed, RunCancelled, RunError, StepLimitExceeded
from flowlike_core.types import to_json_native


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


@dataclass(slots=True)
class LogLine:
    level: LogLevel
    message: str
    time: float
    node_id: str = ""


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

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start) if self.end else 0.0


class LogRecord(BaseModel):
    level: LogLevel
    message: str
    time: dt.datetime
    node_id: str = ""


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


def _when(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


class Run:
    """A run of a board: live while it goes, readable whatever its end (success, failure, cancel)."""

    def __init__(self, run_id: str, board: Board, start_node: str, variables: dict[str, Any]) -> None:
        self.id = run_id
        self.board = board
        self.start_node = start_node
        self.variables = variables
        """Variable values, live: after the run, what the nodes left in them."""
        self.start_variables = _public_variables(board, variables)
        """JSON-native copy of the values the run started with (defaults and overrides), secrets masked."""
        self.status = RunStatus.RUNNING
        self.start = 0.0
        self.end = 0.0
        self.traces: list[NodeTrace] = []
        self.values: dict[str, Any] = {}
        """Last value of every output pin that was set, by `node_id/pin_id`."""
        self.result: Any = None
        self.error: str | None = None
        self.error_node: str | None = None
        self.exception: BaseException | None = None
        self.steps = 0

    # ---- reading -------------------------------------------------------------------------------------

    @property
    def ok(self) -> bool:
        return self.status is RunStatus.SUCCESS

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start) if self.end else 0.0

    def output(self, node: str, pin: str) -> Any:
        """The last value a node's output pin took in this run (node by id or unique name; pin by name)."""
        node_model = self.board.node(node)
        pin_model = node_model.pin(pin, PinDirection.OUTPUT)
        key = f"{node_model.id}/{pin_model.id}"
        if key not in self.values:
            raise KeyError(f"output {pin!r} of node {node_model.label()} was not set in run {self.id}")
        return self.values[key]

    def traces_of(self, node: str) -> list[NodeTrace]:
        node_id = self.board.node(node).id
        return [t for t in self.traces if t.node_id == node_id]

    def logs(self, level: LogLevel = LogLevel.DEBUG) -> list[LogLine]:
        floor = LEVEL_ORDER[level]
        return [line for t in self.traces for line in t.logs if LEVEL_ORDER[line.level] >= floor]

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

    def record(self) -> RunRecord:
        return RunRecord(
            id=self.id,
            board_id=self.board.id,
            board_name=self.board.name,
            board_version=self.board.version,
            start_node=self.start_node,
            status=self.status,
            start=_when(self.start),
            end=_when(self.end) if self.end else None,
            duration=self.duration,
            variables=self.start_variables,
            result=to_json_native(self.result),
            error=self.error,
            error_node=self.error_node,
            steps=self.steps,
            traces=[
                TraceRecord(
                    node_id=t.node_id, node_name=t.node_name, step=t.step, status=t.status,
                    start=_when(t.start), end=_when(t.end) if t.end else None, duration=t.duration,
                    logs=[LogRecord(level=x.level, message=x.message, time=_when(x.time), node_id=x.node_id)
                          for x in t.logs],
                    error=t.error, traceback=t.traceback,
                )
                for t in self.traces
            ],
        )

    def to_json(self) -> str:
        return json.dumps(self.record().model_dump(mode="json"), indent=2)

    def __repr__(self) -> str:
        return (f"<Run {self.id} of {self.board.name!r}: {self.status.value}, {len(self.traces)} node "
                f"executions in {self.duration:.3f}s>")


def _public_variables(board: Board, values: dict[str, Any]) -> dict[str, Any]:
    """Variable values for a record: secrets are masked, never written."""
    secret = {v.name for v in board.variables.values() if v.secret}
    return {name: "***" if name in secret else to_json_native(value) for name, value in values.items()}
