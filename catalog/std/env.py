"""The process environment the run's kernel or server was started with."""

from __future__ import annotations

import os
from typing import Annotated, NamedTuple

from flowlike_core import Pin, node

CATEGORY = "Utils/Env"
CACHEABLE = False  # the environment can change between runs (flowlike_core.cache)


class EnvLookup(NamedTuple):
    variable: Annotated[str, Pin("Value", description="The variable's value, empty when it is not set")]
    found: bool


@node(friendly_name="Get Environment Variable")
def get_env(key: Annotated[str, Pin("Name")] = "") -> EnvLookup:
    """The value of an environment variable; Found is false when it is not set."""
    if not key:
        raise ValueError("give the name of the environment variable to read")
    value = os.environ.get(key)
    return EnvLookup(value or "", value is not None)
