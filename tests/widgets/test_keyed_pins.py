"""Format String in the editor: typing a template gives the node a pin per placeholder (as Flow-Like's does), and
one undo takes template and pins back."""

from __future__ import annotations

from flowlike_core import Board, commands, default_registry
from flowlike_nb.widgets import BoardEditor

from .conftest import Recorder


def inputs(board: Board, node_id: str) -> list[str]:
    return [pin.name for pin in board.nodes[node_id].ordered_pins("Input")]


def test_a_typed_template_gives_its_placeholders_pins_and_one_undo_takes_them_back() -> None:
    registry = default_registry()
    board = Board(name="prompt")
    board.apply(commands.AddNode(registry.get("string_format").create(node_id="fmt", format_string="Hi {name}")))
    board.apply(commands.AddNode(registry.get("string_to_upper").create(node_id="up", string="ada")))
    board.apply(commands.Connect("up", "uppercase_string", "fmt", "name"))
    frontend = Recorder(BoardEditor(board, registry=registry))
    assert inputs(board, "fmt") == ["format_string", "values", "name"]
    assert frontend("update_node", node_id="fmt", defaults={"format_string": "{name} has {count} {{literal}}"})["ok"]
    assert inputs(board, "fmt") == ["format_string", "values", "name", "count"]
    assert board.wires_into("fmt", board.nodes["fmt"].pin("name").id), "a kept placeholder keeps its wire"
    assert frontend("update_node", node_id="fmt", defaults={"format_string": "just {count}"})["ok"]
    assert inputs(board, "fmt") == ["format_string", "values", "count"]
    assert [c for c in board.connections if c.to_node == "fmt"] == [], "a gone placeholder's wire goes with it"
    assert frontend("undo")["ok"]
    assert inputs(board, "fmt") == ["format_string", "values", "name", "count"]
    assert board.nodes["fmt"].pin("format_string").default_value == "{name} has {count} {{literal}}"
    patch = frontend.of_type("patch")[-1]
    assert [p["name"] for p in patch["nodes"]["fmt"]["pins"].values()][-2:] == ["name", "count"]
