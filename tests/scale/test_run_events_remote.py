"""Events a node emits (`ctx.emit`) on another process travel as its log lines and progress do: heard live by the
caller's listeners, kept in the caller's run (whole runs on the process and dask backends, loop bodies on the
process pool and on dask), with the same cap and count as a local run."""

from __future__ import annotations

from typing import Any

import pytest

from flowlike_core import Board, Context, Listener, LogLevel, Registry, commands, node, run_board
from flowlike_core.run import MAX_EVENTS


def emitting_registry(registry: Registry) -> Registry:
    """The scale node types and an emitter made here, so that cloudpickle sends it by value."""
    from flowlike_catalog.std.loops import ParallelForEach

    @node(name="s_emit", exec_pins=True)
    def s_emit(ctx: Context, count: int = 1, tag: str = "") -> None:
        """Emits `count` events, each with its index and tag."""
        for index in range(count):
            ctx.emit("tick", {"index": index, "tag": tag})

    emitting = Registry()
    emitting.register(registry.get("s_start"))
    emitting.register(s_emit)
    emitting.register(ParallelForEach)
    return emitting


def straight(registry: Registry, count: int) -> Board:
    board = Board(name="emit-remote", log_level=LogLevel.ERROR)
    board.apply(commands.AddNode(registry.get("s_start").create(node_id="start")))
    board.apply(commands.AddNode(registry.get("s_emit").create(node_id="emit", count=count, tag="one")))
    board.apply(commands.Connect("start", "exec_out", "emit", "exec_in"))
    return board


def looping(registry: Registry, items: int, count: int, workers: str) -> Board:
    board = Board(name="emit-loop", log_level=LogLevel.ERROR)
    board.apply(commands.AddNode(registry.get("s_start").create(node_id="start")))
    board.apply(commands.AddNode(registry.get("control_par_for_each").create(
        node_id="loop", array=list(range(items)), workers=workers, max_concurrent=2)))
    board.apply(commands.AddNode(registry.get("s_emit").create(node_id="emit", count=count, tag="body")))
    board.apply(commands.Connect("start", "exec_out", "loop", "exec_in"))
    board.apply(commands.Connect("loop", "exec_out", "emit", "exec_in"))
    return board


class Heard(Listener):
    def __init__(self) -> None:
        self.events: list[tuple[str, Any, str]] = []

    def event(self, run, event):
        self.events.append((event.event_type, event.payload, event.node_id))


@pytest.fixture(scope="module")
def emitting(registry: Registry) -> Registry:
    return emitting_registry(registry)


@pytest.mark.parametrize("backend", ["process_backend", "dask_backend"])
def test_a_remote_run_keeps_and_tells_every_event(request, emitting, backend):
    heard = Heard()
    run = run_board(straight(emitting, 150), registry=emitting, backend=request.getfixturevalue(backend),
                    listeners=[heard])
    assert run.ok, run.error
    expected = [("tick", {"index": i, "tag": "one"}, "emit") for i in range(150)]
    assert [(e.event_type, e.payload, e.node_id) for e in run.events] == expected == heard.events
    assert run.record().events[-1].payload == {"index": 149, "tag": "one"}


def test_a_remote_run_past_the_cap_keeps_what_a_local_one_keeps(emitting, process_backend):
    run = run_board(straight(emitting, MAX_EVENTS + 3), registry=emitting, backend=process_backend)
    assert run.ok, run.error
    assert len(run.events) == MAX_EVENTS and run.events.dropped == 3 and run.record().dropped_events == 3


@pytest.mark.parametrize("watched", [False, True])
@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_loop_bodies_on_other_processes_bring_their_events_back(request, emitting, workers, watched):
    if workers == "dask":
        request.getfixturevalue("dask_backend")  # its client is this process's default one
    heard = Heard()
    run = run_board(looping(emitting, 6, 3, workers), registry=emitting, listeners=[heard] if watched else [])
    assert run.ok, run.error
    assert sorted(e.payload["index"] for e in run.events) == sorted(list(range(3)) * 6)
    assert all(e.node_id == "emit" for e in run.events)
    assert len(heard.events) == (18 if watched else 0)
