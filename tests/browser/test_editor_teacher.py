"""Rough edges a teacher met building a board from scratch with the mouse and keyboard, each kept fixed here.

The notebook registers one node type with a default of every kind of pin (bool, int with a range, float, text,
a choice, a path, a struct) and shows two editors: `board` (a start node and a Lesson node) and the empty `other`.
"""

from __future__ import annotations

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import Locator, expect

pytestmark = pytest.mark.browser

SETUP = '''
from flowlike_core import Board, DataType, NodeType, commands, data_in, data_out, default_registry, exec_in, exec_out
from flowlike_core.board import PinOptions
from flowlike_nb.widgets import BoardEditor

class Lesson(NodeType):
    name = "tt_lesson"
    friendly_name = "Lesson Settings"
    category = "Teacher"
    pins = (exec_in(), exec_out(),
            data_in("show", DataType.BOOLEAN, default=False),
            data_in("pupils", DataType.INTEGER, default=20, options=PinOptions(range=(1, 40))),
            data_in("ratio", DataType.FLOAT, default=0.5),
            data_in("title", DataType.STRING, default="Fractions and decimals"),
            data_in("level", DataType.STRING, default="easy", options=PinOptions(valid_values=["easy", "hard"])),
            data_in("folder", DataType.PATHBUF, default="lessons/week-two/fractions"),
            data_in("extra", DataType.STRUCT, default={"room": 4, "projector": True}),
            data_out("summary", DataType.STRING))
    def run(self, ctx):
        ctx.set_output("summary", f"{ctx.get_input('title')} for {ctx.get_input('pupils')}")
        ctx.activate("exec_out")

types = default_registry()
types.register(Lesson, pack="teacher", replace=True)
board = Board(name="lesson")
board.apply(commands.AddNode(types.get("events_simple").create(node_id="start", coordinates=(40, 40, 0))))
board.apply(commands.AddNode(Lesson.create(node_id="lesson", coordinates=(340, 40, 0))))
board.apply(commands.Connect("start", "exec_out", "lesson", "exec_in"))
other = Board(name="other")
BoardEditor(board, height='480px')
'''
OTHER = "BoardEditor(other, height='360px')"


def open_both(notebook: NotebookPage, test_name: str) -> tuple[Locator, Locator]:
    """The lesson board's editor and the empty board's, both drawn."""
    notebook.open(notebook.server.write_notebook(f"{test_name}.ipynb", [SETUP, OTHER]))
    notebook.run_all()
    editors = notebook.page.get_by_test_id("flowlike-editor")
    expect(editors).to_have_count(2, timeout=30_000)
    first, second = editors.nth(0), editors.nth(1)
    expect(first.get_by_test_id("node")).to_have_count(2, timeout=30_000)
    expect(second.get_by_test_id("editor-canvas")).to_be_visible()
    first.scroll_into_view_if_needed()
    return first, second


def lesson(editor: Locator) -> Locator:
    return editor.locator("[data-testid='node'][data-node-id='lesson']")


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_node_copied_in_one_editor_pastes_into_another(notebook_page: NotebookPage) -> None:
    """Ctrl+C in one board's editor and Ctrl+V in another's did nothing: each editor kept its own clipboard."""
    first, second = open_both(notebook_page, "copy-between")
    lesson(first).get_by_test_id("node-header").click()
    notebook_page.page.keyboard.press("Control+c")
    second.scroll_into_view_if_needed()
    second.get_by_test_id("editor-canvas").click(position={"x": 60, "y": 60})
    notebook_page.page.keyboard.press("Control+v")  # waits for the copy, the kernel's answer
    pasted = second.locator("[data-testid='node'][data-node-type='tt_lesson']")
    expect(pasted).to_have_count(1, timeout=30_000)
    notebook_page.wait_until(
        lambda: notebook_page.run_code("print(sorted(n.name for n in other.nodes.values()), len(board.nodes))")
        == "['tt_lesson'] 2", 30, "the copy on the other board in the kernel, the first board as it was")


@pytest.mark.parametrize("frontend", ["lab"])
def test_pin_names_stay_readable_beside_their_defaults(notebook_page: NotebookPage) -> None:
    """A long default shown beside its pin cut the pin's own name to 'Fol…' and 'E…' (Folder, Extra): the
    value shown gives way first, the name stays whole."""
    first, _ = open_both(notebook_page, "pin-names")
    labels = lesson(first).locator("[data-testid='pin'][data-direction='in'] .fl-pin-label")
    expect(labels).to_have_count(8)
    cut = labels.evaluate_all("(ls) => ls.filter((l) => l.scrollWidth > l.clientWidth).map((l) => l.textContent)")
    assert cut == [], f"pin names cut short: {cut}"
    shown = lesson(first).locator("[data-testid='pin'][data-pin-name='title'] .fl-pin-default")
    expect(shown).to_be_visible()  # the default still shows, shortened


def overlapping_minimap(editor: Locator) -> list[str]:
    """The node boxes that the minimap, where it shows, covers."""
    return editor.evaluate("""(root) => {
        const map = root.querySelector("[data-testid='minimap']");
        if (!map || !map.checkVisibility()) return [];
        const m = map.getBoundingClientRect();
        return [...root.querySelectorAll("[data-testid='node']")].filter((n) => {
            const b = n.getBoundingClientRect();
            return b.left < m.right && m.left < b.right && b.top < m.bottom && m.top < b.bottom;
        }).map((n) => n.dataset.nodeId);
    }""")


BIG = '''
big = Board(name="big")
places = [(320 * (i % 12), 300 * (i // 12), 0) for i in range(96)]
big.apply(commands.Batch([commands.AddNode(Lesson.create(node_id=f"n{i}", coordinates=xyz))
                          for i, xyz in enumerate(places)]))
BoardEditor(big, height='480px')
'''


@pytest.mark.parametrize("frontend", ["lab"])
def test_fit_shows_the_whole_board_with_no_node_under_the_minimap(notebook_page: NotebookPage) -> None:
    """Fit ('Show the whole board') left the nodes of the bottom-right corner under the minimap; with the whole
    board in view the minimap has nothing to show and steps aside, and it comes back when part is out of view."""
    notebook_page.open(notebook_page.server.write_notebook("fit-minimap.ipynb", [SETUP, BIG]))
    notebook_page.run_all()
    editor = notebook_page.page.get_by_test_id("flowlike-editor").nth(1)
    expect(editor.get_by_test_id("editor-canvas")).to_be_visible(timeout=30_000)
    editor.scroll_into_view_if_needed()
    minimap = editor.get_by_test_id("minimap")
    expect(minimap).to_be_visible(timeout=30_000)  # opened at a readable zoom: most of the board is out of view
    editor.get_by_test_id("toolbar-fit").click()
    expect(editor.get_by_test_id("node")).to_have_count(96, timeout=30_000)
    notebook_page.wait_until(lambda: overlapping_minimap(editor) == [], 10, "no node under the minimap")
    editor.get_by_test_id("toolbar-fit").click()  # a second Fit changes nothing
    assert overlapping_minimap(editor) == []
    box = editor.get_by_test_id("editor-canvas").bounding_box()
    assert box
    notebook_page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    notebook_page.page.mouse.wheel(0, -600)
    expect(minimap).to_be_visible()


def kernel_default(notebook: NotebookPage, pin: str) -> str:
    return notebook.run_code(f"print(repr(board.nodes['lesson'].pin('{pin}').default_value))")


@pytest.mark.parametrize("frontend", ["lab"])
def test_undo_keys_work_from_a_checkbox_or_a_choice(notebook_page: NotebookPage) -> None:
    """After ticking a Boolean default or choosing a value, the focus stays on that field, where Ctrl+Z did nothing
    at all: the editor left the key to the field, and a checkbox or a drop-down has no undo of its own."""
    first, _ = open_both(notebook_page, "undo-from-fields")
    lesson(first).get_by_test_id("node-header").click()
    inspector = first.get_by_test_id("inspector")
    show = inspector.locator("[data-testid='inspector-default'][data-pin-name='show']")
    level = inspector.locator("[data-testid='inspector-default'][data-pin-name='level']")
    show.check()
    notebook_page.wait_until(lambda: kernel_default(notebook_page, "show") == "True", 30, "show ticked in the kernel")
    first.scroll_into_view_if_needed()
    level.select_option(label="hard")
    notebook_page.wait_until(lambda: kernel_default(notebook_page, "level") == "'hard'", 30, "the choice in the kernel")
    first.scroll_into_view_if_needed()

    level.focus()
    notebook_page.page.keyboard.press("Control+z")
    expect(level).to_have_value("0", timeout=30_000)  # "easy", the first choice
    show.focus()
    notebook_page.page.keyboard.press("Control+z")
    expect(show).not_to_be_checked(timeout=30_000)
    notebook_page.page.keyboard.press("Control+Shift+z")
    expect(show).to_be_checked(timeout=30_000)
    assert kernel_default(notebook_page, "show") == "True"
    assert kernel_default(notebook_page, "level") == "'easy'"


@pytest.mark.parametrize("frontend", ["lab"])
def test_an_empty_board_says_how_to_add_a_node(notebook_page: NotebookPage) -> None:
    """A new board opened on a bare dotted canvas that said nothing about how to start."""
    _, second = open_both(notebook_page, "empty-board")
    second.scroll_into_view_if_needed()
    hint = second.get_by_test_id("empty-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("double-click")
    box = hint.bounding_box()
    assert box
    notebook_page.page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # on the hint itself
    search = second.get_by_test_id("palette-search")
    expect(search).to_be_focused()
    search.fill("simple event")
    expect(second.get_by_test_id("palette-list")).to_have_attribute("data-query", "simple event", timeout=30_000)
    search.press("Enter")
    expect(second.get_by_test_id("node")).to_have_count(1, timeout=30_000)
    expect(hint).to_be_hidden()
    second.get_by_test_id("toolbar-undo").click()
    expect(second.get_by_test_id("node")).to_have_count(0, timeout=30_000)
    expect(hint).to_be_visible()


@pytest.mark.parametrize("frontend", ["lab"])
def test_half_typed_number_is_refused_and_keeps_the_default(notebook_page: NotebookPage) -> None:
    """'1e' (or '1,5') in a number field reads as an empty field to the page: the Float default was silently set
    to None. Now the message says the text is not a number, and the board keeps its value."""
    first, _ = open_both(notebook_page, "half-number")
    lesson(first).get_by_test_id("node-header").click()
    ratio = first.locator("[data-testid='inspector-default'][data-pin-name='ratio']")
    ratio.click()
    notebook_page.page.keyboard.press("Control+a")
    notebook_page.page.keyboard.type("1e")
    ratio.press("Enter")
    message = first.get_by_test_id("editor-message")
    expect(message).to_have_attribute("data-kind", "error")
    expect(message).to_contain_text("ratio: not a number")
    assert kernel_default(notebook_page, "ratio") == "0.5"
    first.scroll_into_view_if_needed()
    ratio.fill("0.75")
    ratio.press("Enter")
    expect(message).to_be_hidden()
    notebook_page.wait_until(lambda: kernel_default(notebook_page, "ratio") == "0.75", 30, "the corrected ratio")


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_fraction_typed_for_a_whole_number_is_refused_by_the_engine(notebook_page: NotebookPage) -> None:
    """2.5 typed into an Integer field became 2 on the page (parseInt) and reached the board as 2, unsaid; now the
    engine gets 2.5, refuses it, and says why."""
    first, _ = open_both(notebook_page, "fraction-for-int")
    lesson(first).get_by_test_id("node-header").click()
    pupils = first.locator("[data-testid='inspector-default'][data-pin-name='pupils']")
    pupils.fill("2.5")
    pupils.press("Enter")
    message = first.get_by_test_id("editor-message")
    expect(message).to_contain_text("does not fit pin 'pupils'", timeout=30_000)
    assert kernel_default(notebook_page, "pupils") == "20"
    first.scroll_into_view_if_needed()
    expect(pupils).to_have_value("20")


@pytest.mark.parametrize("frontend", ["lab"])
def test_the_canvas_menu_starts_with_a_command(notebook_page: NotebookPage) -> None:
    """Right-click on the board's empty canvas opened a menu whose first line was an empty separator (the place of
    "Leave layer", shown only inside a layer)."""
    first, _ = open_both(notebook_page, "canvas-menu")
    first.get_by_test_id("editor-canvas").click(position={"x": 30, "y": 300}, button="right")
    menu = first.get_by_test_id("context-menu")
    expect(menu).to_be_visible()
    lines = menu.evaluate("(m) => [...m.children].map((c) => c.dataset.label || c.className)")
    assert lines[0] == "Add node here…", lines
    assert lines[-1] != "fl-menu-separator", lines
    assert "fl-menu-separator fl-menu-separator" not in " ".join(lines), lines


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_saved_board_looks_the_same_after_the_page_is_reloaded(notebook_page: NotebookPage) -> None:
    """Edit, run and save in the editor, reload the browser page: the same board, the run's statuses, nothing
    unsaved, and the kernel's board and the board file agree with what the page shows."""
    page = notebook_page.page
    with_path = SETUP.replace("BoardEditor(board, height='480px')",
                              "BoardEditor(board, height='480px', path='lesson.board.json')")
    notebook_page.open(notebook_page.server.write_notebook("reload.ipynb", [with_path]))
    notebook_page.run_all()
    editor = page.get_by_test_id("flowlike-editor")
    expect(editor.get_by_test_id("node")).to_have_count(2, timeout=30_000)
    editor.scroll_into_view_if_needed()
    lesson(editor).get_by_test_id("node-header").click()
    title = editor.locator("[data-testid='inspector-default'][data-pin-name='title']")
    title.fill("Decimals")
    title.press("Enter")
    shown_title = lesson(editor).locator("[data-testid='pin'][data-pin-name='title'] .fl-pin-default")
    expect(shown_title).to_have_text('"Decimals"', timeout=30_000)
    editor.get_by_test_id("toolbar-run").click()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)
    save = editor.get_by_test_id("toolbar-save")
    save.click()
    expect(save).to_have_attribute("data-unsaved", "false", timeout=30_000)
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    dirty = "() => window.jupyterapp.shell.currentWidget.context.model.dirty"
    notebook_page.wait_until(lambda: not page.evaluate(dirty), 30, "the notebook saved")

    page.reload()
    editor = page.get_by_test_id("flowlike-editor")
    expect(editor.get_by_test_id("node")).to_have_count(2, timeout=60_000)
    editor.scroll_into_view_if_needed()
    expect(shown_title).to_have_text('"Decimals"')
    expect(lesson(editor)).to_have_attribute("data-status", "succeeded")
    expect(editor.get_by_test_id("toolbar-save")).to_have_attribute("data-unsaved", "false")
    expect(editor.get_by_test_id("wire")).to_have_count(1)
    notebook_page.wait_until(lambda: page.evaluate("""() => {
        const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel;
        return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
    }"""), 60, "the kernel connected again")
    assert notebook_page.run_code(
        "from flowlike_core import Board as B; saved = B.load('lesson.board.json')\n"
        "print(board.nodes['lesson'].pin('title').default_value, saved.nodes['lesson'].pin('title').default_value,"
        " len(board.connections), len(saved.connections))") == "Decimals Decimals 1 1"


@pytest.mark.parametrize("frontend", ["lab"])
def test_the_inspector_says_a_numbers_range(notebook_page: NotebookPage) -> None:
    """Pupils takes 1 to 40, but its field said only 'Integer': a teacher learnt the range by typing 99."""
    first, _ = open_both(notebook_page, "range-label")
    lesson(first).get_by_test_id("node-header").click()
    name = "label.fl-default:has([data-testid='inspector-default'][data-pin-name='{}']) .fl-default-name"
    expect(first.locator(name.format("pupils"))).to_have_text("Pupils Integer, 1 to 40")
    expect(first.locator(name.format("ratio"))).to_have_text("Ratio Float")


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_number_beyond_its_pins_bounds_is_refused_in_the_page(notebook_page: NotebookPage) -> None:
    """99 typed for Pupils (1 to 40) was taken; the engine now refuses it, the page says why and shows 20 again."""
    first, _ = open_both(notebook_page, "beyond-bounds")
    lesson(first).get_by_test_id("node-header").click()
    pupils = first.locator("[data-testid='inspector-default'][data-pin-name='pupils']")
    pupils.fill("99")
    pupils.press("Enter")
    message = first.get_by_test_id("editor-message")
    expect(message).to_contain_text("pupils", timeout=30_000)
    expect(message).to_contain_text("40")
    expect(pupils).to_have_value("20")
    assert kernel_default(notebook_page, "pupils") == "20"
