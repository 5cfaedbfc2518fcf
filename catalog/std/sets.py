"""HashSets of one element type T. Edits return a new set and leave their input untouched."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Generic, NamedTuple, TypeVar

from flowlike_core import Pin, node

CATEGORY = "Collections/Set"

T = TypeVar("T")
SetIn = Annotated[set[T], Pin("Set", name="set_in")]
SetOut = Annotated[set[T], Pin("Set", name="set_out")]


class Inserted(NamedTuple, Generic[T]):
    set_out: Annotated[set[T], Pin("Set")]
    existed_before: bool


class Discarded(NamedTuple, Generic[T]):
    set_out: Annotated[set[T], Pin("Set")]
    has_removed: Annotated[bool, Pin("Removed")]


def as_set(items: Iterable[Any]) -> set[Any]:
    """A Python set of the items, or an error naming the element type that cannot be in one."""
    try:
        return set(items)
    except TypeError:
        bad = next(type(item).__name__ for item in items if not _hashable(item))
        raise TypeError(f"a set cannot hold {bad} values: they are not hashable") from None


def _hashable(item: Any) -> bool:
    try:
        hash(item)
    except TypeError:
        return False
    return True


@node
def make_set() -> SetOut:
    """A new empty set; its element type follows the wiring."""
    return set()


@node(friendly_name="Has Element")
def set_has(set_in: SetIn = None, value: T = None) -> Annotated[bool, Pin(name="contains")]:
    """Whether the set holds the value."""
    return value in as_set(set_in)


@node(friendly_name="Get Size")
def set_get_size(set_in: SetIn = None) -> Annotated[int, Pin(name="size")]:
    """The number of elements."""
    return len(as_set(set_in))


@node(friendly_name="Set to Array")
def set_to_array(set_in: SetIn = None) -> Annotated[list[T], Pin("Array", name="array_out")]:
    """The elements as an array, sorted."""
    try:
        return sorted(set_in)
    except TypeError:  # elements that cannot be ordered: sorted by their repr, so results stay stable
        return sorted(set_in, key=repr)


@node(friendly_name="Array to Set")
def array_to_set(array_in: Annotated[list[T], Pin("Array")] = None) -> SetOut:
    """The distinct elements of the array."""
    return as_set(array_in)


@node(friendly_name="Insert Element", exec_pins=True)
def insert(set_in: SetIn = None, value: T = None) -> Inserted:
    """The set with the value added."""
    result = as_set(set_in)
    existed = value in result
    result.add(value)
    return Inserted(result, existed)


@node(friendly_name="Discard", exec_pins=True)
def set_discard(set_in: SetIn = None, value: T = None) -> Discarded:
    """The set without the value."""
    result = as_set(set_in)
    present = value in result
    result.discard(value)
    return Discarded(result, present)


class SetPopped(NamedTuple, Generic[T]):
    set_out: Annotated[set[T], Pin("Set")]
    value: Annotated[T, Pin("Removed", description="The element taken out (the smallest, so results are "
                                                   "reproducible)")]


Set1 = Annotated[set[T], Pin("Set 1", name="set_in_1")]
Set2 = Annotated[set[T], Pin("Set 2", name="set_in_2")]


@node(friendly_name="Is Empty")
def set_is_empty(set_in: SetIn = None) -> Annotated[bool, Pin(name="is_empty")]:
    """Whether the set has no elements."""
    return not set_in


@node(friendly_name="Is Subset")
def set_is_subset(set_in_1: Set1 = None, set_in_2: Set2 = None) -> Annotated[bool, Pin(name="is_subset")]:
    """Whether every element of Set 1 is in Set 2."""
    return as_set(set_in_1) <= as_set(set_in_2)


@node(friendly_name="Is Superset")
def set_is_superset(set_in_1: Set1 = None, set_in_2: Set2 = None) -> Annotated[bool, Pin(name="is_superset")]:
    """Whether Set 1 holds every element of Set 2."""
    return as_set(set_in_1) >= as_set(set_in_2)


@node(exec_pins=True)
def is_mutual(set_in_1: Set1 = None, set_in_2: Set2 = None) -> Annotated[bool, Pin(name="is_mutual")]:
    """Whether the sets share at least one element."""
    return not as_set(set_in_1).isdisjoint(as_set(set_in_2))


@node(exec_pins=True)
def union(set_in_1: Set1 = None, set_in_2: Set2 = None) -> SetOut:
    """The elements of either set."""
    return as_set(set_in_1) | as_set(set_in_2)


@node(exec_pins=True)
def difference(set_in_1: Set1 = None, set_in_2: Set2 = None) -> SetOut:
    """The elements of Set 1 that are not in Set 2."""
    return as_set(set_in_1) - as_set(set_in_2)


@node(friendly_name="Clear Set", exec_pins=True)
def set_clear(set_in: SetIn = None) -> SetOut:
    """An empty set of the same element type."""
    return set()


@node(friendly_name="Pop", exec_pins=True)
def set_pop(set_in: SetIn = None) -> SetPopped:
    """The set without one element, and that element; fails on an empty set."""
    result = as_set(set_in)
    if not result:
        raise KeyError("cannot pop from an empty set")
    try:
        value = min(result)
    except TypeError:  # elements that cannot be ordered: the smallest by repr
        value = min(result, key=repr)
    result.discard(value)
    return SetPopped(result, value)
