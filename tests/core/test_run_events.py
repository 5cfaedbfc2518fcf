"""Events a node emits (`ctx.emit`): heard live by listeners, kept in the run and its record whatever the log
level, bounded by `MAX_EVENTS` with a count and a warning past it, secrets redacted."""

from __future__ import annotations

import threading
from typing import Any

from flowlike_core import Board, Context, Listener, LogLevel, Registry, Variable, commands, node
from flowlike_core.board import DataType
from flowlike_core.run import MAX_EVENTS, RunRecord, RunStatus


@node(name="t_emit", exec_pins=True)
def emit(ctx: Context, count: int = 1, event_type: str = "tick", text: str = "") -> None:
    """Emits `count` events of `event_type`, each with its index and `text`."""
    for index in range(count):
        ctx.emit(event_type, {"index": index, "text": text})


def emitting_board(registry: Registry, *, log_level: LogLevel = LogLevel.INFO, **defaults: Any) -> Board:
    registry.register(emit, replace=True)
    board = Board(name="emitting", log_level=log_level)
    start = board.apply(commands.AddNode(registry.get("t_start").create(node_id="start")))
    emitter = board.apply(commands.AddNode(registry.get("t_emit").create(node_id="emit", **defaults)))
    board.apply(commands.Connect(start.id, "exec_out", emitter.id, "exec_in"))
    return board


class Heard(Listener):
    """Every event as it is told, with the run's status at that moment."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any, str, RunStatus]] = []
        self.threads: set[int] = set()

    def event(self, run, event):
        self.events.append((event.event_type, event.payload, event.node_id, run.status))
        self.threads.add(threading.get_ident())


def test_events_are_kept_in_order_whatever_the_log_level_and_go_into_the_record(registry):
    board = emitting_board(registry, log_level=LogLevel.FATAL, count=3, text="hi")
    run = board.run(registry=registry)
    assert run.ok and run.logs() == []
    assert [(e.event_type, e.payload, e.node_id) for e in run.events] == [
        ("tick", {"index": i, "text": "hi"}, "emit") for i in range(3)]
    assert run.events.of("tick") == [{"index": i, "text": "hi"} for i in range(3)]
    record = RunRecord.model_validate_json(run.record().model_dump_json())  # as stored and read back
    assert [(e.event_type, e.payload["index"], e.node_id) for e in record.events] == [("tick", i, "emit")
                                                                                       for i in range(3)]
    assert record.dropped_events == 0 and run.dropped_events == 0


def test_listeners_hear_each_event_while_the_run_goes(registry):
    heard = Heard()
    run = emitting_board(registry, count=4, event_type="ui").run(registry=registry, listeners=[heard])
    assert run.ok
    assert [(kind, payload["index"], node_id, status) for kind, payload, node_id, status in heard.events] == [
        ("ui", i, "emit", RunStatus.RUNNING) for i in range(4)]


def test_a_run_keeps_its_first_max_events_and_says_how_many_it_dropped(registry):
    heard = Heard()
    extra = 7
    run = emitting_board(registry, log_level=LogLevel.WARN, count=MAX_EVENTS + extra).run(registry=registry,
                                                                                          listeners=[heard])
    assert run.ok
    assert len(run.events) == MAX_EVENTS and run.events.dropped == run.dropped_events == extra
    assert [e.payload["index"] for e in run.events][-1] == MAX_EVENTS - 1  # the first ones are kept
    assert len(heard.events) == MAX_EVENTS + extra  # live listeners hear every one
    [warning] = run.logs(LogLevel.WARN)
    assert f"keeps its first {MAX_EVENTS} events" in warning.message and warning.node_id == "emit"
    record = run.record()
    assert len(record.events) == MAX_EVENTS and record.dropped_events == extra


def test_the_payload_is_a_json_copy_with_secrets_redacted(registry):
    @node(name="t_emit_live", exec_pins=True)
    def emit_live(ctx: Context) -> None:
        """Emits a payload, then changes it."""
        payload: dict[str, Any] = {"token": ctx.get_variable("token"), "when": {1, 2}, "items": []}
        ctx.emit("state", payload)
        payload["items"].append("later")

    registry.register(emit_live, replace=True)
    board = Board(name="secretive")
    board.apply(commands.UpsertVariable(Variable(name="token", data_type=DataType.STRING, default_value="s3cr3t-xyz",
                                                 secret=True)))
    start = board.apply(commands.AddNode(registry.get("t_start").create()))
    emitter = board.apply(commands.AddNode(registry.get("t_emit_live").create()))
    board.apply(commands.Connect(start.id, "exec_out", emitter.id, "exec_in"))
    heard = Heard()
    run = board.run(registry=registry, listeners=[heard])
    assert run.ok
    [event] = run.events
    assert event.payload == {"token": "***", "when": [1, 2], "items": []}
    assert heard.events[0][1] == event.payload
    assert "s3cr3t-xyz" not in run.record().model_dump_json()


def test_parallel_branches_keep_every_event(registry):
    from flowlike_catalog.std.loops import ParallelForEach

    registry.register(emit, replace=True)
    registry.register(ParallelForEach, replace=True)
    board = Board(name="parallel-emitting", log_level=LogLevel.ERROR)
    start = board.apply(commands.AddNode(registry.get("t_start").create()))
    loop = board.apply(commands.AddNode(registry.get("control_par_for_each").create(
        array=list(range(40)), max_concurrent=4)))
    emitter = board.apply(commands.AddNode(registry.get("t_emit").create(count=5)))
    board.apply(commands.Connect(start.id, "exec_out", loop.id, "exec_in"))
    board.apply(commands.Connect(loop.id, "exec_out", emitter.id, "exec_in"))
    heard = Heard()
    run = board.run(registry=registry, listeners=[heard])
    assert run.ok
    assert len(run.events) == len(heard.events) == 200 and run.events.dropped == 0
    assert sorted(e.payload["index"] for e in run.events) == sorted(list(range(5)) * 40)
