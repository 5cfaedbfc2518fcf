"""The step debugger in a real browser: F9 sets a breakpoint, Run pauses there, values show, the bar steps and
continues; the same from cells (`board.debug()`) with the canvas following."""

from __future__ import annotations

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import Locator, expect
from test_editor import NODES, SETUP, node_box

pytestmark = pytest.mark.browser

SHOW = """
import flowlike_nb as fnb
handle = fnb.Board(board)
board.apply(commands.Connect('double', 'result', 'report', 'value'))
editor = handle.editor(height='560px')
editor
"""


def open_debuggable(notebook: NotebookPage) -> Locator:
    return notebook.open_editor("debugger", [SETUP, SHOW], NODES)


def expect_paused_at(editor: Locator, node_id: str) -> None:
    expect(editor).to_have_attribute("data-paused", node_id, timeout=30_000)
    expect(node_box(editor, node_id)).to_contain_class("fl-paused")
    expect(editor.get_by_test_id("debug-bar")).to_be_visible()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "paused")


def pin_value(notebook: NotebookPage, editor: Locator, node_id: str, pin: str) -> Locator:
    node_box(editor, node_id).locator(f"[data-testid='pin'][data-pin-name='{pin}'] .fl-pin-label").hover()
    tooltip = editor.get_by_test_id("pin-tooltip")
    expect(tooltip).to_be_visible()
    return tooltip


def test_breakpoint_pause_inspect_step_and_continue_from_the_toolbar(notebook_page: NotebookPage) -> None:
    editor = open_debuggable(notebook_page)
    page = notebook_page.page
    node_box(editor, "double").get_by_test_id("node-title").click()
    page.keyboard.press("F9")
    expect(node_box(editor, "double").get_by_test_id("breakpoint")).to_have_count(1)
    assert notebook_page.run_code("print(board.nodes['double'].breakpoint)") == "True"

    editor.get_by_test_id("toolbar-run").click()
    expect_paused_at(editor, "double")
    expect(editor.get_by_test_id("debug-where")).to_have_text("Bt Double")
    expect(pin_value(notebook_page, editor, "double", "result")).to_contain_text("no value in this run")
    expect(pin_value(notebook_page, editor, "double", "x").get_by_test_id("value-text")).to_have_text("21")

    editor.get_by_test_id("debug-step").click()
    expect_paused_at(editor, "report")
    expect(node_box(editor, "double")).not_to_contain_class("fl-paused")
    expect(pin_value(notebook_page, editor, "double", "result").get_by_test_id("value-text")).to_have_text("42")
    inspected = editor.locator("[data-testid='inspector-value'][data-pin-name='value']")
    expect(inspected.get_by_test_id("value-text")).to_have_text("42")  # the paused node's input, in the inspector

    editor.get_by_test_id("debug-continue").click()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)
    expect(editor.get_by_test_id("debug-bar")).to_be_hidden()
    expect(editor).to_have_attribute("data-paused", "")
    assert notebook_page.run_code("print(editor.last_run.result)") == "42"

    node_box(editor, "double").get_by_test_id("node-title").click()
    page.keyboard.press("F9")
    expect(node_box(editor, "double").get_by_test_id("breakpoint")).to_have_count(0)


@pytest.mark.parametrize("frontend", ["lab"])
def test_debugging_from_cells_moves_the_canvas_and_the_context_menu_sets_breakpoints(
        notebook_page: NotebookPage) -> None:
    editor = open_debuggable(notebook_page)
    node_box(editor, "report").get_by_test_id("node-title").click(button="right")
    editor.get_by_test_id("context-menu").locator("[data-label='Toggle breakpoint']").click()
    expect(node_box(editor, "report").get_by_test_id("breakpoint")).to_have_count(1)

    assert notebook_page.run_code("dbg = handle.debug()\nprint(dbg.state())") == "paused before 'Report' (report)"
    expect_paused_at(editor, "report")
    assert notebook_page.run_code("print(dbg.values['Bt Double']['result'], dbg.inputs)") == "42 {'value': 42}"

    notebook_page.run_code("handle.node('report').breakpoint = False\nhandle.node('double').breakpoint = True")
    expect(node_box(editor, "double").get_by_test_id("breakpoint")).to_have_count(1)
    assert notebook_page.run_code("print(dbg.resume().state())") == "ended: Success"
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)
    expect(editor.get_by_test_id("debug-bar")).to_be_hidden()

    assert notebook_page.run_code("dbg = handle.debug()\nprint(dbg.state())") == "paused before 'Bt Double' (double)"
    expect_paused_at(editor, "double")
    assert notebook_page.run_code("print(dbg.step().state())") == "paused before 'Report' (report)"
    expect_paused_at(editor, "report")
    editor.get_by_test_id("debug-stop").click()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Cancelled", timeout=30_000)
    assert notebook_page.run_code("print(dbg.wait(30).status.value)") == "Cancelled"

    # Paused inside a collapsed layer: the canvas goes into the layer to show the node.
    notebook_page.run_code("from flowlike_core import Layer\n"
                           "board.apply(commands.CreateLayer(Layer(id='tail', name='tail', nodes=['report'])))")
    expect(node_box(editor, "report")).to_have_count(0)
    notebook_page.run_code("handle.node('double').breakpoint = False\nhandle.node('report').breakpoint = True\n"
                           "dbg = handle.debug()")
    expect(editor).to_have_attribute("data-layer", "tail", timeout=30_000)
    expect_paused_at(editor, "report")
    assert notebook_page.run_code("print(dbg.resume().state())") == "ended: Success"
