"""A rich Flow-Like board written by hand in Flow-Like's serde shape, for the trial-4 interop tests.

Pins come from Flow-Like catalog signatures (`IN name:Type[/ValueType][@Schema][=default], ... | OUT ...`,
as /work/shared/flowlike/catalog.tsv records them); each node also carries the fields only Flow-Like has
(icon, scores, docs, hash...), so that a round trip can be checked for losing them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from flowlike_json import fl_board, link

VALUE_TYPES = {"Array", "HashMap", "HashSet"}


def json_bytes(value: Any) -> list[int]:
    return list(json.dumps(value).encode())


def sig_pins(node_id: str, signature: str, defaults: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Pins from a catalog signature; a pin's id is `NODE.NAME` (`NODE.NAME.N` for the Nth of a variadic group)."""
    defaults = defaults or {}
    pins: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for side, pin_type in zip(signature.split(" | "), ("Input", "Output"), strict=True):
        for index, item in enumerate(filter(None, (p.strip() for p in side.partition(" ")[2].split(", ")))):
            spec, _, default = item.partition("=")
            name, _, kind = spec.partition(":")
            kind, _, schema = kind.partition("@")
            data_type, _, value_type = kind.partition("/")
            count = seen[(pin_type, name)] = seen.get((pin_type, name), -1) + 1
            value = defaults.get(name, json.loads(default) if default else None)
            pins.append({
                "id": f"{node_id}.{name}" + (f".{count}" if count else ""), "name": name,
                "friendly_name": name.replace("_", " ").title(), "description": "", "pin_type": pin_type,
                "data_type": data_type, "schema": schema or None, "value_type": value_type or "Normal",
                "depends_on": [], "connected_to": [],
                "default_value": None if value is None or pin_type == "Output" else json_bytes(value),
                "index": index, "options": None})
    return pins


FLOWLIKE_ONLY_NODE = {"icon": "/flow/icons/bolt.svg", "scores": {"privacy": 1, "security": 2, "performance": 3,
                                                                  "governance": 4, "reliability": 5, "cost": 6},
                      "docs": "Some docs", "long_running": True, "hash": 1234567, "only_offline": True,
                      "oauth_providers": ["github"], "required_oauth_scopes": {"github": ["repo"]}}


def sig_node(node_id: str, key: str, signature: str, at: tuple[float, float], defaults: dict[str, Any] | None = None,
             **extra: Any) -> dict[str, Any]:
    pins = sig_pins(node_id, signature, defaults)
    return {"id": node_id, "name": key, "friendly_name": extra.pop("friendly_name", key.replace("_", " ").title()),
            "description": extra.pop("description", ""), "coordinates": [at[0], at[1], 0.0],
            "category": extra.pop("category", ""), "pins": {p["id"]: p for p in pins},
            "start": extra.pop("start", None), "comment": extra.pop("comment", None),
            "layer": extra.pop("layer", None), **extra}


def wire(board: dict[str, Any], source: str, target: str, *, one_sided: bool = False) -> None:
    """`NODE.PIN -> NODE.PIN` by pin id; `one_sided` records it on the output only."""
    pins = {pid: p for n in board["nodes"].values() for pid, p in n["pins"].items()}
    link(pins[source], pins[target], on_input=not one_sided)


# Flow-Like catalog signatures of the nodes the board uses (std unless its pack is named).
SIG = {
    "events_simple": "IN  | OUT exec_out:Execution",
    "log_info": "IN exec_in:Execution, message:Generic=\"\", toast:Boolean=false | OUT exec_out:Execution",
    "control_for_each": "IN exec_in:Execution, array:Generic/Array | OUT exec_out:Execution, value:Generic, "
                        "index:Integer, done:Execution",
    "control_while_loop": "IN exec_in:Execution, condition:Boolean=false, max_iter:Integer=15 | "
                          "OUT exec_out:Execution, iter:Integer, done:Execution",
    "control_branch": "IN exec_in:Execution, condition:Boolean=true | OUT true:Execution, false:Execution",
    "control_sequence": "IN exec_in:Execution | OUT exec_out:Execution, exec_out:Execution",
    "variable_get": "IN var_ref:String | OUT value_ref:Generic",
    "variable_set": "IN exec_in:Execution, var_ref:String, value_in:Generic | OUT exec_out:Execution, "
                    "value_ref:Generic",
    "int_add": "IN integer1:Integer, integer2:Integer | OUT sum:Integer",
    "int_less_than": "IN integer1:Integer, integer2:Integer | OUT less_than:Boolean",
    "int_greater_than": "IN integer1:Integer, integer2:Integer | OUT greater_than:Boolean",
    "array_length": "IN array:Generic/Array | OUT length:Integer",
    "bool_or": "IN boolean:Boolean=false, boolean:Boolean=false, boolean:Boolean=false | OUT result:Boolean",
    "reroute": "IN route_in:Generic | OUT route_out:Generic",
    "struct_get": "IN struct:Struct, field:String | OUT value:Generic, found:Boolean",
    "map_get": "IN map_in:Generic/HashMap, key:String | OUT value:Generic, found:Boolean",
    "set_has": "IN set_in:Generic/HashSet, value:Generic | OUT contains:Boolean",
    "val_to_string": "IN value:Generic, pretty:Boolean=true | OUT string:String",
    "automation_start_session": "IN exec_in:Execution, default_delay_ms:Integer=50, click_delay_ms:Integer=10, "
                                "debug_mode:Boolean=false | OUT exec_out:Execution, "
                                "session:Struct@AutomationSession",
}

PACK_NODES = {  # one node of each pack we cover beside std, as Flow-Like's catalog declares it
    "geo": ("h3_latlng_to_cell", "IN coordinate:Struct@GeoCoordinate, resolution:Integer=9 | OUT cell:String"),
    "web": ("http_make_request", "IN method:String=\"GET\", url:String | OUT request:Struct@HttpRequest"),
    "media": ("read_image", "IN exec_in:Execution, path:Struct@FlowPath, apply_exif:Boolean=false | "
                            "OUT exec_out:Execution, image_out:Struct@NodeImage"),
    "ml": ("fit_kmeans", "IN exec_in:Execution, cluster:Integer=2, source:String=\"Database\" | "
                         "OUT exec_out:Execution, model:Struct@NodeMLModel"),
    "onnx": ("load_onnx", "IN exec_in:Execution, path:Struct@FlowPath | OUT exec_out:Execution, "
                          "model:Struct@NodeOnnxSession, accelerated:Boolean, active_provider:String"),
    "processing": ("ai_processing_yake_extraction", "IN text:String=\"\", language:String=\"auto\", "
                                                   "max_keywords:Integer=10 | OUT keywords:String/HashSet"),
    "llm": ("ai_generative_make_history", "IN model_name:String=\"\" | OUT history:Struct@History"),
    "data": ("open_local_db", "IN exec_in:Execution, name:String=\"docs\", user_scoped:Boolean=false | "
                              "OUT exec_out:Execution, database:Struct@NodeDBConnection"),
    "automation": ("browser_open", "IN exec_in:Execution, session:Struct@AutomationSession, "
                                   "headless:Boolean=true | OUT exec_out:Execution, "
                                   "session_out:Struct@AutomationSession"),
}

MISSING = {  # keys no pack of ours provides: one Flow-Like knows (pack 'web'), one nobody does
    "n-copilot": ("copilot_abort", "IN exec_in:Execution, session:Struct@CopilotSession | OUT exec_out:Execution"),
    "n-acme": ("acme_frobnicate", "IN exec_in:Execution, level:Integer=7, mode:String=\"fast\" | "
                                  "OUT exec_out:Execution, result:Generic"),
}

PERSON = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
          "required": ["name"]}

VARIABLES = [  # (id, name, data type, value type, default, extra fields)
    ("v-items", "items", "String", "Array", ["a", "b", "c"], {"exposed": True}),
    ("v-counter", "counter", "Integer", "Normal", 0, {"category": "loop"}),
    ("v-ratio", "ratio", "Float", "Normal", 0.25, {}),
    ("v-flag", "flag", "Boolean", "Normal", True, {}),
    ("v-when", "when", "Date", "Normal", "2025-04-01T12:00:00Z", {}),
    ("v-where", "where", "PathBuf", "Normal", "/tmp/data.csv", {}),
    ("v-bytes", "raw", "Byte", "Array", [0, 1, 255], {}),
    ("v-person", "person", "Struct", "Normal", {"name": "Ada", "age": 36},
     {"schema": json.dumps(PERSON), "hash": 99}),
    ("v-scores", "scores", "Integer", "HashMap", {"x": 1, "y": 2}, {}),
    ("v-tags", "tags", "String", "HashSet", ["red", "blue"], {"runtime_configured": True}),
    ("v-any", "anything", "Generic", "Normal", {"nested": [1, {"deep": None}]}, {}),
    ("v-token", "token", "String", "Normal", None, {"secret": True, "editable": False}),
]


def rich_board() -> dict[str, Any]:
    """Flow-Like serde JSON of a board with most node kinds; a run from `start` logs a, b, c, `3 items` and
    `done` and leaves `counter` at 3. The pack nodes and the missing ones hang off a second event, `offline`."""
    nodes: list[dict[str, Any]] = [
        sig_node("start", "events_simple", SIG["events_simple"], (0, 0), start=True, friendly_name="Start",
                 **FLOWLIKE_ONLY_NODE, version=1),
        sig_node("hello", "log_info", SIG["log_info"], (200, 0), {"message": "begin"}, comment="says hello"),
        sig_node("items", "variable_get", SIG["variable_get"], (200, 200), {"var_ref": "v-items"}),
        sig_node("loop", "control_for_each", SIG["control_for_each"], (400, 0)),
        sig_node("rr-value", "reroute", SIG["reroute"], (500, 150)),
        sig_node("say", "log_info", SIG["log_info"], (600, 0), layer="l-body"),
        sig_node("rr-exec", "reroute", SIG["reroute"].replace("Generic", "Execution"), (600, 300)),
        sig_node("while", "control_while_loop", SIG["control_while_loop"], (800, 300), {"max_iter": 10}),
        sig_node("count", "variable_get", SIG["variable_get"], (800, 500), {"var_ref": "v-counter"}),
        sig_node("less", "int_less_than", SIG["int_less_than"], (1000, 500), {"integer2": 3}),
        sig_node("plus", "int_add", SIG["int_add"], (1000, 650), {"integer2": 1}, layer="l-inner"),
        sig_node("set", "variable_set", SIG["variable_set"], (1200, 300), {"var_ref": "v-counter"},
                 layer="l-inner"),
        sig_node("len", "array_length", SIG["array_length"], (1200, 500)),
        sig_node("many", "int_greater_than", SIG["int_greater_than"], (1400, 500), {"integer2": 2}),
        sig_node("any", "bool_or", SIG["bool_or"], (1500, 500)),
        sig_node("branch", "control_branch", SIG["control_branch"], (1600, 300)),
        sig_node("text", "val_to_string", SIG["val_to_string"], (1600, 600), {"pretty": False}),
        sig_node("report", "log_info", SIG["log_info"], (1800, 200)),
        sig_node("few", "log_info", SIG["log_info"], (1800, 400), {"message": "few"}),
        sig_node("seq", "control_sequence", SIG["control_sequence"], (2000, 200)),
        sig_node("done", "log_info", SIG["log_info"], (2200, 200), {"message": "done"}),
        sig_node("person", "variable_get", SIG["variable_get"], (2200, 500), {"var_ref": "v-person"}),
        sig_node("rr-struct", "reroute", SIG["reroute"].replace("Generic", "Struct"), (2300, 500)),
        sig_node("age", "struct_get", SIG["struct_get"], (2400, 500), {"field": "age"}),
        sig_node("offline", "events_simple", SIG["events_simple"], (0, 1000), start=True),
        sig_node("session", "automation_start_session", SIG["automation_start_session"], (0, 1200)),
    ]
    rr_struct = next(node for node in nodes if node["id"] == "rr-struct")
    for pin in rr_struct["pins"].values():
        pin["schema"] = json.dumps(PERSON)
    x = 200
    for pack, (key, signature) in PACK_NODES.items():
        nodes.append(sig_node(f"pack-{pack}", key, signature, (x, 1000), category=pack))
        x += 200
    for node_id, (key, signature) in MISSING.items():
        nodes.append(sig_node(node_id, key, signature, (x, 1000), {"level": 9}, **FLOWLIKE_ONLY_NODE,
                              version=4, description="a node we lack", category="Elsewhere"))
        x += 200
    board = fl_board(*nodes, id="trial4", name="Trial four", refs={"777777777777": "described by a ref"},
                     description="777777777777", layers=_layers(), comments=_comments(),
                     variables={v[0]: _variable(*v) for v in VARIABLES})
    board.update(viewport=[10.5, -20.25, 1.5], stage="QA", execution_mode="Local", page_ids=["page-1"],
                 created_at={"secs_since_epoch": 1700000000, "nanos_since_epoch": 5},
                 updated_at={"secs_since_epoch": 1700000100, "nanos_since_epoch": 7})
    for source, target in [
        ("start.exec_out", "hello.exec_in"), ("hello.exec_out", "loop.exec_in"), ("items.value_ref", "loop.array"),
        ("loop.exec_out", "say.exec_in"), ("loop.value", "rr-value.route_in"), ("rr-value.route_out", "say.message"),
        ("loop.done", "rr-exec.route_in"), ("rr-exec.route_out", "while.exec_in"),
        ("count.value_ref", "less.integer1"), ("less.less_than", "while.condition"),
        ("while.exec_out", "set.exec_in"), ("count.value_ref", "plus.integer1"), ("plus.sum", "set.value_in"),
        ("while.done", "branch.exec_in"), ("items.value_ref", "len.array"), ("len.length", "many.integer1"),
        ("many.greater_than", "any.boolean"), ("any.result", "branch.condition"), ("len.length", "text.value"),
        ("branch.true", "report.exec_in"), ("text.string", "report.message"), ("branch.false", "few.exec_in"),
        ("report.exec_out", "seq.exec_in"), ("seq.exec_out", "done.exec_in"),
        ("person.value_ref", "rr-struct.route_in"), ("rr-struct.route_out", "age.struct"),
        ("offline.exec_out", "pack-data.exec_in"), ("pack-data.exec_out", "n-copilot.exec_in"),
        ("n-copilot.exec_out", "n-acme.exec_in"), ("n-acme.result", "pack-web.url"),
        ("session.session", "pack-automation.session"),
    ]:
        wire(board, source, target)
    wire(board, "seq.exec_out.1", "few.exec_in", one_sided=True)  # a wire Flow-Like stored on one pin only
    board["nodes"]["report"]["pins"]["report.message"]["options"] = {
        "valid_values": None, "range": None, "step": None, "enforce_schema": None,
        "enforce_generic_value_type": None, "sensitive": None}
    board["nodes"]["n-acme"]["pins"]["n-acme.mode"]["options"] = {
        "valid_values": ["fast", "slow"], "range": None, "step": None, "enforce_schema": True,
        "enforce_generic_value_type": None, "sensitive": True}
    board["nodes"]["n-acme"]["pins"]["n-acme.level"]["options"] = {
        "valid_values": None, "range": [0.0, 10.0], "step": 1.0, "enforce_schema": None,
        "enforce_generic_value_type": None, "sensitive": None}
    return board


def _variable(var_id: str, name: str, data_type: str, value_type: str, default: Any,
              extra: dict[str, Any]) -> dict[str, Any]:
    return {"id": var_id, "name": name, "category": extra.get("category"), "description": f"the {name}",
            "default_value": None if default is None else json_bytes(default), "data_type": data_type,
            "value_type": value_type, "exposed": extra.get("exposed", False), "secret": extra.get("secret", False),
            "editable": extra.get("editable", True), "hash": extra.get("hash"), "schema": extra.get("schema"),
            "runtime_configured": extra.get("runtime_configured", False)}


def _comments() -> dict[str, Any]:
    stamp = {"secs_since_epoch": 1700000050, "nanos_since_epoch": 0}
    comments = [
        {"id": "c-text", "author": "ada", "content": "# The loop\nruns **three** times", "comment_type": "Text",
         "timestamp": stamp, "coordinates": [380.0, -120.0, 0.0], "width": 300.0, "height": 90.0, "layer": None,
         "color": "#ffcc00", "z_index": 2, "hash": 42, "is_locked": True},
        {"id": "c-image", "author": None, "content": "https://example.invalid/diagram.png", "comment_type": "Image",
         "timestamp": stamp, "coordinates": [0.0, 500.0, 0.0], "width": None, "height": None, "layer": None,
         "color": None, "z_index": None, "hash": None, "is_locked": None},
        {"id": "c-inner", "author": "bob", "content": "inside the group", "comment_type": "Text",
         "timestamp": stamp, "coordinates": [1000.0, 700.0, 0.0], "width": 120.0, "height": 0.0,
         "layer": "l-inner", "color": None, "z_index": -1, "hash": None, "is_locked": False},
    ]
    return {c["id"]: c for c in comments}


def _layers() -> dict[str, Any]:
    def layer(layer_id: str, name: str, parent: str | None, at: tuple[float, float], **extra: Any) -> dict[str, Any]:
        return {"id": layer_id, "parent_id": parent, "name": name, "type": "Collapsed", "nodes": {},
                "variables": {}, "comments": {}, "coordinates": [at[0], at[1], 0.0], "in_coordinates": None,
                "out_coordinates": None, "pins": {}, "comment": None, "error": None, "color": None, "hash": None,
                **extra}

    return {"l-body": layer("l-body", "Loop body", None, (600, 0), color="#00ff00", comment="the body",
                            in_coordinates=[550.0, 0.0, 0.0], out_coordinates=[700.0, 0.0, 0.0], hash=5),
            "l-inner": layer("l-inner", "Counter", "l-body", (1100, 400))}


def fresh() -> dict[str, Any]:
    """A deep copy of the rich board, to mutate in one test."""
    return copy.deepcopy(_RICH)


_RICH = rich_board()
