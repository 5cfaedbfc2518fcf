"""Trial 6: a Flow-Like board opened here and exported goes back with the pins it had, and no more."""

from __future__ import annotations

import json

from flowlike_json import exec_pin, fl_board, fl_node, fl_pin, link

from flowlike_core import commands
from flowlike_core.interop import open_board
from flowlike_core.interop.formats import write_board
from flowlike_core.interop.mapping import board_to_flowlike


def greeting() -> dict:
    """start -> log_info(Format String "{who}!") : Flow-Like's nodes without our extra pins (no On Error pair, no
    Values map on Format String)."""
    start_out, log_in, log_out = (exec_pin("so", "exec_out", "Output"), exec_pin("li", "exec_in", "Input"),
                                  exec_pin("lo", "exec_out", "Output", 3))
    message = fl_pin("lm", "message", data_type="Generic", index=1)
    toast = fl_pin("lt", "toast", data_type="Boolean", default=False, index=2)
    template = fl_pin("ft", "format_string", default="{who}!")
    who = fl_pin("fw", "who", data_type="Generic", default="ada", index=1)
    text = fl_pin("fo", "formatted_string", "Output", index=2)
    link(start_out, log_in)
    link(text, message)
    return fl_board(fl_node("s", "events_simple", [start_out]), fl_node("l", "log_info", [log_in, message, toast,
                                                                                           log_out]),
                    fl_node("f", "string_format", [template, who, text]))


def pin_ids(fl: dict, node_id: str) -> set[str]:
    return set(fl["nodes"][node_id]["pins"])


def test_pins_flowlikes_node_lacked_do_not_go_back_while_unused(registry):
    """Ours adds On Error and Error to every exec node and a Values map to Format String: written back, Flow-Like
    would show every node with its error pins switched on (its toggle is their presence)."""
    fl = greeting()
    board, report = open_board(json.dumps(fl).encode(), registry)
    assert {p.name for p in board.nodes["l"].pins.values()} >= {"auto_handle_error", "auto_handle_error_string"}
    assert board.run(registry=registry).ok
    back = board_to_flowlike(board, registry)
    for node_id in ("s", "l", "f"):
        assert pin_ids(back, node_id) == pin_ids(fl, node_id), node_id
    assert "added_pins" not in back["nodes"]["f"]
    again, report_again = open_board(write_board(back), registry)
    assert again == board  # the pins added again take the same ids
    assert [e.message for e in report_again.of("pin-added")] == [e.message for e in report.of("pin-added")]


def test_pins_used_here_go_back(registry):
    fl = greeting()
    board, _ = open_board(json.dumps(fl).encode(), registry)
    warn = board.apply(commands.AddNode(registry.get("log_warning").create(node_id="w")))
    board.apply(commands.Connect("l", "auto_handle_error", warn.id, "exec_in"))
    board.apply(commands.UpdateNode("f", defaults={"values": {"x": 1}}))
    back = board_to_flowlike(board, registry)
    names = {pin["name"] for pin in back["nodes"]["l"]["pins"].values()}
    assert {"auto_handle_error", "auto_handle_error_string"} <= names  # the pair goes together
    assert "values" in {pin["name"] for pin in back["nodes"]["f"]["pins"].values()}


def test_a_board_made_here_exports_every_pin(registry):
    board = open_board(json.dumps(greeting()).encode(), registry)[0]
    made = registry.get("log_info").create(node_id="new")
    board.apply(commands.AddNode(made))
    assert pin_ids(board_to_flowlike(board, registry), "new") == set(made.pins)


def test_nodes_naming_a_variable_the_file_does_not_hold_are_reported(registry):
    """Flow-Like's editor export and clipboard carry no variables (or only the copied ones): the import names each
    node whose variable is not there, instead of a run failing at the first of them."""
    start_out, push_in = exec_pin("so", "exec_out", "Output"), exec_pin("pi", "exec_in", "Input")
    link(start_out, push_in)
    nodes = [fl_node("s", "events_simple", [start_out]),
             fl_node("push", "array_push_ref", [push_in, fl_pin("pr", "var_ref", default="v-log", index=1),
                                                fl_pin("pv", "value", data_type="Generic", default="x", index=2)],
                     friendly_name="Remember"),
             fl_node("get", "variable_get", [fl_pin("gr", "var_ref", default="greeting"),
                                             fl_pin("gv", "value_ref", "Output", data_type="Generic", index=1)]),
             fl_node("got", "variable_get", [fl_pin("hr", "var_ref", default="v-here"),
                                             fl_pin("hv", "value_ref", "Output", data_type="Generic", index=1)])]
    variables = {"v-here": {"id": "v-here", "name": "here", "data_type": "String", "value_type": "Normal",
                            "default_value": list(b'"yes"'), "exposed": False, "secret": False, "editable": True}}
    export = {"nodes": [{"id": n["id"], "type": "node", "position": {"x": 0, "y": 0}, "data": {"node": n}}
                        for n in nodes], "edges": [{"id": "so-pi", "source": "s", "target": "push"}]}
    board, report = open_board(json.dumps(export).encode(), registry)
    missing = {entry.node_id: entry.message for entry in report.of("variable-missing")}
    assert set(missing) == {"push", "get", "got"}
    assert "'Remember' (push)" in missing["push"] and "'v-log'" in missing["push"]
    _, report = open_board(json.dumps(fl_board(*nodes, variables=variables)).encode(), registry)
    assert {entry.node_id for entry in report.of("variable-missing")} == {"push", "get"}
    assert "variables the board refers to" in str(report)


def test_a_pin_whose_options_flowlike_has_no_field_for_goes_back_without_options(registry):
    """Ours marks Get Variable's name as required, which Flow-Like's options cannot say: no empty options go back."""
    fl = fl_board(fl_node("g", "variable_get", [fl_pin("gr", "var_ref", default="x"),
                                                fl_pin("gv", "value_ref", "Output", data_type="Generic", index=1)]))
    board, _ = open_board(json.dumps(fl).encode(), registry)
    assert board.nodes["g"].pin("var_ref").options.required
    assert board_to_flowlike(board, registry)["nodes"]["g"]["pins"]["gr"]["options"] is None


def test_an_editor_export_keeps_its_layers_and_says_their_nodes_are_not_in_it(registry):
    """Flow-Like's canvas lists a collapsed layer as a `layerNode` entry (the layer under `data.layer`); the nodes
    inside it are not on the canvas, so not in the export: the layer is kept and the report says so."""
    start_out, log_in = exec_pin("so", "exec_out", "Output"), exec_pin("li", "exec_in", "Input")
    bridge = exec_pin("bridge", "exec_in", "Input")
    link(start_out, bridge)
    bridge["connected_to"].append("hidden-in")
    layer = {"id": "grp", "parent_id": None, "name": "Greeting", "type": "Collapsed", "nodes": {}, "variables": {},
             "comments": {}, "coordinates": [300.0, 40.0, 0.0], "in_coordinates": None, "out_coordinates": None,
             "pins": {"bridge": bridge}, "comment": "says hello", "error": None, "color": "#00aa00", "hash": None}
    export = {"nodes": [
        {"id": "s", "type": "node", "position": {"x": 0, "y": 0}, "data": {"node": fl_node("s", "events_simple",
                                                                                           [start_out])}},
        {"id": "l", "type": "node", "position": {"x": 0, "y": 0}, "data": {"node": fl_node("l", "log_info",
                                                                                           [log_in])}},
        {"id": "grp", "type": "layerNode", "position": {"x": 300, "y": 40}, "data": {"label": "grp", "layer": layer}},
    ], "edges": []}
    board, report = open_board(json.dumps(export).encode(), registry)
    assert board.layers["grp"].name == "Greeting" and board.layers["grp"].coordinates == (300.0, 40.0, 0.0)
    assert any("'Greeting'" in e.message and "not in the editor export" in e.message for e in report.of("note"))
    assert [e.message for e in report.of("wire-dropped")] == [
        "'events_simple' (s).exec_out -> pin hidden-in: that pin is not on the board"]


def test_a_default_our_pin_cannot_hold_goes_back_to_flowlike_as_it_was(registry):
    """Flow-Like's Struct is any JSON (here a list), ours an object: the import drops the value (reported), and
    export writes Flow-Like's bytes back while the pin still holds ours; a value set here wins."""
    saved = list(b'[{"a": 1}, {"a": 2}]')
    struct = fl_pin("ss", "struct", data_type="Struct")
    struct["default_value"] = saved
    fl = fl_board(fl_node("g", "struct_get", [struct, fl_pin("sf", "field", default="a", index=1)]))
    board, report = open_board(json.dumps(fl).encode(), registry)
    assert [e.pin for e in report.of("default-dropped")] == ["struct"]
    assert board_to_flowlike(board, registry)["nodes"]["g"]["pins"]["ss"]["default_value"] == saved
    again, _ = open_board(write_board(board_to_flowlike(board, registry)), registry)
    assert again == board
    board.apply(commands.UpdateNode("g", defaults={"struct": {"a": 3}}))
    assert json.loads(bytes(board_to_flowlike(board, registry)["nodes"]["g"]["pins"]["ss"]["default_value"])) == \
        {"a": 3}


def test_a_variable_default_our_type_cannot_hold_goes_back_as_it_was(registry):
    saved = list(b'"just text"')
    variables = {"v": {"id": "v", "name": "note", "data_type": "Struct", "value_type": "Normal",
                       "default_value": saved, "exposed": False, "secret": False, "editable": True}}
    board, report = open_board(json.dumps(fl_board(variables=variables)).encode(), registry)
    assert board.variables["v"].default_value is None and report.of("default-dropped")
    assert board_to_flowlike(board, registry)["variables"]["v"]["default_value"] == saved
    assert open_board(write_board(board_to_flowlike(board, registry)), registry)[0] == board


def test_a_board_file_without_nodes_opens(registry):
    """A board just made in Flow-Like has no nodes (maybe variables): its `.board` opens as an empty board (it was
    refused as neither a board nor an app)."""
    variables = {"v": {"id": "v", "name": "note", "data_type": "String", "value_type": "Normal",
                       "default_value": list(b'"x"'), "exposed": True, "secret": False, "editable": True}}
    for fl in (fl_board(), fl_board(variables=variables)):
        board, _ = open_board(write_board(fl), registry)
        assert (board.id, board.nodes) == ("fl-board", {}) and len(board.variables) == len(fl["variables"])


def test_a_flowlike_struct_value_with_fields_our_model_lacks_runs_and_goes_back_whole(registry, tmp_path):
    """Flow-Like's FlowPath also carries the keys of its runtime's object stores (store_ref, cache_store_ref), which
    ours has no field for and refuses: the import leaves them out (noted), export writes Flow-Like's value back."""
    (tmp_path / "hi.txt").write_text("hello file")
    saved = {"path": str(tmp_path / "hi.txt"), "store_ref": "upload_dir", "cache_store_ref": None}
    start_out, read_in, read_out = (exec_pin("so", "exec_out", "Output"), exec_pin("ri", "exec_in", "Input"),
                                    exec_pin("ro", "exec_out", "Output", 2))
    path = fl_pin("rp", "path", data_type="Struct", default=saved, index=1, schema="FlowPath")
    content = fl_pin("rc", "content", "Output", index=3)
    log_in, message = exec_pin("li", "exec_in", "Input"), fl_pin("lm", "message", data_type="Generic", index=1)
    for out_pin, in_pin in ((start_out, read_in), (read_out, log_in), (content, message)):
        link(out_pin, in_pin)
    fl = fl_board(fl_node("s", "events_simple", [start_out]),
                  fl_node("r", "read_to_string", [read_in, path, read_out, content]),
                  fl_node("l", "log_info", [log_in, message]))
    board, report = open_board(json.dumps(fl).encode(), registry)
    assert board.nodes["r"].pin("path").default_value == {"path": saved["path"]}
    assert any("store_ref" in e.message and "'path'" in e.message for e in report.of("note"))
    run = board.run(registry=registry)
    assert run.ok, run.error
    assert "hello file" in [line.message for line in run.logs()]
    back = board_to_flowlike(board, registry)["nodes"]["r"]["pins"]["rp"]["default_value"]
    assert json.loads(bytes(back)) == saved


def test_flowlikes_schema_of_a_pin_goes_back_in_place_of_ours(registry):
    """Flow-Like checks and edits a struct pin by its own schema (here its FlowPath's, stored through the board's
    refs): export writes that back, not our model's."""
    theirs = json.dumps({"title": "FlowPath", "type": "object", "properties": {
        "path": {"type": "string"}, "store_ref": {"type": "string"}, "cache_store_ref": {"type": ["string", "null"]}},
        "required": ["path", "store_ref"]})
    read_in = exec_pin("ri", "exec_in", "Input")
    path = fl_pin("rp", "path", data_type="Struct", index=1, schema="4242424242")
    fl = fl_board(fl_node("r", "read_to_string", [read_in, path]), refs={"4242424242": theirs})
    board, _ = open_board(json.dumps(fl).encode(), registry)
    assert board.nodes["r"].pin("path").schema_["title"] == "FlowPath"  # ours, which our node checks
    back = board_to_flowlike(board, registry)
    assert back["nodes"]["r"]["pins"]["rp"]["schema"] == "4242424242" and back["refs"] == {"4242424242": theirs}
    assert open_board(write_board(back), registry)[0] == board


def test_a_pin_type_ours_overrode_goes_back_as_flowlike_saved_it(registry):
    toast = fl_pin("lt", "toast", data_type="String", default="yes", index=1)
    fl = fl_board(fl_node("l", "log_info", [exec_pin("li", "exec_in", "Input"), toast]))
    board, report = open_board(json.dumps(fl).encode(), registry)
    assert board.nodes["l"].pin("toast").data_type.value == "Boolean" and report.of("type-kept")
    out = board_to_flowlike(board, registry)["nodes"]["l"]["pins"]["lt"]
    assert (out["data_type"], out["value_type"], json.loads(bytes(out["default_value"]))) == ("String", "Normal", "yes")
    assert open_board(write_board(board_to_flowlike(board, registry)), registry)[0] == board
