"""Every node type of every installed pack goes to Flow-Like and back unchanged: keys, pins, ids, types,
defaults and positions, with nothing in the import report."""

from __future__ import annotations

from flowlike_core import Board
from flowlike_core.interop import open_board
from flowlike_core.interop.formats import write_board
from flowlike_core.interop.mapping import board_to_flowlike


def test_one_node_of_every_type_round_trips_through_a_board_file(registry):
    board = Board(name="every pack")
    for index, node_type in enumerate(registry):
        node = node_type.create(coordinates=(float(index % 40) * 300.0, float(index // 40) * 200.0, 0.0))
        board.nodes[node.id] = node
    packs = {node_type.pack for node_type in registry}
    assert {"std", "data", "web", "llm", "ml", "onnx", "media", "geo", "processing", "automation"} <= packs
    again, report = open_board(write_board(board_to_flowlike(board, registry)), registry)
    assert not report.entries, str(report)
    assert again == board
