"""`node.inputs.message = 5` sets the input's value, as `node.inputs.message.value = 5` does: it was silently kept on
the Pins object, the board unchanged, and a typo (`node.inputs.mesage = 5`) went unnoticed too."""

from __future__ import annotations

import pytest

import flowlike_nb as fnb
from flowlike_core.errors import BoardError, UnknownPinError


def test_assigning_an_input_sets_its_value_and_a_typo_is_refused() -> None:
    board = fnb.Board("trial6 assign")
    start, say = board.add("events_simple", "start"), board.add("log_info", "say")
    upper = board.add("string_to_upper", "up")
    start.outputs.exec_out >> say.inputs.exec_in
    say.inputs.message = "hello"
    assert say.inputs.message.value == "hello"
    assert board.run().log_table()["message"].tolist() == ["hello"]
    with pytest.raises(UnknownPinError, match=r"has no input 'mesage' \(inputs: exec_in, message, toast\)"):
        say.inputs.mesage = "typo"
    with pytest.raises(BoardError, match=r"an output's value comes from runs; set an input"):
        upper.outputs.uppercase_string = "X"
    with pytest.raises(BoardError, match=r"to wire a pin, write up.outputs.uppercase_string >> say.inputs.message"):
        say.inputs.message = upper.outputs.uppercase_string
    assert say.inputs.message.wires == []
