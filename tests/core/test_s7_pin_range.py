"""A pin's range holds for numbers typed in: an edit beyond it is refused naming the range, and a board file holding
one gets a warning from validate (its node decides what to do with it)."""

from __future__ import annotations

import pytest

from flowlike_core import Board, BoardError, NodeType, Registry, commands, data_in, exec_in, validate_board
from flowlike_core.board import PinOptions
from flowlike_core.types import DataType


class Repeat(NodeType):
    name = "s7_repeat"
    pins = (exec_in(), data_in("times", DataType.INTEGER, default=1, options=PinOptions(range=(0, 10))),
            data_in("share", DataType.FLOAT, default=0.5, options=PinOptions(range=(0, 1))))

    def run(self, ctx, *, times: int, share: float) -> None:
        pass


def board() -> tuple[Board, Registry]:
    reg = Registry()
    reg.register(Repeat, pack="s7")
    b = Board(name="ranges")
    b.apply(commands.AddNode(Repeat.create(node_id="r")))
    return b, reg


@pytest.mark.parametrize(("pin", "value", "said"), [("times", 11, "0 to 10"), ("share", -0.5, "0 to 1")])
def test_a_number_beyond_its_pins_range_is_refused_naming_it(pin: str, value: float, said: str) -> None:
    b, _ = board()
    with pytest.raises(BoardError, match=f"outside the range of pin '{pin}'.*: {said}$"):
        b.apply(commands.UpdateNode("r", defaults={pin: value}))
    assert b.nodes["r"].pin(pin).default_value != value and not b.history.done[1:]


def test_the_ends_of_the_range_are_in_it() -> None:
    b, _ = board()
    b.apply(commands.UpdateNode("r", defaults={"times": 10, "share": 0.0}))
    assert b.nodes["r"].pin("times").default_value == 10


def test_a_file_holding_a_number_beyond_the_range_gets_a_warning() -> None:
    b, reg = board()
    b.nodes["r"].pin("times").default_value = 99  # as a board file may hold it
    (problem,) = [p for p in validate_board(b, reg) if p.code == "default-out-of-range"]
    assert problem.severity == "warning" and "99" in problem.message and "0 to 10" in problem.message


def test_an_edit_that_changes_nothing_is_no_undo_step() -> None:
    b, _ = board()
    steps, revision = len(b.history.done), b.revision
    b.apply(commands.UpdateNode("r", defaults={"times": 1}))  # its default already
    assert (len(b.history.done), b.revision) == (steps, revision)
