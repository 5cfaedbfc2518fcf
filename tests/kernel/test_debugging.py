"""Debugging from cells: `board.debug()`, breakpoints on node handles, and a paused run that leaves the kernel free."""

from __future__ import annotations

import _thread
import asyncio
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager, start_new_kernel
from test_kernel_safety import execute

import flowlike_nb as fnb
from flowlike_core import Context, NodeStatus, RunStatus


@pytest.fixture
def doubled() -> fnb.Board:
    """start -> for each [1, 2, 3] { log_info(item) } -> done: log_info("end"); a secret variable."""
    board = fnb.Board("doubled")
    board.variable("token", str, "hunter2-secret", secret=True)
    start = board.add("events_simple", "start")
    loop = board.add("control_for_each", "loop", array=[1, 2, 3])
    say = board.add("log_info", "say")
    end = board.add("log_info", "end", message="end")
    start.outputs.exec_out >> loop.inputs.exec_in
    loop.outputs.exec_out >> say.inputs.exec_in
    loop.outputs.value >> say.inputs.message
    loop.outputs.done >> end.inputs.exec_in
    return board


def test_breakpoints_on_node_handles_and_a_debug_run_from_a_cell(doubled: fnb.Board) -> None:
    say = doubled.node("say")
    say.breakpoint = True
    assert say.breakpoint and doubled.core.nodes[say.id].breakpoint
    doubled.undo()
    assert not say.breakpoint
    say.breakpoint = True

    dbg = doubled.debug()
    assert dbg.paused_at is not None and dbg.paused_at.id == say.id
    assert dbg.values["loop"] == {"value": 1, "index": 0}
    assert dbg.inputs["message"] == 1
    page = dbg._repr_html_()
    assert "paused before" in page and "loop" in page and "hunter2" not in page and "***" in page

    dbg.step_over()  # the rest of the body, up to the next item's
    assert dbg.paused_at.id == say.id and dbg.values["loop"]["value"] == 2
    say.breakpoint = False
    dbg.resume()
    assert dbg.ended and dbg.run.status is RunStatus.SUCCESS
    assert doubled.last_run is not None and doubled.last_run.core is dbg.run
    assert "ended: Success" in repr(dbg)


def test_without_breakpoints_debug_pauses_at_the_first_node_and_stop_cancels(doubled: fnb.Board) -> None:
    dbg = doubled.debug()
    assert dbg.paused_at is not None and dbg.paused_at.name == "events_simple"
    dbg.step()
    assert dbg.paused_at.friendly_name == "loop"
    dbg.stop()
    assert dbg.wait(30).status is RunStatus.CANCELLED


def test_a_new_debug_run_stops_the_one_still_paused(doubled: fnb.Board) -> None:
    doubled.node("say").breakpoint = True
    first = doubled.debug()
    assert first.is_paused
    second = doubled.debug()
    assert first.run.status is RunStatus.CANCELLED and first.ended
    assert second.is_paused and second.paused_at is not None and second.paused_at.friendly_name == "say"
    second.stop()
    assert second.wait(30).status is RunStatus.CANCELLED


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "debugging.md"


def test_the_debugging_guide_example_runs_as_written() -> None:
    """The debugging guide's block (docs/debugging.md), run on the board it describes (a For Each "loop" whose body
    is "say"), pauses where its comments say."""
    block = GUIDE.read_text(encoding="utf-8").split("```python\n", 1)[1].split("```", 1)[0]
    board = fnb.Board("readme")
    start = board.add("events_simple", "start")
    loop = board.add("control_for_each", "loop", array=["a", "b", "c"])
    say = board.add("log_info", "say")
    start.outputs.exec_out >> loop.inputs.exec_in
    loop.outputs.exec_out >> say.inputs.exec_in
    loop.outputs.value >> say.inputs.message
    seen: list[str] = []
    namespace = {"board": board, "seen": seen}
    for line in block.splitlines():  # each line, then where the run stands
        exec(compile(line, "debugging.md", "exec"), namespace)
        dbg = namespace.get("dbg")
        if dbg is not None:
            seen.append(dbg.state().split(" (")[0] + (f" {dbg.values['loop']['value']}" if dbg.is_paused else ""))
    assert seen == ["paused before 'say' a", "paused before 'say' a", "paused before 'say' c", "ended: Success"]
    assert [line.message for line in namespace["dbg"].run.logs()] == ["a", "b", "c"]


def test_stop_from_a_cell_waits_for_the_cancelled_end(doubled: fnb.Board) -> None:
    """`dbg.stop(); dbg` showed the run still paused before the node: the next line of a cell must see it ended."""
    doubled.node("say").breakpoint = True
    dbg = doubled.debug()
    assert dbg.is_paused
    dbg.stop()
    assert dbg.ended and dbg.state() == "ended: Cancelled"
    assert doubled.last_run is not None and doubled.last_run.core is dbg.run


def main_thread_waits_in(function: str) -> bool:
    frame = sys._current_frames().get(threading.main_thread().ident or 0)
    while frame is not None:
        if frame.f_code.co_name == function:
            return True
        frame = frame.f_back
    return False


@fnb.node(exec_pins=True)
async def interrupts_the_kernel(ctx: Context) -> None:
    """Interrupts the main thread (as Jupyter's Interrupt does) once it waits for the debug run to pause, then
    naps (a cancel ends the nap)."""
    deadline = time.monotonic() + 60
    while not main_thread_waits_in("wait_paused"):
        assert time.monotonic() < deadline, "the cell never waited for a pause"
        await asyncio.sleep(0.01)
    _thread.interrupt_main()
    await ctx.sleep(120)


@pytest.mark.parametrize("command", ["debug", "step"])
def test_interrupting_a_cell_that_waits_for_a_pause_stops_the_debug_run(command: str) -> None:
    """Interrupted while `board.debug()` (or `dbg.step()`) waited for the run to pause, the cell raised and the
    run went on in the background, its debugger never assigned: the run must be cancelled, as a plain run is."""
    board = fnb.Board("interrupted")
    start = board.add("events_simple", "start")
    nap = board.add("interrupts_the_kernel", "nap")
    say = board.add("log_info", "say")
    start.outputs.exec_out >> nap.inputs.exec_in
    nap.outputs.exec_out >> say.inputs.exec_in
    say.breakpoint = True
    if command == "step":
        nap.breakpoint = True
        dbg = board.debug()
        assert dbg.paused_at is not None and dbg.paused_at.id == nap.id
        dbg.step()
    else:
        dbg = board.debug()
    assert dbg.wait(30).status is RunStatus.CANCELLED and dbg.ended
    assert dbg.run.traces_of(nap.id)[-1].status is NodeStatus.CANCELLED


@pytest.fixture(scope="module")
def kernel() -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_cells_run_while_a_debug_run_is_paused(kernel: tuple[KernelManager, BlockingKernelClient]) -> None:
    _, kc = kernel
    reply, text = execute(kc, """
        import flowlike_nb as fnb
        board = fnb.Board("paused")
        start = board.add("events_simple", "start")
        loop = board.add("control_for_each", "loop", array=[10, 20, 30])
        say = board.add("log_info", "say")
        start.outputs.exec_out >> loop.inputs.exec_in
        loop.outputs.exec_out >> say.inputs.exec_in
        loop.outputs.value >> say.inputs.message
        say.breakpoint = True
        dbg = board.debug()
        print("PAUSED", dbg.paused_at.friendly_name, dbg.values["loop"]["value"])
    """)
    assert reply["status"] == "ok", text
    assert "PAUSED say 10" in text
    reply, text = execute(kc, "print('FREE', sum(range(10)), dbg.is_paused)", timeout=20)
    assert reply["status"] == "ok" and "FREE 45 True" in text, text
    reply, text = execute(kc, """
        dbg.resume()
        print("NEXT", dbg.values["loop"]["value"])
        say.breakpoint = False
        print("END", dbg.resume().run.status.value, len(dbg.run.logs()))
    """)
    assert reply["status"] == "ok", text
    assert "NEXT 20" in text and "END Success 3" in text
