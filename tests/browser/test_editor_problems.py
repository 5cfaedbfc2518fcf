"""The engine's problems with the board on the canvas: a warning looks like a warning and an error like an error
(the severity is the engine's), both are counted on the toolbar, and a warning does not stop Run."""

from __future__ import annotations

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

READ_BEFORE_RUN = '''
import flowlike_nb as fnb

@fnb.node(category="Demo", exec_pins=True)
def greeting(name: str = "class") -> str:
    "Make a greeting (an exec node: its result exists once it ran)."
    return f"hello {name}"

@fnb.node(category="Demo")
def load_rows(path: str) -> int:
    "Count the lines of a file (its path has no default: it must be given)."
    return len(open(path).readlines())

board = fnb.Board("problems")
start = board.add("events_simple", node_id="start")
say = board.add("log_info", node_id="say")
greet = board.add("greeting", node_id="greet")
start.outputs.exec_out >> say.inputs.exec_in
say.outputs.exec_out >> greet.inputs.exec_in
greet.outputs.result >> say.inputs.message
editor = board.editor(height='480px')
editor
'''


@pytest.mark.parametrize("frontend", ["lab"])
def test_warnings_and_errors_are_shown_apart_and_a_warning_does_not_stop_run(notebook_page: NotebookPage) -> None:
    """Say reads Greeting's result before Greeting runs: the engine warns (the run reads None). Every problem looked
    like an error, or was not shown at all."""
    editor = notebook_page.open_editor("problems", [READ_BEFORE_RUN], 3)
    say = editor.locator("[data-testid='node'][data-node-id='say']")
    problems = editor.get_by_test_id("problems")
    expect(say).to_have_attribute("data-problem", "warning")
    expect(say.get_by_test_id("problem-marker")).to_have_attribute("data-severity", "warning")
    expect(say.locator("[data-testid='pin'][data-pin-name='message']")).to_have_attribute("data-problem", "warning")
    expect(problems).to_have_attribute("data-warnings", "1")
    expect(problems).to_have_attribute("data-errors", "0")
    expect(problems).to_have_text("⚠ 1 warning")
    for other in ("start", "greet"):
        expect(editor.locator(f"[data-testid='node'][data-node-id='{other}']")).not_to_have_attribute(
            "data-problem", "warning")

    say.get_by_test_id("node-header").click()
    (problem,) = editor.get_by_test_id("inspector-problem").all()
    expect(problem).to_have_attribute("data-severity", "warning")
    expect(problem).to_have_attribute("data-code", "read-before-run")
    expect(problem).to_contain_text("Warning")

    run = editor.get_by_test_id("toolbar-run")
    expect(run).to_be_enabled()
    run.click()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)

    notebook_page.run_code('rows = board.add("load_rows", node_id="rows")')  # a required input left empty: an error
    rows = editor.locator("[data-testid='node'][data-node-id='rows']")
    expect(rows).to_have_attribute("data-problem", "error", timeout=30_000)
    expect(rows.get_by_test_id("problem-marker")).to_have_attribute("data-severity", "error")
    expect(problems).to_have_attribute("data-errors", "1")
    expect(problems).to_have_attribute("data-warnings", "1")
    expect(problems).to_have_attribute("data-severity", "error")
    expect(problems.get_by_test_id("problem-count")).to_have_text(["✖ 1 error", "⚠ 1 warning"])
    expect(run).to_be_enabled()  # as start_run: a run fails where an error bites, naming it

    message = editor.get_by_test_id("editor-message")
    seen = set()
    for _ in range(2):  # the button goes from problem to problem, selecting its node
        problems.click()
        selected = editor.locator("[data-testid='node'].fl-selected")
        expect(selected).to_have_count(1)
        node = selected.get_attribute("data-node-id")
        kind = {"say": "warning", "rows": "error"}[node]
        expect(message).to_have_attribute("data-kind", kind)
        expect(editor.get_by_test_id("inspector-problem")).to_have_attribute("data-severity", kind)
        seen.add(node)
    assert seen == {"say", "rows"}

    say.locator("[data-testid='pin'][data-pin-name='message'] [data-testid='pin-port']").click(modifiers=["Alt"])
    expect(say).not_to_have_attribute("data-problem", "warning", timeout=30_000)
    expect(say.locator("[data-testid='pin'][data-pin-name='message']")).not_to_have_attribute("data-problem", "warning")
    expect(problems).to_have_attribute("data-warnings", "0")
    expect(problems).to_have_text("✖ 1 error")
    notebook_page.run_code("board.undo()")  # a cell's undo brings the wire back, and the warning
    expect(problems).to_have_attribute("data-warnings", "1", timeout=30_000)
