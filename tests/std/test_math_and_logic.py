"""Integer and float math, comparisons, random ranges and boolean logic, through real boards."""

from __future__ import annotations

import math

import pytest

from flowlike_core import DataType, NodeFailed


@pytest.mark.parametrize(("key", "output", "x", "y", "expected"), [
    ("int_add", "sum", 2, 3, 5),
    ("int_subtract", "difference", 2, 3, -1),
    ("int_multiply", "product", 4, 3, 12),
    ("int_divide", "result", 7, 2, 3.5),
    ("int_modulo", "remainder", -7, 3, 2),
    ("int_min", "minimum", 4, 3, 3),
    ("int_max", "maximum", 4, 3, 4),
    ("int_equal", "equal", 3, 3, True),
    ("int_unequal", "unequal", 3, 3, False),
    ("int_less_than", "less_than", 2, 3, True),
    ("int_less_than_or_equal", "less_than_or_equal", 3, 3, True),
    ("int_greater_than", "greater_than", 3, 3, False),
    ("int_greater_than_or_equal", "greater_than_or_equal", 2, 3, False),
])
def test_integer_binary_nodes(b, key, output, x, y, expected):
    assert b.compute(key, output, integer1=x, integer2=y) == expected


@pytest.mark.parametrize(("key", "output", "inputs", "expected"), [
    ("float_add", "sum", {"float1": 0.5, "float2": 0.25}, 0.75),
    ("float_subtract", "difference", {"float1": 0.5, "float2": 0.25}, 0.25),
    ("float_multiply", "product", {"float1": 1.5, "float2": 2.0}, 3.0),
    ("float_divide", "quotient", {"dividend": 1.0, "divisor": 4.0}, 0.25),
    ("float_power", "power", {"base": 2.0, "exponent": 0.5}, math.sqrt(2)),
    ("float_min", "minimum", {"float1": -1.0, "float2": 2.0}, -1.0),
    ("float_max", "maximum", {"float1": -1.0, "float2": 2.0}, 2.0),
    ("float_equal", "is_equal", {"float1": 0.1 + 0.2, "float2": 0.3}, True),
    ("float_unequal", "is_unequal", {"float1": 0.1, "float2": 0.3, "tolerance": 0.5}, False),
    ("float_less_than", "is_less", {"float1": 0.1, "float2": 0.3}, True),
    ("float_greater_than_or_equal", "is_greater_or_equal", {"float1": 0.3, "float2": 0.3}, True),
    ("float_round", "rounded", {"float": 2.345, "decimals": 1}, 2.3),
    ("float_floor", "floor", {"float": -1.5}, -2),
    ("float_ceil", "ceiling", {"float": 1.2}, 2),
    ("float_abs", "absolute", {"float": -1.5}, 1.5),
    ("float_clamp", "clamped", {"float": 1.5, "min": 0.0, "max": 1.0}, 1.0),
    ("int_clamp", "clamped", {"integer": -5, "min": 0, "max": 10}, 0),
    ("int_abs", "absolute", {"integer": -5}, 5),
    ("int_power", "power", {"base": 2, "exponent": 10}, 1024),
])
def test_math_nodes(b, key, output, inputs, expected):
    assert b.compute(key, output, **inputs) == pytest.approx(expected)


@pytest.mark.parametrize(("key", "inputs", "message"), [
    ("int_divide", {"integer1": 1, "integer2": 0}, "cannot divide 1 by zero"),
    ("int_modulo", {"integer1": 1, "integer2": 0}, "modulo zero"),
    ("float_divide", {"dividend": 1.0, "divisor": 0.0}, "cannot divide 1.0 by zero"),
    ("int_power", {"base": 2, "exponent": -1}, "non-negative exponent"),
    ("int_clamp", {"integer": 1, "min": 5, "max": 0}, "min 5 is greater than max 0"),
    ("int_random_in_range", {"min": 5, "max": 0}, "random range is empty"),
])
def test_math_errors_say_what_went_wrong(b, key, inputs, message):
    node = b.add(key, **inputs)
    output = b.board.nodes[node.id].outputs[0].name
    with pytest.raises(NodeFailed, match=message):
        b.value(node, output)


def test_random_in_range_stays_in_range_and_is_drawn_each_iteration(b):
    draw, show = b.add("int_random_in_range", min=1, max=6), b.log()
    b.loop("control_for_each", show, array=list(range(30)))
    b.wire(draw, "random_integer", show, "message")
    rolls = [int(m) for m in b.messages(b.run())]
    assert len(rolls) == 30 and set(rolls) <= set(range(1, 7)) and len(set(rolls)) > 1
    assert 2.0 <= b.compute("float_random_in_range", "random_float", min=2.0, max=3.0) <= 3.0


def test_math_pins_are_typed(b):
    add = b.add("float_add")
    assert [p.data_type for p in b.board.nodes[add.id].ordered_pins()] == [DataType.FLOAT] * 3


@pytest.mark.parametrize(("key", "values", "expected"), [
    ("bool_and", [True, True], True),
    ("bool_and", [True, False], False),
    ("bool_or", [False, False], False),
    ("bool_or", [False, True], True),
    ("bool_xor", [True, True], False),
    ("bool_xor", [True, False], True),
    ("bool_equal", [False, False], True),
])
def test_variadic_logic_reads_every_boolean_pin(b, key, values, expected):
    node = b.add(key)
    first, second = b.pin_ids(node, "boolean")
    sources = [b.add("bool_not", boolean=not value) for value in values]
    for source, pin in zip(sources, (first, second), strict=True):
        b.wire(source, "result", node, pin)
    assert b.value(node, "result") is expected


def test_not(b):
    assert b.compute("bool_not", "result", boolean=False) is True
