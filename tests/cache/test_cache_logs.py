"""A node served from the result cache tells the log lines of its original execution again, marked as replayed."""

from __future__ import annotations

from cache_boards import RAN, add, registry, set_default, telling_board, wire

from flowlike_core import default_registry
from flowlike_core.board import Board, LogLevel
from flowlike_core.cache import ReplayedLogLine, ResultCache
from flowlike_core.events import Listener
from flowlike_core.executor import run_board
from flowlike_core.run import FOLDED_LOGS, FULL_TRACES, LogLine, NodeTrace, Run, RunRecord


class Heard(Listener):
    """What a listener hears, in order: ("started"/"finished", node id) and ("log", line)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def node_started(self, run: Run, trace: NodeTrace) -> None:
        self.events.append(("started", trace.node_id))

    def node_finished(self, run: Run, trace: NodeTrace) -> None:
        self.events.append(("finished", trace.node_id))

    def log(self, run: Run, line: LogLine) -> None:
        self.events.append(("log", line))


def told(board: Board, cache: ResultCache, **options) -> tuple[Run, Heard]:
    RAN.clear()
    heard = Heard()
    run = run_board(board, cache=cache, registry=options.pop("registry"), listeners=[heard], **options)
    assert run.ok, run.error
    return run, heard


def lines_of(run: Run, node: str) -> list[tuple[str, str]]:
    return [(line.level.value, line.message) for line in run.traces_of(node)[0].logs]


def test_a_cached_node_replays_its_log_lines_into_its_trace_and_to_listeners() -> None:
    reg = registry()
    board = telling_board(reg, 3)
    cache = ResultCache()
    first, _ = told(board, cache, registry=reg)
    original = lines_of(first, "told")
    assert original == [("Warn", "line 1 of 3"), ("Info", "line 2 of 3"), ("Info", "line 3 of 3")]
    assert not any(isinstance(line, ReplayedLogLine) for line in first.logs())

    second, heard = told(board, cache, registry=reg)
    assert RAN == {"c_emit": 1} and second.result == 9
    trace = second.traces_of("told")[0]
    assert trace.cached and lines_of(second, "told") == original
    assert all(isinstance(line, ReplayedLogLine) and line.replayed for line in trace.logs)
    assert [line.logged for line in trace.logs] == [line.time for line in first.traces_of("told")[0].logs]
    assert all(line.time >= trace.start for line in trace.logs)
    told_events = [event for event in heard.events if event[0] != "log" or event[1].node_id == "told"]
    start, end = told_events.index(("started", "told")), told_events.index(("finished", "told"))
    assert [event[1] for event in told_events[start + 1:end]] == trace.logs
    assert [(line.level.value, line.message) for line in second.logs()] == original
    record = RunRecord.model_validate_json(second.to_json())
    cached = next(t for t in record.traces if t.node_id == "told")
    assert cached.cached and [r.message for r in cached.logs] == [m for _, m in original]
    assert all(r.replayed for r in cached.logs)  # the run record (history, `flowlike run --json`) says so too
    fresh = RunRecord.model_validate_json(first.to_json())
    assert not any(r.replayed for t in fresh.traces for r in t.logs) and '"replayed"' not in first.to_json()


def test_a_node_that_runs_again_logs_anew_and_the_new_lines_are_kept() -> None:
    reg = registry()
    board = telling_board(reg, 2)
    cache = ResultCache()
    told(board, cache, registry=reg)
    set_default(board, "told", lines=1)
    edited, _ = told(board, cache, registry=reg)
    assert RAN["c_tell"] == 1 and lines_of(edited, "told") == [("Warn", "line 1 of 1")]
    assert not any(isinstance(line, ReplayedLogLine) for line in edited.logs())
    again, _ = told(board, cache, registry=reg)
    assert RAN == {"c_emit": 1} and lines_of(again, "told") == [("Warn", "line 1 of 1")]


def test_replayed_lines_are_bounded_as_folded_traces_are_and_filtered_by_the_log_level() -> None:
    reg = registry()
    board = telling_board(reg, FOLDED_LOGS + 30)
    cache = ResultCache()
    first, _ = told(board, cache, registry=reg)
    assert len(first.traces_of("told")[0].logs) == FOLDED_LOGS + 30  # the execution itself keeps every line
    second, _ = told(board, cache, registry=reg)
    lines = second.traces_of("told")[0].logs
    assert len(lines) == FOLDED_LOGS + 1 and lines[FOLDED_LOGS - 1].message == f"line {FOLDED_LOGS} of 130"
    assert lines[-1].message == "... not kept: 30 more lines of the original execution"
    board.log_level = LogLevel.WARN
    quiet, _ = told(board, cache, registry=reg)
    assert RAN == {"c_emit": 1} and lines_of(quiet, "told") == [("Warn", "line 1 of 130")]


def test_lines_are_replayed_from_a_persisted_store_and_on_a_worker_process(tmp_path) -> None:
    from flowlike_core.backends.process import ProcessBackend
    from flowlike_core.storage import Bucket

    reg = registry()
    board = telling_board(reg, 2)
    told(board, ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    fresh, heard = told(board, ResultCache().persist(Bucket(str(tmp_path))), registry=reg)  # a new kernel
    assert RAN == {"c_emit": 1} and lines_of(fresh, "told") == [("Warn", "line 1 of 2"), ("Info", "line 2 of 2")]
    assert sum(1 for kind, line in heard.events if kind == "log" and isinstance(line, ReplayedLogLine)) == 2
    backend = ProcessBackend(1, timeout=60)
    try:
        remote, heard = told(board, ResultCache(store=Bucket(str(tmp_path))), registry=reg, backend=backend)
    finally:
        backend.close()
    trace = remote.traces_of("told")[0]
    assert trace.cached and lines_of(remote, "told") == [("Warn", "line 1 of 2"), ("Info", "line 2 of 2")]
    assert all(getattr(line, "replayed", False) for line in trace.logs)
    assert [line.message for kind, line in heard.events if kind == "log"] == ["line 1 of 2", "line 2 of 2"]


def test_a_cached_node_emits_its_events_again_also_from_a_persisted_store(tmp_path) -> None:
    from flowlike_core.storage import Bucket

    reg = registry()
    board = telling_board(reg, 2)
    first, _ = told(board, ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    emitted = [(event.event_type, event.payload, event.node_id) for event in first.events]
    assert emitted == [("line", {"line": 1, "of": 2}, "told"), ("line", {"line": 2, "of": 2}, "told")]
    fresh, _ = told(board, ResultCache().persist(Bucket(str(tmp_path))), registry=reg)  # a new kernel
    assert RAN == {"c_emit": 1} and fresh.traces_of("told")[0].cached
    assert [(event.event_type, event.payload, event.node_id) for event in fresh.events] == emitted


def test_a_silent_node_replays_nothing() -> None:
    reg = registry()
    board = telling_board(reg, 0)
    cache = ResultCache()
    told(board, cache, registry=reg)
    second, heard = told(board, cache, registry=reg)
    assert second.traces_of("told")[0].cached and second.traces_of("told")[0].logs == ()
    assert not [event for event in heard.events if event[0] == "log"]


def test_an_execution_past_the_full_traces_keeps_its_lines_and_replays_them_folded() -> None:
    reg = registry()
    reg.register(default_registry().get("control_for_each"), pack="std")
    board = Board(name="looping")
    RAN.clear()
    add(board, reg, "c_start", "start")
    add(board, reg, "control_for_each", "loop", array=[1] * FULL_TRACES + [3])  # the last one: a folded miss
    add(board, reg, "c_tell", "told")
    add(board, reg, "c_emit", "emit")
    wire(board, "start", "exec_out", "loop", "exec_in")
    wire(board, "loop", "exec_out", "emit", "exec_in")
    wire(board, "loop", "value", "told", "lines")
    wire(board, "told", "square", "emit", "value")
    cache = ResultCache()
    first = run_board(board, cache=cache, registry=reg)  # (no listener: nothing else makes the folded trace)
    assert RAN["c_tell"] == 2 and first.result == 9
    assert [line.message for line in first.folded["told"].logs] == ["line 1 of 3", "line 2 of 3", "line 3 of 3"]
    second, heard = told(board, cache, registry=reg)
    assert RAN["c_tell"] == 0 and all(t.cached for t in second.traces_of("told"))
    folded = second.folded["told"].logs
    assert [line.message for line in folded] == ["line 1 of 3", "line 2 of 3", "line 3 of 3"]
    assert all(isinstance(line, ReplayedLogLine) for line in folded)
    assert sum(1 for kind, _ in heard.events if kind == "log") == FULL_TRACES + 3
