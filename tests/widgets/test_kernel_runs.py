"""Editors opened from the kernel handle: toolbar runs feed and bind notebook variables, cell runs light up."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flowlike_catalog.std import PACK as STD

import flowlike_nb as fnb
from flowlike_core import NodeType, Registry, RunStatus, exec_in, exec_out
from flowlike_nb.kernel import namespace
from flowlike_nb.widgets import BoardEditor

from .conftest import Recorder

GATE = threading.Event()
"""Held shut, a `Gate` node keeps its run going until the test opens it."""


class Gate(NodeType):
    name = "w_gate"
    pins = (exec_in(), exec_out())

    async def run(self, ctx):
        while not GATE.is_set():
            await ctx.sleep(0.01)
        ctx.activate("exec_out")


REGISTRY = Registry([STD])
REGISTRY.register(Gate, pack="kernel-run-tests")


@pytest.fixture
def user_ns() -> Iterator[dict[str, Any]]:
    """The notebook namespace bindings write to; names a test adds are removed after it."""
    names = namespace.user_namespace()
    before = set(names)
    yield names
    for name in set(names) - before:
        del names[name]


@pytest.fixture
def board(user_ns: dict[str, Any]) -> fnb.Board:
    """start -> say(message = n); `n` is fed from the notebook's `n_source`, its value bound to `seen`."""
    board = fnb.Board("fed", registry=REGISTRY)
    board.variable("n", int, 1, exposed=True)
    start = board.add("events_simple", "start")
    read = board.add("variable_get", "read", var_ref="n")
    say = board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    read.outputs.value_ref >> say.inputs.message
    user_ns["n_source"] = 7
    return board.feed(n="n_source").bind("read.value_ref", "seen")


def gated(board: fnb.Board) -> None:
    """Put a Gate between start and say, shut."""
    GATE.clear()
    gate = board.add("w_gate", "gate")
    board.node("start").outputs.exec_out.disconnect()
    board.node("start").outputs.exec_out >> gate.inputs.exec_in
    gate.outputs.exec_out >> board.node("say").inputs.exec_in



def test_a_toolbar_run_feeds_and_binds_notebook_variables(board: fnb.Board, user_ns: dict[str, Any]) -> None:
    editor = board.editor()
    frontend = Recorder(editor)
    reply = frontend("run")
    assert reply["ok"], reply["reason"]
    run = editor.wait(30)
    assert run is not None and run.status is RunStatus.SUCCESS
    assert run.variables["n"] == 7 and user_ns["seen"] == 7
    assert board.last_run is not None and board.last_run.core is run
    assert [e["message"] for e in frontend.run_events() if e["kind"] == "log"] == ["7"]
    assert frontend.of_type("run_events")[-1]["summary"]["run_id"] == run.id


def test_a_toolbar_run_without_its_notebook_feed_is_refused_with_the_name(
        board: fnb.Board, user_ns: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    del user_ns["n_source"]
    editor = board.editor()
    with caplog.at_level(logging.DEBUG):
        reply = Recorder(editor)("run")
    assert reply["ok"] is False and reply["kind"] == "error"
    assert reply["reason"] == "notebook variable 'n_source' is not defined (it feeds a board variable)"
    assert not caplog.records  # a user's missing variable is not logged as a bug with a traceback
    assert editor.last_run is None and not editor.busy


def test_a_cell_run_lights_up_the_open_editor(board: fnb.Board) -> None:
    editor = board.editor()
    frontend = Recorder(editor)
    run = board.run()
    editor.wait(30)
    assert editor.last_run is run.core
    seen = frontend.run_events()
    assert seen[0] == {"kind": "run_started"}
    assert {e["node_id"] for e in seen if e["kind"] == "node_finished"} == set(board.core.nodes)
    summary = frontend.of_type("run_events")[-1]["summary"]
    assert summary["run_id"] == run.id and summary["status"] == "Success"


def test_a_cell_run_can_be_stopped_from_the_editor(board: fnb.Board) -> None:
    gated(board)
    editor = board.editor()
    frontend = Recorder(editor)
    handle = board.start()
    assert editor.busy and editor.last_run is handle.run
    assert frontend("stop")["ok"]
    assert handle.wait(30).status is RunStatus.CANCELLED
    editor.wait(30)  # the relay sends its last batch, with the summary, just after the run ends
    assert frontend.of_type("run_events")[-1]["summary"]["status"] == "Cancelled"


def test_a_toolbar_run_shows_once_on_its_editor_and_on_the_other_open_one(board: fnb.Board) -> None:
    first, second = board.editor(), board.editor()
    first_frontend, second_frontend = Recorder(first), Recorder(second)
    handle = first.run()
    handle.wait(30)
    first.wait(30)
    second.wait(30)
    assert first.last_run is second.last_run is handle.run
    for frontend in (first_frontend, second_frontend):
        assert [e["kind"] for e in frontend.run_events()].count("run_started") == 1


def test_an_editor_showing_a_run_keeps_it_and_a_closed_one_gets_nothing(
        board: fnb.Board, user_ns: dict[str, Any]) -> None:
    gated(board)
    first, second, closed = board.editor(), board.editor(), board.editor()
    closed_frontend = Recorder(closed)
    closed.close()
    own = first.run()
    user_ns["n_source"] = 8
    cell = board.start()
    try:
        assert first.last_run is second.last_run is own.run
        assert closed.last_run is None and not closed_frontend.sent
    finally:
        GATE.set()
    assert own.wait(30).status is RunStatus.SUCCESS and cell.wait(30).status is RunStatus.SUCCESS
    assert own.run.variables["n"] == 7 and cell.run.variables["n"] == 8
    assert first.last_run is own.run


def test_bindings_are_assigned_before_wait_returns(board: fnb.Board, user_ns: dict[str, Any]) -> None:
    user_ns["n_source"] = 5
    run = board.start().wait(30)
    assert user_ns["seen"] == 5 and board.last_run is not None and board.last_run.core is run


def test_an_editor_made_directly_runs_without_the_handle(board: fnb.Board, user_ns: dict[str, Any]) -> None:
    editor = BoardEditor(board.core, registry=REGISTRY)
    Recorder(editor)
    editor.run()
    run = editor.wait(30)
    assert run is not None and run.variables["n"] == 1 and "seen" not in user_ns
