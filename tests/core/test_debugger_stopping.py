"""How the debugger's stop ends a run: cleanup that cooperates (a node awaiting its close) is never cut short, as
a run handle's cancel leaves it (the stop interrupted on a blind timer); node code stuck in plain Python is still
interrupted; and once stopped, the run never tells its listeners it paused again (the editor showed a stopped run
paused)."""

from __future__ import annotations

import gc
import threading
import time
import weakref

from pack_builder import Builder
from stopping_nodes import DEADLINE, awaits_its_close

from flowlike_core import (
    DataType,
    Listener,
    NodeStatus,
    NodeType,
    RunStatus,
    commands,
    data_in,
    exec_in,
    exec_out,
    start_run,
)
from flowlike_core.debugger import Debugger
from flowlike_core.executor import CANCEL_GRACE

SLOW = 4 * CANCEL_GRACE
"""How long a cleanup here takes: longer than the grace after which node code stuck in plain Python is
interrupted."""

AwaitsItsClose = awaits_its_close("t_stop_awaits_its_close", SLOW)


class Spins(NodeType):
    """Stuck in plain Python: never awaits, never looks at the cancel."""

    name = "t_stop_spins"
    pins = (exec_in(), exec_out())
    started = threading.Event()

    def run(self, ctx):
        Spins.started.set()
        while True:
            pass


class ReadsLate(NodeType):
    """Reads its input only when the test lets it go on (after the stop), ignoring the cancel meanwhile."""

    name = "t_stop_reads_late"
    pins = (exec_in(), data_in("value", DataType.INTEGER, default=0), exec_out())
    started = threading.Event()
    go_on = threading.Event()

    def run(self, ctx):
        ReadsLate.started.set()
        assert ReadsLate.go_on.wait(DEADLINE), "never let go on"
        ctx.get_input("value")
        ctx.activate("exec_out")


def builder() -> Builder:
    build = Builder()
    for node_type in (AwaitsItsClose, Spins, ReadsLate):
        build.registry.register(node_type)
        for name in ("started", "closed", "go_on"):
            if hasattr(node_type, name):
                setattr(node_type, name, threading.Event())
    return build


class Heard(Listener):
    """The debugger's events a listener hears, in order."""

    def __init__(self) -> None:
        self.heard: list[str] = []

    def paused(self, run, trace) -> None:
        self.heard.append(f"paused {trace.node_id}")

    def resumed(self, run) -> None:
        self.heard.append("resumed")

    def finished(self, run) -> None:
        self.heard.append("finished")


def test_stop_leaves_a_node_awaiting_its_close_to_finish_it() -> None:
    build = builder()
    start, closes = build.add("events_simple"), build.add("t_stop_awaits_its_close")
    build.chain(start, closes)
    debugger = Debugger()
    start_run(build.board, registry=build.registry, debugger=debugger)
    assert AwaitsItsClose.started.wait(DEADLINE), "the node never started"
    debugger.stop()
    run = debugger.wait(DEADLINE)
    assert debugger.ended, "the run did not end"
    assert AwaitsItsClose.closed.is_set(), "the node's close was interrupted"
    assert run.status is RunStatus.CANCELLED and run.stuck is None
    assert [t.status for t in run.traces_of(closes.id)] == [NodeStatus.CANCELLED]


def test_stop_still_interrupts_a_node_stuck_in_plain_python() -> None:
    build = builder()
    start, spins = build.add("events_simple"), build.add("t_stop_spins")
    build.chain(start, spins)
    debugger = Debugger()
    start_run(build.board, registry=build.registry, debugger=debugger)
    assert Spins.started.wait(DEADLINE), "the node never started"
    run = debugger.stop(wait=DEADLINE).run
    assert debugger.ended, "the stuck node was never interrupted"
    assert run.status is RunStatus.CANCELLED
    assert [t.status for t in run.traces_of(spins.id)] == [NodeStatus.CANCELLED]


def test_once_stopped_the_run_tells_no_pause() -> None:
    """A node stopped while it runs may still read an input: the pure node it pulls has a breakpoint. The run
    paused there, telling listeners (the editor showed the stopped run paused), and let go at once."""
    build = builder()
    start, reads, add = build.add("events_simple"), build.add("t_stop_reads_late"), build.add("int_add")
    build.chain(start, reads)
    build.board.apply(commands.Connect(add.id, "sum", reads.id, "value"))
    build.board.apply(commands.ToggleBreakpoint(add.id))
    heard = Heard()
    debugger = Debugger()
    start_run(build.board, registry=build.registry, debugger=debugger, listeners=[heard])
    assert ReadsLate.started.wait(DEADLINE), "the node never started"
    debugger.stop(wait=0)
    told_before = len(heard.heard)
    ReadsLate.go_on.set()
    run = debugger.wait(DEADLINE)
    assert run.status is RunStatus.CANCELLED
    assert heard.heard[told_before:] == ["finished"], heard.heard
    assert not debugger.is_paused and debugger.pauses == 0


def test_a_stopped_run_is_not_kept_alive_by_its_watch() -> None:
    """The watch that stops a run must let it go once it has ended (a notebook stops many debug runs)."""
    build = builder()
    start, closes = build.add("events_simple"), build.add("t_stop_awaits_its_close")
    build.chain(start, closes)
    debugger = Debugger()
    start_run(build.board, registry=build.registry, debugger=debugger)
    assert AwaitsItsClose.started.wait(DEADLINE), "the node never started"
    assert debugger.stop(wait=DEADLINE).ended
    executor = weakref.ref(debugger._attached())
    del debugger
    deadline = time.monotonic() + DEADLINE
    while executor() is not None and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.05)
    assert executor() is None, "the stopped run's executor is still referenced"
