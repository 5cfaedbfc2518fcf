"""A debug run stopped while paused, whose other branch awaits its close (never interrupted, up to 30 s): the canvas
shows it stopping until the close is done, whether Stop was pressed on the bar or `dbg.stop()` ran in a cell. It
kept showing the node paused, with Continue and Step offered, until the run's end."""

from __future__ import annotations

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import Locator, Page, expect
from test_editor import SETUP, node_box

pytestmark = pytest.mark.browser

CLOSES = '''
import asyncio, threading
import flowlike_nb as fnb
from flowlike_core import PinDirection, default_registry, exec_in, exec_out

class ClosesWhenLetGo(NodeType):
    """Awaits until cancelled, then awaits its close until the test lets it go."""
    name = "bt_closes_when_let_go"
    friendly_name = "Closes When Let Go"
    pins = (exec_in(), exec_out())
    started = threading.Event()
    let_go = threading.Event()
    async def run(self, ctx):
        ClosesWhenLetGo.started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await asyncio.to_thread(ClosesWhenLetGo.let_go.wait, 120)
            raise

registry = default_registry()
registry.register(ClosesWhenLetGo, pack="browser-test", replace=True)
board.apply(commands.Disconnect("start", "exec_out", "double", "exec_in"))
parallel = registry.get("control_par_execution")
par = board.apply(commands.AddNode(parallel.create(node_id="par", coordinates=(20, 200, 0))))
board.apply(commands.AddNode(ClosesWhenLetGo.create(node_id="closes", coordinates=(620, 330, 0))))
branches = [pin.id for pin in par.ordered_pins(PinDirection.OUTPUT) if pin.name == "exec_out"]
board.apply(commands.Connect("start", "exec_out", "par", "exec_in"))
board.apply(commands.Connect("par", branches[0], "double", "exec_in"))
board.apply(commands.Connect("par", branches[1], "closes", "exec_in"))
board.apply(commands.ToggleBreakpoint("double"))
handle = fnb.Board(board)
editor = handle.editor(height='560px')
editor
'''
NODES = 6

CONTRAST = """(e) => {
    const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = (c) => {
        const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        const [r, g, b] = rgb(c).map(linear);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const style = getComputedStyle(e);
    const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
    return {light: document.body.dataset.jpThemeLight, background: style.backgroundColor,
            ratio: (a + 0.05) / (b + 0.05)};
}"""


def expect_paused_at_double(editor: Locator) -> None:
    expect(editor).to_have_attribute("data-paused", "double", timeout=30_000)
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "paused")
    expect(editor.get_by_test_id("debug-continue")).to_be_enabled()


def expect_stopping(editor: Locator) -> None:
    """What a stopped run shows while its other branch awaits its close."""
    status = editor.get_by_test_id("run-status")
    expect(status).to_have_attribute("data-status", "stopping", timeout=30_000)
    expect(status).to_have_text("stopping…")
    for node_id in ("double", "closes", "par"):  # paused at; awaiting its close; waiting for its branches
        badge = node_box(editor, node_id).get_by_test_id("node-status")
        expect(badge).to_have_attribute("data-status", "stopping")
        expect(badge).to_have_text("stopping…")
    expect(node_box(editor, "double")).not_to_contain_class("fl-paused")
    expect(editor).to_have_attribute("data-paused", "")
    bar = editor.get_by_test_id("debug-bar")
    expect(bar).to_be_visible()
    expect(bar).to_contain_class("fl-stopping")
    expect(editor.get_by_test_id("debug-title")).to_have_text("■ Stopping… at")
    expect(editor.get_by_test_id("debug-where")).to_have_text("Bt Double")
    for command in ("continue", "step", "step-over", "stop"):
        expect(editor.get_by_test_id(f"debug-{command}")).to_be_disabled()
    expect(editor.get_by_test_id("toolbar-stop")).to_be_disabled()
    expect(editor.locator("[data-testid='legend-item'][data-status='stopping']")).to_have_text("3 stopping")


def let_go_and_expect_cancelled(notebook: NotebookPage, editor: Locator) -> None:
    assert notebook.run_code("print(editor.last_run.status.value)") == "Running", \
        "the run ended before its node's close was let go: nothing showed it stopping"
    notebook.run_code("ClosesWhenLetGo.let_go.set()")
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Cancelled", timeout=60_000)
    for node_id in ("double", "closes", "par"):
        expect(node_box(editor, node_id).get_by_test_id("node-status")).to_have_attribute("data-status", "cancelled")
    expect(editor.get_by_test_id("debug-bar")).to_be_hidden()
    expect(editor.get_by_test_id("toolbar-run")).to_be_enabled()
    expect(editor.get_by_test_id("toolbar-stop")).to_be_disabled()


def theme(page: Page, name: str) -> None:
    """Switch JupyterLab's theme (unless it is on) and wait until the page has it and its splash screen is gone (a
    second switch while it fades makes Lab remove it twice: a page error)."""
    if page.evaluate("() => document.body.dataset.jpThemeName") != name:
        page.evaluate("(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", name)
    page.wait_for_function("""(theme) => document.body.dataset.jpThemeName === theme
                                         && !document.getElementById('jupyterlab-splash')""", arg=name, timeout=60_000)


def readable_in_both_themes(page: Page, badge: Locator) -> None:
    try:
        seen = {}
        for name in ("JupyterLab Dark", "JupyterLab Light"):
            theme(page, name)
            seen[name] = badge.evaluate(CONTRAST)
            assert seen[name]["ratio"] >= 4.5, f"{name}: 'stopping…' is hard to read: {seen[name]}"
        assert seen["JupyterLab Dark"]["light"] == "false" and seen["JupyterLab Light"]["light"] == "true"
        assert seen["JupyterLab Dark"]["background"] != seen["JupyterLab Light"]["background"], \
            "the dark theme has a colour of its own"
    finally:
        theme(page, "JupyterLab Light")


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_run_stopped_while_paused_shows_stopping_until_its_cleanup_ends(notebook_page: NotebookPage) -> None:
    editor = notebook_page.open_editor("stopping", [SETUP, CLOSES], NODES)

    # Stopped from the bar.
    editor.get_by_test_id("toolbar-run").click()
    expect_paused_at_double(editor)
    assert notebook_page.run_code("print(ClosesWhenLetGo.started.wait(60))") == "True"
    editor.get_by_test_id("debug-stop").click()
    expect_stopping(editor)
    readable_in_both_themes(notebook_page.page, node_box(editor, "double").get_by_test_id("node-status"))
    let_go_and_expect_cancelled(notebook_page, editor)

    # Stopped from a cell: the canvas learns of it from the run, not from a click.
    notebook_page.run_code("ClosesWhenLetGo.started, ClosesWhenLetGo.let_go = threading.Event(), threading.Event()")
    assert notebook_page.run_code("dbg = handle.debug()\nprint(dbg.state())") == "paused before 'Bt Double' (double)"
    expect_paused_at_double(editor)
    assert notebook_page.run_code("print(ClosesWhenLetGo.started.wait(60))") == "True"
    notebook_page.run_code("dbg.stop(wait=0)")
    expect_stopping(editor)
    let_go_and_expect_cancelled(notebook_page, editor)
    assert notebook_page.run_code("print(dbg.wait(60).status.value)") == "Cancelled"
