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


@node(friendly_name="Make Set")
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
