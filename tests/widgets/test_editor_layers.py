"""Layers from the canvas: collapse, move the box, add and paste inside, dissolve; each one undo step."""

from __future__ import annotations

from flowlike_core import Board, commands
from flowlike_nb.widgets import BoardEditor

from .conftest import Number, Recorder


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


def nested_greeting(editor: BoardEditor, frontend: Recorder) -> tuple[str, str]:
    """start -> say(number.result as times); Outer holds say and Inner, Inner holds number. Returns their ids."""
    board = editor.board
    board.apply(commands.AddNode(Number.create(node_id="number", coordinates=(0, 200, 0))))
    board.apply(commands.Connect("number", "result", "say", "times"))
    assert frontend("create_layer", name="Outer", nodes=["say", "number"], x=300, y=0)["ok"]
    outer = next(iter(board.layers))
    assert frontend("create_layer", name="Inner", nodes=["number"], parent_id=outer, x=5, y=6)["ok"]
    inner = next(layer.id for layer in board.layers.values() if layer.name == "Inner")
    return outer, inner


def shape(board: Board) -> list[tuple[str, str | None, list[str]]]:
    """Each layer: its name, its parent's name, the node types directly in it."""
    name = {layer.id: layer.name for layer in board.layers.values()}
    return sorted((layer.name, name.get(layer.parent_id), sorted(board.nodes[n].name for n in layer.nodes))
                  for layer in board.layers.values())


def test_a_copied_layer_box_brings_what_it_holds_and_pastes_nested_as_it_was(
        editor: BoardEditor, frontend: Recorder) -> None:
    board = editor.board
    outer, inner = nested_greeting(editor, frontend)
    reply = frontend("copy", layers=[outer])
    copied = reply["clipboard"]
    assert sorted(n["id"] for n in copied["nodes"]) == ["number", "say"]  # start is outside the box
    assert [(w["from_node"], w["to_node"]) for w in copied["wires"]] == [("number", "say")]
    assert sorted(layer["name"] for layer in copied["layers"]) == ["Inner", "Outer"]

    revision = board.revision
    assert frontend("paste", **copied, dx=40, dy=40)["ok"]
    assert board.revision == revision + 1  # one undo step
    assert shape(board) == [("Inner", "Outer", ["w_number"])] * 2 + [("Outer", None, ["w_say"])] * 2
    new_outer = next(layer for layer in board.layers.values() if layer.name == "Outer" and layer.id != outer)
    assert new_outer.coordinates == (340.0, 40.0, 0.0)
    copies = board.layer_contents(new_outer.id)
    assert len(copies) == 2 and not copies & {"say", "number"}
    assert [(board.nodes[w.from_node].name, board.nodes[w.to_node].name) for w in board.connections
            if w.to_node in copies] == [("w_number", "w_say")]
    board.undo()
    assert shape(board) == [("Inner", "Outer", ["w_number"]), ("Outer", None, ["w_say"])]
    assert set(board.nodes) == {"start", "say", "number"}

    # Pasted inside a layer: the copies nest under the layer the canvas shows.
    assert frontend("paste", **frontend("copy", layers=[inner])["clipboard"], layer=outer)["ok"]
    assert shape(board) == [("Inner", "Outer", ["w_number"])] * 2 + [("Outer", None, ["w_say"])]


def test_deleting_a_layer_box_deletes_what_it_holds_in_one_undo_step(editor: BoardEditor, frontend: Recorder) -> None:
    board = editor.board
    outer, _ = nested_greeting(editor, frontend)
    before = board.model_dump(mode="json")
    assert frontend("remove", layers=[outer])["ok"]
    assert not board.layers and set(board.nodes) == {"start"} and not board.connections
    patch = frontend.of_type("patch")[-1]
    assert sorted(patch["removed_nodes"]) == ["number", "say"] and patch["meta"]["layers"] == {}
    board.undo()
    assert board.model_dump(mode="json") == before


def test_a_flowlike_clipboard_with_layers_pastes_them_around_their_nodes(editor: BoardEditor,
                                                                         frontend: Recorder) -> None:
    import json

    from flowlike_core.interop.mapping import board_to_flowlike

    board = editor.board
    outer, _ = nested_greeting(editor, frontend)
    flowlike = board_to_flowlike(board, editor.registry)
    inside = board.layer_contents(outer)
    clip = {"nodes": [n for n in flowlike["nodes"].values() if n["id"] in inside],
            "layers": list(flowlike["layers"].values()), "comments": []}
    reply = frontend("paste_flowlike", text=json.dumps(clip), dx=0, dy=300)
    assert reply["ok"] and reply["reason"].startswith("pasted 2 Flow-Like nodes;"), reply
    assert shape(board) == [("Inner", "Outer", ["w_number"])] * 2 + [("Outer", None, ["w_say"])] * 2
    board.undo()
    assert shape(board) == [("Inner", "Outer", ["w_number"]), ("Outer", None, ["w_say"])]
