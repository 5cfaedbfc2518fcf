"""The step debugger on the canvas: breakpoints toggled as commands, a Run that pauses, the toolbar driving it."""

from __future__ import annotations

from flowlike_core import RunStatus, commands
from flowlike_nb.widgets import BoardEditor

from .conftest import WAIT, Number, Recorder, until


def test_breakpoints_are_toggled_from_the_canvas_as_one_undo_step(editor: BoardEditor, frontend: Recorder) -> None:
    assert frontend("toggle_breakpoint", nodes=["start", "say"])["ok"]
    board = editor.board
    assert board.nodes["start"].breakpoint and board.nodes["say"].breakpoint
    assert frontend.of_type("patch")[-1]["nodes"]["say"]["breakpoint"] is True
    frontend("undo")
    assert not board.nodes["start"].breakpoint and not board.nodes["say"].breakpoint
    assert "breakpoint" not in frontend.of_type("patch")[-1]["nodes"]["say"], "an unset breakpoint is not written"
    frontend("toggle_breakpoint", nodes=["say"], on=False)
    assert not board.nodes["say"].breakpoint
    reply = frontend("toggle_breakpoint", nodes=["nowhere"])
    assert reply["ok"] is False and "no node 'nowhere'" in reply["reason"]


def test_a_run_with_a_breakpoint_pauses_and_the_toolbar_steps_and_continues(editor: BoardEditor,
                                                                            frontend: Recorder) -> None:
    editor.board.apply(commands.AddNode(Number.create(node_id="n1", value=7)))
    editor.board.apply(commands.Connect("n1", "result", "say", "times"))
    frontend("toggle_breakpoint", nodes=["say"])
    assert frontend("run", start="start")["ok"]
    debugger = editor.debugger
    assert debugger is not None and debugger.wait_paused(WAIT)
    assert debugger.paused_at is not None and debugger.paused_at.id == "say"
    until(lambda: {"kind": "paused", "node_id": "say"} in frontend.run_events(), "the paused event")
    shown = frontend("node_values", node_id="say")["values"]
    assert {editor.board.nodes["say"].pins[p].name for p in shown} == {"message", "mode"}, \
        "paused before it pulled its wired input, whose source has not run"
    assert frontend("pin_value", node_id="n1", pin_id="result")["value"] is None

    assert frontend("debug", command="step")["ok"]
    assert debugger.wait_paused(WAIT) and debugger.paused_at is not None and debugger.paused_at.id == "n1"
    until(lambda: {"kind": "resumed"} in frontend.run_events(), "the resumed event")

    assert frontend("debug", command="continue")["ok"]
    run = editor.wait(WAIT)
    assert run is not None and run.status is RunStatus.SUCCESS
    assert frontend("pin_value", node_id="n1", pin_id="result")["value"]["text"] == "7"
    assert editor.debugger is None
    reply = frontend("debug", command="step")
    assert reply["ok"] is False and "no debug run" in reply["reason"]


def test_stop_cancels_a_paused_run_and_a_board_without_breakpoints_runs_plainly(editor: BoardEditor,
                                                                                frontend: Recorder) -> None:
    frontend("run", start="start")
    run = editor.wait(WAIT)
    assert run is not None and run.ok and not any(e["kind"] == "paused" for e in frontend.run_events())

    frontend("toggle_breakpoint", nodes=["say"])
    frontend("run", start="start")
    debugger = editor.debugger
    assert debugger is not None and debugger.wait_paused(WAIT)
    frontend("stop")
    run = editor.wait(WAIT)
    assert run is not None and run.status is RunStatus.CANCELLED
