"""By-reference edits change the array, map or set held in a board variable."""

from __future__ import annotations

import pytest

from flowlike_core import DataType, NodeFailed, ValueType


def run_edits(b, variable, *edits):
    """Chain the edit nodes after a start and return the variable's value at the end of the run (and the run)."""
    start, read, back = b.start(), b.add("variable_get", var_ref=variable), b.add("events_generic_return_result")
    nodes = [b.add(key, var_ref=variable, **defaults) for key, defaults in edits]
    b.chain(start, *nodes, back)
    b.wire(read, "value_ref", back, "response")
    run = b.run()
    run.raise_for_status()
    return run.result, run, nodes


def test_array_edits_by_reference(b):
    b.variable("items", DataType.INTEGER, [1, 2, 3], ValueType.ARRAY)
    result, run, nodes = run_edits(
        b, "items",
        ("array_push_ref", {"value": 4}), ("array_extend_ref", {"values": [5, 6]}), ("array_pop_ref", {}),
        ("array_remove_index_ref", {"index": 0}), ("array_set_index_ref", {"index": 1, "value": 30}))
    assert result == [2, 30, 4, 5]
    assert run.output(nodes[2].id, "value") == 6
    assert run.output(nodes[3].id, "value") == 1


def test_array_clear_by_reference_and_errors(b):
    b.variable("items", DataType.INTEGER, [1], ValueType.ARRAY)
    assert run_edits(b, "items", ("array_clear_ref", {}))[0] == []
    b2 = type(b)()
    b2.variable("items", DataType.INTEGER, [], ValueType.ARRAY)
    with pytest.raises(NodeFailed, match="cannot pop from variable 'items': its array is empty"):
        run_edits(b2, "items", ("array_pop_ref", {}))
    b3 = type(b)()
    b3.variable("items", DataType.INTEGER, [1], ValueType.ARRAY)
    with pytest.raises(NodeFailed, match="index 5 is out of range for variable 'items', an array of 1 items"):
        run_edits(b3, "items", ("array_set_index_ref", {"index": 5, "value": 0}))
    b4 = type(b)()
    b4.variable("name", DataType.STRING, "text")
    with pytest.raises(NodeFailed, match="variable 'name' holds str, not an array"):
        run_edits(b4, "name", ("array_push_ref", {"value": 1}))


def test_map_edits_by_reference(b):
    b.variable("scores", DataType.INTEGER, {"a": 1}, ValueType.HASHMAP)
    result, run, nodes = run_edits(
        b, "scores", ("map_set_ref", {"key": "b", "value": 2}), ("map_remove_ref", {"key": "a"}),
        ("map_remove_ref", {"key": "zz"}))
    assert result == {"b": 2}
    assert (run.output(nodes[1].id, "value"), run.output(nodes[1].id, "was_present")) == (1, True)
    assert (run.output(nodes[2].id, "value"), run.output(nodes[2].id, "was_present")) == (None, False)
    b2 = type(b)()
    b2.variable("scores", DataType.INTEGER, {"a": 1}, ValueType.HASHMAP)
    assert run_edits(b2, "scores", ("map_clear_ref", {}))[0] == {}


def test_set_edits_by_reference(b):
    b.variable("seen", DataType.STRING, ["x"], ValueType.HASHSET)
    result, run, nodes = run_edits(
        b, "seen", ("set_insert_ref", {"value": "y"}), ("set_insert_ref", {"value": "x"}),
        ("set_discard_ref", {"value": "x"}), ("set_discard_ref", {"value": "q"}))
    assert result == {"y"}
    assert [run.output(n.id, name) for n, name in zip(nodes, ("was_new", "was_new", "was_present", "was_present"),
                                                      strict=True)] == [True, False, True, False]
    b2 = type(b)()
    b2.variable("seen", DataType.STRING, ["x"], ValueType.HASHSET)
    assert run_edits(b2, "seen", ("set_clear_ref", {}))[0] == set()


def test_a_by_reference_edit_is_seen_by_later_reads_in_a_loop(b):
    b.variable("log", DataType.INTEGER, [], ValueType.ARRAY)
    push, read, back = b.add("array_push_ref", var_ref="log"), b.add("variable_get", var_ref="log"), \
        b.add("events_generic_return_result")
    loop = b.loop("control_for_each", push, back, array=[3, 1, 2])
    b.wire(loop, "value", push, "value")
    b.wire(read, "value_ref", back, "response")
    assert b.run().result == [3, 1, 2]
