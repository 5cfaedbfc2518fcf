"""Collision-resistant ids (CUID2): short, URL-safe, hard to guess, safe to generate on many machines at once."""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.std.extra import extra

from flowlike_core import Pin, node

CATEGORY = "Utils"
CACHEABLE = False  # a new id every run (flowlike_core.cache)


@node(name="cuid", friendly_name="CUID v2", exec_pins=True)
def new_cuid() -> Annotated[str, Pin("CUID", name="cuid")]:
    """A new CUID2: 24 lowercase letters and digits, starting with a letter."""
    return extra("cuid2").Cuid().generate()
