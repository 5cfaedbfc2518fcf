"""`run.raise_for_status()` after a node of the notebook raised says where in the node's own code: the error carried
only `ZeroDivisionError: division by zero`, and the line that raised was left in a collapsed HTML traceback."""

from __future__ import annotations

import pytest

import flowlike_nb as fnb
from flowlike_core import NodeFailed


def test_raise_for_status_shows_the_line_of_the_node_that_raised() -> None:
    @fnb.node(name="trial6_ratio")
    def ratio(a: int = 1, b: int = 0) -> float:
        doubled = a * 2
        return doubled / b

    board = fnb.Board("trial6 ratio")
    start, say, node = board.add("events_simple", "start"), board.add("log_info", "say"), board.add("trial6_ratio", "r")
    start.outputs.exec_out >> say.inputs.exec_in
    node.outputs.result >> say.inputs.message
    run = board.run()
    with pytest.raises(NodeFailed) as caught:
        run.raise_for_status()
    note = "\n".join(caught.value.__notes__)
    assert note.startswith("node 'r' raised:\nTraceback (most recent call last):\n"), note
    assert f'File "{__file__}", line 16, in ratio\n    return doubled / b' in note, note
    assert note.endswith("ZeroDivisionError: division by zero"), note
    assert "flowlike_core" not in note, note  # the engine's frames around the call are left out
    assert board.run().raise_for_status is not None  # a failed run can be asked again: one note each time
    with pytest.raises(NodeFailed) as again:
        run.raise_for_status()
    assert len(again.value.__notes__) == 1
