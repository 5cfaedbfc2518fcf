"""validate() names a Format String or Render Template placeholder that nothing fills: the run would fail there."""

from __future__ import annotations

import json

from flowlike_json import exec_pin, fl_board, fl_node, fl_pin, link

import flowlike_nb as fnb
from flowlike_core import commands
from flowlike_core.interop import open_board


def warnings(board, registry) -> list:
    return [p for p in board.validate(registry) if p.code == "placeholder-empty"]


def test_format_string_placeholder_neither_wired_nor_given_is_named(registry):
    board = fnb.Board("greet")
    start, say = board.add("events_simple", "start"), board.add("log_info", "say")
    fmt = board.add("string_format", "greeting", format_string="Hello {name}, {mood}!", name="Ada", mood=None)
    start.outputs.exec_out >> say.inputs.exec_in
    fmt.outputs.formatted_string >> say.inputs.message
    (found,) = warnings(board.core, registry)
    assert found.severity == "warning" and found.node_id == fmt.id
    assert found.pin_id == fmt.core.pin("mood").id
    assert "'greeting'" in found.message and "{mood}" in found.message and "name" not in found.message
    run = board.core.run(registry=registry)
    assert run.status.value == "Failed" and "{mood}" in str(run.error)  # the warning says what the run meets
    upper = board.add("string_to_upper", "mood", string="fine")
    upper.outputs.uppercase_string >> fmt.inputs.mood
    assert warnings(board.core, registry) == []


def test_a_placeholder_the_values_map_holds_or_may_hold_is_not_named(registry):
    board = fnb.Board("mapped")
    board.add("string_format", "given", format_string="{a}{b}", values={"b": 2}, a=1, b=None)
    wired = board.add("string_format", "wired map", format_string="{c}", c=None)
    board.add("variable_get", "map", var_ref="m").outputs.value_ref >> wired.inputs.values
    board.add("string_format", "wired template", format_string=None)
    assert warnings(board.core, registry) == []


def test_render_template_variable_left_empty_is_named(registry):
    board = fnb.Board("render")
    node = board.add("string_render_template", "letter",
                     template="Dear {{ who }},{% for x in items %} {{ x }}{% endfor %}", who="Ada", items=None)
    (found,) = warnings(board.core, registry)
    assert found.node_id == node.id and "'letter'" in found.message and "items" in found.message


def test_a_flowlike_format_string_with_an_unwired_placeholder_pin(registry):
    """Flow-Like adds a Generic pin per placeholder, without a value: an imported one left empty is named."""
    template = fl_pin("t", "format_string", default="{user} bought {item}", index=0)
    user, item = fl_pin("u", "user", data_type="Generic", index=1), fl_pin("i", "item", data_type="Generic", index=2)
    text = fl_pin("o", "formatted_string", "Output", index=3)
    start_out, log_in, message = exec_pin("so", "exec_out", "Output"), exec_pin("li", "exec_in", "Input"), \
        fl_pin("lm", "message", data_type="Generic", index=1)
    upper_in = fl_pin("ui", "string", default="ada")
    name = fl_pin("n", "uppercase_string", "Output", index=1)
    link(start_out, log_in)
    link(text, message)
    link(name, user)
    nodes = [fl_node("f", "string_format", [template, user, item, text], friendly_name="Receipt"),
             fl_node("s", "events_simple", [start_out]), fl_node("l", "log_info", [log_in, message]),
             fl_node("c", "string_to_upper", [upper_in, name])]
    board, _ = open_board(json.dumps(fl_board(*nodes)).encode(), registry)
    (found,) = warnings(board, registry)
    assert (found.node_id, found.pin_id) == ("f", "i") and "'Receipt'" in found.message


def test_a_placeholder_without_a_pin_says_how_to_get_one(registry):
    """A template changed without its pins following (a plain UpdateNode): the placeholder is named, and the fix."""
    board = fnb.Board("edited")
    fmt = board.add("string_format", "note", format_string="{a}", a=1)
    board.core.apply(commands.UpdateNode(fmt.id, defaults={"format_string": "{a} {b}"}))
    (found,) = warnings(board.core, registry)
    assert found.pin_id is None and "{b}" in found.message and "SetKeys" in found.message
    board.core.apply(commands.SetKeys(fmt.id, registry.get("string_format")))
    (found,) = warnings(board.core, registry)
    assert found.pin_id == fmt.core.pin("b").id
