"""Flow-Like in the editor: placeholder nodes drawn as `missing: KEY (pack)`, Flow-Like clipboard JSON pasted
with Ctrl+V (the kernel converts it), and the editor's own copy and paste still working beside it."""

from __future__ import annotations

import json

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import expect
from test_editor import NODES, SETUP, SHOW, node_box

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("frontend", ["lab"])]

PLACEHOLDER = '''
from flowlike_core import DataType
from flowlike_core.board import Node, Pin, PinDirection
board.apply(commands.AddNode(Node(id="sticker", name="copilot_abort", friendly_name="Sticker",
    coordinates=(620, 330, 0), pins={"si": Pin(id="si", name="exec_in", direction=PinDirection.INPUT,
                                               data_type=DataType.EXECUTION)})))
'''


def clipboard_text() -> str:
    pin = {"id": "fl-in", "name": "exec_in", "friendly_name": "", "description": "", "pin_type": "Input",
           "data_type": "Execution", "schema": None, "value_type": "Normal", "depends_on": [], "connected_to": [],
           "default_value": None, "index": 0, "options": None}
    node = {"id": "fl-node", "name": "copilot_client_stop", "friendly_name": "Tell Discord", "description": "",
            "coordinates": [40, 600, 0], "category": "", "pins": {"fl-in": pin}}
    return json.dumps({"nodes": [node], "comments": []})


def test_placeholders_show_as_missing_and_flowlike_clipboard_pastes(notebook_page: NotebookPage) -> None:
    name = notebook_page.server.write_notebook("flowlike-paste.ipynb", [SETUP + PLACEHOLDER, SHOW])
    notebook_page.open(name)
    notebook_page.run_all()
    editor = notebook_page.page.get_by_test_id("flowlike-editor")
    expect(editor.get_by_test_id("node")).to_have_count(NODES + 1, timeout=30_000)
    editor.scroll_into_view_if_needed()
    sticker = node_box(editor, "sticker")
    expect(sticker).to_contain_class("fl-missing")
    expect(sticker.get_by_test_id("node-title")).to_have_text(
        "missing: copilot_abort (Flow-Like pack 'llm')")

    node_box(editor, "double").get_by_test_id("node-title").click()  # focus the canvas, select one node
    notebook_page.page.keyboard.press("Control+c")
    notebook_page.page.keyboard.press("Control+v")  # the editor's own copy: one more bt_double
    expect(editor.locator("[data-node-type='bt_double']")).to_have_count(2, timeout=30_000)

    editor.evaluate("""(root, text) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        root.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", clipboard_text())
    pasted = editor.locator("[data-node-type='copilot_client_stop']")
    expect(pasted).to_have_count(1, timeout=30_000)
    expect(pasted.get_by_test_id("node-title")).to_have_text("missing: copilot_client_stop (Flow-Like pack 'llm')")
    expect(editor.get_by_test_id("editor-message")).to_contain_text("pasted 1 Flow-Like node; ")
    assert notebook_page.run_code(
        "print(sorted(n.name for n in board.nodes.values() if n.name.startswith(('copilot_client', 'bt_double'))))"
    ) == "['bt_double', 'bt_double', 'copilot_client_stop']"
