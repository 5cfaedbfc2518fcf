"""Layers on the canvas: a selection collapsed into a layer shows as one box with its boundary pins; enter, leave."""

from __future__ import annotations

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import expect
from test_editor import NODES, node_box, open_editor

pytestmark = pytest.mark.browser

LAYERS = ("import json\nprint(json.dumps([{'name': layer.name, 'nodes': sorted(layer.nodes)} "
          "for layer in board.layers.values()]))")


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
