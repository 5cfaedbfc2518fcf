"""The canvas's hover and inspector of a paused debug run show the values the paused node sees: paused before a
node in a loop's second iteration, its input wired from a pure node not computed yet in this iteration showed the
sum the first iteration left (101, where the node would read 102)."""

from __future__ import annotations

from pack_builder import Builder

from flowlike_core import RunStatus, commands
from flowlike_nb.widgets import BoardEditor

from .conftest import Recorder

WAIT = 60.0


def test_a_paused_loop_body_shows_no_input_its_pure_source_has_not_made_yet() -> None:
    build = Builder()
    start, loop = build.add("events_simple"), build.add("control_for_each", array=[1, 2])
    add, say = build.add("int_add", integer2=100), build.add("log_info")
    build.chain(start, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", add, "integer1")
    build.wire(add, "sum", say, "message")
    build.board.apply(commands.ToggleBreakpoint(say.id, on=True))
    editor = BoardEditor(build.board, registry=build.registry)
    frontend = Recorder(editor)
    message = next(pin.id for pin in say.pins.values() if pin.name == "message")
    assert frontend("run", start=start.id)["ok"]
    debugger = editor.debugger
    assert debugger is not None
    for item in (1, 2):
        assert debugger.wait_paused(WAIT) and debugger.paused_at is not None and debugger.paused_at.id == say.id
        assert frontend("pin_value", node_id=say.id, pin_id=message)["value"] is None, f"iteration {item}"
        assert message not in frontend("node_values", node_id=say.id)["values"]
        assert frontend("pin_value", node_id=loop.id, pin_id=next(
            pin.id for pin in loop.pins.values() if pin.name == "value"))["value"]["text"] == str(item)
        debugger.resume()
    run = editor.wait(WAIT)
    assert run is not None and run.status is RunStatus.SUCCESS
    assert frontend("pin_value", node_id=say.id, pin_id=message)["value"]["text"] == "102"
