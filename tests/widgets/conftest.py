"""An editor on a small board of our own node types, with the messages it sends recorded."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import pytest

from flowlike_core import (
    Board,
    DataType,
    NodeType,
    Pack,
    PinOptions,
    Registry,
    ValueType,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
)
from flowlike_nb.widgets import BoardEditor


class Start(NodeType):
    name = "w_start"
    friendly_name = "Start"
    category = "Events"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class Say(NodeType):
    name = "w_say"
    friendly_name = "Say"
    category = "Log"
    pins = (exec_in(), data_in("message", DataType.STRING, default="hi"),
            data_in("times", DataType.INTEGER, default=1, options=PinOptions(range=(0, 10), step=1)),
            data_in("mode", DataType.STRING, default="plain", options=PinOptions(valid_values=["plain", "loud"])),
            exec_out())

    def run(self, ctx):
        for _ in range(ctx.get_input("times")):
            ctx.info(ctx.get_input("message"))
        ctx.activate("exec_out")


class Number(NodeType):
    name = "w_number"
    friendly_name = "Number"
    category = "Math"
    pins = (data_in("value", DataType.INTEGER, default=3), data_out("result", DataType.INTEGER))

    def run(self, ctx):
        ctx.set_output("result", ctx.get_input("value"))


class Tell(NodeType):
    """Pure: logs a line while it makes its text (so the result cache serves it, and tells the line again)."""

    name = "w_tell"
    category = "Log"
    pins = (data_in("name", DataType.STRING, default="world"), data_out("text", DataType.STRING))

    def run(self, ctx):
        ctx.info(f"greeting {ctx.get_input('name')}")
        ctx.set_output("text", f"hello {ctx.get_input('name')}")


class Numbers(NodeType):
    name = "w_numbers"
    category = "Math"
    pins = (data_out("items", DataType.INTEGER, ValueType.ARRAY),)

    def run(self, ctx):
        ctx.set_output("items", [1, 2, 3])


class Steps(NodeType):
    """Reports progress over a few steps and sets the run's result."""

    name = "w_steps"
    pins = (exec_in(), data_in("count", DataType.INTEGER, default=4), exec_out())

    def run(self, ctx):
        count = ctx.get_input("count")
        for done in range(1, count + 1):
            ctx.progress(done, count)
        ctx.set_result(count)
        ctx.activate("exec_out")


class Fail(NodeType):
    name = "w_fail"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        raise ValueError("kaboom")


REGISTRY = Registry([Pack("widget-tests", modules=[sys.modules[__name__]])])


class Recorder:
    """Stands in for the front end: sends messages the way the widget's comm delivers them, keeps replies."""

    def __init__(self, editor: BoardEditor) -> None:
        self.editor = editor
        self.sent: list[dict[str, Any]] = []
        self.requests = 0
        editor.send = lambda content, buffers=None: self.sent.append(content)  # type: ignore[method-assign]

    def __call__(self, action: str, **fields: Any) -> dict[str, Any]:
        """Send one message; returns the kernel's reply to it."""
        self.requests += 1
        self.editor._handle_msg({"content": {"data": {"method": "custom", "content": {
            "action": action, "request": self.requests, **fields}}}, "buffers": []})
        return next(m for m in reversed(self.sent) if m["type"] == "reply" and m["request"] == self.requests)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["type"] == kind]

    def run_events(self) -> list[dict[str, Any]]:
        """The run events the widget relayed, in order, out of their batches."""
        return [event for batch in self.of_type("run_events") for event in batch["events"]]


WAIT = 30.0
"""Seconds a test waits for what a busy machine may delay (a run on its thread, a relayed batch)."""


def until(condition: Callable[[], bool], what: str = "the condition") -> None:
    """Poll `condition` until it holds; fail naming `what` after `WAIT` seconds."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT:.0f}s for {what}"
        time.sleep(0.02)


@pytest.fixture
def board() -> Board:
    board = Board(name="greeting")
    start = board.apply(commands.AddNode(Start.create(node_id="start", coordinates=(0, 0, 0))))
    say = board.apply(commands.AddNode(Say.create(node_id="say", coordinates=(300, 0, 0))))
    board.apply(commands.Connect(start.id, "exec_out", say.id, "exec_in"))
    return board


@pytest.fixture
def editor(board: Board) -> BoardEditor:
    return BoardEditor(board, registry=REGISTRY)


@pytest.fixture
def frontend(editor: BoardEditor) -> Recorder:
    return Recorder(editor)
