"""Fields a newer Flow-Like writes into a `.board` (numbers our protobuf tables do not name) come back in the
`.board` export, on the board, nodes, pins, variables, comments and layers, through our own file too."""

from __future__ import annotations

from trial4_boards import fresh

from flowlike_core import Board
from flowlike_core.interop import export_board, formats, open_board, schema
from flowlike_core.interop.wire import I32, I64, LEN, VARINT

NEWER = {"board": [30, VARINT, 12345], "node": [26, LEN, b"from the future".hex()], "pin": [20, VARINT, 7],
         "variable": [20, I64, 2**40 + 3], "comment": [20, I32, 99], "layer": [30, LEN, "0a0278"]}


def newer_board() -> bytes:
    message = formats.board_to_proto(fresh())
    message[schema.UNKNOWN] = [NEWER["board"]]
    message["nodes"]["n-acme"][schema.UNKNOWN] = [NEWER["node"]]
    message["nodes"]["hello"]["pins"]["hello.message"][schema.UNKNOWN] = [NEWER["pin"]]
    message["nodes"]["n-acme"]["pins"]["n-acme.level"][schema.UNKNOWN] = [NEWER["pin"]]
    message["variables"]["v-items"][schema.UNKNOWN] = [NEWER["variable"]]
    message["comments"]["c-text"][schema.UNKNOWN] = [NEWER["comment"]]
    message["layers"]["l-body"][schema.UNKNOWN] = [NEWER["layer"]]
    return formats.compress(schema.encode(message, "Board"))


def test_fields_of_a_newer_flowlike_survive_a_board_file_round_trip(registry, tmp_path):
    board, _ = open_board(newer_board(), registry)
    mine = Board.load(board.save(tmp_path / "newer.board.json"))
    back = schema.decode(formats.decompress(export_board(mine, tmp_path / "back.board").read_bytes(), "t"), "Board")
    assert back[schema.UNKNOWN] == [NEWER["board"]]
    assert back["nodes"]["n-acme"][schema.UNKNOWN] == [NEWER["node"]]
    assert back["nodes"]["hello"]["pins"]["hello.message"][schema.UNKNOWN] == [NEWER["pin"]]
    assert back["nodes"]["n-acme"]["pins"]["n-acme.level"][schema.UNKNOWN] == [NEWER["pin"]]
    assert back["variables"]["v-items"][schema.UNKNOWN] == [NEWER["variable"]]
    assert back["comments"]["c-text"][schema.UNKNOWN] == [NEWER["comment"]]
    assert back["layers"]["l-body"][schema.UNKNOWN] == [NEWER["layer"]]
    assert schema.UNKNOWN not in back["nodes"]["start"]


def test_a_board_without_newer_fields_gets_none(registry, tmp_path):
    board, _ = open_board(formats.compress(schema.encode(formats.board_to_proto(fresh()), "Board")), registry)
    assert all(schema.UNKNOWN not in (node.flowlike or {}) for node in board.nodes.values())
    assert "unknown_fields" not in board.to_json()
