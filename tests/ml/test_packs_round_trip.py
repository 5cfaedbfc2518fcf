"""Every node of the ml, onnx, media and geo packs saves into a board file and loads back unchanged."""

from __future__ import annotations

import pytest
from flowlike_catalog.geo import PACK as GEO
from flowlike_catalog.media import PACK as MEDIA
from flowlike_catalog.ml import PACK as ML
from flowlike_catalog.onnx import PACK as ONNX

from flowlike_core import Board, Registry, commands, validate_board


@pytest.mark.parametrize("pack", [ML, ONNX, MEDIA, GEO], ids=lambda p: p.name)
def test_every_node_round_trips_through_a_board_file(pack) -> None:
    registry = Registry([pack])
    board = Board(name=pack.name)
    for node_type in pack.nodes:
        board.apply(commands.AddNode(node_type.create()))
    text = board.to_json()
    again = Board.from_json(text)
    assert again.to_json() == text
    assert len(again.nodes) == len(pack.nodes)
    problems = validate_board(again, registry)
    assert {p.code for p in problems} <= {"required-input-empty"}  # nothing is wired here
    assert {node.name for node in again.nodes.values()} == {t.name for t in pack.nodes}
