"""Forward a run's events to the editor's front end in small batches.

The executor calls its listeners from its worker thread, once per node start, finish, log line and progress
tick: a loop over 10,000 items would flood the notebook server's message-rate limit if each event were
one message. The relay queues events and sends them at most every `interval` seconds, keeping only the
latest progress tick and the latest `MAX_LOGS` log lines of each node (what the front end keeps), and ends
with the run's summary (status, error, failed node). A debug run adds `paused` (node_id) and `resumed` events.

A `stopping` event says the run was asked to stop (the toolbar's Stop, a cell's `dbg.stop()`, its handle's cancel)
and has not ended yet: cleanup that cooperates (a node awaiting its close) is left to finish, up to
`flowlike_core.executor.CLEANUP_LIMIT` seconds, and meanwhile the canvas shows the run stopping, not paused. The
relay learns of the stop by looking at `cancelled` each time it sends, so the engine's listeners need no hook for it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flowlike_core.events import Listener
from flowlike_core.run import LogLine, NodeTrace, Run
from flowlike_core.types import is_table, to_json_native

PREVIEW_CHARS = 200
MAX_LOGS = 200


def event_json(kind: str, **fields: Any) -> dict[str, Any]:
    """An event as the front end reads it; empty fields are left out."""
    out: dict[str, Any] = {"kind": kind}
    for key, value in fields.items():
        if value not in ("", None):
            out[key] = str(value) if isinstance(value, str) else value  # plain str, not the engine's StrEnum
    return out


def finished_event(trace: NodeTrace) -> dict[str, Any]:
    """A node's end; `cached` when the result cache served it instead of running it."""
    return event_json("node_finished", node_id=trace.node_id, status=trace.status.value, message=trace.error or "",
                      duration=trace.duration, cached=trace.cached or None)


def log_event(line: LogLine) -> dict[str, Any]:
    """A log line; `replayed` when the result cache told it again (the node's original execution logged it)."""
    return event_json("log", node_id=line.node_id, message=line.message, level=line.level,
                      replayed=getattr(line, "replayed", False) or None)


def replay(run: Run) -> dict[str, Any]:
    """A run that has ended, as one `run_events` message (for runs that had no relay among their listeners)."""
    events = [event_json("run_started")]
    for trace in run.traces:
        events += [event_json("node_started", node_id=trace.node_id), *map(log_event, trace.logs[-MAX_LOGS:]),
                   finished_event(trace)]
    return {"type": "run_events", "run_id": run.id, "events": events, "summary": run_summary(run)}


def run_summary(run: Run) -> dict[str, Any]:
    """The end of a run as the front end shows it: status, duration, error and failed node, result preview."""
    shown = repr(run.result) if is_table(run.result) else repr(to_json_native(run.result))  # (a table: not its rows)
    result = None if run.result is None else run.redactor.text(shown)[:PREVIEW_CHARS]
    return {"run_id": run.id, "status": run.status.value, "duration": run.duration, "error": run.error,
            "error_node": run.error_node, "result": result, "steps": run.steps}


class RunRelay(Listener):
    """A run listener that batches events into `{"type": "run_events", ...}` messages for `send`."""

    def __init__(self, send: Callable[[dict[str, Any]], None], interval: float = 0.1) -> None:
        self._send = send
        self.interval = interval
        self._events: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._finished = threading.Event()
        self._thread: threading.Thread | None = None
        self.cancelled: Callable[[], bool] = lambda: False
        """Whether the run has been asked to stop; whoever follows the run sets it (`BoardEditor.follow`)."""
        self._stopping = False

    def _queue(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._events.append(event)

    def start(self, run: Run) -> None:
        self._queue(event_json("run_started"))
        self._thread = threading.Thread(target=self._pump, args=(run,), name=f"flowlike-editor-relay-{run.id}",
                                        daemon=True)
        self._thread.start()

    def node_started(self, run: Run, trace: NodeTrace) -> None:
        self._queue(event_json("node_started", node_id=trace.node_id, status=trace.status.value))

    def node_finished(self, run: Run, trace: NodeTrace) -> None:
        self._queue(finished_event(trace))

    def log(self, run: Run, line: LogLine) -> None:
        self._queue(log_event(line))

    def progress(self, run: Run, node_id: str, fraction: float, message: str) -> None:
        self._queue(event_json("progress", node_id=node_id, progress=fraction, message=message))

    def paused(self, run: Run, trace: NodeTrace) -> None:
        self._queue(event_json("paused", node_id=trace.node_id))

    def resumed(self, run: Run) -> None:
        self._queue(event_json("resumed"))

    def finished(self, run: Run) -> None:
        with self._lock:  # (no `stopping` after the end)
            self._events.append(event_json("run_finished", status=run.status.value, message=run.error or ""))
            self._finished.set()

    def _notice_stop(self) -> None:
        """Queue `stopping` once, when the run has been asked to stop and has not ended."""
        if self._stopping or not self.cancelled():
            return
        with self._lock:
            if not self._finished.is_set():
                self._stopping = True
                self._events.append(event_json("stopping"))

    def join(self, timeout: float | None = None) -> None:
        """Wait until the last batch (with the summary) has been sent."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _take(self) -> list[dict[str, Any]]:
        with self._lock:
            events, self._events = self._events, []
        last_progress = {e["node_id"]: i for i, e in enumerate(events) if e["kind"] == "progress"}
        logs: dict[str, list[int]] = defaultdict(list)
        for i, event in enumerate(events):
            if event["kind"] == "log":
                logs[event.get("node_id", "")].append(i)
        dropped = {i for indexes in logs.values() for i in indexes[:-MAX_LOGS]}
        return [event for i, event in enumerate(events) if i not in dropped
                and (event["kind"] != "progress" or last_progress[event["node_id"]] == i)]

    def _pump(self, run: Run) -> None:
        while True:
            finished = self._finished.wait(self.interval)
            self._notice_stop()
            events = self._take()
            if events or finished:
                message: dict[str, Any] = {"type": "run_events", "run_id": run.id, "events": events}
                if finished:
                    message["summary"] = run_summary(run)
                self._send(message)
            if finished:
                return
