"""Layers as commands: collapsing nodes into a layer (inside a layer too), dissolving it, renaming and moving its
box, all undoable."""

from __future__ import annotations

import json

import pytest

from flowlike_core import Board, Layer, commands
from flowlike_core.errors import BoardError, BoardFileError


@pytest.fixture
def chain(build):
    """start -> a -> b -> rec, with a's value into b's."""
    start, a, b, rec = build.add("t_start"), build.add("t_add_one"), build.add("t_add_one"), build.add("t_record")
    build.chain(start, a, b, rec)
    build.wire(a, "value", b, "value")
    return build.board, start, a, b, rec


def test_collapsing_nodes_makes_a_layer_with_boundary_pins_and_undo_takes_it_back(chain) -> None:
    board, start, a, b, rec = chain
    before = board.to_dict()
    layer = board.apply(commands.CreateLayer(Layer(name="middle", nodes=[a.id, b.id], coordinates=(10, 20, 0))))
    assert board.layers[layer.id].nodes == [a.id, b.id]
    assert board.nodes[a.id].layer == board.nodes[b.id].layer == layer.id
    assert board.nodes[start.id].layer is None
    assert sorted((n.id, p.name) for n, p in board.layer_pins(layer.id)) == sorted([(a.id, "exec_in"),
                                                                                   (b.id, "exec_out")])
    assert Board.from_json(board.to_json()).layers[layer.id].nodes == [a.id, b.id]
    board.undo()
    assert board.to_dict() == before
    board.redo()
    assert board.nodes[a.id].layer == layer.id


def test_dissolving_a_layer_keeps_its_nodes_and_is_undone(chain) -> None:
    board, _start, a, b, _rec = chain
    layer = board.apply(commands.CreateLayer(Layer(name="middle", nodes=[a.id, b.id])))
    board.apply(commands.RemoveLayer(layer.id))
    assert not board.layers and board.nodes[a.id].layer is None and a.id in board.nodes
    board.undo()
    assert board.layers[layer.id].nodes == [a.id, b.id] and board.nodes[b.id].layer == layer.id


def test_renaming_and_moving_the_box_and_nodes_coming_and_going(chain) -> None:
    board, _start, a, b, _rec = chain
    layer = board.apply(commands.CreateLayer(Layer(name="middle", nodes=[a.id])))
    board.apply(commands.UpdateLayer(layer.id, name="step one", coordinates=(300, 40)))
    assert board.layers[layer.id].name == "step one" and board.layers[layer.id].coordinates == (300.0, 40.0, 0.0)
    inside = board.apply(commands.AddNode(b.model_copy(update={"id": "added", "layer": layer.id})))
    assert board.layers[layer.id].nodes == [a.id, inside.id]
    board.apply(commands.RemoveNode(a.id))
    assert board.layers[layer.id].nodes == [inside.id]
    board.undo()
    board.undo()
    assert board.layers[layer.id].nodes == [a.id]
    board.undo()
    assert board.layers[layer.id].name == "middle"


def test_bad_layer_commands_say_what_is_wrong(chain) -> None:
    board, start, a, _b, _rec = chain
    with pytest.raises(BoardError, match="at least one node"):
        board.apply(commands.CreateLayer(Layer(name="empty")))
    board.apply(commands.CreateLayer(Layer(name="first", nodes=[a.id])))
    with pytest.raises(BoardError, match="is in layer 'first', not in the board's top level"):
        board.apply(commands.CreateLayer(Layer(name="second", nodes=[start.id, a.id])))
    assert board.nodes[start.id].layer is None, "a refused command changes nothing"
    with pytest.raises(BoardError, match="no layer"):
        board.apply(commands.RemoveLayer("nope"))
    with pytest.raises(BoardError, match="no layer 'nope'"):
        board.apply(commands.AddNode(start.model_copy(update={"id": "x", "layer": "nope"})))
    with pytest.raises(BoardError, match="no layer 'nope' to put"):
        board.apply(commands.CreateLayer(Layer(name="lost", nodes=[start.id], parent_id="nope")))
    with pytest.raises(BoardError, match="needs a name"):
        board.apply(commands.UpdateLayer(next(iter(board.layers)), name="  "))


@pytest.fixture
def nested(chain):
    """a and b collapsed into `outer`, then b alone into `inner` inside it."""
    board, start, a, b, rec = chain
    outer = board.apply(commands.CreateLayer(Layer(name="outer", nodes=[a.id, b.id])))
    inner = board.apply(commands.CreateLayer(Layer(name="inner", nodes=[b.id], parent_id=outer.id)))
    return board, start, a, b, rec, outer, inner


def test_a_layer_inside_a_layer_takes_its_nodes_from_it_and_undo_gives_them_back(nested) -> None:
    board, start, a, b, rec, outer, inner = nested
    assert board.layers[outer.id].nodes == [a.id] and board.layers[inner.id].nodes == [b.id]
    assert (board.layers[inner.id].parent_id, board.nodes[b.id].layer) == (outer.id, inner.id)
    assert [layer.name for layer in board.layer_path(inner.id)] == ["outer", "inner"]
    assert board.layers_in(None) == [board.layers[outer.id]] and board.layers_in(outer.id) == [board.layers[inner.id]]
    assert board.layer_contents(outer.id) == {a.id, b.id} and board.layer_contents(inner.id) == {b.id}
    # The outer box's pins are those of the nodes in it at any depth; the inner one's also the wires from a.
    assert sorted((n.id, p.name) for n, p in board.layer_pins(outer.id)) == sorted([(a.id, "exec_in"),
                                                                                   (b.id, "exec_out")])
    assert sorted((n.id, p.name) for n, p in board.layer_pins(inner.id)) == sorted([
        (b.id, "exec_in"), (b.id, "value"), (b.id, "exec_out")])
    again = Board.from_json(board.to_json())
    assert again.layers[inner.id].parent_id == outer.id and again == board
    board.undo()
    assert inner.id not in board.layers and board.layers[outer.id].nodes == [a.id, b.id]
    assert board.nodes[b.id].layer == outer.id
    board.redo()
    assert board.layers[outer.id].nodes == [a.id] and board.nodes[b.id].layer == inner.id


def test_collapsing_nodes_of_another_level_is_refused(nested) -> None:
    board, start, a, b, _rec, outer, inner = nested
    with pytest.raises(BoardError, match="is in the board's top level, not in layer 'outer'"):
        board.apply(commands.CreateLayer(Layer(name="x", nodes=[start.id], parent_id=outer.id)))
    with pytest.raises(BoardError, match="is in layer 'inner', not in layer 'outer'"):
        board.apply(commands.CreateLayer(Layer(name="x", nodes=[a.id, b.id], parent_id=outer.id)))
    assert board.nodes[a.id].layer == outer.id, "a refused command changes nothing"


def test_dissolving_moves_nodes_and_inner_layers_one_level_up(nested) -> None:
    board, _start, a, b, _rec, outer, inner = nested
    deeper = board.apply(commands.CreateLayer(Layer(name="deeper", nodes=[b.id], parent_id=inner.id)))
    before = board.to_dict()
    board.apply(commands.RemoveLayer(inner.id))
    assert board.layers[deeper.id].parent_id == outer.id and board.nodes[b.id].layer == deeper.id
    assert board.layers[outer.id].nodes == [a.id]
    board.apply(commands.RemoveLayer(outer.id))
    assert board.layers[deeper.id].parent_id is None and board.nodes[a.id].layer is None
    board.apply(commands.RemoveLayer(deeper.id))
    assert not board.layers and all(node.layer is None for node in board.nodes.values())
    for _ in range(3):
        board.undo()
    assert board.to_dict() == before
    board.redo()
    board.redo()
    assert board.layers[deeper.id].parent_id is None and board.nodes[a.id].layer is None


def test_renaming_a_nested_layer_is_one_undo_step(nested) -> None:
    board, *_, inner = nested
    board.apply(commands.UpdateLayer(inner.id, name="  renamed "))
    assert board.layers[inner.id].name == "renamed" and board.layers[inner.id].parent_id is not None
    board.undo()
    assert board.layers[inner.id].name == "inner"


def test_a_board_file_whose_layers_do_not_nest_is_refused_with_the_layer_named(nested) -> None:
    board, *_, outer, inner = nested
    data = board.to_dict()
    data["layers"][outer.id]["parent_id"] = inner.id
    with pytest.raises(BoardFileError, match="layer 'outer' .* sits inside itself"):
        Board.from_dict(data)
    data["layers"][outer.id]["parent_id"] = "gone"
    with pytest.raises(BoardFileError, match="sits in layer 'gone', which the board does not have"):
        Board.from_json(json.dumps(data))


def test_a_file_listing_a_nested_layer_among_its_parents_nodes_reads_as_its_parent(nested) -> None:
    """Boards written before layers had `parent_id` (the Flow-Like import listed nested layers as members)."""
    board, _start, a, _b, _rec, outer, inner = nested
    data = board.to_dict()
    del data["layers"][inner.id]["parent_id"]
    data["layers"][outer.id]["nodes"] = [inner.id, a.id]
    assert Board.from_dict(data) == board


def test_a_node_added_to_a_layer_that_already_lists_it_is_listed_once(chain) -> None:
    """A board written as code declares its layers with their nodes, then adds the nodes."""
    board, _start, a, _b, _rec = chain
    layer = board.apply(commands.CreateLayer(Layer(name="declared", nodes=[a.id])))
    board.apply(commands.RemoveNode(a.id))
    board.layers[layer.id] = board.layers[layer.id].model_copy(update={"nodes": ["later", "x"]})
    board.apply(commands.AddNode(a.model_copy(update={"id": "later", "layer": layer.id})))
    assert board.layers[layer.id].nodes == ["later", "x"]


def test_layers_of_one_level_collapse_into_a_new_layer_with_their_contents(nested) -> None:
    board, start, a, b, rec, outer, inner = nested
    before = board.to_dict()
    group = board.apply(commands.CreateLayer(Layer(name="group", nodes=[start.id]), inner=[outer.id]))
    assert (board.layers[outer.id].parent_id, board.layers[group.id].nodes) == (group.id, [start.id])
    assert [layer.name for layer in board.layer_path(inner.id)] == ["group", "outer", "inner"]
    assert board.layer_contents(group.id) == {start.id, a.id, b.id}
    assert [(n.id, p.name) for n, p in board.layer_pins(group.id)] == [(b.id, "exec_out")]
    board.undo()
    assert board.to_dict() == before
    only_layers = board.apply(commands.CreateLayer(Layer(name="wrapper"), inner=[outer.id]))
    assert board.layers[outer.id].parent_id == only_layers.id and not board.layers[only_layers.id].nodes
    with pytest.raises(BoardError, match="layer 'inner' is in layer 'outer', not in the board's top level"):
        board.apply(commands.CreateLayer(Layer(name="x", nodes=[rec.id]), inner=[inner.id]))
    with pytest.raises(BoardError, match="no layer 'gone' to put in 'x'"):
        board.apply(commands.CreateLayer(Layer(name="x", nodes=[rec.id]), inner=["gone"]))
    assert board.nodes[rec.id].layer is None, "a refused command changes nothing"
