"""A big board built in cells opens laid out (each value next to the step that reads it, long chains wrapped), and a
node added to a big board finds room near where it was asked for without weighing every spot of the board."""

from __future__ import annotations

import math
import random
from itertools import product

import pytest

import flowlike_nb as fnb
from flowlike_core import Board, commands
from flowlike_nb.widgets import layout
from flowlike_nb.widgets.layout import COLUMN_WIDTH

from . import conftest


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


def test_a_node_added_on_a_big_scattered_board_looks_for_room_near_where_it_was_asked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a node to an 801-node board laid out by ELK (a position of its own for every node) weighed every
    pairing of every box edge: about 2.5 million spots, sorted, 17 s in the trial. The boxes near the place asked
    for give the spots now; the node still lands free of them all, next to that place."""
    board = Board(name="scattered")
    rng = random.Random(7)
    node_type = conftest.Say
    board.apply(commands.Batch([commands.AddNode(node_type.create(
        node_id=f"n{i}", coordinates=(rng.uniform(0, 8000), rng.uniform(0, 5000), 0))) for i in range(1000)]))
    weighed = []

    def counted(*columns):
        spots = list(product(*columns))
        weighed.append(len(spots))
        return spots

    monkeypatch.setattr(layout, "product", counted)
    new = node_type.create(node_id="new")
    x, y = layout.free_spot(board, new, (3000.0, 2000.0))
    assert sum(weighed) < 100_000, weighed
    assert math.dist((x, y), (3000.0, 2000.0)) < 300
    height = layout.box_height(new)
    for other in board.nodes.values():
        ox, oy, _ = other.coordinates
        assert (x + layout.NODE_WIDTH <= ox or ox + layout.NODE_WIDTH <= x or y + height <= oy
                or oy + layout.box_height(other) <= y), other.id
