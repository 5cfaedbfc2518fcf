"""A run stopped while a node finishes cooperating cleanup (awaiting its close: never interrupted, up to
`CLEANUP_LIMIT`) shows as stopping on the canvas until it ends: the editor kept showing the paused node, with
Continue and Step offered, until the run's end, however long the close took."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from pack_builder import Builder

from flowlike_core import NodeStatus, NodeType, PinDirection, RunStatus, commands, exec_in, exec_out
from flowlike_nb.widgets import BoardEditor

from .conftest import WAIT, Recorder, Say, until


class ClosesWhenLetGo(NodeType):
    """Awaits until cancelled, then awaits its close until the test lets it go (as a browser page's close does,
    for as long as it takes): the run is stopping, not stopped, until then."""

    name = "w_closes_when_let_go"
    pins = (exec_in(), exec_out())
    started = threading.Event()
    let_go = threading.Event()

    async def run(self, ctx):
        ClosesWhenLetGo.started.set()
        try:
            await asyncio.Event().wait()  # until cancelled
        except asyncio.CancelledError:
            await asyncio.to_thread(ClosesWhenLetGo.let_go.wait, WAIT)
            raise



@pytest.fixture
def paused() -> Iterator[tuple[BoardEditor, Recorder]]:
    """A debug run paused before Say on one branch of a Parallel Execution, ClosesWhenLetGo awaiting on the other."""
    ClosesWhenLetGo.started, ClosesWhenLetGo.let_go = threading.Event(), threading.Event()
    build = Builder()
    build.registry.register(ClosesWhenLetGo)
    build.registry.register(Say)
    start, parallel = build.add("events_simple", node_id="start"), build.add("control_par_execution", node_id="par")
    closes, say = build.add("w_closes_when_let_go", node_id="closes"), build.add("w_say", node_id="say")
    build.chain(start, parallel)
    branches = [pin.id for pin in parallel.ordered_pins(PinDirection.OUTPUT) if pin.name == "exec_out"]
    build.board.apply(commands.Connect(parallel.id, branches[0], closes.id, "exec_in"))
    build.board.apply(commands.Connect(parallel.id, branches[1], say.id, "exec_in"))
    editor = BoardEditor(build.board, registry=build.registry)
    frontend = Recorder(editor)
    frontend("toggle_breakpoint", nodes=["say"])
    assert frontend("run", start="start")["ok"]
    debugger = editor.debugger
    assert debugger is not None and debugger.wait_paused(WAIT) and ClosesWhenLetGo.started.wait(WAIT)
    until(lambda: {"kind": "paused", "node_id": "say"} in frontend.run_events(), "the paused event")
    yield editor, frontend
    ClosesWhenLetGo.let_go.set()
    editor.wait(WAIT)


@pytest.mark.parametrize("stop_from", ["toolbar", "cell"])
def test_a_stopped_run_shows_stopping_until_its_cleanup_ends(paused: tuple[BoardEditor, Recorder],
                                                             stop_from: str) -> None:
    editor, frontend = paused
    debugger = editor.debugger
    assert debugger is not None and not any(e["kind"] == "stopping" for e in frontend.run_events())
    if stop_from == "toolbar":
        assert frontend("stop")["ok"]
    else:  # a cell's dbg.stop(): the canvas learns of it from the run, not from a click
        debugger.stop(wait=0)
    until(lambda: {"kind": "stopping"} in frontend.run_events(), "the stopping event")
    assert not debugger.ended and not any(e["kind"] == "run_finished" for e in frontend.run_events()), \
        "the run ended before its node's close was let go: nothing showed it stopping"
    late_view = frontend("run_state")
    assert late_view["summary"] is None and late_view["events"][-1] == {"kind": "stopping"}, \
        "a view opened while the run stops shows it stopping, not paused"
    refused = frontend("debug", command="step")
    assert refused["ok"] is False and "is stopping" in refused["reason"]
    for action, fields in (("run", {"start": "start"}), ("run_to", {"node_id": "say"})):
        refused = frontend(action, **fields)
        assert refused["ok"] is False and "is stopping" in refused["reason"] and "stop it" not in refused["reason"], \
            f"{action}: {refused['reason']}"

    ClosesWhenLetGo.let_go.set()
    run = editor.wait(WAIT)
    assert run is not None and run.status is RunStatus.CANCELLED and run.stuck is None
    assert [t.status for t in run.traces_of("closes")] == [NodeStatus.CANCELLED]
    kinds = [e["kind"] for e in frontend.run_events()]
    assert kinds.count("stopping") == 1 and kinds.index("stopping") < kinds.index("run_finished")
    assert frontend.of_type("run_events")[-1]["summary"]["status"] == "Cancelled"
    assert frontend("run_state")["events"][-1]["kind"] != "stopping", "an ended run is no longer stopping"


def test_a_run_that_is_not_stopped_never_shows_stopping(editor: BoardEditor, frontend: Recorder) -> None:
    frontend("toggle_breakpoint", nodes=["say"])
    assert frontend("run", start="start")["ok"]
    debugger = editor.debugger
    assert debugger is not None and debugger.wait_paused(WAIT)
    assert frontend("debug", command="continue")["ok"]
    run = editor.wait(WAIT)
    assert run is not None and run.status is RunStatus.SUCCESS
    assert not any(e["kind"] == "stopping" for e in frontend.run_events())
