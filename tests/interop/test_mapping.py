"""Mapping Flow-Like nodes onto ours: keys, pins by name, variadic groups, types, defaults, wires, layers."""

from __future__ import annotations

import json

from flowlike_json import exec_pin, fl_board, fl_node, fl_pin, link

from flowlike_core import Registry
from flowlike_core.interop import open_board
from flowlike_core.interop.mapping import board_to_flowlike


def load(board, registry):
    return open_board(json.dumps(board).encode(), registry)


def test_pins_match_by_name_not_id_and_keep_flowlikes_ids(registry):
    pins = [fl_pin("zz-2", "integer2", data_type="Integer", default=5, index=0),
            fl_pin("zz-1", "integer1", data_type="Integer", default=4, index=1),
            fl_pin("zz-3", "sum", "Output", data_type="Integer", index=2)]
    board, report = load(fl_board(fl_node("add", "int_add", pins)), registry)
    node = board.nodes["add"]
    assert (node.pin("integer1").id, node.pin("integer1").default_value) == ("zz-1", 4)
    assert (node.pin("integer2").id, node.pin("integer2").default_value) == ("zz-2", 5)
    assert [p.name for p in node.inputs] == ["integer1", "integer2"]  # our order, not the saved one
    assert not report.entries


def test_variadic_group_takes_every_saved_pin(registry):
    pins = [fl_pin(f"b{i}", "boolean", data_type="Boolean", default=i == 2, index=i) for i in range(3)]
    pins.append(fl_pin("r", "result", "Output", data_type="Boolean", index=3))
    board, report = load(fl_board(fl_node("or", "bool_or", pins)), registry)
    group = [p for p in board.nodes["or"].inputs if p.name == "boolean"]
    assert [(p.id, p.default_value) for p in group] == [("b0", False), ("b1", False), ("b2", True)]
    assert len({p.index for p in board.nodes["or"].pins.values()}) == 4
    assert not report.of("pin-dropped")
    assert board.validate(registry) == []


def test_variadic_group_saved_with_fewer_pins_than_ours_keeps_flowlikes_count(registry):
    """Flow-Like's Sequence has two outputs, ours three: the board keeps two, runs both, and exports two."""
    start_out, seq_in = exec_pin("so", "exec_out", "Output"), exec_pin("si", "exec_in", "Input")
    then = [exec_pin(f"t{i}", "exec_out", "Output", i + 1) for i in range(2)]
    says = [(exec_pin(f"l{i}", "exec_in", "Input"), fl_pin(f"m{i}", "message", default=f"step {i}", index=1))
            for i in range(2)]
    link(start_out, seq_in)
    for out_pin, (log_in, _) in zip(then, says, strict=True):
        link(out_pin, log_in)
    nodes = [fl_node("s", "events_simple", [start_out]), fl_node("seq", "control_sequence", [seq_in, *then]),
             *(fl_node(f"log{i}", "log_info", list(pins)) for i, pins in enumerate(says))]
    board, report = load(fl_board(*nodes), registry)
    assert [p.id for p in board.nodes["seq"].ordered_pins() if p.name == "exec_out"] == ["t0", "t1"]
    assert not [entry for entry in report.of("pin-added") if entry.node_id == "seq"]
    run = board.run(registry=registry)
    assert run.status.value == "Success", run.error
    assert [line.message for line in run.logs()] == ["step 0", "step 1"]
    back = board_to_flowlike(board, registry)["nodes"]["seq"]["pins"]
    assert sorted(p["id"] for p in back.values() if p["name"] == "exec_out") == ["t0", "t1"]


def test_unknown_pins_dropped_missing_ones_added_both_reported(registry):
    pins = [exec_pin("i", "exec_in", "Input"), fl_pin("m", "text", default="old name", index=1),
            exec_pin("o", "exec_out", "Output", 2)]
    board, report = load(fl_board(fl_node("log", "log_info", pins)), registry)
    node = board.nodes["log"]
    assert "text" not in [p.name for p in node.pins.values()]
    assert node.pin("message").default_value == registry.get("log_info").create().pin("message").default_value
    assert [e.pin for e in report.of("pin-dropped")] == ["text"]
    added = {e.pin: e.message for e in report.of("pin-added")}
    assert "message" in added and "'log_info' (log)" in added["message"]


def test_generic_pins_keep_their_saved_type_concrete_ones_report_a_disagreement(registry):
    pins = [exec_pin("i", "exec_in", "Input"), fl_pin("m", "message", data_type="Integer", default=3, index=1)]
    cond = [exec_pin("bi", "exec_in", "Input"), fl_pin("c", "condition", data_type="String", default="yes", index=1)]
    board, report = load(fl_board(fl_node("log", "log_info", pins), fl_node("br", "control_branch", cond)), registry)
    message = board.nodes["log"].pin("message")
    assert (message.data_type.value, message.default_value) == ("Integer", 3)
    condition = board.nodes["br"].pin("condition")
    assert condition.data_type.value == "Boolean"
    assert "saved as String, ours takes Boolean" in report.of("type-kept")[0].message
    assert report.of("default-dropped")[0].pin == "condition"
    assert condition.default_value is True  # our default


def test_reroute_carrying_execution_or_data(registry):
    exec_route = fl_node("r1", "reroute", [fl_pin("ri", "route_in", data_type="Execution"),
                                           fl_pin("ro", "route_out", "Output", data_type="Execution", index=1)])
    data_route = fl_node("r2", "reroute", [fl_pin("di", "route_in", data_type="Struct", schema='{"type": "object"}'),
                                           fl_pin("do", "route_out", "Output", data_type="Struct", index=1)])
    board, report = load(fl_board(exec_route, data_route), registry)
    assert board.nodes["r1"].name == "reroute"
    assert board.nodes["r1"].pin("exec_in").id == "ri" and board.nodes["r1"].pin("exec_out").id == "ro"
    assert board.nodes["r2"].name == "reroute_data"
    assert board.nodes["r2"].pin("route_in").schema_ == {"type": "object"}
    assert not report.of("pin-dropped") and not report.placeholders


def test_lancedb_nodes_map_onto_the_local_database_pack(registry):
    """Where no pack provides Flow-Like's LanceDB keys themselves, the vectors pack's nodes take them."""
    vectors_only = Registry()
    for node_type in registry:
        if node_type.name.startswith("vectors_") or node_type.name == "events_simple":
            vectors_only.register(node_type, pack=node_type.pack)
    registry = vectors_only
    pins = [exec_pin("i", "exec_in", "Input"), fl_pin("n", "name", default="docs", index=1),
            fl_pin("u", "user_scoped", data_type="Boolean", default=False, index=2),
            exec_pin("o", "exec_out", "Output", 3), fl_pin("db", "database", "Output", data_type="Struct", index=4)]
    board, report = load(fl_board(fl_node("open", "open_local_db", pins)), registry)
    node = board.nodes["open"]
    assert node.name == "vectors_open_table"
    assert node.pin("table").id == "db" and node.pin("name").default_value == "docs"
    assert report.of("renamed")[0].message.endswith("open_local_db -> vectors_open_table")
    assert [e.pin for e in report.of("pin-dropped")] == ["user_scoped"]


def test_one_sided_wires_repaired_dangling_dropped_fan_rules_hold(registry):
    out1, out2 = exec_pin("o1", "exec_out", "Output"), exec_pin("o2", "exec_out", "Output")
    in1, in2 = exec_pin("i1", "exec_in", "Input"), exec_pin("i2", "exec_in", "Input")
    value1 = fl_pin("v1", "message", default="a", index=1)
    value_src1 = fl_pin("s1", "sum", "Output", data_type="Integer", index=2)
    value_src2 = fl_pin("s2", "sum", "Output", data_type="Integer", index=2)
    link(out1, in1)
    link(out1, in2, on_input=False)  # a second target for one exec output: not allowed
    link(out2, in2, on_output=False)  # one-sided, repaired
    link(value_src1, value1)
    link(value_src2, value1)  # a second source for one data input: dropped
    value1["depends_on"].append("ghost")
    nodes = [fl_node("a", "events_simple", [out1]), fl_node("b", "events_simple", [out2]),
             fl_node("c", "log_info", [in1, value1]), fl_node("d", "log_info", [in2]),
             fl_node("x", "int_add", [value_src1]), fl_node("y", "int_add", [value_src2])]
    board, report = load(fl_board(*nodes), registry)
    wires = {(w.from_pin, w.to_pin) for w in board.connections}
    assert ("o1", "i1") in wires and ("o2", "i2") in wires and ("o1", "i2") not in wires
    assert len([w for w in wires if w[1] == "v1"]) == 1
    repaired = [e.message for e in report.of("wire-repaired")]
    assert len(repaired) == 2 and all("only" in m for m in repaired)
    dropped = " | ".join(e.message for e in report.of("wire-dropped"))
    assert "ghost" in dropped and "exec output starts one node" in dropped and "data input takes one wire" in dropped


def test_nested_layers_and_bridge_pins(registry):
    """Flow-Like puts a bridge pin on a layer where a wire crosses its edge; we join the pins at its ends."""
    start_out, log_in = exec_pin("so", "exec_out", "Output"), exec_pin("li", "exec_in", "Input")
    bridge = exec_pin("bridge", "exec_in", "Input")
    start_out["connected_to"] = ["bridge"]
    bridge["depends_on"], bridge["connected_to"] = ["so"], ["li"]
    log_in["depends_on"] = ["bridge"]
    layers = {"outer": {"id": "outer", "parent_id": None, "name": "Outer", "type": "Collapsed",
                        "coordinates": [10, 20, 0], "pins": {}, "nodes": {}, "comment": "group"},
              "inner": {"id": "inner", "parent_id": "outer", "name": "Inner", "type": "Collapsed",
                        "coordinates": [0, 0, 0], "pins": {"bridge": bridge}, "nodes": {},
                        "comments": {"ci": {"id": "ci", "content": "inside", "coordinates": [1, 1, 0]}}}}
    nodes = [fl_node("s", "events_simple", [start_out], layer="outer"),
             fl_node("l", "log_info", [log_in], layer="inner")]
    board, report = load(fl_board(*nodes, layers=layers), registry)
    assert [(w.from_pin, w.to_pin) for w in board.connections] == [("so", "li")]
    assert not report.of("wire-repaired") and not report.of("wire-dropped")
    assert board.layers["outer"].nodes == ["s"] and board.layers["inner"].nodes == ["l"]
    assert (board.layers["outer"].parent_id, board.layers["inner"].parent_id) == (None, "outer")
    assert (board.layers["outer"].coordinates, board.layers["outer"].comment) == ((10, 20, 0), "group")
    assert board.nodes["l"].layer == "inner"
    assert board.comments["ci"].content == "inside"
    exported = board_to_flowlike(board, registry)["layers"]
    assert (exported["outer"]["parent_id"], exported["inner"]["parent_id"]) == (None, "outer")


def test_layers_whose_parents_loop_are_drawn_on_the_board_with_a_note(registry):
    layers = {key: {"id": key, "parent_id": parent, "name": key.title(), "type": "Collapsed", "coordinates": [0, 0, 0],
                    "pins": {}, "nodes": {}} for key, parent in (("a", "b"), ("b", "a"), ("c", "a"))}
    board, report = load(fl_board(fl_node("s", "events_simple", [], layer="c"), layers=layers), registry)
    assert sorted((layer.id, layer.parent_id) for layer in board.layers.values()) == [("a", None), ("b", "a"),
                                                                                      ("c", "a")]
    assert [e.message for e in report.of("note")] == ["layer 'A' (a) sat inside itself through b: it is drawn on "
                                                      "the board"]


def test_a_pin_flowlike_saved_as_generic_takes_our_type_without_a_report(registry):
    cond = [exec_pin("bi", "exec_in", "Input"), fl_pin("c", "condition", data_type="Generic", index=1)]
    board, report = load(fl_board(fl_node("br", "control_branch", cond)), registry)
    assert board.nodes["br"].pin("condition").data_type.value == "Boolean"
    assert not report.of("type-kept")


def test_an_imported_board_runs_with_its_variables(registry):
    start_out, log_in = exec_pin("so", "exec_out", "Output"), exec_pin("li", "exec_in", "Input")
    message = fl_pin("lm", "message", index=1)
    var_ref = fl_pin("vr", "var_ref", default="var-1", index=0)
    value = fl_pin("vv", "value_ref", "Output", data_type="String", index=1)
    link(start_out, log_in)
    link(value, message)
    variables = {"var-1": {"id": "var-1", "name": "greeting", "data_type": "String", "value_type": "Normal",
                           "default_value": list(b'"hello from Flow-Like"'), "exposed": True, "secret": False,
                           "editable": True}}
    nodes = [fl_node("s", "events_simple", [start_out]), fl_node("l", "log_info", [log_in, message]),
             fl_node("g", "variable_get", [var_ref, value])]
    board, report = load(fl_board(*nodes, variables=variables), registry)
    run = board.run(registry=registry)
    assert run.status.value == "Success", run.error
    assert "hello from Flow-Like" in [line.message for line in run.logs()]
    assert not report.of("wire-dropped") and not report.placeholders


def test_flowlikes_byte_arrays_keep_their_type_default_and_wires(registry, tmp_path):
    """Flow-Like's file bytes are Array<Byte> as ours are: the default writes, the wire holds, no disagreement."""
    start_out, write_in, write_out = (exec_pin("so", "exec_out", "Output"), exec_pin("wi", "exec_in", "Input"),
                                      exec_pin("wo", "exec_out", "Output"))
    copy_in = exec_pin("ci", "exec_in", "Input")
    path = fl_pin("wp", "path", data_type="Struct", default={"path": str(tmp_path / "hi.bin")}, index=1)
    content = fl_pin("wc", "content", data_type="Byte", value_type="Array", default=[104, 105], index=2)
    as_bytes = fl_pin("tb", "bytes", "Output", data_type="Byte", value_type="Array")
    copied = fl_pin("cc", "content", data_type="Byte", value_type="Array", index=2)
    link(start_out, write_in)
    link(write_out, copy_in)
    link(as_bytes, copied)
    nodes = [fl_node("s", "events_simple", [start_out]), fl_node("w", "write_bytes", [write_in, path, content,
                                                                                      write_out]),
             fl_node("t", "val_to_bytes", [fl_pin("tv", "value", data_type="Generic", default=[1]), as_bytes]),
             fl_node("c", "write_bytes", [copy_in, copied, fl_pin("cp", "path", data_type="Struct", index=1,
                                                                  default={"path": str(tmp_path / "v.json")})])]
    board, report = load(fl_board(*nodes), registry)
    assert not report.of("type-kept") and not report.of("default-dropped") and not report.of("wire-dropped")
    run = board.run(registry=registry)
    assert run.status.value == "Success", run.error
    assert (tmp_path / "hi.bin").read_bytes() == b"hi"
    assert json.loads((tmp_path / "v.json").read_text()) == [1]


def test_a_struct_variable_holding_a_json_array_opens_as_array_of_struct_and_goes_back_single(registry):
    """Flow-Like edits a single Struct variable as free JSON, so an array of objects is how it keeps a list of
    records: here that is Array<Struct> (the variable and the pins of the nodes reading it), and export writes the
    single Struct it read, with the same JSON."""
    records = [{"name": "ada"}, {"name": "alan"}]
    start_out, loop_in = exec_pin("so", "exec_out", "Output"), exec_pin("fi", "exec_in", "Input")
    array = fl_pin("fa", "array", data_type="Generic", value_type="Array", index=1)
    body, item = exec_pin("fb", "exec_out", "Output", 2), fl_pin("fv", "value", "Output", data_type="Generic", index=3)
    log_in, message = exec_pin("li", "exec_in", "Input"), fl_pin("lm", "message", data_type="Generic", index=1)
    var_ref = fl_pin("vr", "var_ref", default="var-1")
    value = fl_pin("vv", "value_ref", "Output", data_type="Struct", index=1)
    for out_pin, in_pin in ((start_out, loop_in), (value, array), (body, log_in), (item, message)):
        link(out_pin, in_pin)
    variables = {"var-1": {"id": "var-1", "name": "people", "data_type": "Struct", "value_type": "Normal",
                           "default_value": list(json.dumps(records).encode()), "exposed": False, "secret": False,
                           "editable": True}}
    nodes = [fl_node("s", "events_simple", [start_out]), fl_node("f", "control_for_each", [loop_in, array, body, item]),
             fl_node("l", "log_info", [log_in, message]), fl_node("g", "variable_get", [var_ref, value])]
    board, report = load(fl_board(*nodes, variables=variables), registry)
    variable = board.variables["var-1"]
    assert (variable.data_type.value, variable.value_type.value, variable.default_value) == ("Struct", "Array", records)
    assert board.nodes["g"].pin("value_ref").type_label() == "Array<Struct>"
    assert not report.of("default-dropped")
    assert any("people" in entry.message and "Array<Struct>" in entry.message for entry in report.of("note"))
    assert [p for p in board.validate(registry) if p.severity == "error"] == []
    run = board.run(registry=registry)
    assert run.status.value == "Success", run.error
    logged = " ".join(line.message for line in run.logs())
    assert logged.index("ada") < logged.index("alan")
    back = board_to_flowlike(board, registry)
    assert back["variables"]["var-1"]["value_type"] == "Normal"
    assert json.loads(bytes(back["variables"]["var-1"]["default_value"])) == records
    assert back["nodes"]["g"]["pins"]["vv"]["value_type"] == "Normal"
    again, _ = load(back, registry)
    assert again.variables["var-1"].value_type.value == "Array"


def test_a_pin_reading_the_record_list_wired_to_a_single_struct_input_stays_single(registry):
    """Flow-Like's loose single Struct let its Get Variable feed a node taking one struct: that pin keeps Struct (the
    wire stays valid, as in Flow-Like), while the variable opens as Array<Struct>."""
    value = fl_pin("vv", "value_ref", "Output", data_type="Struct", index=1)
    field = fl_pin("sf", "struct", data_type="Struct")
    link(value, field)
    variables = {"var-1": {"id": "var-1", "name": "people", "data_type": "Struct", "value_type": "Normal",
                           "default_value": list(b'[{"name": "ada"}]'), "exposed": False, "secret": False,
                           "editable": True}}
    nodes = [fl_node("g", "variable_get", [fl_pin("vr", "var_ref", default="var-1"), value]),
             fl_node("s", "struct_get", [field, fl_pin("sn", "field", default="name", index=1)])]
    board, _ = load(fl_board(*nodes, variables=variables), registry)
    assert board.variables["var-1"].value_type.value == "Array"
    assert board.nodes["g"].pin("value_ref").type_label() == "Struct"
    assert [p for p in board.validate(registry) if p.code == "type-mismatch"] == []
