"""Layers on the canvas: a selection collapsed into a layer shows as one box with its boundary pins; enter, leave;
layers inside layers, level by level; renamed in place; wires from and to a box's pins reach the pins inside."""

from __future__ import annotations

import json
import re

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import Locator, expect
from test_editor import NODES, drag, node_box, open_editor, pin

pytestmark = pytest.mark.browser

LAYERS = ("import json\nprint(json.dumps([{'name': layer.name, 'nodes': sorted(layer.nodes)} "
          "for layer in board.layers.values()]))")
NESTING = ("import json\nprint(json.dumps(sorted([layer.name, layer.parent_id and board.layers[layer.parent_id].name, "
           "sorted(layer.nodes)] for layer in board.layers.values())))")
INTO_VALUE = ("print([f'{w.from_node}.{board.nodes[w.from_node].pins[w.from_pin].name}' "
              "for w in board.wires_into('report', board.nodes['report'].pin('value').id)])")


def collapse(editor: Locator, ids: list[str]) -> None:
    """Select the nodes `ids` (click, then Shift+click) and collapse them from the context menu."""
    node_box(editor, ids[0]).get_by_test_id("node-title").click()
    for node_id in ids[1:]:
        node_box(editor, node_id).get_by_test_id("node-title").click(modifiers=["Shift"])
    node_box(editor, ids[-1]).get_by_test_id("node-title").click(button="right")
    editor.get_by_test_id("context-menu").locator("[data-label='Collapse into a layer']").click()


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_collapsed_layer_is_entered_and_left(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "layers")
    page = notebook_page.page
    menu = editor.get_by_test_id("context-menu")

    # Select double and report, collapse them from the context menu: one box, the wire from start reaches its edge.
    node_box(editor, "double").get_by_test_id("node-title").click()
    node_box(editor, "report").get_by_test_id("node-title").click(modifiers=["Shift"])
    node_box(editor, "report").get_by_test_id("node-title").click(button="right")
    menu.locator("[data-label='Collapse into a layer']").click()
    box = editor.get_by_test_id("layer")
    expect(box).to_have_count(1)
    expect(box.get_by_test_id("layer-title")).to_have_text("Layer 1")
    expect(editor.get_by_test_id("node")).to_have_count(NODES - 2)
    pins = box.get_by_test_id("layer-pin")
    expect(pins).to_have_count(1)
    expect(pins.first).to_have_attribute("data-direction", "in")
    expect(pins.first).to_have_attribute("data-inner-node", "double")
    expect(editor.locator("[data-testid='wire'][data-from-node='start']")).to_have_count(1)
    expect(editor.locator("[data-testid='wire'][data-to-node='report']")).to_have_count(0)  # inside the layer
    assert notebook_page.run_code(LAYERS) == '[{"name": "Layer 1", "nodes": ["double", "report"]}]'

    # Double-click enters: its nodes alone, the wire between them, a breadcrumb back.
    editor.scroll_into_view_if_needed()
    box.get_by_test_id("layer-header").dblclick()
    crumbs = editor.get_by_test_id("breadcrumb")
    expect(crumbs).to_be_visible()
    expect(crumbs.get_by_test_id("breadcrumb-layer")).to_have_text("Layer 1")
    expect(editor.get_by_test_id("node")).to_have_count(2)
    expect(node_box(editor, "start")).to_have_count(0)
    expect(editor.get_by_test_id("layer")).to_have_count(0)
    expect(editor.locator("[data-testid='wire'][data-to-node='report']")).to_have_count(1)
    expect(node_box(editor, "double")).to_be_in_viewport()

    # Escape leaves it.
    page.keyboard.press("Escape")
    expect(crumbs).to_be_hidden()
    expect(editor.get_by_test_id("layer")).to_have_count(1)
    expect(editor.get_by_test_id("node")).to_have_count(NODES - 2)

    # The context menu enters it too; the breadcrumb leads back.
    box.get_by_test_id("layer-header").click(button="right")
    menu.locator("[data-label='Enter layer']").click()
    expect(crumbs).to_be_visible()
    expect(editor).to_have_attribute("data-layer", notebook_page.run_code("print(next(iter(board.layers)))"))
    crumbs.get_by_test_id("breadcrumb-board").click()
    expect(crumbs).to_be_hidden()
    expect(node_box(editor, "start")).to_have_count(1)

    # Collapsing is one undo step (from the notebook too).
    notebook_page.run_code("board.undo()")
    expect(editor.get_by_test_id("layer")).to_have_count(0)
    expect(editor.get_by_test_id("node")).to_have_count(NODES)
    assert notebook_page.run_code(LAYERS) == "[]"


@pytest.mark.parametrize("frontend", ["lab"])
def test_layers_nest_level_by_level_and_are_renamed_and_dissolved(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "nested-layers")
    page = notebook_page.page
    menu = editor.get_by_test_id("context-menu")
    crumbs = editor.get_by_test_id("breadcrumb")
    boxes = editor.get_by_test_id("layer")

    # Collapse double and report, enter, collapse report again: a layer inside the layer.
    collapse(editor, ["double", "report"])
    expect(boxes).to_have_count(1)
    boxes.get_by_test_id("layer-header").dblclick()
    expect(editor.get_by_test_id("node")).to_have_count(2)
    collapse(editor, ["report"])
    expect(boxes).to_have_count(1)
    expect(boxes.get_by_test_id("layer-title")).to_have_text("Layer 2")
    expect(boxes.get_by_test_id("layer-count")).to_have_text("1 node")
    expect(editor.get_by_test_id("node")).to_have_count(1)
    expect(node_box(editor, "double")).to_have_count(1)
    expect(boxes.get_by_test_id("layer-pin")).to_have_count(1)
    expect(boxes.get_by_test_id("layer-pin")).to_have_attribute("data-inner-node", "report")
    expect(editor.locator("[data-testid='wire'][data-from-node='double'][data-to-node='report']")).to_have_count(1)
    editor.focus()
    page.keyboard.press("Delete")  # report, selected when collapsed, left the selection with the canvas
    assert notebook_page.run_code(NESTING) == '[["Layer 1", null, ["double"]], ["Layer 2", "Layer 1", ["report"]]]'
    outer_id = notebook_page.run_code("print(next(k for k, v in board.layers.items() if v.name == 'Layer 1'))")
    inner_id = notebook_page.run_code("print(next(k for k, v in board.layers.items() if v.name == 'Layer 2'))")

    # In and out level by level: the breadcrumb names each level and leads back to any; Escape goes one up.
    editor.scroll_into_view_if_needed()
    boxes.get_by_test_id("layer-header").dblclick()
    expect(editor).to_have_attribute("data-layer", inner_id)
    expect(crumbs.get_by_test_id("breadcrumb-layer")).to_have_text(["Layer 1", "Layer 2"])
    expect(editor.get_by_test_id("node")).to_have_count(1)
    expect(node_box(editor, "report")).to_have_count(1)
    expect(boxes).to_have_count(0)
    crumbs.get_by_test_id("breadcrumb-layer").first.click()
    expect(editor).to_have_attribute("data-layer", outer_id)
    expect(node_box(editor, "double")).to_have_count(1)
    boxes.get_by_test_id("layer-header").dblclick()
    expect(editor).to_have_attribute("data-layer", inner_id)
    page.keyboard.press("Escape")
    expect(editor).to_have_attribute("data-layer", outer_id)
    expect(crumbs.get_by_test_id("breadcrumb-layer")).to_have_text(["Layer 1"])
    page.keyboard.press("Escape")
    expect(editor).to_have_attribute("data-layer", "")
    expect(crumbs).to_be_hidden()
    expect(boxes).to_have_count(1)
    expect(boxes.get_by_test_id("layer-count")).to_have_text("2 nodes")
    expect(editor.get_by_test_id("node")).to_have_count(NODES - 2)

    # Rename: double-click the name, or the context menu; Escape keeps the old name; undo from a cell.
    boxes.get_by_test_id("layer-title").dblclick()
    editor.get_by_test_id("layer-rename").fill("Doubling")
    editor.get_by_test_id("layer-rename").press("Enter")
    expect(boxes.get_by_test_id("layer-title")).to_have_text("Doubling")
    boxes.get_by_test_id("layer-header").click(button="right")
    menu.locator("[data-label='Rename layer']").click()
    editor.get_by_test_id("layer-rename").fill("Twice")
    editor.get_by_test_id("layer-rename").press("Enter")
    expect(boxes.get_by_test_id("layer-title")).to_have_text("Twice")
    boxes.get_by_test_id("layer-title").dblclick()
    editor.get_by_test_id("layer-rename").fill("Not this")
    editor.get_by_test_id("layer-rename").press("Escape")
    expect(editor.get_by_test_id("layer-rename")).to_have_count(0)
    expect(boxes.get_by_test_id("layer-title")).to_have_text("Twice")
    assert notebook_page.run_code(f"print(board.layers['{outer_id}'].name)") == "Twice"
    notebook_page.run_code("board.undo()")
    expect(boxes.get_by_test_id("layer-title")).to_have_text("Doubling")

    # Dissolving the outer layer moves double and the inner layer up to the board; undo puts it back.
    editor.scroll_into_view_if_needed()
    boxes.get_by_test_id("layer-header").click(button="right")
    menu.locator("[data-label='Dissolve layer']").click()
    expect(boxes.get_by_test_id("layer-title")).to_have_text(["Layer 2"])
    expect(node_box(editor, "double")).to_have_count(1)
    expect(editor.get_by_test_id("node")).to_have_count(NODES - 1)
    assert notebook_page.run_code(NESTING) == '[["Layer 2", null, ["report"]]]'
    notebook_page.run_code("board.undo()")
    expect(boxes.get_by_test_id("layer-title")).to_have_text(["Doubling"])
    expect(editor.get_by_test_id("node")).to_have_count(NODES - 2)

    # A box and a node selected together collapse into a new layer that holds both.
    editor.scroll_into_view_if_needed()
    boxes.get_by_test_id("layer-count").click()
    expect(boxes).to_have_class(re.compile(r"\bfl-selected\b"))
    node_box(editor, "start").get_by_test_id("node-title").click(modifiers=["Shift"])
    node_box(editor, "start").get_by_test_id("node-title").click(button="right")
    menu.locator("[data-label='Collapse into a layer']").click()
    expect(boxes.get_by_test_id("layer-title")).to_have_text(["Layer 3"])
    expect(boxes.get_by_test_id("layer-count")).to_have_text("3 nodes")
    expect(editor.get_by_test_id("node")).to_have_count(NODES - 3)
    assert notebook_page.run_code(NESTING) == ('[["Doubling", "Layer 3", ["double"]], ["Layer 2", "Doubling", '
                                               '["report"]], ["Layer 3", null, ["start"]]]')


def test_wires_from_and_to_a_layer_box_reach_the_pins_inside(notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "layer-wires")
    page = notebook_page.page
    notebook_page.run_code("board.apply(commands.AddNode(bt_double.create(node_id='twice', coordinates=(300, 200, 0))))"
                           "\nboard.apply(commands.Connect('double', 'result', 'report', 'value'))")
    expect(node_box(editor, "twice")).to_have_count(1)
    editor.scroll_into_view_if_needed()
    collapse(editor, ["report"])
    box = editor.get_by_test_id("layer")
    value = box.locator("[data-testid='layer-pin'][data-pin-name='value']")
    expect(value).to_have_attribute("data-inner-node", "report")
    fit = re.compile(r"\bfl-fit\b")

    # Dragging from the box's pin lights what the engine accepts (an Integer output, not a String one).
    start, end = value.bounding_box(), pin(editor, "twice", "result", "out").bounding_box()
    assert start and end
    page.mouse.move(start["x"] + 6, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    expect(pin(editor, "twice", "result", "out")).to_have_class(fit)
    expect(pin(editor, "text", "result", "out")).not_to_have_class(fit)
    page.mouse.up()
    expect(editor.locator("[data-testid='wire'][data-from-node='twice'][data-to-node='report']")).to_have_count(1)
    assert notebook_page.run_code(INTO_VALUE) == "['twice.result']"

    # A String dropped on it is refused with the engine's reason; nothing changes.
    editor.scroll_into_view_if_needed()
    drag(page, value, pin(editor, "text", "result", "out"))
    expect(editor.get_by_test_id("editor-message")).to_have_attribute("data-kind", "refused")
    assert notebook_page.run_code(INTO_VALUE) == "['twice.result']"

    # From a node's pin onto the box's pin: the wire goes to the pin inside.
    editor.scroll_into_view_if_needed()
    drag(page, pin(editor, "double", "result", "out"), value)
    expect(editor.locator("[data-testid='wire'][data-from-node='twice'][data-to-node='report']")).to_have_count(0)
    assert notebook_page.run_code(INTO_VALUE) == "['double.result']"
    notebook_page.run_code("board.undo()")
    expect(editor.locator("[data-testid='wire'][data-from-node='twice'][data-to-node='report']")).to_have_count(1)

    # Dropped on bare canvas: the search popup offers what fits the pin inside, and the new node is wired to it.
    editor.scroll_into_view_if_needed()
    canvas, start = editor.get_by_test_id("editor-canvas").bounding_box(), value.bounding_box()
    assert canvas and start
    x, y = canvas["x"] + canvas["width"] * 0.4, canvas["y"] + canvas["height"] * 0.9
    assert page.evaluate("([x, y]) => !document.elementFromPoint(x, y).closest('[data-node-id], [data-layer-id]')",
                         [x, y]), "the drop point must be bare canvas"
    page.mouse.move(start["x"] + 6, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(x, y, steps=12)
    page.mouse.up()
    palette = editor.get_by_test_id("palette")
    expect(palette.get_by_test_id("palette-filter")).to_contain_text("Report.value [Integer]")
    palette.get_by_test_id("palette-search").fill("browser test")
    expect(palette.get_by_test_id("palette-entry")).to_have_count(2, timeout=30_000)
    palette.locator("[data-testid='palette-entry'][data-node-type='bt_double']").click()
    fresh = editor.locator("[data-testid='wire'][data-to-node='report']:not([data-from-node='double'])"
                           ":not([data-from-node='twice'])")
    expect(fresh).to_have_count(1)
    added = fresh.get_attribute("data-from-node")
    assert notebook_page.run_code(INTO_VALUE) == f"['{added}.result']"
    assert notebook_page.run_code(f"print(board.nodes['{added}'].name, board.nodes['{added}'].layer)") == \
        "bt_double None"


SHAPE = ("import json\nprint(json.dumps(sorted([layer.name, sorted(board.nodes[n].name for n in "
         "board.layer_contents(layer.id))] for layer in board.layers.values())))")
BOX_AND_START = ("import json\nlayer = next(iter(board.layers.values()))\n"
                 "print(json.dumps([layer.coordinates[0], board.nodes['start'].coordinates[0]]))")


@pytest.mark.parametrize("frontend", ["lab"])
def test_layer_boxes_are_laid_out_deleted_copied_and_duplicated_with_what_they_hold(
        notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "layer-edits")
    page = notebook_page.page
    boxes = editor.get_by_test_id("layer")
    collapse(editor, ["double", "report"])
    expect(boxes).to_have_count(1)
    notebook_page.run_code("layer = next(iter(board.layers))\n"
                           "board.apply(commands.UpdateLayer(layer, coordinates=(-700, 400, 0)))")
    expect(boxes).to_have_attribute("style", re.compile(r"translate\(-700px, 400px\)"))

    # L lays out the level shown: the box ranks after start, whose wire it takes; one undo step.
    editor.get_by_test_id("editor-canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("l")
    notebook_page.wait_until(lambda: json.loads(notebook_page.run_code(BOX_AND_START))[0] != -700, 60, "the layout")
    box_x, start_x = json.loads(notebook_page.run_code(BOX_AND_START))
    assert box_x >= start_x + 200, (box_x, start_x)
    notebook_page.run_code("board.undo()")
    assert json.loads(notebook_page.run_code(BOX_AND_START))[0] == -700

    # Delete takes the box with its nodes; undo brings them back.
    editor.scroll_into_view_if_needed()
    editor.get_by_test_id("toolbar-fit").click()
    boxes.get_by_test_id("layer-count").click()
    page.keyboard.press("Delete")
    expect(boxes).to_have_count(0)
    assert notebook_page.run_code("print(sorted(board.nodes), len(board.layers))") == "['start', 'text'] 0"
    notebook_page.run_code("board.undo()")
    expect(boxes).to_have_count(1)
    assert notebook_page.run_code(SHAPE) == '[["Layer 1", ["bt_double", "bt_report"]]]'

    # Copy and paste: a second box around copies of its nodes (and the wire between them), selected.
    editor.scroll_into_view_if_needed()
    boxes.get_by_test_id("layer-count").click()
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(boxes).to_have_count(2)
    expect(boxes.nth(1)).to_have_class(re.compile(r"\bfl-selected\b"))
    expect(boxes.nth(0)).not_to_have_class(re.compile(r"\bfl-selected\b"))
    assert notebook_page.run_code(SHAPE) == ('[["Layer 1", ["bt_double", "bt_report"]], '
                                             '["Layer 1", ["bt_double", "bt_report"]]]')
    assert notebook_page.run_code("print(len(board.nodes), len(board.connections))") == "6 3"
    expect(editor.get_by_test_id("node")).to_have_count(2)  # the copies are inside the new box

    # Duplicate from the box's context menu; undo takes back one paste at a time.
    boxes.nth(1).get_by_test_id("layer-header").click(button="right")
    editor.get_by_test_id("context-menu").locator("[data-label='Duplicate']").click()
    expect(boxes).to_have_count(3)
    assert notebook_page.run_code("print(len(board.nodes), len(board.layers))") == "8 3"
    notebook_page.run_code("board.undo()\nboard.undo()")
    expect(boxes).to_have_count(1)
    assert notebook_page.run_code("print(len(board.nodes), len(board.layers))") == "4 1"


@pytest.mark.parametrize("frontend", ["lab"])
def test_inside_a_layer_wires_that_leave_it_end_at_stubs_named_after_the_node_outside(
        notebook_page: NotebookPage) -> None:
    editor = open_editor(notebook_page, "layer-stubs")
    notebook_page.run_code("board.apply(commands.AddNode(bt_double.create(node_id='twice', coordinates=(620, 200, 0))))"
                           "\nboard.apply(commands.Connect('double', 'result', 'twice', 'x'))")
    expect(node_box(editor, "twice")).to_have_count(1)
    editor.scroll_into_view_if_needed()
    collapse(editor, ["double", "report"])
    stubs = editor.get_by_test_id("boundary-stub")
    expect(stubs).to_have_count(0)  # on the board nothing is outside

    # The box's pins are named as the pins inside (their node beside them), inputs left beside outputs right.
    box = editor.get_by_test_id("layer")
    into, out = box.locator("[data-testid='layer-pin'][data-direction='in']"), \
        box.locator("[data-testid='layer-pin'][data-direction='out']")
    expect(out.get_by_test_id("layer-pin-label")).to_have_text("Result")
    expect(out.get_by_test_id("layer-pin-node")).to_have_text("Bt Double")
    expect(into.get_by_test_id("layer-pin-label")).to_have_text("")  # an exec pin, unnamed as on a node
    expect(into.get_by_test_id("layer-pin-node")).to_have_text("Bt Double")
    assert out.get_attribute("title") == "Bt Double.Result: Integer"
    assert into.evaluate("(e) => e.style.top") == out.evaluate("(e) => e.style.top") == "28px"
    assert box.evaluate("(e) => e.style.height") == "56px"  # header, one row of pins, footer

    editor.get_by_test_id("layer").get_by_test_id("layer-header").dblclick()
    expect(editor.get_by_test_id("node")).to_have_count(2)
    expect(stubs).to_have_count(2)
    incoming = editor.locator("[data-testid='boundary-stub'][data-direction='in']")
    outgoing = editor.locator("[data-testid='boundary-stub'][data-direction='out']")
    expect(incoming).to_have_attribute("data-outer-node", "start")
    expect(incoming.get_by_test_id("stub-label")).to_contain_text("Start")
    expect(outgoing).to_have_attribute("data-outer-node", "twice")
    expect(outgoing.get_by_test_id("stub-label")).to_have_text("Bt Double.X")
    assert "outside this layer" in (outgoing.get_attribute("title") or "")
    # The wires are drawn: from the stub into double, from double's result out to the stub.
    expect(editor.locator("[data-testid='wire'][data-from-node='start'][data-to-node='double']")).to_have_count(1)
    expect(editor.locator("[data-testid='wire'][data-from-node='double'][data-to-node='twice']")).to_have_count(1)
    stub_box, node = incoming.bounding_box(), node_box(editor, "double").bounding_box()
    assert stub_box and node and stub_box["x"] + stub_box["width"] < node["x"], "incoming stubs sit left of the nodes"
    stub_box = outgoing.bounding_box()
    assert stub_box and stub_box["x"] > node["x"] + node["width"], "outgoing stubs sit right of the nodes"

    # A wire made in a cell that leaves the layer gets its stub at once; clicking a stub goes to the node outside.
    notebook_page.run_code("board.apply(commands.Connect('double', 'result', 'report', 'value'))\n"
                           "board.apply(commands.Connect('twice', 'exec_out', 'report', 'exec_in'))")
    expect(stubs).to_have_count(3)
    editor.locator("[data-testid='boundary-stub'][data-outer-node='twice'][data-direction='in']").click()
    expect(editor).to_have_attribute("data-layer", "")
    expect(node_box(editor, "twice")).to_have_class(re.compile(r"\bfl-selected\b"))
    expect(stubs).to_have_count(0)
