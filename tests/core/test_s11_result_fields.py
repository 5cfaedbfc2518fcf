"""A function declared to return a NamedTuple (or a dataclass) that returns something else (a dict, a list, None)
fails naming the node, what it declared and what came back, where it failed with a bare AttributeError ("'dict'
object has no attribute 'count'"): in the specialized run (an exec node) and the generic one (a pure node, one that
takes its Context)."""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import pytest

from flowlike_core import Board, Context, node
from flowlike_core.run import RunStatus


class Pair(NamedTuple):
    count: int
    label: str


@dataclasses.dataclass
class Sized:
    size: float
    name: str


@node(exec_pins=True)
def t_fields_pair(value: Any = None) -> Pair:
    """Declared to give a Pair, giving what it is told (the specialized run)."""
    return value


@node(exec_pins=True)
def t_fields_pair_ctx(ctx: Context, value: Any = None) -> Pair:
    """The same, taking its Context (the generic run)."""
    return value


@node
def t_fields_sized(value: Any = None) -> Sized:
    """A pure node declared to give a dataclass ("without size": one whose size is gone)."""
    if value == "without size":
        value = Sized(1.0, "x")
        del value.size
    return value


@node(exec_pins=True)
def t_fields_make(count: int = 0) -> Pair:
    """Gives a Pair."""
    return Pair(count, "c")


@pytest.fixture
def fields(registry, build):
    for node_type in (t_fields_pair, t_fields_pair_ctx, t_fields_sized, t_fields_make):
        registry.register(node_type, pack="test")
    return build


def failure(fields, key: str, value: Any) -> tuple[str, Any]:
    """Run start -> KEY(value) (a pure KEY wired into a node that reads it); its error and the node."""
    fields.board = Board(name="test")
    start, made = fields.add("t_start"), fields.add(key, value=value)
    if key == "t_fields_sized":
        reader = fields.add("t_fields_pair", value=None)
        fields.chain(start, reader)
        fields.wire(made, "size", reader, "value")
    else:
        fields.chain(start, made)
    run = fields.run()
    assert run.status is RunStatus.FAILED
    assert run.error_node == made.id
    return run.traces_of(made.id)[0].error, made


@pytest.mark.parametrize("key", ["t_fields_pair", "t_fields_pair_ctx"])
@pytest.mark.parametrize(("value", "shown"), [
    ({"count": 1, "label": "a"}, "{'count': 1, 'label': 'a'} (dict), which has no field 'count'"),
    ([1, "a"], "[1, 'a'] (list), which has no field 'label'"),  # (list.count is a method: its check refused it)
    (None, "None (NoneType), which has no field 'count'")])
def test_a_named_tuple_function_returning_something_else_says_what_and_where(fields, key, value, shown):
    error, made = failure(fields, key, value)
    assert error == (f"OutputTypeError: node {made.label()} is declared to return "
                     f"{__name__}.Pair (fields count, label), but its function returned {shown}")


def test_a_dataclass_function_returning_something_else_says_what_and_where(fields):
    error, made = failure(fields, "t_fields_sized", {"size": 1.0})
    assert error == (f"OutputTypeError: node {made.label()} is declared to return {__name__}.Sized (fields size, "
                     f"name), but its function returned {{'size': 1.0}} (dict), which has no field "
                     f"'size'")


def test_an_attribute_error_of_a_result_of_the_declared_type_is_left_as_it_is(fields):
    error, made = failure(fields, "t_fields_sized", "without size")
    assert error == "AttributeError: 'Sized' object has no attribute 'size'"


def test_a_right_result_still_sets_each_output(fields):
    fields.board = Board(name="test")
    start, made = fields.add("t_start"), fields.add("t_fields_make", count=3)
    fields.chain(start, made)
    run = fields.run()
    assert run.ok, run.error
    assert (run.output(made.id, "count"), run.output(made.id, "label")) == (3, "c")
