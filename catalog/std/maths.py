"""Integer and float arithmetic, comparison, clamping and random numbers. All pure."""

from __future__ import annotations

import math
import operator
import random
from collections.abc import Callable
from typing import Any

from flowlike_catalog.std._build import function_node

from flowlike_core import DataType, NodeType, PinOptions, data_in, data_out

INT, FLOAT, BOOL = DataType.INTEGER, DataType.FLOAT, DataType.BOOLEAN
_LABELS = {INT: "Integer", FLOAT: "Float"}


def _divide(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError(f"cannot divide {a} by zero")
    return a / b


def _modulo(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError(f"cannot take {a} modulo zero")
    return a % b


def _int_power(base: int, exponent: int) -> int:
    if exponent < 0:
        raise ValueError(f"integer power needs a non-negative exponent, got {exponent}; use Float Power")
    return base**exponent


def _clamp(value: float, low: float, high: float) -> float:
    if low > high:
        raise ValueError(f"clamp range is empty: min {low} is greater than max {high}")
    return min(max(value, low), high)


def _random_int(low: int, high: int) -> int:
    if low > high:
        raise ValueError(f"random range is empty: min {low} is greater than max {high}")
    return random.randint(low, high)


def _random_float(low: float, high: float) -> float:
    if low > high:
        raise ValueError(f"random range is empty: min {low} is greater than max {high}")
    return random.uniform(low, high)


_PIN_LABELS = {"integer1": "A", "integer2": "B", "float1": "A", "float2": "B"}


def _binary(key: str, friendly: str, kind: DataType, inputs: tuple[str, str], output: tuple[str, DataType],
            compute: Callable[..., Any], description: str, category: str = "") -> type[NodeType]:
    zero = 0 if kind is INT else 0.0
    return function_node(
        key, friendly, category or f"Math/{_LABELS[kind]}", description,
        tuple(data_in(name, kind, default=zero, friendly_name=_PIN_LABELS.get(name, "")) for name in inputs),
        (data_out(output[0], output[1]),),
        compute,
    )


def _comparisons(kind: DataType, prefix: str, names: tuple[str, str], outputs: dict[str, str]) -> list[type[NodeType]]:
    label = _LABELS[kind]
    table = [
        ("equal", "==", operator.eq, "Whether both are equal."),
        ("unequal", "!=", operator.ne, "Whether they differ."),
        ("less_than", "<", operator.lt, "Whether the first is less than the second."),
        ("less_than_or_equal", "<=", operator.le, "Whether the first is at most the second."),
        ("greater_than", ">", operator.gt, "Whether the first is greater than the second."),
        ("greater_than_or_equal", ">=", operator.ge, "Whether the first is at least the second."),
    ]
    nodes = []
    for suffix, symbol, op, description in table:
        if kind is FLOAT and suffix in ("equal", "unequal"):
            continue
        nodes.append(_binary(f"{prefix}_{suffix}", symbol, kind, names, (outputs[suffix], BOOL), op, description,
                             f"Math/{label}/Comparison"))
    return nodes


_INT_NAMES = ("integer1", "integer2")
_FLOAT_NAMES = ("float1", "float2")

INTEGER_NODES: list[type[NodeType]] = [
    _binary("int_add", "+", INT, _INT_NAMES, ("sum", INT), operator.add, "Adds two integers."),
    _binary("int_subtract", "-", INT, _INT_NAMES, ("difference", INT), operator.sub,
            "Subtracts the second from the first."),
    _binary("int_multiply", "*", INT, _INT_NAMES, ("product", INT), operator.mul, "Multiplies two integers."),
    _binary("int_divide", "/", INT, _INT_NAMES, ("result", FLOAT), _divide,
            "Divides the first by the second; the result is a Float. Fails on division by zero."),
    _binary("int_modulo", "%", INT, _INT_NAMES, ("remainder", INT), _modulo,
            "The remainder of dividing the first by the second (sign of the divisor)."),
    _binary("int_power", "Power", INT, ("base", "exponent"), ("power", INT), _int_power,
            "Raises the base to a non-negative integer exponent."),
    _binary("int_min", "Min", INT, _INT_NAMES, ("minimum", INT), min, "The smaller of two integers."),
    _binary("int_max", "Max", INT, _INT_NAMES, ("maximum", INT), max, "The larger of two integers."),
    function_node("int_abs", "Absolute", "Math/Integer", "The absolute value.",
                  (data_in("integer", INT, default=0),), (data_out("absolute", INT),), abs),
    function_node("int_clamp", "Clamp", "Math/Integer", "Keeps the integer within [min, max].",
                  (data_in("integer", INT, default=0), data_in("min", INT, default=0),
                   data_in("max", INT, default=100)),
                  (data_out("clamped", INT),), _clamp),
    function_node("int_random_in_range", "Random Integer in Range", "Math/Integer/Random",
                  "A random integer between min and max, both included; a new one every step.",
                  (data_in("min", INT, default=0), data_in("max", INT, default=100)),
                  (data_out("random_integer", INT),), _random_int),
    *_comparisons(INT, "int", _INT_NAMES, {
        "equal": "equal", "unequal": "unequal", "less_than": "less_than", "less_than_or_equal": "less_than_or_equal",
        "greater_than": "greater_than", "greater_than_or_equal": "greater_than_or_equal"}),
]

_TOLERANCE = data_in("tolerance", FLOAT, default=1e-9, friendly_name="Tolerance",
                     options=PinOptions(range=(0, 1e308)), description="Largest difference still counted as equal")

FLOAT_NODES: list[type[NodeType]] = [
    _binary("float_add", "+", FLOAT, _FLOAT_NAMES, ("sum", FLOAT), operator.add, "Adds two floats."),
    _binary("float_subtract", "-", FLOAT, _FLOAT_NAMES, ("difference", FLOAT), operator.sub,
            "Subtracts the second from the first."),
    _binary("float_multiply", "*", FLOAT, _FLOAT_NAMES, ("product", FLOAT), operator.mul, "Multiplies two floats."),
    _binary("float_divide", "/", FLOAT, ("dividend", "divisor"), ("quotient", FLOAT), _divide,
            "Divides the dividend by the divisor. Fails on division by zero."),
    _binary("float_power", "Power", FLOAT, ("base", "exponent"), ("power", FLOAT), math.pow,
            "Raises the base to the exponent."),
    _binary("float_min", "Min", FLOAT, _FLOAT_NAMES, ("minimum", FLOAT), min, "The smaller of two floats."),
    _binary("float_max", "Max", FLOAT, _FLOAT_NAMES, ("maximum", FLOAT), max, "The larger of two floats."),
    function_node("float_abs", "Abs", "Math/Float", "The absolute value.",
                  (data_in("float", FLOAT, default=0.0),), (data_out("absolute", FLOAT),), abs),
    function_node("float_round", "Round", "Math/Float", "Rounds to the given number of decimals (half to even).",
                  (data_in("float", FLOAT, default=0.0), data_in("decimals", INT, default=0, friendly_name="Decimals")),
                  (data_out("rounded", FLOAT),), lambda value, decimals: float(round(value, decimals))),
    function_node("float_floor", "Floor", "Math/Float", "The largest integer not above the float.",
                  (data_in("float", FLOAT, default=0.0),), (data_out("floor", INT),), math.floor),
    function_node("float_ceil", "Ceil", "Math/Float", "The smallest integer not below the float.",
                  (data_in("float", FLOAT, default=0.0),), (data_out("ceiling", INT),), math.ceil),
    function_node("float_clamp", "Clamp", "Math/Float", "Keeps the float within [min, max].",
                  (data_in("float", FLOAT, default=0.0), data_in("min", FLOAT, default=0.0),
                   data_in("max", FLOAT, default=1.0)),
                  (data_out("clamped", FLOAT),), _clamp),
    function_node("float_random_in_range", "Random Float in Range", "Math/Float/Random",
                  "A random float between min and max; a new one every step.",
                  (data_in("min", FLOAT, default=0.0), data_in("max", FLOAT, default=1.0)),
                  (data_out("random_float", FLOAT),), _random_float),
    function_node("float_equal", "==", "Math/Float/Comparison", "Whether both floats are equal within the tolerance.",
                  (data_in("float1", FLOAT, default=0.0), data_in("float2", FLOAT, default=0.0), _TOLERANCE),
                  (data_out("is_equal", BOOL),), lambda a, b, tolerance: abs(a - b) <= tolerance),
    function_node("float_unequal", "!=", "Math/Float/Comparison",
                  "Whether the floats differ by more than the tolerance.",
                  (data_in("float1", FLOAT, default=0.0), data_in("float2", FLOAT, default=0.0), _TOLERANCE),
                  (data_out("is_unequal", BOOL),), lambda a, b, tolerance: abs(a - b) > tolerance),
    *_comparisons(FLOAT, "float", _FLOAT_NAMES, {
        "less_than": "is_less", "less_than_or_equal": "is_less_or_equal", "greater_than": "is_greater",
        "greater_than_or_equal": "is_greater_or_equal"}),
]

NODES: list[type[NodeType]] = INTEGER_NODES + FLOAT_NODES
