"""Arrays. Element pins share the type variable T, so they take the element type of what is wired.

Edits (push, set, remove, pop) return a new array and leave their input untouched, as Flow-Like's do.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, NamedTuple, TypeVar

from flowlike_core import Context, DataType, NodeType, Pin, ValueType, data_in, data_out, node

CATEGORY = "Collections/Array"

T = TypeVar("T")
ArrayIn = Annotated[list[T], Pin("Array", name="array_in")]
ArrayOut = Annotated[list[T], Pin("Array", name="array_out")]


class Lookup(NamedTuple, Generic[T]):
    element: T
    success: bool


class Removed(NamedTuple, Generic[T]):
    array_out: Annotated[list[T], Pin("Array")]
    value: Annotated[T, Pin("Removed")]


class Popped(NamedTuple, Generic[T]):
    array_out: Annotated[list[T], Pin("Array")]
    value: T


def _checked(array: list[Any], index: int) -> int:
    if not 0 <= index < len(array):
        raise IndexError(f"index {index} is out of range for an array of {len(array)} items")
    return index


@node(friendly_name="Make Array")
def make_array() -> ArrayOut:
    """A new empty array; its element type follows the wiring."""
    return []


class ConstructArray(NodeType):
    name = "construct_array"
    friendly_name = "Construct Array"
    description = "An array of every `element` input, in pin order."
    pins = (data_in("element", DataType.GENERIC, friendly_name="Element", generic="T"),
            data_in("element", DataType.GENERIC, friendly_name="Element", generic="T"),
            data_out("array_out", DataType.GENERIC, ValueType.ARRAY, friendly_name="Array", generic="T"))

    def run(self, ctx: Context, *, element: list[Any]) -> None:
        ctx.set_output("array_out", element)


@node(friendly_name="Get Element")
def array_get(array_in: ArrayIn = None, index: int = 0) -> Lookup:
    """The element at the index (from 0); Success is false when the index is out of range."""
    return Lookup(array_in[index], True) if 0 <= index < len(array_in) else Lookup(None, False)


@node(friendly_name="Array Length")
def array_length(array: list[T] = None) -> Annotated[int, Pin(name="length")]:
    """The number of elements."""
    return len(array)


@node(friendly_name="Includes")
def array_includes(array_in: ArrayIn = None, value: T = None) -> Annotated[bool, Pin(name="includes")]:
    """Whether the array holds the value."""
    return value in array_in


@node(friendly_name="Slice")
def array_slice(array_in: ArrayIn = None, start: int = 0, length: int = -1) -> ArrayOut:
    """Part of the array: Length elements from Start (negative Start counts from the end; a negative Length takes
    everything to the end)."""
    start = max(0, len(array_in) + start) if start < 0 else start
    return list(array_in[start:] if length < 0 else array_in[start:start + length])


@node(friendly_name="Push", exec_pins=True)
def array_push(array_in: ArrayIn = None, value: T = None) -> ArrayOut:
    """The array with the value appended."""
    return [*array_in, value]


@node(friendly_name="Set Index", exec_pins=True)
def array_set_index(array_in: ArrayIn = None, index: int = 0, value: T = None) -> ArrayOut:
    """The array with the element at the index replaced."""
    result = list(array_in)
    result[_checked(array_in, index)] = value
    return result


@node(friendly_name="Remove Index", exec_pins=True)
def array_remove_index(array_in: ArrayIn = None, index: int = 0) -> Removed:
    """The array without the element at the index, and that element."""
    result = list(array_in)
    return Removed(result, result.pop(_checked(array_in, index)))


@node(friendly_name="Pop", exec_pins=True)
def array_pop(array_in: ArrayIn = None) -> Popped:
    """The array without its last element, and that element."""
    if not array_in:
        raise IndexError("cannot pop from an empty array")
    return Popped(list(array_in[:-1]), array_in[-1])
