"""Boards of the desktop tests that pass an automation session from step to step, and a look at the screen's
pixels (a module of its own: tests never import `conftest`, a name every test folder has)."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.automation import PACK as AUTOMATION
from pack_builder import Builder

from flowlike_core import Node, Run


def pixel(display: Any, x: int, y: int) -> tuple[int, int, int]:
    from Xlib import X

    data = display.screen().root.get_image(x, y, 1, 1, X.ZPixmap, 0xFFFFFFFF).data
    return data[2], data[1], data[0]


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
