"""The desktop tests' X server (one Xvfb for the session, $DISPLAY pointing at it), the Tk test program (a fresh
one per test, shown and drawn before the test starts) and boards that pass an automation session along."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from desk_boards import Desk, pixel
from xdisplay import MAIN_AT, OTHER_AT, OTHER_COLOR, SQUARES, TestProgram, XServer, until


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


@pytest.fixture
def desk() -> Desk:
    return Desk()
