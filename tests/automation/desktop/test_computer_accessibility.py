"""The accessibility nodes against real AT-SPI: a D-Bus session bus of the test's own (which starts the
accessibility bus and registry), a GTK window on the test X server, and clicks at the boxes AT-SPI reports that
the window must receive."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from desk_boards import Desk, ran
from flowlike_catalog.automation.computer_accessibility import Accessibility, AccessibilityNode
from xdisplay import GTK_AT, GTK_BUTTON, GTK_SIZE, GTK_TEXT, until

TITLE = "Desk GTK"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-gi and GTK 3


@pytest.fixture(scope="module")
def session_bus(xserver: str) -> Iterator[str]:
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    before = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
    try:
        yield address
    finally:
        if before is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = before
        daemon.terminate()
        daemon.wait(10)


@pytest.fixture
def gtk(session_bus: str, xserver: str, tmp_path: Path) -> Iterator[Path]:
    """The GTK window, shown and listed by AT-SPI; its event log."""
    log = tmp_path / "gtk.jsonl"
    script = Path(__file__).parent.parent / "xdisplay.py"
    process = subprocess.Popen([SYSTEM_PYTHON, str(script), "--gtk", str(log), TITLE],
                               env={**os.environ, "DISPLAY": xserver}, stderr=subprocess.DEVNULL)
    tree = Accessibility()
    try:
        until(lambda: log.exists() and "ready" in log.read_text(), "the GTK window")
        until(lambda: any(tree.name(w) == TITLE for w in tree.windows()), "AT-SPI to list the GTK window")
        yield log
    finally:
        tree.connection.close()
        process.kill()
        process.wait()


def walk(node: AccessibilityNode) -> Iterator[AccessibilityNode]:
    yield node
    for child in node.children:
        yield from walk(child)


def test_tree_of_a_window_has_its_widgets(gtk):
    desk = Desk()
    get = desk.step("computer_get_accessibility_tree", window_title="desk gtk")
    run = desk.ok()
    tree = run.output(get.id, "tree")
    assert (tree.role, tree.name) == ("frame", TITLE)
    assert tree.bounds.x == GTK_AT[0] and tree.bounds.y == GTK_AT[1] and tree.bounds.width == GTK_SIZE[0]
    widgets = list(walk(tree))
    [button] = [w for w in widgets if w.role == "push button"]
    assert button.name == GTK_BUTTON and "Click" in button.actions and "enabled" in button.states
    assert tree.bounds.y <= button.bounds.y < tree.bounds.y + tree.bounds.height
    [text] = [w for w in widgets if w.role == "text"]
    assert text.value == GTK_TEXT and "editable" in text.states
    assert json.loads(run.output(get.id, "tree_json"))["name"] == TITLE


def test_found_element_is_clicked_where_it_is(gtk):
    desk = Desk()
    find = desk.step("computer_find_accessibility_element", role="push_button", name="press")
    click = desk.step("computer_mouse_click")
    desk.wire(find, "x", click, "x")
    desk.wire(find, "y", click, "y")
    run = desk.ok()
    assert run.output(find.id, "element").name == GTK_BUTTON
    until(lambda: "clicked" in gtk.read_text(), "the GTK button to be clicked")


def test_missing_elements_and_windows_take_the_other_way(gtk):
    desk = Desk()
    find = desk.step("computer_find_accessibility_element", role="push button", name="no such button")
    find_logs = desk.fired(find, "exec_out", "exec_not_found")
    run = desk.run()
    assert ran(run, find_logs) == ["exec_not_found"] and run.output(find.id, "element") is None
    desk = Desk()
    get = desk.step("computer_get_accessibility_tree", window_title="no such window")
    get_logs = desk.fired(get, "exec_out", "exec_error")
    run = desk.run()
    assert ran(run, get_logs) == ["exec_error"] and "no window titled like" in run.output(get.id, "error")
