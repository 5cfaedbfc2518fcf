"""Rough edges a user met in a trial of the editor (a teacher preparing a classroom demo), each kept fixed here."""

from __future__ import annotations

import re

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import Locator, expect

pytestmark = pytest.mark.browser

CONCAT = '''
from flowlike_core import Board, commands, default_registry
from flowlike_nb.widgets import BoardEditor

board = Board(name="trial")
board.apply(commands.AddNode(default_registry().get("string_concat").create(node_id="concat", coordinates=(40, 40, 0))))
editor = BoardEditor(board, height='480px')
editor
'''


def open_concat(notebook: NotebookPage, test_name: str) -> Locator:
    return notebook.open_editor(test_name, [CONCAT], 1)


def kernel_defaults(notebook: NotebookPage) -> str:
    return notebook.run_code("print([p.default_value for p in board.nodes['concat'].ordered_pins() "
                             "if p.name == 'string'])")


@pytest.mark.parametrize("frontend", ["lab"])
def test_each_pin_of_a_variadic_group_keeps_its_own_default(notebook_page: NotebookPage) -> None:
    """Concatenate's inputs are all called `string`: typing into the second one must not write the first."""
    editor = open_concat(notebook_page, "variadic")
    editor.locator("[data-node-id='concat'] [data-testid='node-header']").click()
    fields = editor.get_by_test_id("inspector").locator("[data-testid='inspector-default'][data-pin-name='string']")
    expect(fields).to_have_count(2)
    fields.nth(1).fill("world")
    fields.nth(1).press("Enter")
    fields.nth(0).fill("hello ")
    fields.nth(0).press("Enter")

    notebook_page.wait_until(lambda: kernel_defaults(notebook_page) == "['hello ', 'world']", 30,
                             "both defaults in the kernel, each on its own pin")
    editor.scroll_into_view_if_needed()
    expect(fields.nth(0)).to_have_value("hello ")
    expect(fields.nth(1)).to_have_value("world")


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_narrow_editor_keeps_room_for_the_canvas(notebook_page: NotebookPage) -> None:
    """In a narrow window the side panel gives up width and the minimap steps aside, so the board stays visible."""
    notebook_page.page.set_viewport_size({"width": 760, "height": 800})
    editor = open_concat(notebook_page, "narrow")
    canvas, root = editor.get_by_test_id("editor-canvas"), editor.bounding_box()
    assert root
    expect(editor.get_by_test_id("side-panel")).to_be_visible()

    def canvas_width() -> float:
        box = canvas.bounding_box()
        return box["width"] if box else 0.0

    notebook_page.wait_until(lambda: canvas_width() >= root["width"] / 2, 10,
                             f"the canvas to take half of the {root['width']:.0f} px editor")
    minimap = editor.get_by_test_id("minimap")
    if minimap.is_visible():
        shown, area = minimap.bounding_box(), canvas.bounding_box()
        assert shown and area
        assert shown["width"] * shown["height"] <= area["width"] * area["height"] / 4, "the minimap hides the board"

WIDE = '''
from flowlike_core import Board, commands, default_registry
from flowlike_nb.widgets import BoardEditor

types = default_registry()
board = Board(name="wide")
def add(key, node_id, x, y):
    board.apply(commands.AddNode(types.get(key).create(node_id=node_id, coordinates=(x, y, 0))))
add("string_concat", "feed", 40, 200)
add("events_simple", "start", 340, 40)
for i in range(8):
    add("log_info", f"say{i}", 640 + 300 * i, 40)
    board.apply(commands.Connect("start" if i == 0 else f"say{i - 1}", "exec_out", f"say{i}", "exec_in"))
board.apply(commands.Connect("feed", "result", "say0", "message"))
editor = BoardEditor(board, height='480px')
editor
'''


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_wide_board_opens_on_its_top_left_corner_when_the_start_shows_from_there(
        notebook_page: NotebookPage) -> None:
    """Too wide to show whole, a board opens at zoom 1 with its first column in view: the node feeding the first
    step (left of the start node, as Layout places it) was cut off when the view began at the start node."""
    notebook_page.open(notebook_page.server.write_notebook("wide.ipynb", [WIDE]))
    notebook_page.run_all()
    editor = notebook_page.page.get_by_test_id("flowlike-editor")
    canvas = editor.get_by_test_id("editor-canvas")
    expect(canvas).to_have_attribute("data-drawn", re.compile(r"[1-9]"), timeout=30_000)  # only nodes in view are
    editor.scroll_into_view_if_needed()
    expect(canvas).to_have_attribute("data-scale", "1.000")
    area = canvas.bounding_box()
    assert area
    for node_id in ("feed", "start"):
        box = editor.locator(f"[data-node-id='{node_id}']").bounding_box()
        assert box and area["x"] <= box["x"] and box["x"] + box["width"] <= area["x"] + area["width"], (node_id, box)
        assert area["y"] <= box["y"] and box["y"] + box["height"] <= area["y"] + area["height"], (node_id, box)


MISSING_GLYPHS = """(root) => {
    const font = getComputedStyle(root.querySelector('.fl-button')).font;
    const drawn = (text) => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 48;
        const context = canvas.getContext('2d');
        context.font = font;
        context.fillText(text, 4, 32);
        return context.getImageData(0, 0, 48, 48).data.join();
    };
    const box = drawn('\\u{10FFFD}');  // a code point no font has: the box a missing glyph draws as
    const signs = new Set([...root.textContent].filter((c) => c.codePointAt(0) > 127 && c.trim()));
    return [...signs].filter((c) => drawn(c) === box);
}"""


@pytest.mark.parametrize("frontend", ["lab"])
def test_every_sign_in_the_editor_draws_with_the_fonts_debian_has(notebook_page: NotebookPage) -> None:
    """Toolbar signs such as a fullwidth plus, a download arrow or a pause sign had no glyph in any font Debian
    installs with chromium (DejaVu, Liberation): they showed as empty boxes."""
    editor = open_concat(notebook_page, "glyphs")
    assert editor.evaluate(MISSING_GLYPHS) == []


STRUCT = '''
from flowlike_core import Board, commands, default_registry
from flowlike_nb.widgets import BoardEditor

board = Board(name="struct")
board.apply(commands.AddNode(default_registry().get("struct_get").create(node_id="get", coordinates=(40, 40, 0))))
editor = BoardEditor(board, height='480px')
editor
'''


@pytest.mark.parametrize("frontend", ["lab"])
def test_correcting_bad_json_takes_its_error_away(notebook_page: NotebookPage) -> None:
    """The error about a struct's half-typed JSON stayed on screen after the user fixed it, as if the fix failed."""
    editor = notebook_page.open_editor("struct", [STRUCT], 1)
    editor.locator("[data-node-id='get'] [data-testid='node-header']").click()
    field = editor.locator("textarea[data-testid='inspector-default'][data-pin-name='struct']")
    message = editor.get_by_test_id("editor-message")
    field.fill('{"name": "Ada", "age": 36')
    field.press("Tab")
    expect(message).to_have_attribute("data-kind", "error")
    expect(message).to_contain_text("struct: not valid JSON")

    field.fill('{"name": "Ada", "age": 36}')
    field.press("Tab")
    expect(message).to_be_hidden()
    notebook_page.wait_until(
        lambda: notebook_page.run_code("print(board.nodes['get'].pin('struct').default_value)")
        == "{'name': 'Ada', 'age': 36}", 30, "the struct default in the kernel")


LOOP = '''
import flowlike_nb as fnb
loopy = fnb.Board("for each")
loopy.variable("items", list[str], ["red"], exposed=True)
start = loopy.add("events_simple", "start")
items = loopy.add("variable_get", "items", var_ref="items")
each = loopy.add("control_for_each", "each")
say = loopy.add("log_info", "say")
start.outputs.exec_out >> each.inputs.exec_in
items.outputs.value_ref >> each.inputs.array
each.outputs.exec_out >> say.inputs.exec_in
each.outputs.value >> say.inputs.message
say.breakpoint = True
editor = loopy.editor(height='480px')
editor
'''


@pytest.mark.parametrize("frontend", ["lab"])
def test_keys_still_reach_the_editor_after_the_run_button(notebook_page: NotebookPage) -> None:
    """Run is disabled while a run goes, and the focus it held fell to the page: F8 at the breakpoint did nothing."""
    editor = notebook_page.open_editor("keys-after-run", [LOOP], 4)
    editor.get_by_test_id("toolbar-run").click()
    say = editor.locator("[data-testid='node'][data-node-type='log_info']").get_attribute("data-node-id")
    expect(editor).to_have_attribute("data-paused", say, timeout=30_000)
    notebook_page.page.keyboard.press("F8")
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)


@pytest.mark.parametrize("frontend", ["lab"])
def test_save_shows_unsaved_changes(notebook_page: NotebookPage) -> None:
    """Nothing told a user that the edits since the last Save were only in the kernel (a restart loses them)."""
    with_path = CONCAT.replace("height='480px'", "height='480px', path='c.board.json'")
    editor = notebook_page.open_editor("unsaved", [with_path], 1)
    save = editor.get_by_test_id("toolbar-save")
    expect(save).to_have_attribute("data-unsaved", "true")  # no file yet
    save.click()
    expect(save).to_have_attribute("data-unsaved", "false")
    expect(save).to_have_attribute("title", "Saved in c.board.json")
    notebook_page.run_code("board.apply(commands.MoveNode('concat', (300, 200, 0)))")
    expect(save).to_have_attribute("data-unsaved", "true")
