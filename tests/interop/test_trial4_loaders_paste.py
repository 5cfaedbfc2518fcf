"""A node pasted in the editor is a new node to Flow-Like too: its copy of the imported Flow-Like fields carries no
`hash` of the original, its kept pin options follow its new pin ids, and the pins our node lacks get new ids."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from flowlike_json import fl_board
from trial4_boards import sig_node, wire

from flowlike_core import Board
from flowlike_core.interop import open_board
from flowlike_core.interop.mapping import board_to_flowlike
from flowlike_nb.widgets import protocol
from flowlike_nb.widgets.clipboard import copied, paste_commands


def imported(registry) -> Board:
    fmt = sig_node("fmt", "string_format", "IN format_string:String, name:String | OUT formatted_string:String",
                   (0, 0), {"format_string": "Hi {name}", "name": "Ada"}, hash=1234567, icon="/icons/fmt.svg")
    fmt["pins"]["fmt.formatted_string"]["options"] = {"enforce_schema": True}
    board = fl_board(
        fmt,
        sig_node("make", "struct_make", "IN name:String | OUT struct:Struct", (0, 200), {"name": "Bob"}, hash=42),
        sig_node("break", "struct_break", "IN struct:Struct | OUT name:String", (200, 200)),
    )
    wire(board, "make.struct", "break.struct")
    ours, report = open_board(json.dumps(board).encode(), registry)
    assert {(e.node_id, e.pin) for e in report.of("pin-dropped")} >= {("make", "name"), ("break", "struct")}
    return ours


def paste(board: Board, node_ids: list[str]) -> dict[str, str]:
    """Paste copies of `node_ids` as the editor does; the copies' ids by the originals'."""
    before = set(board.nodes)
    message = protocol.Paste.model_validate({"action": "paste", **copied(board, node_ids, [], [])})
    for command in paste_commands(message):
        board.apply(command)
    new = [node_id for node_id in board.nodes if node_id not in before]
    return {board.nodes[n].friendly_name: n for n in new}


def flowlike_pins(exported: dict[str, Any]) -> list[str]:
    return [pin_id for node in exported["nodes"].values() for pin_id in node["pins"]]


def test_a_pasted_copy_is_a_new_node_to_flowlike(registry):
    board = imported(registry)
    copies = paste(board, ["fmt", "make", "break"])
    fmt, make, brk = (board.nodes[copies[name]] for name in ("String Format", "Struct Make", "Struct Break"))
    assert "hash" not in fmt.flowlike and "hash" not in (make.flowlike or {}), "the hash is the original's identity"
    assert board.nodes["fmt"].flowlike["hash"] == 1234567 and board.nodes["make"].flowlike["hash"] == 42
    assert fmt.flowlike["icon"] == "/icons/fmt.svg", "what describes the node is copied"
    formatted = next(pin.id for pin in fmt.pins.values() if pin.name == "formatted_string")
    assert fmt.flowlike["pins"] == {formatted: {"enforce_schema": True}}, "kept pin options follow the new pin id"
    dropped = brk.flowlike["dropped_pins"]
    assert len(dropped) == 2 and not set(dropped) & set(board.nodes["break"].flowlike["dropped_pins"])
    assert all(pin_id == pin["id"] for pin_id, pin in dropped.items())
    (struct_in,) = (pin for pin in dropped.values() if pin["name"] == "struct")
    struct_out = next(pin.id for pin in make.pins.values() if pin.name == "struct")
    assert struct_in["depends_on"] == [struct_out], "a wire between pasted pins is the copies' wire"

    exported = board_to_flowlike(board, registry)
    pins = Counter(flowlike_pins(exported))
    assert [pin_id for pin_id, count in pins.items() if count > 1] == [], "no pin id twice in the Flow-Like board"
    assert len(pins) == len(flowlike_pins(exported))
    hashes = Counter(node.get("hash") for node in exported["nodes"].values() if node.get("hash"))
    assert hashes == {1234567: 1, 42: 1}
    copy_fmt = exported["nodes"][fmt.id]
    assert copy_fmt["pins"][formatted]["options"]["enforce_schema"] is True
    assert "name" in {pin["name"] for pin in copy_fmt["pins"].values()}, "the copy goes back with its placeholder pin"
    copy_make = exported["nodes"][make.id]
    assert "name" in {pin["name"] for pin in copy_make["pins"].values()}, "the copy goes back with the pin we lack"


def test_a_pasted_copy_wired_to_an_unpasted_node_keeps_no_wire_of_the_original(registry):
    board = imported(registry)
    copies = paste(board, ["break"])
    dropped = board.nodes[copies["Struct Break"]].flowlike["dropped_pins"].values()
    (struct_in,) = (pin for pin in dropped if pin["name"] == "struct")
    assert struct_in["depends_on"] == [] and struct_in["connected_to"] == []
    original = board.nodes["break"].flowlike["dropped_pins"]["break.struct"]
    assert original["depends_on"] == ["make.struct"], "the original keeps its wire"


def test_the_editor_says_what_a_flowlike_paste_dropped_and_added_in_words() -> None:
    from flowlike_nb.widgets import BoardEditor

    board = fl_board(sig_node("make", "struct_make", "IN name:String | OUT struct:Struct", (0, 200), {"name": "Bob"}),
                     sig_node("break", "struct_break", "IN struct:Struct | OUT name:String", (200, 200)))
    wire(board, "make.struct", "break.struct")
    editor = BoardEditor(Board(name="target"))
    replies: list[dict[str, Any]] = []
    editor.send = replies.append
    clip = {"nodes": list(board["nodes"].values()), "comments": []}
    editor._on_message(None, {"action": "paste_flowlike", "text": json.dumps(clip), "request": 1}, [])
    assert replies[-1]["reason"] == "pasted 2 Flow-Like nodes; 3 pins dropped; 3 pins added; 1 wire dropped"
