"""`.board` files (LZ4 + protobuf) in both pin layouts, app manifests, and the JSON shapes Flow-Like writes."""

from __future__ import annotations

import json

import pytest
from flowlike_json import board_bytes, exec_pin, fl_board, fl_node, fl_pin, link

from flowlike_core import BoardFileError
from flowlike_core.interop import formats, open_board, schema
from flowlike_core.interop.api import import_path
from flowlike_core.interop.wire import WireError


@pytest.mark.parametrize("layout", ["current", "legacy"])
def test_both_pin_layouts_read_the_same_board(hello, registry, layout):
    hello["nodes"]["n-fetch"]["pins"]["p-fetch-url"]["options"] = {"valid_values": ["cat", "dog"]}
    data = board_bytes(hello, layout)
    board, report = open_board(data, registry)
    assert report.format == f".board, {layout} pin layout"
    assert set(board.nodes) == {"n-start", "n-log", "n-fetch", "n-after"}
    message = board.nodes["n-log"].pin("message")
    assert (message.id, message.default_value) == ("p-log-msg", "hello")
    sticker = board.nodes["n-fetch"].pin("sticker")
    assert sticker.default_value == "CAACAgIAAxk"
    assert sticker.options is not None and sticker.options.valid_values == ["cat", "dog"]
    assert len(board.connections) == 4


def test_legacy_layout_read_with_todays_numbering_would_be_wrong(hello):
    """The reason for the vote: a legacy board read with today's numbering meets the wrong wire types."""
    payload = formats.decompress(board_bytes(hello, "legacy"), "t")
    assert schema.pin_layout(payload) == "legacy"
    right = schema.decode(payload, "Board", "legacy")["nodes"]["n-log"]["pins"]["p-log-msg"]
    assert right["default_value"] == b'"hello"' and right["index"] == 1
    with pytest.raises(WireError, match="Pin"):
        schema.decode(payload, "Board")
    assert schema.pin_layout(formats.decompress(board_bytes(hello), "t")) == "current"


def test_absent_enums_take_protobufs_zero_values(registry):
    """A pin written with no data type and no value type is an Execution Array pin (the enums' value 0)."""
    pin = {"id": "p1", "name": "x", "pin_type": 0}
    node = {"id": "n1", "name": "mystery_node", "pins": {"p1": pin}}
    payload = schema.encode({"id": "b", "name": "b", "nodes": {"n1": node}}, "Board")
    board, _ = open_board(formats.compress(payload), registry)
    placeholder_pin = board.nodes["n1"].pins["p1"]
    assert (placeholder_pin.data_type.value, placeholder_pin.value_type.value) == ("Execution", "Array")


def test_descriptions_resolve_through_refs_or_come_from_our_catalog(registry):
    log_in = exec_pin("p-in", "exec_in", "Input")
    message = fl_pin("p-msg", "message", index=1, description="1234567890123")
    nodes = [fl_node("n-log", "log_info", [log_in, message], description="987654321987"),
             fl_node("n-x", "not_ours", [fl_pin("p-x", "a", description="555555555555")], description="111111111")]
    board, _ = open_board(json.dumps(fl_board(*nodes, refs={"111111111": "Resolved text",
                                                            "1234567890123": "The message"})).encode(), registry)
    assert board.nodes["n-log"].description == registry.get("log_info").description
    assert board.nodes["n-log"].pin("message").description == "The message"
    assert board.nodes["n-x"].description == "Resolved text"
    assert board.nodes["n-x"].pins["p-x"].description == ""


def test_serde_json_with_refs(hello, registry):
    board, report = open_board(json.dumps(hello).encode(), registry)
    assert report.format == "Flow-Like board JSON"
    assert (board.id, board.name, board.version) == ("fl-board", "from flow-like", (1, 2, 3))


def test_editor_export_rebuilds_wires_from_edges(hello, registry):
    """React Flow's {nodes, edges}: pins without connection sets still get the wires the edges draw."""
    for node in hello["nodes"].values():
        for pin in node["pins"].values():
            pin["connected_to"], pin["depends_on"] = [], []
    export = {"nodes": [{"id": n["id"], "type": "node", "position": {"x": 0, "y": 0}, "data": {"node": n}}
                        for n in hello["nodes"].values()]
             + [{"id": "c1", "type": "commentNode", "position": {"x": 0, "y": 0},
                 "data": {"comment": {"id": "c1", "content": "note", "coordinates": [5, 6, 0]}}}],
              "edges": [{"id": "p-start-out-p-log-in", "source": "n-start", "target": "n-log"},
                        {"id": "e2", "sourceHandle": "p-log-out", "targetHandle": "p-fetch-in"}]}
    board, report = open_board(json.dumps(export).encode(), registry)
    assert report.format == "Flow-Like editor export"
    assert {(w.from_pin, w.to_pin) for w in board.connections} == {("p-start-out", "p-log-in"),
                                                                   ("p-log-out", "p-fetch-in")}
    assert board.comments["c1"].content == "note"
    assert not report.of("wire-repaired")


def test_clipboard_keeps_inner_wires_and_drops_those_leading_out(hello, registry):
    nodes = [hello["nodes"]["n-log"], hello["nodes"]["n-fetch"]]
    clip = {"nodes": nodes, "comments": [{"id": "c", "content": "copied", "coordinates": [0, 0, 0]}],
            "cursorPosition": {"x": 1, "y": 2}}
    board, report = open_board(json.dumps(clip).encode(), registry)
    assert report.format == "Flow-Like clipboard"
    assert [(w.from_pin, w.to_pin) for w in board.connections] == [("p-log-out", "p-fetch-in")]
    dropped = [e.message for e in report.of("wire-dropped")]
    assert any("p-start-out" in m and "not on the board" in m for m in dropped)


def test_app_folder_lists_its_boards_in_either_manifest_layout(hello, registry, tmp_path):
    other = fl_board(fl_node("n1", "events_simple", [exec_pin("p1", "exec_out", "Output")]), id="b2", name="two")
    (tmp_path / "fl-board.board").write_bytes(board_bytes(hello))
    (tmp_path / "b2.board").write_bytes(board_bytes(other))
    (tmp_path / "manifest.app").write_bytes(formats.write_app("app1", ["b2", "fl-board"]))
    assert [b.name for b, _ in import_path(tmp_path, registry)] == ["two", "from flow-like"]
    legacy = schema.encode({"id": "app1", "authors": ["ann"], "boards": ["fl-board"]}, "App", "legacy")
    (tmp_path / "manifest.app").write_bytes(formats.compress(legacy))
    assert schema.app_layout(legacy) == "legacy"
    assert [b.name for b, _ in import_path(tmp_path, registry)] == ["from flow-like"]
    bare = schema.encode({"id": "app1", "boards": ["b2"]}, "App", "legacy")  # nothing else tells the layout
    (tmp_path / "manifest.app").write_bytes(formats.compress(bare))
    assert [b.name for b, _ in import_path(tmp_path, registry)] == ["two"]


def test_app_listing_a_missing_board_is_a_clear_error(tmp_path, registry):
    (tmp_path / "manifest.app").write_bytes(formats.write_app("app1", ["gone"]))
    with pytest.raises(BoardFileError, match=r"lists 1 board with no file here: gone\.board$"):
        import_path(tmp_path, registry)


@pytest.mark.parametrize(("data", "match"), [
    (b"\x05\x00", r"not a board: 1:1: not valid JSON: Expecting value; not a Flow-Like \.board either"),
    (b"\xff\xff\x00\x00garbage-bytes", "LZ4"),
    (b'{"nodes": 3}', "nodes"),
    (b"[1, 2]", r"not a board document \(format 'list'"),  # bytes are read as a file is: ours first
    (b"{not json", "not valid JSON"),
])
def test_bad_input_says_what_is_wrong(data, match, registry):
    with pytest.raises(BoardFileError, match=match):
        open_board(data, registry)


def test_a_length_prefix_that_looks_like_json_is_still_a_board_file(registry):
    nodes = [fl_node("n", "events_simple", [exec_pin("p", "exec_out", "Output")], description="x" * size)
             for size in range(200)]
    data = next(board_bytes(fl_board(node)) for node in nodes if board_bytes(fl_board(node))[:1] == b"{")
    board, report = open_board(data, registry)
    assert report.format.startswith(".board") and list(board.nodes) == ["n"]


def test_missing_file(tmp_path, registry):
    with pytest.raises(BoardFileError, match="nope.board: no such board file"):
        open_board(tmp_path / "nope.board", registry)


def test_our_own_board_files_open_too(hello, registry, tmp_path):
    board, _ = open_board(json.dumps(hello).encode(), registry)
    path = board.save(tmp_path / "mine")
    again, report = open_board(path, registry)
    assert again == board and report.format == "flowlike-nb board"


def test_variables_and_comments(registry):
    variables = {"v1": {"id": "v1", "name": "threshold", "data_type": "Integer", "value_type": "Normal",
                        "default_value": list(b"7"), "exposed": True, "secret": False, "editable": True},
                 "v2": {"id": "v2", "name": "token", "data_type": "String", "value_type": "Normal",
                        "default_value": list(b'"s3cret"'), "exposed": False, "secret": True, "editable": True}}
    comments = {"c1": {"id": "c1", "content": "Hi", "coordinates": [1, 2, 0], "width": 300.0, "height": None,
                       "color": "#ff0000", "comment_type": "Text"}}
    data = board_bytes(fl_board(fl_node("n", "events_simple", [exec_pin("p", "exec_out", "Output")]),
                                variables=variables, comments=comments))
    board, _ = open_board(data, registry)
    assert board.lookup_variable("threshold").default_value == 7 and board.lookup_variable("threshold").exposed
    assert board.lookup_variable("token").secret
    comment = board.comments["c1"]
    assert (comment.content, comment.coordinates, comment.width, comment.height, comment.color) == (
        "Hi", (1.0, 2.0, 0.0), 300.0, 120.0, "#ff0000")


def test_one_sided_wire_in_a_board_file_is_repaired(registry):
    out, inp = exec_pin("o", "exec_out", "Output"), exec_pin("i", "exec_in", "Input")
    link(out, inp, on_input=False)
    data = board_bytes(fl_board(fl_node("a", "events_simple", [out]), fl_node("b", "log_info", [inp])))
    board, report = open_board(data, registry)
    assert [(w.from_pin, w.to_pin) for w in board.connections] == [("o", "i")]
    assert "stored on the output pin only" in report.of("wire-repaired")[0].message
