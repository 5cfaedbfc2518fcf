"""Layers as commands: collapsing nodes into a layer, dissolving it, moving its box, all undoable."""

from __future__ import annotations

import pytest

from flowlike_core import Board, Layer, commands
from flowlike_core.errors import BoardError


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
    with pytest.raises(BoardError, match="already in layer 'first'"):
        board.apply(commands.CreateLayer(Layer(name="second", nodes=[start.id, a.id])))
    assert board.nodes[start.id].layer is None, "a refused command changes nothing"
    with pytest.raises(BoardError, match="no layer"):
        board.apply(commands.RemoveLayer("nope"))
    with pytest.raises(BoardError, match="no layer 'nope'"):
        board.apply(commands.AddNode(start.model_copy(update={"id": "x", "layer": "nope"})))
