"""`a.inputs.x >> b.inputs.y` (two inputs) is refused in the order written, saying both are inputs: the refusal named
the pins the other way round (`b.y -> a.x: wires go from an output pin to an input pin`)."""

from __future__ import annotations

import pytest

import flowlike_nb as fnb
from flowlike_core.errors import ConnectionRefused


def test_two_inputs_or_two_outputs_are_refused_as_written() -> None:
    board = fnb.Board("trial6 same side")
    say, upper = board.add("log_info", "say"), board.add("string_to_upper", "up")
    start = board.add("events_simple", "start")
    both_inputs = (r"^cannot wire 'say' \(\w+\)\.message to 'up' \(\w+\)\.string: both are inputs; a wire goes from "
                   r"an output \(node\.outputs\.NAME\) to an input \(node\.inputs\.NAME\)$")
    with pytest.raises(ConnectionRefused, match=both_inputs):
        say.inputs.message >> upper.inputs.string
    both_outputs = r"^cannot wire 'up' \(\w+\)\.uppercase_string to 'start' \(\w+\)\.exec_out: both are outputs; "
    with pytest.raises(ConnectionRefused, match=both_outputs):
        upper.outputs.uppercase_string >> start.outputs.exec_out
    say.inputs.message >> upper.outputs.uppercase_string  # an input and an output: either order draws the wire
    assert [p.node.friendly_name for p in say.inputs.message.wires] == ["up"]
