"""Drawing a board (its SVG, whether it needs a layout) finds its wired pins once: asking the board node by node and
pin by pin grew with nodes x wires (0.7 s of `board.editor()` at 800 nodes)."""

from __future__ import annotations

import pytest

import flowlike_nb as fnb
from flowlike_core import Board


def test_a_picture_does_not_ask_for_wires_node_by_node(monkeypatch: pytest.MonkeyPatch) -> None:
    from flowlike_nb.kernel.render import board_svg, needs_layout

    board = fnb.Board("picture")
    previous = board.add("events_simple", "start", at=(0, 0))
    for i in range(20):
        say = board.add("log_info", f"say{i}", at=(300 * (i + 1), 0), message=f"line {i}")
        previous.outputs.exec_out >> say.inputs.exec_in
        previous = say
    for name in ("wires_of", "wires_into"):
        monkeypatch.setattr(Board, name, lambda *args: pytest.fail("asked the board for wires per node"))
    assert not needs_layout(board.core)
    svg = board_svg(board.core)
    assert svg.count('data-kind="exec"') == 20 and 'line 3' in svg
