"""Format String's placeholder inputs (Flow-Like adds one per `{name}` of the template) come in as our pins of keys
(`NodeType.keyed_input`): the board runs as it does in Flow-Like, and the pins go back with their ids and wires."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flowlike_json import fl_board
from trial4_boards import SIG, sig_node, wire

from flowlike_core import NodeFailed, run_board
from flowlike_core.interop import open_board
from flowlike_core.interop.mapping import board_to_flowlike


def greeting_board(count_default: int | None = None) -> dict[str, Any]:
    """start -> log(fmt), fmt = "Hi {name} x{count}" with `name` typed in and `count` from an Add node (or typed)."""
    defaults = {"format_string": "Hi {name} x{count}", "name": "Ada"}
    if count_default is not None:
        defaults["count"] = count_default
    board = fl_board(
        sig_node("start", "events_simple", SIG["events_simple"], (0, 0), start=True),
        sig_node("fmt", "string_format", "IN format_string:String, name:String, count:Integer | "
                 "OUT formatted_string:String", (200, 0), defaults),
        sig_node("say", "log_info", SIG["log_info"], (400, 0)),
        sig_node("add", "int_add", "IN integer1:Integer, integer2:Integer | OUT sum:Integer", (0, 200),
                 {"integer1": 2, "integer2": 1}),
    )
    wire(board, "start.exec_out", "say.exec_in")
    wire(board, "fmt.formatted_string", "say.message")
    if count_default is None:
        wire(board, "add.sum", "fmt.count")
    return board


def test_a_flowlike_format_string_runs_with_its_placeholder_pins(registry):
    board, report = open_board(json.dumps(greeting_board()).encode(), registry)
    assert not report.of("pin-dropped")
    pins = {pin.name: pin for pin in board.nodes["fmt"].pins.values()}
    assert (pins["name"].data_type.value, pins["count"].data_type.value) == ("String", "Integer")  # as saved there
    run = run_board(board, registry=registry).raise_for_status()
    assert [line.message for line in run.logs()] == ["Hi Ada x3"]


def test_the_placeholder_pins_go_back_to_flowlike_with_their_ids_and_wires(registry):
    fl = greeting_board()
    board, _ = open_board(json.dumps(fl).encode(), registry)
    back = board_to_flowlike(board, registry)["nodes"]["fmt"]["pins"]
    assert back["fmt.count"]["depends_on"] == ["add.sum"] and back["fmt.count"]["pin_type"] == "Input"
    assert json.loads(bytes(back["fmt.name"]["default_value"])) == "Ada"
    again, report = open_board(json.dumps(board_to_flowlike(board, registry)).encode(), registry)
    assert again == board and not report.of("pin-dropped")


def test_a_placeholder_pin_without_a_value_reads_as_any_input_does(registry):
    """A typed one reads its type's zero, as every unwired input without a value here; a Generic one (made here
    from the template) has none, and the node names the placeholder."""
    fl = greeting_board(count_default=4)
    board, _ = open_board(json.dumps(fl).encode(), registry)
    assert run_board(board, registry=registry).raise_for_status().logs()[0].message == "Hi Ada x4"
    fl["nodes"]["fmt"]["pins"]["fmt.count"]["default_value"] = None
    board, _ = open_board(json.dumps(fl).encode(), registry)
    assert run_board(board, registry=registry).raise_for_status().logs()[0].message == "Hi Ada x0"
    fl["nodes"]["fmt"]["pins"]["fmt.count"]["data_type"] = "Generic"
    board, _ = open_board(json.dumps(fl).encode(), registry)
    with pytest.raises(NodeFailed, match=r"String Format.*placeholder \{count\} has no value"):
        run_board(board, registry=registry).raise_for_status()
