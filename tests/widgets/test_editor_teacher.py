"""What a teacher types into the editor's pin fields is checked by the engine (the front end re-implements no rule)."""

from __future__ import annotations

from flowlike_core import Board


def test_a_number_outside_its_pins_range_is_refused_with_the_range(frontend, board: Board) -> None:
    reply = frontend("update_node", node_id="say", defaults={"times": 99})
    assert not reply["ok"]
    assert "range" in reply["reason"] and "10" in reply["reason"], reply["reason"]
    assert board.nodes["say"].pin("times").default_value == 1


def test_a_number_inside_its_pins_range_is_taken(frontend, board: Board) -> None:
    assert frontend("update_node", node_id="say", defaults={"times": 10})["ok"]
    assert board.nodes["say"].pin("times").default_value == 10


def test_dragging_a_wire_that_is_there_again_is_no_edit(frontend, board: Board) -> None:
    """A wire dragged again between the same two pins changed nothing, yet took an undo step: the next Ctrl+Z
    seemed to do nothing."""
    revision, steps = board.revision, len(board.history.done)
    assert frontend("connect", from_node="start", from_pin="exec_out", to_node="say", to_pin="exec_in")["ok"]
    assert len(board.connections) == 1
    assert (board.revision, len(board.history.done)) == (revision, steps)


def test_clearing_a_nodes_name_gives_it_its_types_name_again(frontend, board: Board) -> None:
    """A name cleared in the inspector was kept as "", and the canvas then titled the node with its type's key
    (w_say); a cleared name means no name of one's own: the node reads as a fresh node of its type does."""
    assert frontend("update_node", node_id="say", friendly_name="Greet the class")["ok"]
    assert frontend("update_node", node_id="say", friendly_name="")["ok"]
    assert board.nodes["say"].friendly_name == "Say"
    board.undo()
    assert board.nodes["say"].friendly_name == "Greet the class"
    assert frontend("update_node", node_id="say", friendly_name="   ")["ok"]
    assert board.nodes["say"].friendly_name == "Say"
