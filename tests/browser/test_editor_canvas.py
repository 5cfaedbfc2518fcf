"""The editor as a place to work: the search popup, the side panel, size, full size and the first view."""

from __future__ import annotations

import json
import re

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import Locator, expect
from test_editor import NODES, SETUP, node_box

pytestmark = pytest.mark.browser

EXTRA = '''
@node(category="Browser test")
def bt_shout(words: str = "hi") -> str:
    "Says the text louder."
    return words.upper()

chain = Board(name="chain-11")
chain.apply(commands.Batch([commands.AddNode(bt_double.create(node_id=f"c{i}", coordinates=(i * 300, 40, 0)))
                            for i in range(11)]))
chain.apply(commands.Batch([commands.Connect(f"c{i}", "exec_out", f"c{i + 1}", "exec_in") for i in range(10)]))
'''
SHOW = "editor = BoardEditor(board, height='560px')\neditor"


def open_editor(notebook: NotebookPage, test_name: str, show: str = SHOW, nodes: int | None = NODES) -> Locator:
    """Run SETUP, EXTRA and `show`; waits for `nodes` node boxes (None: for the canvas to draw the nodes in view)."""
    name = notebook.server.write_notebook(f"{test_name}-{notebook.frontend}.ipynb", [SETUP + EXTRA, show])
    notebook.open(name)
    notebook.run_all()
    editor = notebook.page.get_by_test_id("flowlike-editor")
    if nodes is None:
        expect(editor.get_by_test_id("editor-canvas")).to_have_attribute("data-drawn", re.compile(r"[1-9]"),
                                                                         timeout=30_000)
    else:
        expect(editor.get_by_test_id("node")).to_have_count(nodes, timeout=30_000)
    editor.scroll_into_view_if_needed()
    return editor


def bare_point(notebook: NotebookPage, editor: Locator, fx: float, fy: float) -> tuple[float, float]:
    box = editor.get_by_test_id("editor-canvas").bounding_box()
    assert box
    x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
    assert notebook.page.evaluate("([x, y]) => !document.elementFromPoint(x, y).closest('[data-node-id]')", [x, y])
    return x, y


SEARCHED = 30_000
"""ms to wait for the kernel's first answer to a search: it indexes every pack's node types once (seconds)."""


def answered(palette: Locator, query: str) -> None:
    """Wait until the search popup shows the kernel's answer to `query`."""
    listing = palette.get_by_test_id("palette-list")
    expect(listing).to_have_attribute("data-query", query, timeout=SEARCHED)
    expect(listing).to_have_attribute("data-pending", "false", timeout=SEARCHED)


def node_types(entries: Locator) -> list[str]:
    return entries.evaluate_all("(es) => es.map((e) => e.dataset.nodeType)")


@pytest.mark.parametrize("frontend", ["lab"])
def test_palette_pops_up_where_the_user_is_ranked_by_relevance(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "popup")
    palette = editor.get_by_test_id("palette")
    expect(palette).to_be_hidden()

    x, y = bare_point(notebook_page, editor, 0.6, 0.75)
    notebook_page.page.mouse.dblclick(x, y)
    expect(palette).to_be_visible()
    box = palette.bounding_box()
    assert box and abs(box["x"] - x) < 340 and abs(box["y"] - y) < 340, "the popup opens next to the pointer"
    search = palette.get_by_test_id("palette-search")
    expect(search).to_be_focused()
    search.fill("text")
    entries = palette.get_by_test_id("palette-entry")
    answered(palette, "text")  # the kernel ranks the catalog
    found = node_types(entries)
    # "Make Text" matches by name, bt_shout only by its description: name first.
    assert found.index("bt_text") < found.index("bt_shout"), found
    search.fill("make text")
    expect(entries.first).to_have_attribute("data-node-type", "bt_text", timeout=SEARCHED)
    search.press("Escape")
    expect(palette).to_be_hidden()

    # Tab on the canvas opens it at the pointer; Enter adds the first entry there.
    x, y = bare_point(notebook_page, editor, 0.3, 0.8)
    notebook_page.page.mouse.move(x, y)
    notebook_page.page.keyboard.press("Tab")
    expect(palette).to_be_visible()
    search.fill("shout")
    expect(entries.first).to_have_attribute("data-node-type", "bt_shout", timeout=SEARCHED)
    search.press("Enter")
    expect(palette).to_be_hidden()
    shout = editor.locator("[data-testid='node'][data-node-type='bt_shout']")
    expect(shout).to_have_count(1)
    placed = shout.bounding_box()
    assert placed and abs(placed["x"] - x) < 30 and abs(placed["y"] - y) < 30, (placed, x, y)
    assert notebook_page.run_code("print(sum(n.name == 'bt_shout' for n in board.nodes.values()))") == "1"


@pytest.mark.parametrize("frontend", ["lab"])
def test_side_panel_folds_and_the_editor_resizes_and_goes_full_size(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "sizes")
    page = notebook_page.page
    canvas = editor.get_by_test_id("editor-canvas")
    side = editor.get_by_test_id("side-panel")
    expect(side).to_be_visible()
    narrow = canvas.bounding_box()["width"]
    editor.get_by_test_id("toolbar-side").click()
    expect(side).to_be_hidden()
    page.wait_for_function("(w) => document.querySelector('[data-testid=editor-canvas]').clientWidth > w + 200",
                           arg=narrow)
    editor.get_by_test_id("toolbar-side").click()
    expect(side).to_be_visible()

    # Drag the grip 150 px down: taller, and the kernel's `height` (so every view of it) follows.
    before = editor.bounding_box()["height"]
    grip = editor.get_by_test_id("editor-resize").bounding_box()
    page.mouse.move(grip["x"] + 50, grip["y"] + 3)
    page.mouse.down()
    page.mouse.move(grip["x"] + 50, grip["y"] + 153, steps=8)
    page.mouse.up()
    taller = editor.bounding_box()["height"]
    assert abs(taller - before - 150) < 8, (before, taller)
    height = notebook_page.run_code("print(editor.height)")
    assert height.endswith("px") and abs(float(height[:-2]) - (560 + 150)) < 8, height
    notebook_page.run_code("editor")
    views = page.get_by_test_id("flowlike-editor")
    expect(views).to_have_count(2)
    assert abs(views.nth(1).bounding_box()["height"] - taller) < 2

    editor = views.first
    editor.scroll_into_view_if_needed()
    editor.get_by_test_id("toolbar-fullsize").click()
    full = page.locator("[data-testid='flowlike-editor'][data-fullsize='true']")
    expect(full).to_have_count(1)
    box, window = full.bounding_box(), page.viewport_size
    assert box and abs(box["width"] - window["width"]) < 2 and abs(box["height"] - window["height"]) < 2
    page.keyboard.press("Escape")
    expect(full).to_have_count(0)
    expect(page.locator("[data-testid='flowlike-editor'][data-fullsize='false']")).to_have_count(1)


@pytest.mark.parametrize("frontend", ["lab", "notebook7"])
def test_first_view_is_readable(notebook_page: NotebookPage) -> None:
    """A small board opens whole at zoom 0.75 or more; an 11-node chain too wide for that opens on its start."""
    editor = open_editor(notebook_page, "first-view")
    assert float(editor.get_by_test_id("editor-canvas").get_attribute("data-scale")) >= 0.75
    notebook_page.run_code("BoardEditor(chain, height='560px')")
    chained = notebook_page.page.get_by_test_id("flowlike-editor").nth(1)
    expect(node_box(chained, "c0")).to_have_count(1, timeout=30_000)
    chained.scroll_into_view_if_needed()
    canvas = chained.get_by_test_id("editor-canvas")
    expect(canvas).to_have_attribute("data-scale", "1.000")
    start, area = node_box(chained, "c0").bounding_box(), canvas.bounding_box()
    assert start and area and area["x"] <= start["x"] < area["x"] + 100, (start, area)
    assert area["y"] <= start["y"] and start["y"] + start["height"] <= area["y"] + area["height"]


@pytest.mark.parametrize("frontend", ["lab"])
def test_error_pins_show_when_selected_or_wired(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "error-pins")
    double = node_box(editor, "double")
    on_error = double.locator("[data-testid='pin'][data-pin-name='auto_handle_error']")
    expect(on_error).to_have_count(0)
    expect(double.get_by_test_id("error-marker")).to_have_count(1)
    folded = double.bounding_box()["height"]

    double.get_by_test_id("node-title").click()
    expect(on_error).to_have_count(1)
    expect(double.get_by_test_id("error-marker")).to_have_count(0)
    assert double.bounding_box()["height"] > folded

    # Wired from a cell, the pin stays drawn once the node is no longer selected.
    notebook_page.run_code("board.apply(commands.Connect('double', 'auto_handle_error', 'report', 'exec_in'))")
    expect(editor.locator("[data-testid='wire'][data-from-node='double'][data-to-node='report']")).to_have_count(2)
    editor.scroll_into_view_if_needed()
    node_box(editor, "start").get_by_test_id("node-title").click()
    expect(double).not_to_contain_class("fl-selected")
    expect(on_error).to_have_count(1)


@pytest.mark.parametrize("frontend", ["lab"])
def test_dragged_wire_lights_pins_the_kernel_accepts(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "light")
    page = notebook_page.page
    result = node_box(editor, "double").locator("[data-testid='pin'][data-pin-name='result']")
    box = result.bounding_box()
    page.mouse.move(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + 150, steps=6)
    canvas = editor.get_by_test_id("editor-canvas")
    expect(canvas).to_contain_class("fl-wiring")
    value = node_box(editor, "report").locator("[data-testid='pin'][data-pin-name='value']")
    expect(value).to_contain_class("fl-fit")  # Integer -> Integer
    exec_in = node_box(editor, "report").locator("[data-testid='pin'][data-pin-name='exec_in']")
    expect(exec_in).not_to_contain_class("fl-fit")
    assert float(exec_in.evaluate("(e) => getComputedStyle(e).opacity")) < 0.5
    assert float(value.evaluate("(e) => getComputedStyle(e).opacity")) == 1
    own = node_box(editor, "double").locator("[data-testid='pin'][data-pin-name='x']")
    expect(own).not_to_contain_class("fl-fit")  # not the node itself
    page.mouse.up()
    expect(canvas).not_to_contain_class("fl-wiring")


@pytest.mark.parametrize("frontend", ["lab"])
def test_refusal_fades_and_dark_theme_colours_the_message_bar(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "dark")
    page = notebook_page.page
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    notebook_page.run_code("editor.send({'type': 'reply', 'request': None, 'action': 'connect', 'ok': False, "
                           "'kind': 'refused', 'reason': 'cannot connect A.x -> B.y: a test'})")
    message = editor.get_by_test_id("editor-message")
    expect(message).to_be_visible()
    background = message.evaluate("(e) => getComputedStyle(e).backgroundColor")
    red, green, blue = (int(v) for v in background[background.index("(") + 1:].rstrip(")").split(",")[:3])
    assert (red + green + blue) / 3 < 110, f"a dark message bar, not {background}"
    editor_bg = editor.evaluate("(e) => getComputedStyle(e).backgroundColor")
    assert editor_bg != "rgb(255, 255, 255)"
    expect(message).to_be_hidden(timeout=20_000)  # it fades by itself
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'", timeout=30_000)


@pytest.mark.parametrize("frontend", ["lab"])
def test_the_layout_of_a_board_being_opened_is_not_undone(notebook_page: NotebookPage) -> None:
    show = ("import flowlike_nb as fnb\n"
            "piled = fnb.Board('piled')\n"
            "first, second, third = (piled.add('bt_double', f'step {i}') for i in range(3))\n"
            "first.outputs.exec_out >> second.inputs.exec_in\n"
            "second.outputs.exec_out >> third.inputs.exec_in\n"
            "piled.editor(height='500px')")
    editor = open_editor(notebook_page, "layout-undo", show=show, nodes=3)
    places = "(es) => es.map((e) => e.style.transform)"
    before = editor.get_by_test_id("node").evaluate_all(places)
    assert len(set(before)) == 3, before
    revision = editor.get_attribute("data-revision")
    editor.get_by_test_id("toolbar-undo").click()  # undoes the last wire made in the cell
    expect(editor).not_to_have_attribute("data-revision", revision)
    expect(editor.get_by_test_id("wire")).to_have_count(1)
    assert editor.get_by_test_id("node").evaluate_all(places) == before


@pytest.mark.parametrize("frontend", ["lab"])
def test_context_menu_find_and_shortcut_sheet(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "menu")
    page = notebook_page.page
    menu = editor.get_by_test_id("context-menu")

    # Right-click on a node: our menu (not the notebook's); Duplicate copies it with its pins.
    node_box(editor, "text").get_by_test_id("node-title").click(button="right")
    expect(menu).to_be_visible()
    expect(page.locator(".lm-Menu")).to_have_count(0)
    menu.locator("[data-label='Duplicate']").click()
    expect(menu).to_be_hidden()
    expect(editor.locator("[data-testid='node'][data-node-type='bt_text']")).to_have_count(2)
    assert notebook_page.run_code("print(sum(n.name == 'bt_text' for n in board.nodes.values()))") == "2"

    # On a node with wires: Disconnect all.
    editor.scroll_into_view_if_needed()
    node_box(editor, "double").get_by_test_id("node-title").click(button="right")
    menu.locator("[data-label='Disconnect all']").click()
    expect(editor.get_by_test_id("wire")).to_have_count(0)

    # On bare canvas: Add node here opens the search popup there.
    x, y = bare_point(notebook_page, editor, 0.5, 0.85)
    page.mouse.click(x, y, button="right")
    menu.locator("[data-label='Add node here…']").click()
    expect(editor.get_by_test_id("palette")).to_be_visible()
    page.keyboard.press("Escape")

    # Ctrl+F finds by comment, jumps there and highlights it.
    notebook_page.run_code("board.apply(commands.UpdateNode('report', comment='the end of the line'))")
    editor.scroll_into_view_if_needed()
    editor.get_by_test_id("editor-canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+f")
    find = editor.get_by_test_id("find-input")
    expect(find).to_be_focused()
    find.fill("end of the line")
    expect(editor.get_by_test_id("find-count")).to_have_text("1 of 1")
    expect(node_box(editor, "report")).to_contain_class("fl-found")
    expect(node_box(editor, "report")).to_contain_class("fl-selected")
    expect(node_box(editor, "start")).not_to_contain_class("fl-found")
    find.press("Escape")
    expect(node_box(editor, "report")).not_to_contain_class("fl-found")

    page.keyboard.press("?")
    expect(editor.get_by_test_id("shortcut-sheet")).to_be_visible()
    expect(editor.get_by_test_id("shortcut-sheet")).to_contain_text("Ctrl+F")
    page.keyboard.press("?")
    expect(editor.get_by_test_id("shortcut-sheet")).to_be_hidden()


@pytest.mark.parametrize("frontend", ["lab"])
def test_layout_and_align_are_one_undo_step_each(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "elk")
    page = notebook_page.page
    positions = ("import json\nprint(json.dumps({n: board.nodes[n].coordinates[:2] "
                 "for n in ('start', 'double', 'report', 'text')}))")
    first = notebook_page.run_code(positions)
    editor.scroll_into_view_if_needed()
    editor.get_by_test_id("toolbar-layout").click()  # ELK: start before double before report, one move
    notebook_page.wait_until(lambda: notebook_page.run_code(positions) != first, 60, "the layout")
    places = json.loads(notebook_page.run_code(positions))
    assert places["start"][0] < places["double"][0] < places["report"][0]
    editor.scroll_into_view_if_needed()

    # Select double and text, align their tops from the context menu.
    node_box(editor, "double").get_by_test_id("node-title").click()
    node_box(editor, "text").get_by_test_id("node-title").click(modifiers=["Shift"])
    node_box(editor, "text").get_by_test_id("node-title").click(button="right")
    editor.get_by_test_id("context-menu").locator("[data-label='Align top']").click()
    notebook_page.wait_until(
        lambda: len({round(json.loads(notebook_page.run_code(positions))[n][1]) for n in ("double", "text")}) == 1,
        60, "aligned tops")
    aligned = json.loads(notebook_page.run_code(positions))
    assert aligned["double"][1] == aligned["text"][1] == min(places["double"][1], places["text"][1])
    notebook_page.run_code("board.undo()")
    assert json.loads(notebook_page.run_code(positions)) == places
    assert page.get_by_test_id("flowlike-editor").count() == 1


@pytest.mark.parametrize("frontend", ["lab"])
def test_pin_values_after_a_run_show_and_go_to_the_notebook(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "values")
    editor.get_by_test_id("toolbar-run").click()
    expect(editor.get_by_test_id("run-status")).to_have_attribute("data-status", "Success", timeout=30_000)

    node_box(editor, "double").locator("[data-testid='pin'][data-pin-name='result'] .fl-pin-label").hover()
    tooltip = editor.get_by_test_id("pin-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip.get_by_test_id("value-text")).to_have_text("42")
    node_box(editor, "double").locator("[data-testid='pin'][data-pin-name='x'] .fl-pin-label").hover()
    expect(tooltip.get_by_test_id("value-text")).to_have_text("21")  # the input's value (its default)

    node_box(editor, "double").get_by_test_id("node-title").click()
    value = editor.locator("[data-testid='inspector-value'][data-pin-name='result']")
    expect(value.get_by_test_id("value-text")).to_have_text("42")
    name = value.get_by_test_id("value-bind-name")
    name.fill("answer")
    value.get_by_test_id("value-bind").click()
    expect(editor.get_by_test_id("editor-message")).to_contain_text("answer = Bt Double.result (int)")
    assert notebook_page.run_code("print(answer * 2)") == "84"


@pytest.mark.parametrize("frontend", ["lab"])
def test_minimap_click_and_drag_move_the_view(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "minimap", show="BoardEditor(chain, height='560px')", nodes=None)
    canvas = editor.get_by_test_id("editor-canvas")
    minimap = editor.get_by_test_id("minimap")
    expect(minimap).to_be_visible()
    expect(node_box(editor, "c0")).to_be_in_viewport()
    box = minimap.bounding_box()
    page = notebook_page.page
    # Click near the right end of the chain: its last nodes come into view, its first leave.
    page.mouse.click(box["x"] + box["width"] - 12, box["y"] + box["height"] / 2)
    expect(node_box(editor, "c10")).to_have_count(1)
    c10, area = node_box(editor, "c10").bounding_box(), canvas.bounding_box()
    assert area["x"] <= c10["x"] and c10["x"] + c10["width"] <= area["x"] + area["width"] + 1, (c10, area)
    # Dragging in it pans along.
    before = canvas.evaluate("(e) => e.querySelector('[data-testid=editor-viewport]').style.transform")
    page.mouse.move(box["x"] + box["width"] - 12, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    after = canvas.evaluate("(e) => e.querySelector('[data-testid=editor-viewport]').style.transform")
    assert after != before
    expect(node_box(editor, "c0")).to_be_in_viewport()
