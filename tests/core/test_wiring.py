"""Connection rules: the engine, not the editor, decides; a refusal names both pins and the rule."""

from __future__ import annotations

import pytest

from flowlike_core import ConnectionRefused, DataType
from flowlike_core.wiring import schema_satisfies


def test_output_to_input_only(build):
    a, b = build.add("t_add_one"), build.add("t_add_one")
    with pytest.raises(ConnectionRefused, match="from an output pin to an input pin"):
        build.wire(a, "exec_in", b, "exec_in")


def test_exec_only_to_exec(build):
    a, b = build.add("t_add_one"), build.add("t_add_one")
    with pytest.raises(ConnectionRefused, match=r"t_add_one.*exec_out.*value.*execution pins connect only"):
        build.wire(a, "exec_out", b, "value")


def test_not_to_itself(build):
    a = build.add("t_add_one")
    with pytest.raises(ConnectionRefused, match="itself"):
        build.wire(a, "value", a, "value")


def test_data_input_has_one_source_new_wire_replaces(build):
    a, b, c = build.add("t_add_one"), build.add("t_add_one"), build.add("t_add_one")
    build.wire(a, "value", c, "value")
    build.wire(b, "value", c, "value")
    into = build.board.wires_into(c.id, c.pin("value", direction=None).id)
    assert [w.from_node for w in into] == [b.id]


def test_exec_output_drives_one_wire_exec_input_collects_many(build):
    a, b, c = build.add("t_add_one"), build.add("t_add_one"), build.add("t_add_one")
    build.wire(a, "exec_out", b, "exec_in")
    build.wire(a, "exec_out", c, "exec_in")
    assert [w.to_node for w in build.board.wires_from(a.id, a.pin("exec_out").id)] == [c.id]
    build.wire(b, "exec_out", c, "exec_in")
    assert len(build.board.wires_into(c.id, c.pin("exec_in").id)) == 2


def test_data_type_must_match(build):
    numbers, record_point = build.add("t_point"), build.add("t_add_one")
    with pytest.raises(ConnectionRefused, match=r"data types differ \(Struct vs Integer\)"):
        build.wire(numbers, "point", record_point, "value")


def test_value_type_must_match(build):
    numbers, add = build.add("t_numbers"), build.add("t_add_one")
    with pytest.raises(ConnectionRefused, match=r"value types differ \(Array vs Normal\)"):
        build.wire(numbers, "numbers", add, "value")


def test_generic_takes_the_type_it_is_connected_to_and_propagates(build):
    numbers, loop, add = build.add("t_numbers"), build.add("t_loop"), build.add("t_add_one")
    assert loop.pin("item").data_type is DataType.GENERIC
    build.wire(numbers, "numbers", loop, "items")
    loop = build.board.nodes[loop.id]
    assert loop.pin("items").data_type is DataType.INTEGER
    assert loop.pin("item").data_type is DataType.INTEGER
    build.wire(loop, "item", add, "value")
    build.board.undo()
    build.board.undo()
    assert build.board.nodes[loop.id].pin("item").data_type is DataType.GENERIC


def test_generic_is_released_when_disconnected(build):
    numbers, loop = build.add("t_numbers"), build.add("t_loop")
    build.wire(numbers, "numbers", loop, "items")
    from flowlike_core import commands

    build.board.apply(commands.Disconnect(numbers.id, "numbers", loop.id, "items"))
    assert build.board.nodes[loop.id].pin("item").data_type is DataType.GENERIC


def test_bound_generic_then_refuses_other_types(build):
    numbers, loop, point = build.add("t_numbers"), build.add("t_loop"), build.add("t_needs_x")
    build.wire(numbers, "numbers", loop, "items")
    with pytest.raises(ConnectionRefused, match="data types differ"):
        build.wire(loop, "item", point, "point")


def test_struct_schemas_connect_when_source_satisfies_target(build):
    point, needs_x, needs_z = build.add("t_point"), build.add("t_needs_x"), build.add("t_needs_z")
    build.wire(point, "point", needs_x, "point")
    with pytest.raises(ConnectionRefused, match="schema does not satisfy"):
        build.wire(point, "point", needs_z, "point")


def test_schema_satisfies_rules():
    obj = {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}
    assert schema_satisfies(obj, {"type": "object", "required": ["a"], "properties": {"a": {"type": "number"}}})
    assert not schema_satisfies(obj, {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}})
    assert schema_satisfies(obj, None)
    assert not schema_satisfies(None, obj)
    assert schema_satisfies({"type": "array", "items": obj}, {"type": "array", "items": {"required": ["b"]}})


def test_cycle_among_pure_nodes_is_refused(build):
    a, b = build.add("t_pass"), build.add("t_pass")
    build.wire(a, "value", b, "value")
    with pytest.raises(ConnectionRefused, match="cycle among pure nodes"):
        build.wire(b, "value", a, "value")
