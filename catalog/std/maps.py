"""HashMaps: text keys to values of one type T. Edits return a new map and leave their input untouched."""

from __future__ import annotations

from typing import Annotated, Generic, NamedTuple, TypeVar

from flowlike_core import Pin, node

CATEGORY = "Collections/Map"

T = TypeVar("T")
MapIn = Annotated[dict[str, T], Pin("Map", name="map_in")]
MapOut = Annotated[dict[str, T], Pin("Map")]


class Lookup(NamedTuple, Generic[T]):
    value: T
    found: bool


class Updated(NamedTuple, Generic[T]):
    map_out: MapOut
    replaced: Annotated[bool, Pin(description="Whether the key already had a value")]


class Removed(NamedTuple, Generic[T]):
    map_out: MapOut
    value: Annotated[T, Pin("Removed")]
    was_present: bool


@node
def make_map() -> Annotated[dict[str, T], Pin("Map", name="map_out")]:
    """A new empty map; its value type follows the wiring."""
    return {}


@node(friendly_name="Get Value")
def map_get(map_in: MapIn = None, key: str = "") -> Lookup:
    """The value under the key; Found is false when it is missing."""
    return Lookup(map_in.get(key), key in map_in)


@node(friendly_name="Has Key")
def map_has_key(map_in: MapIn = None, key: str = "") -> Annotated[bool, Pin(name="has_key")]:
    """Whether the map has the key."""
    return key in map_in


@node(friendly_name="Keys")
def map_keys(map_in: MapIn = None) -> Annotated[list[str], Pin(name="keys")]:
    """The keys, in insertion order."""
    return list(map_in)


@node(friendly_name="Values")
def map_values(map_in: MapIn = None) -> Annotated[list[T], Pin(name="values")]:
    """The values, in key insertion order."""
    return list(map_in.values())


@node(friendly_name="Size")
def map_size(map_in: MapIn = None) -> Annotated[int, Pin(name="size")]:
    """The number of keys."""
    return len(map_in)


@node(friendly_name="Set Value", exec_pins=True)
def map_set(map_in: MapIn = None, key: str = "", value: T = None) -> Updated:
    """The map with the key set to the value."""
    return Updated({**map_in, key: value}, key in map_in)


@node(friendly_name="Remove Key", exec_pins=True)
def map_remove(map_in: MapIn = None, key: str = "") -> Removed:
    """The map without the key, and the value it had."""
    result = dict(map_in)
    present = key in result
    return Removed(result, result.pop(key, None), present)


@node(friendly_name="Clear Map", exec_pins=True)
def map_clear(map_in: MapIn = None) -> Annotated[dict[str, T], Pin("Map", name="map_out")]:
    """An empty map of the same value type."""
    return {}
