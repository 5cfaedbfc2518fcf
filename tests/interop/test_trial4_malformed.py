"""Flow-Like boards with missing or malformed fields: an error that says what and where, never a crash; and what
Flow-Like itself leaves out (ids left to the map keys, null tables) is read as Flow-Like reads it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flowlike_json import board_bytes
from trial4_boards import fresh

from flowlike_core import BoardFileError
from flowlike_core.interop import formats, open_board, schema

Edit = Callable[[dict[str, Any]], Any]


def pin(board: dict[str, Any], node_id: str, name: str) -> dict[str, Any]:
    return board["nodes"][node_id]["pins"][f"{node_id}.{name}"]


BROKEN: dict[str, tuple[Edit, str]] = {
    "a node that is null": (lambda b: b["nodes"].update(hello=None),
                            "nodes['hello']: an object was expected, found null"),
    "a node without its key": (lambda b: b["nodes"]["hello"].pop("name"), "nodes['hello'].name: missing"),
    "a node with an empty key": (lambda b: b["nodes"]["hello"].update(name=""), "nodes['hello'].name: empty"),
    "a node whose id is not its key": (lambda b: b["nodes"]["hello"].update(id="other"),
                                       "nodes['hello'].id: 'other' differs from its key 'hello'"),
    "pins as a list": (lambda b: b["nodes"]["hello"].update(pins=list(b["nodes"]["hello"]["pins"].values())),
                       "nodes['hello'].pins: a map from ids to objects was expected, found list"),
    "a pin that is null": (lambda b: b["nodes"]["hello"]["pins"].update({"hello.message": None}),
                           "nodes['hello'].pins['hello.message']: an object was expected, found null"),
    "a pin without a name": (lambda b: pin(b, "hello", "message").pop("name"),
                             "nodes['hello'].pins['hello.message'].name: missing"),
    "a pin of an unknown type": (lambda b: pin(b, "hello", "message").update(data_type="Tensor"),
                                 "nodes['hello'].pins['hello.message'].data_type: 'Tensor' is not one of Execution"),
    "a pin neither input nor output": (lambda b: pin(b, "hello", "message").update(pin_type="Sideways"),
                                       "pins['hello.message'].pin_type: 'Sideways' is not one of Input, Output"),
    "wires as a string": (lambda b: pin(b, "hello", "exec_in").update(depends_on="start.exec_out"),
                          "pins['hello.exec_in'].depends_on: a list of pin ids was expected, found 'start.exec_out'"),
    "a pin index as text": (lambda b: pin(b, "hello", "message").update(index="2"),
                            "pins['hello.message'].index: an integer was expected, found str '2'"),
    "options as a list": (lambda b: pin(b, "n-acme", "mode").update(options=["fast"]),
                          "nodes['n-acme'].pins['n-acme.mode'].options: an object was expected, found list"),
    "a schema as an object": (lambda b: pin(b, "rr-struct", "route_in").update(schema={"type": "object"}),
                              "pins['rr-struct.route_in'].schema: text was expected, found dict"),
    "coordinates as text": (lambda b: b["nodes"]["hello"].update(coordinates="12,3"),
                            "nodes['hello'].coordinates: [x, y, z] numbers were expected, found '12,3'"),
    "a variable without a name": (lambda b: b["variables"]["v-items"].pop("name"),
                                  "variables['v-items'].name: missing"),
    "a variable of an unknown type": (lambda b: b["variables"]["v-items"].update(value_type="Matrix"),
                                      "variables['v-items'].value_type: 'Matrix' is not one of Array, Normal"),
    "a comment of text width": (lambda b: b["comments"]["c-text"].update(width="wide"),
                                "comments['c-text'].width: an integer or a number was expected, found str 'wide'"),
    "a layer that is null": (lambda b: b["layers"].update({"l-body": None}),
                             "layers['l-body']: an object was expected, found null"),
    "one pin id on two nodes": (lambda b: b["nodes"]["say"]["pins"].update({"hello.message": {
        **pin(b, "say", "message"), "id": "hello.message"}}),
                                "nodes['say'].pins['hello.message']: the pin id is also the id of a pin of "
                                "nodes['hello']: a wire to it would be ambiguous"),
    "a version as text": (lambda b: b.update(version="1.2"),
                          "board.version: [major, minor, patch] was expected, found '1.2'"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_malformed_field_is_named_with_where_it_is(case, registry):
    edit, message = BROKEN[case]
    board = fresh()
    edit(board)
    with pytest.raises(BoardFileError) as caught:
        open_board(json.dumps(board).encode(), registry)
    assert str(caught.value).startswith("<bytes>: ") and message in str(caught.value)


def test_ids_flowlike_left_to_the_keys_are_read_from_them(registry):
    board = fresh()
    del board["nodes"]["hello"]["id"], pin(board, "hello", "message")["id"], board["comments"]["c-text"]["id"]
    board["variables"]["v-items"].pop("id")
    imported, _ = open_board(json.dumps(board).encode(), registry)
    reference, _ = open_board(json.dumps(fresh()).encode(), registry)
    ours, theirs = imported.nodes["hello"], reference.nodes["hello"]
    assert (ours.pin("message"), ours.coordinates, ours.layer) == (theirs.pin("message"), theirs.coordinates, None)
    assert imported.comments["c-text"] == reference.comments["c-text"]
    assert imported.variables["v-items"] == reference.variables["v-items"]


def test_null_tables_and_fields_are_read_as_empty(registry):
    board = fresh()
    board.update(variables=None, comments=None, layers=None, refs=None, description=None)
    board["nodes"]["hello"].update(coordinates=None, friendly_name=None, pins=board["nodes"]["hello"]["pins"])
    pin(board, "hello", "message").update(connected_to=None, depends_on=None, index=None, options=None)
    imported, _ = open_board(json.dumps(board).encode(), registry)
    assert imported.nodes["hello"].coordinates == (0.0, 0.0, 0.0) and not imported.variables
    assert imported.nodes["hello"].pin("message").default_value == "begin"


def test_a_default_that_is_no_json_is_dropped_and_reported_with_node_and_pin(registry):
    board = fresh()
    pin(board, "hello", "message")["default_value"] = list(b"{oops")
    imported, report = open_board(json.dumps(board).encode(), registry)
    dropped = report.of("default-dropped")
    assert [(e.node, e.pin) for e in dropped] == [("'Log Info' (hello)", "message")]
    assert imported.nodes["hello"].pin("message").default_value == ""  # ours


@pytest.mark.parametrize("damage", ["truncated", "truncated payload", "garbage", "short", "wrong length"])
def test_a_damaged_board_file_says_what_is_wrong(damage, registry):
    data = board_bytes(fresh())
    payload = formats.decompress(data, "t")
    broken = {"truncated": data[: len(data) // 2], "truncated payload": formats.compress(payload[: len(payload) // 2]),
              "garbage": data[:4] + bytes(range(256)) * 4, "short": data[:3],
              "wrong length": (10).to_bytes(4, "little") + data[4:]}[damage]
    with pytest.raises(BoardFileError, match=r"^<bytes>: .*(LZ4|too short|neither a Flow-Like board)"):
        open_board(broken, registry)


def test_a_board_whose_protobuf_is_damaged_names_the_message_and_field(registry):
    payload = formats.decompress(board_bytes(fresh()), "t")
    node = schema.encode({"id": "n1", "name": "log_info", "pins": {}}, "Node")
    bad = payload + b"\x22" + bytes([len(node) + 6]) + b"\x0a\x02n1\x12" + bytes([len(node) + 4]) + node
    with pytest.raises(BoardFileError, match=r"<bytes>: the LZ4 payload is neither a Flow-Like board nor an app"):
        open_board(formats.compress(bad), registry)


def test_a_node_listed_on_the_board_and_in_its_layer_is_one_node(registry):
    board = fresh()
    board["layers"]["l-body"]["nodes"] = {"say": json.loads(json.dumps(board["nodes"]["say"]))}
    imported, _ = open_board(json.dumps(board).encode(), registry)
    assert imported.nodes["say"].layer == "l-body" and imported.layers["l-body"].nodes == ["say"]
