"""A Flow-Like board written by hand for trial 6: std control, variables, math, strings, arrays and maps, with
placeholder pins, a record list in a single-Struct variable, nested layers and comments (serde JSON)."""

from __future__ import annotations

from typing import Any

from flowlike_json import fl_board
from trial4_boards import json_bytes, sig_node, wire

SIG = {  # Flow-Like's catalog signatures of the nodes used
    "events_simple": "IN  | OUT exec_out:Execution",
    "string_to_upper": "IN string:String | OUT uppercase_string:String",
    "float_multiply": "IN float1:Float, float2:Float | OUT product:Float",
    "string_format": "IN format_string:String | OUT formatted_string:String",
    "array_push_ref": "IN exec_in:Execution, var_ref:String, value:Generic | OUT exec_out:Execution",
    "variable_get": "IN var_ref:String | OUT value_ref:Generic",
    "control_for_each": "IN exec_in:Execution, array:Generic/Array | OUT exec_out:Execution, value:Generic, "
                        "index:Integer, done:Execution",
    "string_render_template": "IN template:String | OUT rendered:String",
    "log_info": "IN exec_in:Execution, message:Generic=\"\", toast:Boolean=false | OUT exec_out:Execution",
    "control_sequence": "IN exec_in:Execution | OUT exec_out:Execution, exec_out:Execution",
    "map_set": "IN exec_in:Execution, map_in:Generic/HashMap, key:String, value:Generic | OUT exec_out:Execution, "
               "map_out:Generic/HashMap, replaced:Boolean",
    "map_size": "IN map_in:Generic/HashMap | OUT size:Integer",
    "val_to_string": "IN value:Generic, pretty:Boolean=true | OUT string:String",
    "float_vector_dot_product": "IN vector1:Float/Array, vector2:Float/Array | OUT result:Float",
    "float_greater_than": "IN float1:Float, float2:Float | OUT is_greater:Boolean",
    "control_branch": "IN exec_in:Execution, condition:Boolean=true | OUT true:Execution, false:Execution",
    "string_join": "IN strings:String/Array, separator:String | OUT joined_string:String",
    "reroute": "IN route_in:Float | OUT route_out:Float",
}

LOGGED = ["1.5", "2.0", "4.0", "ada (36)", "alan (41)", "2", "dot is big", "ADA is 10.0"]
"""What a run from `start` logs, in order."""


def placeholder_pin(node: dict[str, Any], name: str) -> None:
    """A pin Flow-Like's Format String / Render Template adds per placeholder (Generic, no value)."""
    pin_id = f"{node['id']}.{name}"
    node["pins"][pin_id] = {"id": pin_id, "name": name, "friendly_name": name, "description": "",
                            "pin_type": "Input", "data_type": "Generic", "schema": None, "value_type": "Normal",
                            "depends_on": [], "connected_to": [], "default_value": None,
                            "index": len(node["pins"]) + 1, "options": None}


def _variable(var_id: str, name: str, data_type: str, value_type: str, default: Any, exposed: bool = False
              ) -> dict[str, Any]:
    return {"id": var_id, "name": name, "category": None, "description": None, "default_value": json_bytes(default),
            "data_type": data_type, "value_type": value_type, "exposed": exposed, "secret": False, "editable": True,
            "hash": None, "schema": None, "runtime_configured": False}


def _layer(layer_id: str, name: str, parent: str | None, at: tuple[float, float]) -> dict[str, Any]:
    return {"id": layer_id, "parent_id": parent, "name": name, "type": "Collapsed", "nodes": {}, "variables": {},
            "comments": {}, "coordinates": [at[0], at[1], 0.0], "in_coordinates": None, "out_coordinates": None,
            "pins": {}, "comment": None, "error": None, "color": "#123456", "hash": None}


def _comment(comment_id: str, content: str, at: tuple[float, float], layer: str | None) -> dict[str, Any]:
    return {"id": comment_id, "author": "ada", "content": content, "comment_type": "Text",
            "timestamp": {"secs_since_epoch": 1700000000, "nanos_since_epoch": 0}, "coordinates": [at[0], at[1], 0.0],
            "width": None, "height": None, "layer": layer, "color": None, "z_index": 1, "hash": None,
            "is_locked": False}


def trial_board() -> dict[str, Any]:
    def node(node_id: str, key: str, at: tuple[float, float], defaults: dict[str, Any] | None = None,
             **extra: Any) -> dict[str, Any]:
        return sig_node(node_id, key, SIG[key], at, defaults, **extra)

    nodes = [
        node("start", "events_simple", (0, 0), start=True),
        node("upper", "string_to_upper", (0, 200), {"string": "ada"}),
        node("mul", "float_multiply", (0, 300), {"float1": 2.5, "float2": 4.0}),
        node("fmt", "string_format", (200, 200), {"format_string": "{who} is {age}"}, friendly_name="Greeting"),
        node("push", "array_push_ref", (200, 0), {"var_ref": "v-log"}),
        node("nums", "variable_get", (400, 200), {"var_ref": "v-nums"}),
        node("loop", "control_for_each", (400, 0)),
        node("rr", "reroute", (500, 100)),
        node("say", "log_info", (600, 0), layer="l-body"),
        node("people", "variable_get", (600, 300), {"var_ref": "v-people"}),
        node("loop2", "control_for_each", (800, 0)),
        node("tpl", "string_render_template", (900, 200), {"template": "{{ p.name }} ({{ p.age }})"},
             layer="l-inner"),
        node("say2", "log_info", (1000, 0), layer="l-inner"),
        node("seq", "control_sequence", (1200, 0)),
        node("scores", "variable_get", (1200, 300), {"var_ref": "v-scores"}),
        node("mset", "map_set", (1400, 0), {"key": "y", "value": 2}),
        node("msize", "map_size", (1400, 300)),
        node("sizestr", "val_to_string", (1500, 300), {"pretty": False}),
        node("say3", "log_info", (1600, 0)),
        node("dot", "float_vector_dot_product", (1400, 500), {"vector1": [1.0, 2.0], "vector2": [3.0, 4.0]}),
        node("gt", "float_greater_than", (1600, 500), {"float2": 10.0}),
        node("branch", "control_branch", (1600, 200)),
        node("big", "log_info", (1800, 200), {"message": "dot is big"}),
        node("small", "log_info", (1800, 400), {"message": "dot is small"}),
        node("logs", "variable_get", (1800, 600), {"var_ref": "v-log"}),
        node("join", "string_join", (2000, 600), {"separator": "; "}),
        node("say4", "log_info", (2000, 200)),
    ]
    by_id = {n["id"]: n for n in nodes}
    placeholder_pin(by_id["fmt"], "who")
    placeholder_pin(by_id["fmt"], "age")
    placeholder_pin(by_id["tpl"], "p")
    board = fl_board(
        *nodes, id="trial6", name="Trial six", description="std nodes by hand",
        variables={v["id"]: v for v in [
            _variable("v-nums", "nums", "Float", "Array", [1.5, 2.0, 4.0], exposed=True),
            _variable("v-people", "people", "Struct", "Normal", [{"name": "ada", "age": 36},
                                                                 {"name": "alan", "age": 41}]),
            _variable("v-scores", "scores", "Integer", "HashMap", {"x": 1}),
            _variable("v-log", "log", "String", "Array", []),
        ]},
        layers={"l-body": _layer("l-body", "Bodies", None, (600, 0)),
                "l-inner": _layer("l-inner", "People", "l-body", (900, 100))},
        comments={"c1": _comment("c1", "## loops", (400, -100), None),
                  "c2": _comment("c2", "in the group", (900, 300), "l-inner")})
    for source, target in [
        ("start.exec_out", "push.exec_in"), ("upper.uppercase_string", "fmt.who"), ("mul.product", "fmt.age"),
        ("fmt.formatted_string", "push.value"), ("push.exec_out", "loop.exec_in"), ("nums.value_ref", "loop.array"),
        ("loop.exec_out", "say.exec_in"), ("loop.value", "rr.route_in"), ("rr.route_out", "say.message"),
        ("loop.done", "loop2.exec_in"), ("people.value_ref", "loop2.array"), ("loop2.exec_out", "say2.exec_in"),
        ("loop2.value", "tpl.p"), ("tpl.rendered", "say2.message"), ("loop2.done", "seq.exec_in"),
        ("seq.exec_out", "mset.exec_in"), ("scores.value_ref", "mset.map_in"), ("mset.exec_out", "say3.exec_in"),
        ("mset.map_out", "msize.map_in"), ("msize.size", "sizestr.value"), ("sizestr.string", "say3.message"),
        ("seq.exec_out.1", "branch.exec_in"), ("dot.result", "gt.float1"), ("gt.is_greater", "branch.condition"),
        ("branch.true", "big.exec_in"), ("branch.false", "small.exec_in"), ("big.exec_out", "say4.exec_in"),
        ("logs.value_ref", "join.strings"), ("join.joined_string", "say4.message"),
    ]:
        wire(board, source, target)
    return board
