"""Float arithmetic, rounding, comparison (with a tolerance), clamping and random numbers. All pure."""

from __future__ import annotations

import math
import random
from typing import Annotated

from flowlike_catalog.std.integers import check_range, divide, real_root

from flowlike_core import Pin, node

CATEGORY = "Math/Float"

A = Annotated[float, Pin("A")]
B = Annotated[float, Pin("B")]
Value = Annotated[float, Pin(name="float")]
Tolerance = Annotated[float, Pin(description="Largest difference still counted as equal", range=(0, 1e308))]


@node(friendly_name="+")
def float_add(float1: A = 0.0, float2: B = 0.0) -> Annotated[float, Pin(name="sum")]:
    """Adds two floats."""
    return float1 + float2


@node(friendly_name="-")
def float_subtract(float1: A = 0.0, float2: B = 0.0) -> Annotated[float, Pin(name="difference")]:
    """Subtracts the second from the first."""
    return float1 - float2


@node(friendly_name="*")
def float_multiply(float1: A = 0.0, float2: B = 0.0) -> Annotated[float, Pin(name="product")]:
    """Multiplies two floats."""
    return float1 * float2


@node(friendly_name="/")
def float_divide(dividend: float = 0.0, divisor: float = 0.0) -> Annotated[float, Pin(name="quotient")]:
    """Divides the dividend by the divisor. Fails on division by zero."""
    return divide(dividend, divisor)


@node(friendly_name="Power")
def float_power(base: float = 0.0, exponent: float = 0.0) -> Annotated[float, Pin(name="power")]:
    """Raises the base to the exponent."""
    return math.pow(base, exponent)


@node(friendly_name="Min")
def float_min(float1: A = 0.0, float2: B = 0.0) -> Annotated[float, Pin(name="minimum")]:
    """The smaller of two floats."""
    return min(float1, float2)


@node(friendly_name="Max")
def float_max(float1: A = 0.0, float2: B = 0.0) -> Annotated[float, Pin(name="maximum")]:
    """The larger of two floats."""
    return max(float1, float2)


@node(friendly_name="Abs")
def float_abs(value: Value = 0.0) -> Annotated[float, Pin(name="absolute")]:
    """The absolute value."""
    return abs(value)


@node(friendly_name="Round")
def float_round(value: Value = 0.0, decimals: int = 0) -> Annotated[float, Pin(name="rounded")]:
    """Rounds to the given number of decimals (half to even)."""
    return float(round(value, decimals))


@node(friendly_name="Floor")
def float_floor(value: Value = 0.0) -> Annotated[int, Pin(name="floor")]:
    """The largest integer not above the float."""
    return math.floor(value)


@node(friendly_name="Ceil")
def float_ceil(value: Value = 0.0) -> Annotated[int, Pin(name="ceiling")]:
    """The smallest integer not below the float."""
    return math.ceil(value)


@node(friendly_name="Clamp")
def float_clamp(value: Value = 0.0, min: float = 0.0, max: float = 1.0) -> Annotated[float, Pin(name="clamped")]:
    """Keeps the float within [min, max]."""
    check_range(min, max, "clamp")
    return sorted((min, value, max))[1]


@node(friendly_name="Random Float in Range", category="Math/Float/Random", cacheable=False)
def float_random_in_range(min: float = 0.0, max: float = 1.0) -> Annotated[float, Pin(name="random_float")]:
    """A random float between min and max; a new one every step."""
    check_range(min, max, "random")
    return random.uniform(min, max)


@node(friendly_name="==", category="Math/Float/Comparison")
def float_equal(float1: float = 0.0, float2: float = 0.0, tolerance: Tolerance = 1e-9) -> Annotated[
        bool, Pin(name="is_equal")]:
    """Whether both floats are equal within the tolerance."""
    return abs(float1 - float2) <= tolerance


@node(friendly_name="!=", category="Math/Float/Comparison")
def float_unequal(float1: float = 0.0, float2: float = 0.0, tolerance: Tolerance = 1e-9) -> Annotated[
        bool, Pin(name="is_unequal")]:
    """Whether the floats differ by more than the tolerance."""
    return abs(float1 - float2) > tolerance


@node(friendly_name="<", category="Math/Float/Comparison")
def float_less_than(float1: A = 0.0, float2: B = 0.0) -> Annotated[bool, Pin(name="is_less")]:
    """Whether the first is less than the second."""
    return float1 < float2


@node(friendly_name="<=", category="Math/Float/Comparison")
def float_less_than_or_equal(float1: A = 0.0, float2: B = 0.0) -> Annotated[bool, Pin(name="is_less_or_equal")]:
    """Whether the first is at most the second."""
    return float1 <= float2


@node(friendly_name=">", category="Math/Float/Comparison")
def float_greater_than(float1: A = 0.0, float2: B = 0.0) -> Annotated[bool, Pin(name="is_greater")]:
    """Whether the first is greater than the second."""
    return float1 > float2


@node(friendly_name=">=", category="Math/Float/Comparison")
def float_greater_than_or_equal(float1: A = 0.0, float2: B = 0.0) -> Annotated[bool, Pin(name="is_greater_or_equal")]:
    """Whether the first is at least the second."""
    return float1 >= float2


@node(friendly_name="Root")
def float_root(radicand: float = 0.0, degree: int = 2) -> Annotated[float, Pin(name="root")]:
    """The real root of the given degree (2 is the square root; odd roots of negative numbers are negative)."""
    return real_root(radicand, degree)
