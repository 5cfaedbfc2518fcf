"""Layers from the canvas: collapse, move the box, add and paste inside, dissolve; each one undo step."""

from __future__ import annotations

from flowlike_nb.widgets import BoardEditor

from .conftest import Recorder


def test_collapse_move_fill_and_dissolve_a_layer(editor: BoardEditor, frontend: Recorder) -> None:
    board = editor.board
    assert frontend("create_layer", name="Greeting", nodes=["start", "say"], x=10, y=20)["ok"]
    (layer,) = board.layers.values()
    assert (layer.name, layer.nodes, layer.coordinates) == ("Greeting", ["start", "say"], (10.0, 20.0, 0.0))
    patch = frontend.of_type("patch")[-1]
    assert patch["meta"]["layers"][layer.id]["nodes"] == ["start", "say"]
    assert {patch["nodes"][n]["layer"] for n in ("start", "say")} == {layer.id}

    assert frontend("move", layers={layer.id: [300, 40]}, nodes={"say": [500, 0]})["ok"]
    assert board.layers[layer.id].coordinates == (300.0, 40.0, 0.0) and board.nodes["say"].coordinates[0] == 500
    assert frontend("update_layer", layer_id=layer.id, name="Hello")["ok"]
    assert frontend("add_node", node_type="w_number", x=0, y=0, layer=layer.id)["ok"]
    added = next(n for n in board.nodes.values() if n.name == "w_number")
    assert added.layer == layer.id and board.layers[layer.id].nodes[-1] == added.id
    assert frontend("paste", nodes=[board.nodes["say"].model_dump(mode="json")], layer=None)["ok"]
    assert [n.layer for n in board.nodes.values() if n.name == "w_say"].count(None) == 1

    assert frontend("remove_layer", layer_id=layer.id)["ok"]
    assert not board.layers and all(n.layer is None for n in board.nodes.values())
    for _ in range(5):
        board.undo()
    assert board.layers[layer.id].name == "Greeting" and board.nodes["start"].layer == layer.id
    board.undo()
    assert not board.layers


def test_bad_layer_messages_say_why(editor: BoardEditor, frontend: Recorder) -> None:
    assert frontend("create_layer", nodes=[])["ok"] is False
    reply = frontend("create_layer", nodes=["nope"])
    assert reply["ok"] is False and "nope" in reply["reason"]
    reply = frontend("remove_layer", layer_id="gone")
    assert reply["ok"] is False and "no layer" in reply["reason"]


def test_a_layer_inside_a_layer_from_the_canvas_renamed_and_dissolved(editor: BoardEditor, frontend: Recorder) -> None:
    board = editor.board
    assert frontend("create_layer", name="Outer", nodes=["start", "say"])["ok"]
    (outer,) = board.layers.values()
    assert frontend("create_layer", name="Inner", nodes=["say"], parent_id=outer.id, x=5, y=6)["ok"]
    inner = next(layer for layer in board.layers.values() if layer.name == "Inner")
    assert (inner.parent_id, inner.nodes, board.layers[outer.id].nodes) == (outer.id, ["say"], ["start"])
    patch = frontend.of_type("patch")[-1]
    assert patch["meta"]["layers"][inner.id]["parent_id"] == outer.id and patch["nodes"]["say"]["layer"] == inner.id
    reply = frontend("create_layer", name="Wrong", nodes=["say"], parent_id=outer.id)
    assert reply["ok"] is False and "is in layer 'Inner', not in layer 'Outer'" in reply["reason"]

    assert frontend("create_layer", name="Around", layers=[inner.id], parent_id=outer.id)["ok"]
    around = next(layer for layer in board.layers.values() if layer.name == "Around")
    assert (around.parent_id, board.layers[inner.id].parent_id, around.nodes) == (outer.id, around.id, [])
    board.undo()
    assert board.layers[inner.id].parent_id == outer.id and around.id not in board.layers

    assert frontend("update_layer", layer_id=inner.id, name="Renamed")["ok"]
    assert board.layers[inner.id].name == "Renamed"
    reply = frontend("update_layer", layer_id=inner.id, name=" ")
    assert reply["ok"] is False and "needs a name" in reply["reason"]
    assert frontend("remove_layer", layer_id=outer.id)["ok"]
    assert board.layers[inner.id].parent_id is None and board.nodes["start"].layer is None
    board.undo()
    assert board.layers[inner.id].parent_id == outer.id and board.layers[outer.id].nodes == ["start"]
    board.undo()
    assert board.layers[inner.id].name == "Inner"
