"""Array, map and set operations beyond the basics: clear, extend, find, filter fields, shuffle, batches, set
algebra. Edits return new collections and leave their inputs untouched."""

from __future__ import annotations

import pytest
from flowlike_catalog.std.arrays import (
    array_batch_push,
    array_batch_remove,
    array_batch_set,
    array_clear,
    array_extend,
    array_filter_field,
    array_filter_fields,
    array_find_item,
    array_shuffle,
)
from flowlike_catalog.std.maps import map_clear
from flowlike_catalog.std.sets import (
    difference,
    is_mutual,
    set_clear,
    set_is_empty,
    set_is_subset,
    set_is_superset,
    set_pop,
    union,
)


def test_clear_extend_and_find():
    items = [1, 2, 3]
    assert array_clear.func(items) == []
    assert array_extend.func(items, [4, 5]) == [1, 2, 3, 4, 5]
    assert items == [1, 2, 3]
    assert array_find_item.func(["a", "b", "a"], "a") == (0, True)
    assert array_find_item.func(["a", "b"], "z") == (-1, False)
    assert array_find_item.func([{"k": 1}], {"k": 1}) == (0, True)


def test_filter_fields_removes_them_from_every_struct():
    rows = [{"id": 1, "secret": "x", "tmp": 0}, {"id": 2}, "not a struct"]
    assert array_filter_field.func(rows, "secret") == ([{"id": 1, "tmp": 0}, {"id": 2}, "not a struct"], 1)
    assert array_filter_fields.func(rows, ["secret", "tmp", "nope"]) == ([{"id": 1}, {"id": 2}, "not a struct"], 2)
    assert rows[0] == {"id": 1, "secret": "x", "tmp": 0}


def test_shuffle_keeps_the_elements():
    items = list(range(50))
    shuffled = array_shuffle.func(items)
    assert sorted(shuffled) == items
    assert any(array_shuffle.func(items) != items for _ in range(3))


def test_batch_push_remove_and_set():
    assert array_batch_push.func([1], [2, 3]) == [1, 2, 3]
    assert array_batch_remove.func(["a", "b", "c", "d"], [3, 1, 1]) == (["a", "c"], ["b", "d"])
    assert array_batch_set.func(["a", "b", "c"], [0, 2, 0], ["x", "y", "z"]) == ["z", "b", "y"]
    with pytest.raises(IndexError, match="index 4 is out of range for an array of 2 items"):
        array_batch_remove.func([1, 2], [0, 4])
    with pytest.raises(ValueError, match="as many values as indices, got 2 indices and 1 values"):
        array_batch_set.func([1, 2], [0, 1], [9])


def test_map_clear():
    source = {"a": 1}
    assert map_clear.func(source) == {}
    assert source == {"a": 1}


def test_set_algebra_and_predicates():
    assert union.func({1, 2}, {2, 3}) == {1, 2, 3}
    assert difference.func({1, 2, 3}, {2}) == {1, 3}
    assert is_mutual.func({1, 2}, {2, 9}) is True and is_mutual.func({1}, {2}) is False
    assert set_is_subset.func({1}, {1, 2}) is True and set_is_subset.func({1, 3}, {1, 2}) is False
    assert set_is_superset.func({1, 2}, {2}) is True and set_is_superset.func({1}, {1, 2}) is False
    assert set_is_empty.func(set()) is True and set_is_empty.func({0}) is False
    assert set_clear.func({1}) == set()


def test_set_pop_takes_the_smallest_and_fails_when_empty():
    assert set_pop.func({"b", "a", "c"}) == ({"b", "c"}, "a")
    with pytest.raises(KeyError, match="cannot pop from an empty set"):
        set_pop.func(set())


def test_collection_edits_on_a_board(b):
    start, extend = b.start(), b.add("array_extend", array_in=[1], values=[2, 3])
    find = b.add("array_find_item", item=3)
    b.chain(start, extend, find)
    b.wire(extend, "array_out", find, "array_in")
    run = b.run()
    assert (run.output(extend.id, "array_out"), run.output(find.id, "index"), run.output(find.id, "found")) == \
        ([1, 2, 3], 2, True)
    assert b.compute("set_is_subset", "is_subset", set_in_1=["a"], set_in_2=["a", "b"]) is True
