"""The editor asks the engine's wiring rules (never its own copy): what fits a pin, and refusals in shown names."""

from __future__ import annotations

from flowlike_core import commands
from flowlike_nb.widgets import BoardEditor

from .conftest import Number, Numbers, Recorder


def test_fitting_types_come_from_the_engine_best_fit_first(editor: BoardEditor, frontend: Recorder) -> None:
    reply = frontend("fitting_types", node_id="say", pin_id="times")  # an Integer input
    assert reply["ok"], reply
    fits = reply["fits"]
    assert fits["w_number"] == 2  # its Integer output: the same type
    assert "w_numbers" not in fits  # an Array of Integer does not fit a single Integer
    assert "w_start" not in fits  # only an exec output
    exec_fits = frontend("fitting_types", node_id="say", pin_id="exec_in")["fits"]
    assert set(exec_fits) >= {"w_start", "w_say", "w_steps"} and "w_number" not in exec_fits


def test_pin_fits_lights_only_pins_the_engine_accepts(editor: BoardEditor, frontend: Recorder) -> None:
    editor.board.apply(commands.AddNode(Number.create(node_id="n1", coordinates=(0, 200, 0))))
    editor.board.apply(commands.AddNode(Numbers.create(node_id="many", coordinates=(0, 300, 0))))
    reply = frontend("pin_fits", node_id="n1", pin_id="result")
    assert reply["ok"], reply
    say = editor.board.nodes["say"]
    assert reply["fits"] == {"say": [say.pin("times").id]}  # not "message" (String), not its own input


def test_refusals_name_nodes_and_pins_as_the_canvas_shows_them(editor: BoardEditor, frontend: Recorder) -> None:
    editor.board.apply(commands.AddNode(Number.create(node_id="n1", coordinates=(0, 200, 0))))
    reply = frontend("connect", from_node="n1", from_pin="result", to_node="say", to_pin="message")
    assert reply["kind"] == "refused"
    assert reply["reason"] == ("cannot connect Number.Result [Integer] -> Say.Message [String]: "
                               "data types differ (Integer vs String)")
    assert "(n1)" not in reply["reason"] and "(say)" not in reply["reason"]


def test_laying_out_a_board_being_opened_is_not_an_undo_step() -> None:
    from flowlike_core import Board
    from flowlike_nb.widgets.layout import place_unrecorded

    board = Board(name="piled")
    for i in range(3):
        board.apply(commands.AddNode(Number.create(node_id=f"n{i}")))
    board.apply(commands.UpdateNode("n0", comment="last edit"))
    place_unrecorded(board)
    placed = {n: board.nodes[n].coordinates for n in board.nodes}
    assert len(set(placed.values())) == 3
    board.undo()  # the comment, not the layout
    assert not board.nodes["n0"].comment and {n: board.nodes[n].coordinates for n in board.nodes} == placed
    board.undo()
    assert set(board.nodes) == {"n0", "n1"} and board.nodes["n1"].coordinates == placed["n1"]
