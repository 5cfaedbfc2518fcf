"""Re-running the cell that builds a board writes the same board file: each run made new random ids for the board,
its nodes (and so their pins), variables and comments, so a saved board or notebook changed in every line of a git
diff though nothing had. Ids a cell does not give come from the board's name and what it adds, in order; they stay
unique within the board."""

from __future__ import annotations

from pathlib import Path

import flowlike_nb as fnb
from flowlike_core import Board


def build(name: str = "hello") -> fnb.Board:
    """What a cell does: a new board, nodes named and not, a wire, a variable, two comments."""
    board = fnb.Board(name)
    start = board.add("events_simple", "start")
    say = board.add("log_info", "say", message="hi")
    board.add("log_info", message="first without a name")
    board.add("log_info", message="second without a name")
    start.outputs.exec_out >> say.inputs.exec_in
    board.variable("n", int, 3, exposed=True)
    board.comment("what this does")
    board.comment("and why")
    return board


def test_a_rerun_cell_saves_the_same_file(tmp_path: Path) -> None:
    first = build().save(tmp_path / "first.board.json").read_text()
    again = build().save(tmp_path / "again.board.json").read_text()
    assert first == again
    assert Board.load(tmp_path / "again.board.json") == Board.load(tmp_path / "first.board.json")


def test_ids_stay_unique_within_a_board() -> None:
    board = build()
    core = board.core
    assert len(core.nodes) == 4 and len(core.comments) == 2
    assert len({pin for node in core.nodes.values() for pin in node.pins}) == sum(
        len(node.pins) for node in core.nodes.values())
    predicted = fnb.Board("taken").add("log_info").id  # the id an unnamed log_info gets first on such a board
    taken = fnb.Board("taken")
    taken.add_raw(build().core.nodes[next(iter(core.nodes))].model_copy(update={"id": predicted, "pins": {}}))
    added = taken.add("log_info")
    assert added.id != predicted and set(taken.core.nodes) == {predicted, added.id}


def test_boards_of_other_names_get_other_ids_and_given_ids_are_kept() -> None:
    hello, other = build(), build("other")
    assert hello.core.id != other.core.id
    assert not set(hello.core.nodes) & set(other.core.nodes)
    given = fnb.Board("hello", id="c879ef20170b")
    assert given.core.id == "c879ef20170b"
    assert given.add("log_info", node_id="mine").id == "mine"
