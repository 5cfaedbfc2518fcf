"""Format String in the editor, in a real browser: typing a template in the inspector gives the node a pin per
placeholder (as Flow-Like's does); the new pin takes a wire and the run fills it."""

from __future__ import annotations

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import Locator, expect

pytestmark = pytest.mark.browser

SETUP = '''
from flowlike_core import Board, commands, default_registry
from flowlike_nb.widgets import BoardEditor

catalog = default_registry()
board = Board(name="greeting")
for node_id, key, at, defaults in [
        ("start", "events_simple", (20, 40), {}), ("say", "log_info", (620, 40), {}),
        ("fmt", "string_format", (300, 200), {"format_string": "Hi {name}", "name": "Ada"}),
        ("count", "int_add", (20, 300), {"integer1": 2, "integer2": 1})]:
    board.apply(commands.AddNode(catalog.get(key).create(node_id=node_id, coordinates=(*at, 0), **defaults)))
board.apply(commands.Connect("start", "exec_out", "say", "exec_in"))
board.apply(commands.Connect("fmt", "formatted_string", "say", "message"))
editor = BoardEditor(board, height="560px")
editor
'''


def pin(editor: Locator, node_id: str, name: str) -> Locator:
    return editor.locator(f"[data-testid='node'][data-node-id='{node_id}'] "
                          f"[data-testid='pin'][data-pin-name='{name}'][data-direction='in']")


@pytest.mark.parametrize("frontend", ["lab"])
def test_a_template_typed_in_the_inspector_gives_its_placeholders_pins(notebook_page: NotebookPage) -> None:
    editor = notebook_page.open_editor("keyed-pins", [SETUP], 4)
    expect(pin(editor, "fmt", "name")).to_have_count(1)
    expect(pin(editor, "fmt", "count")).to_have_count(0)
    editor.locator("[data-testid='node'][data-node-id='fmt']").get_by_test_id("node-title").click()
    template = editor.locator("[data-testid='inspector-default'][data-pin-name='format_string']")
    template.fill("Hi {name}, {count} new")
    template.press("Enter")
    expect(pin(editor, "fmt", "count")).to_have_count(1, timeout=30_000)
    assert notebook_page.run_code("board.apply(commands.Connect('count', 'sum', 'fmt', 'count'))\n"
                                  "print(board.run().logs()[0].message)") == "Hi Ada, 3 new"
