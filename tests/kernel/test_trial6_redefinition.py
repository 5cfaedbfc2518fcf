"""Redefining an `@fnb.node` so that some of its wires no longer fit says which wires it dropped and why, on which
board: the wire vanished silently and the next run failed with `required, but with neither a wire nor a value`."""

from __future__ import annotations

import warnings

import pytest

import flowlike_nb as fnb


def test_redefinition_names_the_wires_it_drops() -> None:
    @fnb.node(name="trial6_half")
    def half(value: float, note: float = 0.0) -> float:
        return value / 2

    @fnb.node(name="trial6_number")
    def number() -> float:
        return 3.0

    board = fnb.Board("trial6 redefined")
    source, target = board.add("trial6_number", "source"), board.add("trial6_half", "halve")
    say = board.add("log_info", "say")
    source.outputs.result >> target.inputs.value
    source.outputs.result >> target.inputs.note
    target.outputs.result >> say.inputs.message

    with pytest.warns(UserWarning) as caught:
        @fnb.node(name="trial6_half")
        def half(value: int) -> float:  # noqa: F811: value is an Integer now, note is gone
            return value / 2

    message = str(caught[0].message)
    assert message.startswith("redefining 'trial6_half' dropped 2 wires of board 'trial6 redefined':"), message
    assert "source.result -> halve.value (data types differ (Float vs Integer))" in message, message
    assert "source.result -> halve.note (halve has no input 'note' now)" in message, message
    assert [w.node.friendly_name for w in target.outputs.result.wires] == ["say"]

    with warnings.catch_warnings():
        warnings.simplefilter("error")

        @fnb.node(name="trial6_half")
        def half(value: int) -> float:  # noqa: F811: the same again: nothing dropped, nothing said
            return value / 3


def test_a_rerun_add_of_another_type_names_the_wires_it_drops() -> None:
    board = fnb.Board("trial6 retyped")
    start, say = board.add("events_simple", "start"), board.add("log_info", "say")
    text = board.add("string_to_upper", "upper", string="hi")
    start.outputs.exec_out >> say.inputs.exec_in
    text.outputs.uppercase_string >> say.inputs.message
    with pytest.warns(UserWarning, match=r"replacing 'say' \(\w+\) \(log_info\) by a 'delay' node dropped 1 wire of "
                                         r"board 'trial6 retyped': upper.uppercase_string -> say.message \(say has no "
                                         r"input 'message' now\)"):
        board.add("delay", "say")
    assert [w.node.friendly_name for w in board.nodes.say.inputs.exec_in.wires] == ["start"]
