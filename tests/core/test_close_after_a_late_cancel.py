"""A run cancelled while its thread is held in node code (a paused debug run, a blocking node looking at
`ctx.check_cancelled()`) still awaits what its nodes opened: the cancel of its task, delivered at the first await
after the node gave the thread back, landed in the first awaited close (`ctx.close_at_end`), cut it short and left
the run Running for ever (no `finished` for its listeners: the editor showed it paused, then stopping, for ever)."""

from __future__ import annotations

import asyncio
import threading
import time

from pack_builder import Builder
from stopping_nodes import DEADLINE

from flowlike_core import NodeType, RunStatus, exec_in, exec_out, start_run
from flowlike_core.debugger import Debugger


class OpensSlowly(NodeType):
    """Opens a resource whose close awaits a while."""

    name = "t_late_cancel_opens"
    pins = (exec_in(), exec_out())
    closed = threading.Event()

    async def run(self, ctx):
        async def close():
            await asyncio.sleep(0.5)
            OpensSlowly.closed.set()

        ctx.close_at_end(close)
        ctx.activate("exec_out")


class Busy(NodeType):
    """Blocking node code that looks at the cancel now and then (it never awaits)."""

    name = "t_late_cancel_busy"
    pins = (exec_in(), exec_out())
    started = threading.Event()

    def run(self, ctx):
        Busy.started.set()
        while True:
            time.sleep(0.01)
            ctx.check_cancelled()


def board() -> Builder:
    build = Builder()
    for node_type in (OpensSlowly, Busy):
        build.registry.register(node_type)
    OpensSlowly.closed, Busy.started = threading.Event(), threading.Event()
    build.chain(build.add("events_simple"), build.add("t_late_cancel_opens"), busy := build.add("t_late_cancel_busy"))
    build.busy = busy
    return build


def test_a_cancel_while_a_blocking_node_holds_the_thread_still_awaits_the_closes() -> None:
    build = board()
    handle = start_run(build.board, registry=build.registry)
    assert Busy.started.wait(DEADLINE)
    handle.cancel()
    run = handle.wait(DEADLINE)
    assert run.status is RunStatus.CANCELLED and OpensSlowly.closed.is_set()


def test_a_debug_run_stopped_while_paused_still_awaits_the_closes() -> None:
    build = board()
    build.board.nodes[build.busy.id].breakpoint = True
    debugger = Debugger()
    start_run(build.board, registry=build.registry, debugger=debugger)
    assert debugger.wait_paused(DEADLINE)
    run = debugger.stop(wait=DEADLINE).run
    assert debugger.ended, "the run never ended: no listener heard it finish"
    assert run.status is RunStatus.CANCELLED and OpensSlowly.closed.is_set()
