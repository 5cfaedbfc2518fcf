"""Auto-layout: arrange a board left to right in columns that follow its wires.

A node's column is the length of the longest wire path that reaches it (nodes on a cycle go after what
they depend on), then as late as the nodes it feeds allow: a value a chain's 400th step reads stands next to
that step, not with the chain's start (a board built in cells had all 400 in the first column); inside a
column nodes are ordered by where their sources sit, so wires cross less.
The box sizes match the front end's drawing (`js/src/geometry.js`).
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from itertools import product

from flowlike_core.board import Board, Node

COLUMN_WIDTH = 300.0
ROW_GAP = 36.0
HEADER = 28.0
PIN_ROW = 20.0
NODE_WIDTH = 200.0
GAP = 20.0
"""Room kept free around a node placed by `free_spot`."""
SPOT_REACH = 600.0
"""How far around the asked place `free_spot` looks first (further only when nothing is free there)."""
ASPECT = 1.6
"""Width over height that `auto_layout` aims at for a board of many columns."""
MIN_BAND = 6
"""Columns a band holds at least: a board of fewer stays one row."""
BAND_GAP = 90.0
"""Room between two bands: the wire from a band's last column to the next band's first runs there."""


def box_height(node: Node) -> float:
    return HEADER + PIN_ROW * max(len(node.inputs), len(node.outputs), 1) + 8.0


def layer_height(board: Board, layer_id: str) -> float:
    """The height of a collapsed layer's box: a row per boundary pin on its busier side (`js/src/layers.js`)."""
    pins = board.layer_pins(layer_id)
    inputs = sum(pin.is_input for _, pin in pins)
    return HEADER + PIN_ROW * max(inputs, len(pins) - inputs, 1) + 8.0


def free_spot(board: Board, node: Node, at: tuple[float, float]) -> tuple[float, float]:
    """Where `node` goes when asked to go at `at` (its top-left corner): there if its box is free there, else the
    nearest place where it overlaps no node, layer box or comment of its level (with `GAP` around), found next to
    those in the way. Comments belong to the board's level (the canvas draws none inside a layer)."""
    height = box_height(node)
    boxes = [(other.coordinates[0], other.coordinates[1], NODE_WIDTH, box_height(other))
             for other in board.nodes.values() if other.layer == node.layer and other.id != node.id]
    boxes += [(layer.coordinates[0], layer.coordinates[1], NODE_WIDTH, layer_height(board, layer.id))
              for layer in board.layers_in(node.layer)]
    if node.layer is None:
        boxes += [(note.coordinates[0], note.coordinates[1], note.width, note.height)
                  for note in board.comments.values()]

    def free(x: float, y: float) -> bool:
        return all(x + NODE_WIDTH + GAP <= bx or bx + bw + GAP <= x or y + height + GAP <= by
                   or by + bh + GAP <= y for bx, by, bw, bh in boxes)

    reach = SPOT_REACH  # the spots next to the boxes near `at` first: all of a big board's are millions
    while True:
        near = [(bx, by, bw, bh) for bx, by, bw, bh in boxes
                if bx - reach <= at[0] + NODE_WIDTH and at[0] - reach <= bx + bw
                and by - reach <= at[1] + height and at[1] - reach <= by + bh]
        xs = {at[0], *(bx + bw + GAP for bx, _, bw, _ in near), *(bx - NODE_WIDTH - GAP for bx, _, _, _ in near)}
        ys = {at[1], *(by + bh + GAP for _, by, _, bh in near), *(by - height - GAP for _, by, _, _ in near)}
        spots = sorted(product(xs, ys), key=lambda p: ((p[0] - at[0]) ** 2 + (p[1] - at[1]) ** 2, p))
        found = next((spot for spot in spots if free(*spot)), None)
        if found is not None and (len(near) == len(boxes) or math.dist(found, at) <= reach):
            return found
        reach *= 2


def columns(board: Board) -> dict[str, int]:
    """Longest-path column of each node; Kahn's order, so a cycle cannot loop forever."""
    sources: dict[str, set[str]] = defaultdict(set)
    targets: dict[str, set[str]] = defaultdict(set)
    for wire in board.connections:
        if wire.from_node != wire.to_node:
            sources[wire.to_node].add(wire.from_node)
            targets[wire.from_node].add(wire.to_node)
    waiting = {node_id: len(sources[node_id]) for node_id in board.nodes}
    column = dict.fromkeys(board.nodes, 0)
    ready = deque(sorted((n for n, count in waiting.items() if count == 0), key=lambda n: board.nodes[n].coordinates))
    placed: dict[str, None] = {}  # in the order placed
    while len(placed) < len(board.nodes):
        if not ready:  # only cycles are left: break one at the node with the most placed sources
            rest = [n for n in board.nodes if n not in placed]
            ready.append(max(rest, key=lambda n: len(sources[n] & placed.keys())))
        node_id = ready.popleft()
        if node_id in placed:
            continue
        placed[node_id] = None
        for target in targets[node_id]:
            if target in placed:
                continue
            column[target] = max(column[target], column[node_id] + 1)
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    for node_id in reversed(placed):  # then each node as late as what it feeds allows: next to its readers
        later = [column[target] for target in targets[node_id] if column[target] > column[node_id]]
        if later:
            column[node_id] = min(later) - 1
    return column


def place_unrecorded(board: Board) -> None:
    """Lay out a board that is being opened (e.g. built in cells, nodes piled at the origin) outside the undo
    history: opening a board is not an edit, so an early undo must not pile the nodes up again."""
    board.history.place({node_id: (x, y, board.nodes[node_id].coordinates[2])
                         for node_id, (x, y) in auto_layout(board).items()})


def auto_layout(board: Board, origin: tuple[float, float] = (40.0, 40.0)) -> dict[str, tuple[float, float]]:
    """New (x, y) of every node. A board of many columns is wrapped into bands of columns, one below the other,
    about `ASPECT` times as wide as tall (as the editor's Layout wraps long chains): a 400-step chain was one
    row 120,000 px wide, which Fit showed as a line."""
    column = columns(board)
    by_column: dict[int, list[str]] = defaultdict(list)
    for node_id, index in column.items():
        by_column[index].append(node_id)
    sources: dict[str, list[str]] = defaultdict(list)
    for wire in board.connections:
        sources[wire.to_node].append(wire.from_node)
    rank: dict[str, float] = {}
    offsets: dict[str, float] = {}
    heights: dict[int, float] = {}
    for index in sorted(by_column):
        def key(node_id: str) -> tuple[float, float]:
            placed = [rank[s] for s in sources[node_id] if s in rank]
            return (sum(placed) / len(placed) if placed else float("inf"), board.nodes[node_id].coordinates[1])

        y = 0.0
        for order, node_id in enumerate(sorted(by_column[index], key=key)):
            rank[node_id], offsets[node_id] = order, y
            y += box_height(board.nodes[node_id]) + ROW_GAP
        heights[index] = y
    count = max(by_column, default=0) + 1
    tallest = max(heights.values(), default=0.0) + BAND_GAP
    per_band = max(MIN_BAND, round(math.sqrt(ASPECT * count * tallest / COLUMN_WIDTH)))
    band_tops, top = [], origin[1]
    for first in range(0, count, per_band):
        band_tops.append(top)
        top += max(heights.get(index, 0.0) for index in range(first, first + per_band)) + BAND_GAP
    return {node_id: (origin[0] + (column[node_id] % per_band) * COLUMN_WIDTH,
                      band_tops[column[node_id] // per_band] + offset) for node_id, offset in offsets.items()}
