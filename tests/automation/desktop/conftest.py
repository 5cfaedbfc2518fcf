"""The desktop tests' X server (one Xvfb for the session, $DISPLAY pointing at it), the Tk test program (a fresh
one per test, shown and drawn before the test starts) and boards that pass an automation session along."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flowlike_catalog.automation import PACK as AUTOMATION
from pack_builder import Builder
from xdisplay import MAIN_AT, OTHER_AT, OTHER_COLOR, SQUARES, TestProgram, XServer, until

from flowlike_core import Node, Run


@pytest.fixture(scope="session")
def xserver() -> Iterator[str]:
    server = XServer()
    before = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = server.name
    try:
        yield server.name
    finally:
        if before is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = before
        server.close()


def pixel(display: Any, x: int, y: int) -> tuple[int, int, int]:
    from Xlib import X

    data = display.screen().root.get_image(x, y, 1, 1, X.ZPixmap, 0xFFFFFFFF).data
    return data[2], data[1], data[0]


@pytest.fixture
def xdisplay(xserver: str) -> Iterator[Any]:
    """A python-xlib connection of the test's own, to look at the screen as the nodes left it."""
    from Xlib import display

    connection = display.Display(xserver)
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture
def app(xserver: str, xdisplay: Any, tmp_path: Path) -> Iterator[TestProgram]:
    """The Tk test program, its windows drawn on the screen."""
    program = TestProgram(xserver, tmp_path / "events.jsonl")
    try:
        (x1, y1, _, _), red = SQUARES["red"]
        until(lambda: pixel(xdisplay, MAIN_AT[0] + x1 + 5, MAIN_AT[1] + y1 + 5) == red
              and pixel(xdisplay, OTHER_AT[0] + 10, OTHER_AT[1] + 10) == OTHER_COLOR, "the test windows to be drawn")
        yield program
    finally:
        program.close()


class Desk(Builder):
    """A board: Start -> Start Automation Session -> the steps added, each taking the session the step before
    handed on (or the session itself, for steps without a session output)."""

    def __init__(self) -> None:
        super().__init__(AUTOMATION)
        self.start = self.add("automation_start_session", click_delay_ms=0)
        self.chain(self.add("events_simple"), self.start)
        self.last, self.session = self.start, (self.start, "session")

    def step(self, key: str, /, after: str = "exec_out", **defaults: Any) -> Node:
        node = self.add(key, **defaults)
        self.wire(self.last, after, node, "exec_in")
        self.wire(*self.session, node, "session")
        self.last = node
        if any(pin.name == "session_out" for pin in node.pins.values()):
            self.session = (node, "session_out")
        return node

    def ok(self) -> Run:
        run = self.run()
        run.raise_for_status()
        return run

    def fired(self, node: Node, *exec_outputs: str) -> dict[str, Node]:
        """A Log Info node on each of the node's exec outputs, to see which fired (`Run.output` of its message)."""
        logs = {}
        for name in exec_outputs:
            logs[name] = self.add("log_info", message=name)
            self.wire(node, name, logs[name], "exec_in")
        return logs


def ran(run: Run, logs: dict[str, Node]) -> list[str]:
    """Which exec outputs of `Desk.fired` fired."""
    return [name for name, log in logs.items() if run.traces_of(log.id)]


@pytest.fixture
def desk() -> Desk:
    return Desk()
