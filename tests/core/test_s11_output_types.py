"""A node's output is checked against its pin's declared type as the node sets it: a function declared `-> int` that
returns "12" fails there, naming the node, the output, the type and the value, instead of handing "12" on to a node
that fails far from the cause (or succeeds with nonsense). The rule: `flowlike_core.output_types`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib
from typing import Annotated, Any, NamedTuple, TypeVar

import pytest
from pydantic import BaseModel

from flowlike_core import Board, DataType, NodeType, Pin, ValueType, data_in, data_out, exec_in, exec_out, node
from flowlike_core.errors import OutputTypeError
from flowlike_core.node import PinSpec
from flowlike_core.output_types import check_for
from flowlike_core.run import RunStatus

T = TypeVar("T")


class Handle(BaseModel):
    name: str


@node(exec_pins=True)
def t_out_give(value: Any = None) -> int:
    """An exec node declared to give an int, giving whatever it is told to (the specialized run)."""
    return value


@node
def t_out_give_pure(value: Any = None) -> int:
    """The same as a pure node (the generic run, through `set_output`)."""
    return value


@node(exec_pins=True)
def t_out_maybe(value: Any = None) -> int | None:
    """Declared to give an int or nothing."""
    return value


@node(exec_pins=True)
def t_out_same(value: T = None) -> T:  # type: ignore[assignment]
    """A type variable's output takes what comes."""
    return value


class Pair(NamedTuple):
    count: Annotated[int, Pin(name="Count")]
    label: str


@node(exec_pins=True)
def t_out_pair(count: Any = 0, label: Any = "") -> Pair:
    """Two outputs from a NamedTuple."""
    return Pair(count, label)


@dataclasses.dataclass
class Measured:
    size: float
    tags: list[str]


@node
def t_out_measured(size: Any = 0.0, tags: Any = None) -> Measured:
    """Two outputs from a dataclass (pure: the generic run)."""
    return Measured(size, tags)


@node(exec_pins=True)
def t_out_read(value: int = 0) -> int:
    """What the next node makes of what it reads."""
    return value + 1


@node(exec_pins=True)
def t_out_count(tags: list[Any] | None = None) -> int:
    """Reads an Array of anything."""
    return len(tags or ())


class SetsCount(NodeType):
    """The class form: sets its Integer output to what it is told."""

    name = "t_out_sets_count"
    pins = (exec_in(), data_in("value", DataType.GENERIC), exec_out(), data_out("count", DataType.INTEGER),
            data_out("anything", DataType.GENERIC))

    def run(self, ctx, *, value: Any) -> None:
        ctx.set_output("anything", value)
        ctx.set_output("count", value)
        ctx.activate("exec_out")


@pytest.fixture
def outs(registry, build):
    for node_type in (t_out_give, t_out_give_pure, t_out_maybe, t_out_same, t_out_pair, t_out_measured,
                      t_out_read, t_out_count, SetsCount):
        registry.register(node_type, pack="test")
    return build


def run_one(outs, key: str, **inputs: Any):
    """start -> KEY(inputs) -> t_out_read, on a board of their own; the run and the two nodes."""
    outs.board = Board(name="test")
    start, made, reader = outs.add("t_start"), outs.add(key, **inputs), outs.add("t_out_read")
    outs.chain(start, made, reader)
    return outs.run(), made, reader


def test_an_exec_function_giving_a_str_for_an_int_fails_there_and_hands_nothing_on(outs):
    start, made, reader = outs.add("t_start"), outs.add("t_out_give", value="12"), outs.add("t_out_read")
    outs.chain(start, made, reader)
    outs.wire(made, "result", reader, "value")
    run = outs.run()
    assert run.status is RunStatus.FAILED
    assert run.error_node == made.id
    error = run.traces_of(made.id)[0].error
    assert error == (f"OutputTypeError: output 'result' of node {made.label()} is declared Integer, "
                     f"but the node gave it '12' (str)")
    assert not run.traces_of(reader.id)
    assert f"{made.id}/" not in " ".join(run.values)  # the wrong value is not kept for anyone to read


def test_a_pure_function_giving_a_wrong_value_fails_the_node_that_pulls_it(outs):
    start, made, reader = outs.add("t_start"), outs.add("t_out_give_pure", value=2.5), outs.add("t_out_read")
    outs.chain(start, reader)
    outs.wire(made, "result", reader, "value")
    run = outs.run()
    assert run.status is RunStatus.FAILED and run.error_node == made.id
    assert f"output 'result' of node {made.label()}" in run.error
    assert "is declared Integer, but the node gave it 2.5 (float)" in run.error


@pytest.mark.parametrize("value", [True, None, 3.0, [1]])
def test_an_integer_output_refuses_a_bool_none_a_float_and_a_list(outs, value):
    run, made, _ = run_one(outs, "t_out_give", value=value)
    assert run.status is RunStatus.FAILED, value
    assert f"the node gave it {value!r} ({type(value).__name__})" in run.error


def test_an_output_declared_optional_takes_none_and_still_refuses_other_types(outs):
    run, _, _ = run_one(outs, "t_out_maybe")
    assert run.status is RunStatus.SUCCESS, run.error
    run, _, _ = run_one(outs, "t_out_maybe", value="x")
    assert run.status is RunStatus.FAILED and "declared Integer, but the node gave it 'x' (str)" in run.error


def test_a_type_variable_output_takes_anything(outs):
    run, made, _ = run_one(outs, "t_out_same", value={"any": "thing"})
    assert run.status is RunStatus.SUCCESS, run.error
    assert run.output(made.id, "result") == {"any": "thing"}


def test_named_tuple_outputs_are_each_checked_under_their_pin_name(outs):
    run, made, _ = run_one(outs, "t_out_pair", count=3, label="three")
    assert run.status is RunStatus.SUCCESS, run.error
    assert (run.output(made.id, "Count"), run.output(made.id, "label")) == (3, "three")
    run, made, _ = run_one(outs, "t_out_pair", count="3", label="three")
    assert run.status is RunStatus.FAILED
    assert f"output 'Count' of node {made.label()} is declared Integer, but the node gave it '3' (str)" in run.error
    run, made, _ = run_one(outs, "t_out_pair", count=3, label=3)
    assert f"output 'label' of node {made.label()} is declared String" in run.error


@pytest.mark.parametrize(("size", "tags", "wrong"), [
    (2, ["a"], None),  # an int is a Float (PEP 484's numeric tower; serde reads a JSON integer into an f64)
    (2.5, ("a", "b"), None),  # a tuple is an Array
    (2.5, [], None),
    (True, ["a"], "output 'size' of node {label} is declared Float, but the node gave it True (bool)"),
    (2.5, ["a", 1], None),  # only the first item is looked at: O(1) whatever the size
    (2.5, [1, "a"], "output 'tags' of node {label} is declared Array<String>, but the node gave it "
                    "[1, 'a'] (list), whose first item is 1 (int)"),
    (2.5, "ab", "declared Array<String>, but the node gave it 'ab' (str)"),
])
def test_dataclass_outputs_float_and_string_array(outs, size, tags, wrong):
    pulls = outs.add("t_out_count")
    made = outs.add("t_out_measured", size=size, tags=tags)
    start = outs.add("t_start")
    outs.chain(start, pulls)
    outs.wire(made, "tags", pulls, "tags")
    run = outs.run()
    if wrong is None:
        assert run.status is RunStatus.SUCCESS, run.error
    else:
        assert run.status is RunStatus.FAILED and wrong.format(label=made.label()) in run.error, run.error


def test_the_class_form_set_output_is_checked_and_takes_none(outs):
    run, made, _ = run_one(outs, "t_out_sets_count", value=4)
    assert run.status is RunStatus.SUCCESS, run.error
    run, made, _ = run_one(outs, "t_out_sets_count")  # None: an output never set reads None as well
    assert run.status is RunStatus.SUCCESS, run.error
    run, made, _ = run_one(outs, "t_out_sets_count", value="four")
    assert run.status is RunStatus.FAILED
    assert run.traces_of(made.id)[0].error == (
        f"OutputTypeError: output 'count' of node {made.label()} is declared Integer, but the node gave it "
        f"'four' (str)")
    assert run.output(made.id, "anything") == "four"  # (a Generic output takes anything)
    with pytest.raises(KeyError, match="was not set"):
        run.output(made.id, "count")


def spec(data_type: DataType, value_type: ValueType = ValueType.NORMAL, **extra: Any) -> PinSpec:
    return data_out("out", data_type, value_type, **extra)


class _Ctx:
    """What a check reads of a Context when it refuses: the node's plan and its label."""

    class _plan:  # noqa: N801
        secret_outputs = frozenset()

        class node:  # noqa: N801
            @staticmethod
            def label() -> str:
                return "'n' (n1)"


def passes(pin: PinSpec, value: Any, *, none: bool = True) -> bool:
    found = check_for(pin, none=none)
    if found is None:
        return True
    usual, check = found
    if type(value) is usual:
        return True
    try:
        check(_Ctx, value)
    except OutputTypeError:
        return False
    return True


@pytest.mark.parametrize(("pin", "good", "bad"), [
    (spec(DataType.INTEGER), [0, -3, 2**70], [True, 1.0, "1", None]),
    (spec(DataType.FLOAT), [0.5, 3, float("nan")], [False, "0.5", None]),
    (spec(DataType.BOOLEAN), [True, False], [0, 1, "true", None]),
    (spec(DataType.STRING), ["", "x"], [b"x", 1, None]),
    (spec(DataType.DATE), [dt.date(2024, 5, 6), dt.datetime(2024, 5, 6, 7), "2024-05-06", "2024-05-06T07:00:00"],
     ["yesterday", 20240506, None]),
    (spec(DataType.PATHBUF), [pathlib.Path("a"), pathlib.PurePosixPath("a"), "a/b"], [1, b"a", None]),
    (spec(DataType.BYTE), [0, 255], [256, -1, True, b"a"]),
    (spec(DataType.STRUCT), [{}, {"a": 1}, Handle(name="h")], [[], "{}", None]),
    (spec(DataType.GENERIC), [None, 1, object()], []),
    (spec(DataType.GENERIC, ValueType.ARRAY), [[], (1, "a"), [None]], [{1}, "ab", None, {"a": 1}]),
    (spec(DataType.INTEGER, ValueType.ARRAY), [[], [1, 2], (3,), [None, 1]], [["1"], [True], [1.5], "12", None]),
    (spec(DataType.BYTE, ValueType.ARRAY), [b"ab", bytearray(b"a"), [0, 255], []], ["ab", [256], None]),
    (spec(DataType.STRING, ValueType.HASHSET), [set(), {"a"}, frozenset({"b"})], [["a"], {1}, "a", None]),
    (spec(DataType.FLOAT, ValueType.HASHMAP), [{}, {"a": 1.5}, {"b": 2}], [{"a": "1"}, [1.5], None]),
    (spec(DataType.STRUCT, ValueType.ARRAY), [[{"a": 1}], [Handle(name="h")]], [[1], [[]]]),
    (spec(DataType.INTEGER, generic="T"), [None, "x", 1.5], []),
])
def test_the_rule_per_type(pin, good, bad):
    for value in good:
        assert passes(pin, value), (pin.data_type, pin.value_type, value)
    for value in bad:
        assert not passes(pin, value, none=False), (pin.data_type, pin.value_type, value)


def test_none_passes_only_where_the_declaration_admits_it():
    assert passes(spec(DataType.INTEGER), None, none=True)
    assert not passes(spec(DataType.INTEGER), None, none=False)
    assert passes(spec(DataType.INTEGER, ValueType.ARRAY), None, none=True)


def test_a_secret_output_names_its_type_not_its_value():
    class Secret(_Ctx):
        class _plan(_Ctx._plan):  # noqa: N801
            secret_outputs = frozenset({"out"})

    usual, check = check_for(spec(DataType.INTEGER), none=False)
    with pytest.raises(OutputTypeError) as caught:
        check(Secret, "hunter2")
    assert "hunter2" not in str(caught.value) and "a str (secret: not shown)" in str(caught.value)
