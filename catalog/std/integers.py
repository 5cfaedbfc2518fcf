"""Integer arithmetic, comparison, clamping and random numbers. All pure."""

from __future__ import annotations

import math
import random
from typing import Annotated

from flowlike_core import Pin, node

CATEGORY = "Math/Integer"

A = Annotated[int, Pin("A")]
B = Annotated[int, Pin("B")]


def check_range(low: float, high: float, what: str) -> None:
    if low > high:
        raise ValueError(f"{what} range is empty: min {low} is greater than max {high}")


MAX_POWER_BITS = 1_000_000
"""The largest integer power has about a million bits (301,030 digits): bigger ones would block the run."""


def divide(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError(f"cannot divide {a} by zero")
    return a / b


@node(friendly_name="+")
def int_add(integer1: A = 0, integer2: B = 0) -> Annotated[int, Pin(name="sum")]:
    """Adds two integers."""
    return integer1 + integer2


@node(friendly_name="-")
def int_subtract(integer1: A = 0, integer2: B = 0) -> Annotated[int, Pin(name="difference")]:
    """Subtracts the second from the first."""
    return integer1 - integer2


@node(friendly_name="*")
def int_multiply(integer1: A = 0, integer2: B = 0) -> Annotated[int, Pin(name="product")]:
    """Multiplies two integers."""
    return integer1 * integer2


@node(friendly_name="/")
def int_divide(integer1: A = 0, integer2: B = 0) -> float:
    """Divides the first by the second; the result is a Float. Fails on division by zero."""
    return divide(integer1, integer2)


@node(friendly_name="%")
def int_modulo(integer1: A = 0, integer2: B = 0) -> Annotated[int, Pin(name="remainder")]:
    """The remainder of dividing the first by the second (sign of the divisor)."""
    if integer2 == 0:
        raise ZeroDivisionError(f"cannot take {integer1} modulo zero")
    return integer1 % integer2


@node(friendly_name="Power")
def int_power(base: int = 0, exponent: int = 0) -> Annotated[int, Pin(name="power")]:
    """Raises the base to a non-negative integer exponent."""
    if exponent < 0:
        raise ValueError(f"integer power needs a non-negative exponent, got {exponent}; use Float Power")
    if abs(base) > 1 and exponent * math.log2(abs(base)) > MAX_POWER_BITS:
        raise ValueError(f"{base} ** {exponent} would have more than {MAX_POWER_BITS:,} bits; use Float Power")
    return base**exponent


@node(friendly_name="Min")
def int_min(integer1: A = 0, integer2: B = 0) -> Annotated[int, Pin(name="minimum")]:
    """The smaller of two integers."""
    return min(integer1, integer2)


@node(friendly_name="Max")
def int_max(integer1: A = 0, integer2: B = 0) -> Annotated[int, Pin(name="maximum")]:
    """The larger of two integers."""
    return max(integer1, integer2)


@node(friendly_name="Absolute")
def int_abs(integer: int = 0) -> Annotated[int, Pin(name="absolute")]:
    """The absolute value."""
    return abs(integer)


@node(friendly_name="Clamp")
def int_clamp(integer: int = 0, min: int = 0, max: int = 100) -> Annotated[int, Pin(name="clamped")]:
    """Keeps the integer within [min, max]."""
    check_range(min, max, "clamp")
    return sorted((min, integer, max))[1]


@node(friendly_name="Random Integer in Range", category="Math/Integer/Random", cacheable=False)
def int_random_in_range(min: int = 0, max: int = 100) -> Annotated[int, Pin(name="random_integer")]:
    """A random integer between min and max, both included; a new one every step."""
    check_range(min, max, "random")
    return random.randint(min, max)


@node(friendly_name="==", category="Math/Integer/Comparison")
def int_equal(integer1: A = 0, integer2: B = 0) -> Annotated[bool, Pin(name="equal")]:
    """Whether both are equal."""
    return integer1 == integer2


@node(friendly_name="!=", category="Math/Integer/Comparison")
def int_unequal(integer1: A = 0, integer2: B = 0) -> Annotated[bool, Pin(name="unequal")]:
    """Whether they differ."""
    return integer1 != integer2


@node(friendly_name="<", category="Math/Integer/Comparison")
def int_less_than(integer1: A = 0, integer2: B = 0) -> Annotated[bool, Pin(name="less_than")]:
    """Whether the first is less than the second."""
    return integer1 < integer2


@node(friendly_name="<=", category="Math/Integer/Comparison")
def int_less_than_or_equal(integer1: A = 0, integer2: B = 0) -> Annotated[bool, Pin(name="less_than_or_equal")]:
    """Whether the first is at most the second."""
    return integer1 <= integer2


@node(friendly_name=">", category="Math/Integer/Comparison")
def int_greater_than(integer1: A = 0, integer2: B = 0) -> Annotated[bool, Pin(name="greater_than")]:
    """Whether the first is greater than the second."""
    return integer1 > integer2


@node(friendly_name=">=", category="Math/Integer/Comparison")
def int_greater_than_or_equal(integer1: A = 0, integer2: B = 0) -> Annotated[bool, Pin(name="greater_than_or_equal")]:
    """Whether the first is at least the second."""
    return integer1 >= integer2


def real_root(radicand: float, degree: int) -> float:
    """The real `degree`-th root; odd roots of negative numbers are negative."""
    if degree == 0:
        raise ValueError("the root's degree cannot be 0")
    if radicand < 0:
        if degree % 2 == 0:
            raise ValueError(f"an even root ({degree}) of the negative number {radicand} is not real")
        return -real_root(-radicand, degree)
    if radicand == 0 and degree < 0:
        raise ZeroDivisionError(f"the {degree}th root of 0 is a division by zero")
    return radicand ** (1 / degree)


@node(friendly_name="Root")
def int_root(radicand: int = 0, degree: int = 2) -> Annotated[float, Pin(name="root")]:
    """The real root of the given degree (2 is the square root; odd roots of negative numbers are negative)."""
    return real_root(radicand, degree)
