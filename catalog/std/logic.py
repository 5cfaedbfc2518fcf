"""Boolean logic. And, Or, Xor and Equal are variadic: every input pin named `boolean` takes part."""

from __future__ import annotations

import random
from typing import Annotated

from flowlike_core import Pin, node

CATEGORY = "Logic"

Boolean = Annotated[bool, Pin(default=False)]


@node(friendly_name="And")
def bool_and(*boolean: Boolean) -> bool:
    """True when every input is true."""
    return all(boolean)


@node(friendly_name="Or")
def bool_or(*boolean: Boolean) -> bool:
    """True when any input is true."""
    return any(boolean)


@node(friendly_name="Xor")
def bool_xor(*boolean: Boolean) -> bool:
    """True when an odd number of inputs are true (for two: exactly one)."""
    return sum(map(bool, boolean)) % 2 == 1


@node(friendly_name="Equal")
def bool_equal(*boolean: Boolean) -> bool:
    """True when all inputs have the same value."""
    return len(set(map(bool, boolean))) <= 1


@node(friendly_name="Not")
def bool_not(boolean: bool = False) -> bool:
    """The opposite of the input."""
    return not boolean


@node(friendly_name="Random Boolean", cacheable=False)
def random_bool(probability: Annotated[float, Pin(range=(0, 1))] = 0.5) -> Annotated[bool, Pin(name="value")]:
    """True with the probability (0 to 1)."""
    if not 0 <= probability <= 1:
        raise ValueError(f"probability must be from 0 to 1, got {probability}")
    return random.random() < probability
