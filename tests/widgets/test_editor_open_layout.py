"""A big board built in cells opens laid out: each value next to the step that reads it, long chains wrapped."""

from __future__ import annotations

import flowlike_nb as fnb
from flowlike_nb.widgets.layout import COLUMN_WIDTH


def test_a_long_chain_built_in_cells_opens_wrapped_with_each_value_beside_its_reader() -> None:
    """A teacher's demo board (401 nodes here, 801 in the trial): Log Info steps in a chain, each reading its own
    To Upper Case. The values all stood in the first column (wires across the whole board) and a 400-step chain
    ran 120,000 px to the right, which Fit showed as a thin line."""
    board = fnb.Board("class demo")
    before = board.add("events_simple", node_id="start")
    for i in range(200):
        text = board.add("string_to_upper", node_id=f"text{i}", string=f"step {i}")
        say = board.add("log_info", node_id=f"say{i}")
        before.outputs.exec_out >> say.inputs.exec_in
        text.outputs.uppercase_string >> say.inputs.message
        before = say
    board.editor()
    at = {node_id: node.coordinates for node_id, node in board.core.nodes.items()}
    xs, ys = [x for x, _, _ in at.values()], [y for _, y, _ in at.values()]
    for i in range(200):  # the column before its reader (the previous band's last one when the reader wraps)
        (tx, ty, _), (sx, sy, _) = at[f"text{i}"], at[f"say{i}"]
        beside = sx - tx == COLUMN_WIDTH and abs(sy - ty) < 300
        assert beside or (sx == min(xs) and tx == max(xs) and 0 < sy - ty < 800), (i, at[f"text{i}"], at[f"say{i}"])
    width, height = max(xs) - min(xs) + 200, max(ys) - min(ys) + 100
    assert 0.5 < width / height < 4, (width, height)
    assert len({(x, y) for x, y, _ in at.values()}) == len(at)  # no two nodes in one place
