"""Pins Flow-Like's node has and ours lacks (the ones Flow-Like adds at edit time: one per field of Make/Break Struct)
are dropped here and reported, but go back to Flow-Like as they came, with their wires on both ends, unless the
board here took their other end. Format String's placeholder inputs are ours too (`NodeType.keyed_input`): kept."""

from __future__ import annotations

import json
from typing import Any

from flowlike_json import fl_board
from trial4_boards import SIG, sig_node, wire

from flowlike_core import Board, commands
from flowlike_core.interop import export_board, open_board
from flowlike_core.interop.mapping import board_to_flowlike


def dynamic_board() -> dict[str, Any]:
    board = fl_board(
        sig_node("start", "events_simple", SIG["events_simple"], (0, 0), start=True),
        sig_node("fmt", "string_format", "IN format_string:String, name:String, count:Integer | "
                 "OUT formatted_string:String", (200, 0), {"format_string": "Hi {name} x{count}", "name": "Ada"}),
        sig_node("say", "log_info", SIG["log_info"], (400, 0)),
        sig_node("make", "struct_make", "IN name:String, age:Integer | OUT struct:Struct", (0, 200),
                 {"name": "Bob", "age": 5}),
        sig_node("break", "struct_break", "IN struct:Struct | OUT name:String, age:Integer", (200, 200)),
        sig_node("say2", "log_info", SIG["log_info"], (600, 0)),
    )
    for source, target in [("start.exec_out", "say.exec_in"), ("fmt.formatted_string", "say.message"),
                           ("say.exec_out", "say2.exec_in"), ("make.struct", "break.struct"),
                           ("break.name", "say2.message")]:
        wire(board, source, target)
    return board


def pins_of(fl: dict[str, Any], node_id: str) -> dict[str, Any]:
    return fl["nodes"][node_id]["pins"]


def test_dropped_pins_are_reported_and_go_back_with_their_wires(registry, tmp_path):
    fl = dynamic_board()
    board, report = open_board(json.dumps(fl).encode(), registry)
    dropped = {(e.node_id, e.pin) for e in report.of("pin-dropped")}
    assert dropped == {("make", "name"), ("make", "age"), ("break", "struct"), ("break", "name"), ("break", "age")}
    assert "'Struct Make' (make): input 'name' (struct_make has no input of that name; kept for export)" \
        in str(report)
    mine = Board.load(board.save(tmp_path / "dynamic.board.json"))  # through our own file too
    back = json.loads(export_board(mine, tmp_path / "back.json", as_json=True).read_text())
    for node_id, name in dropped:
        assert pins_of(back, node_id)[f"{node_id}.{name}"] == pins_of(fl, node_id)[f"{node_id}.{name}"]
    assert pins_of(back, "make")["make.struct"]["connected_to"] == ["break.struct"]
    assert pins_of(back, "say2")["say2.message"]["depends_on"] == ["break.name"]
    again, report_again = open_board(json.dumps(back).encode(), registry)
    assert again == board and {(e.node_id, e.pin) for e in report_again.of("pin-dropped")} == dropped


def test_a_wire_made_here_takes_the_input_a_dropped_pin_fed(registry):
    board, _ = open_board(json.dumps(dynamic_board()).encode(), registry)
    board.apply(commands.Connect("fmt", "formatted_string", "say2", "message"))
    back = board_to_flowlike(board, registry)
    assert pins_of(back, "say2")["say2.message"]["depends_on"] == ["fmt.formatted_string"]
    assert pins_of(back, "break")["break.name"]["connected_to"] == []  # no input with two sources


def test_a_dropped_pin_whose_other_end_was_deleted_here_keeps_no_dangling_wire(registry):
    board, _ = open_board(json.dumps(dynamic_board()).encode(), registry)
    board.apply(commands.RemoveNode("say2"))
    back = board_to_flowlike(board, registry)
    assert pins_of(back, "break")["break.name"]["connected_to"] == []
    assert pins_of(back, "break")["break.struct"]["depends_on"] == ["make.struct"]


def test_a_copy_of_a_node_with_dropped_pins_does_not_write_them_twice(registry):
    """A paste copies a node with its `flowlike` dict; its dropped pins go back once, on the first node."""
    board, _ = open_board(json.dumps(dynamic_board()).encode(), registry)
    original = board.nodes["make"]
    pins = {f"copy-{pin_id}": pin.model_copy(update={"id": f"copy-{pin_id}"}) for pin_id, pin in original.pins.items()}
    twin = original.model_copy(deep=True, update={"id": "make-copy", "pins": pins})
    board.apply(commands.AddNode(twin))
    back = board_to_flowlike(board, registry)
    assert "make.name" in pins_of(back, "make") and "make.name" not in pins_of(back, "make-copy")
    again, _ = open_board(json.dumps(back).encode(), registry)  # no pin id on two nodes
    assert set(again.nodes) == set(board.nodes)
