"""Arrays, maps and sets: element types follow the wiring, edits leave their input untouched."""

from __future__ import annotations

import pytest

from flowlike_core import ConnectionRefused, DataType, NodeFailed, ValueType


def test_array_element_type_follows_what_is_wired(b):
    split, get = b.add("string_split", string="x,y,z"), b.add("array_get", index=1)
    b.wire(split, "substrings", get, "array_in")
    assert b.pin(get, "element").data_type is DataType.STRING
    assert b.pin(get, "array_in", "Input").data_type is DataType.STRING
    assert b.value(get, "element") == "y"


def test_bound_array_refuses_another_element_type(b):
    split, push, number = b.add("string_split"), b.add("array_push"), b.add("int_add")
    b.wire(split, "substrings", push, "array_in")
    with pytest.raises(ConnectionRefused, match="data types differ"):
        b.wire(number, "sum", push, "value")


def test_get_out_of_range_reports_no_success(b):
    assert b.compute("array_get", "success", array_in=[1, 2], index=5) is False


def test_edits_return_a_new_array_and_keep_the_input(b):
    b.variable("items", DataType.INTEGER, [1, 2, 3], ValueType.ARRAY)
    start, read = b.start(), b.add("variable_get", var_ref="items")
    push, setter, remove = b.add("array_push", value=4), b.add("array_set_index", index=0, value=9), \
        b.add("array_remove_index", index=1)
    b.chain(start, push, setter, remove)
    b.wire(read, "value_ref", push, "array_in")
    b.wire(push, "array_out", setter, "array_in")
    b.wire(setter, "array_out", remove, "array_in")
    run = b.run()
    assert run.output(push.id, "array_out") == [1, 2, 3, 4]
    assert run.output(setter.id, "array_out") == [9, 2, 3, 4]
    assert run.output(remove.id, "array_out") == [9, 3, 4]
    assert run.output(remove.id, "value") == 2
    assert run.output(read.id, "value_ref") == [1, 2, 3]


def test_set_index_out_of_range_fails_clearly(b):
    with pytest.raises(NodeFailed, match="index 3 is out of range for an array of 2 items"):
        b.compute("array_set_index", "array_out", array_in=[1, 2], index=3, value=0)


@pytest.mark.parametrize(("inputs", "expected"), [
    ({"start": 1, "length": 2}, [1, 2]),
    ({"start": -2}, [3, 4]),
    ({"start": 3, "length": 10}, [3, 4]),
])
def test_slice(b, inputs, expected):
    assert b.compute("array_slice", "array_out", array_in=[0, 1, 2, 3, 4], **inputs) == expected


def test_length_includes_pop_and_construct(b):
    assert b.compute("array_length", "length", array=[1, 2, 3]) == 3
    assert b.compute("array_includes", "includes", array_in=["a", "b"], value="b") is True
    assert b.compute("array_pop", "value", array_in=[1, 2, 3]) == 3
    construct = b.add("construct_array")
    first, second = b.pin_ids(construct, "element")
    b.wire(b.add("int_add", integer1=1, integer2=1), "sum", construct, first)
    assert b.pin(construct, "array_out").data_type is DataType.INTEGER
    b.wire(b.add("int_add", integer1=2, integer2=2), "sum", construct, second)
    assert b.value(construct, "array_out") == [2, 4]


def test_make_array_then_push_in_a_loop(b):
    b.variable("acc", DataType.STRING, [], ValueType.ARRAY)
    read, push, store = b.add("variable_get", var_ref="acc"), b.add("array_push"), b.add("variable_set", var_ref="acc")
    back, final = b.add("events_generic_return_result"), b.add("variable_get", var_ref="acc")
    loop = b.loop("control_for_each", push, array=["a", "b", "c"])
    b.wire(read, "value_ref", push, "array_in")
    b.wire(loop, "value", push, "value")
    b.chain(push, store)
    b.wire(push, "array_out", store, "value_in")
    b.wire(loop, "done", back, "exec_in")
    b.wire(final, "value_ref", back, "response")
    assert b.run().result == ["a", "b", "c"]


def test_map_nodes(b):
    start, setter, remover = b.start(), b.add("map_set", map_in={"a": 1}, key="b", value=2), \
        b.add("map_remove", key="a")
    keys, values, size, get, has = b.add("map_keys"), b.add("map_values"), b.add("map_size"), \
        b.add("map_get", key="b"), b.add("map_has_key", key="a")
    b.chain(start, setter, remover)
    b.wire(setter, "map_out", remover, "map_in")
    for reader in (keys, values, size, get, has):
        b.wire(setter, "map_out", reader, "map_in")
    show = [b.log() for _ in range(5)]
    b.chain(remover, *show)
    for reader, output, line in zip((keys, values, size, get, has), ("keys", "values", "size", "value", "has_key"),
                                    show, strict=True):
        b.wire(reader, output, line, "message")
    run = b.run()
    assert b.messages(run) == ['["a", "b"]', "[1, 2]", "2", "2", "true"]
    assert run.output(setter.id, "replaced") is False
    assert run.output(remover.id, "map_out") == {"b": 2}
    assert (run.output(remover.id, "value"), run.output(remover.id, "was_present")) == (1, True)


def test_map_get_missing_key(b):
    assert b.compute("map_get", "found", map_in={"a": 1}, key="z") is False
    assert b.compute("make_map", "map_out") == {}


def test_set_nodes(b):
    start, insert, discard = b.start(), b.add("insert", set_in=["b", "a"], value="c"), b.add("set_discard", value="a")
    to_array, has, size = b.add("set_to_array"), b.add("set_has", value="c"), b.add("set_get_size")
    b.chain(start, insert, discard)
    b.wire(insert, "set_out", discard, "set_in")
    for reader in (to_array, has, size):
        b.wire(discard, "set_out", reader, "set_in")
    back = b.add("events_generic_return_result")
    b.chain(discard, back)
    b.wire(to_array, "array_out", back, "response")
    run = b.run()
    assert run.result == ["b", "c"]
    assert run.output(insert.id, "existed_before") is False
    assert run.output(discard.id, "has_removed") is True
    assert run.record().result == ["b", "c"]


def test_array_to_set_and_unhashable_elements(b):
    assert b.compute("array_to_set", "set_out", array_in=[1, 1, 2]) == {1, 2}
    with pytest.raises(NodeFailed, match="a set cannot hold dict values"):
        b.compute("array_to_set", "set_out", array_in=[{"a": 1}])
