"""Arrays. Element pins share the type variable T, so they take the element type of what is wired.

Edits (push, set, remove, pop) return a new array and leave their input untouched, as Flow-Like's do.
"""

from __future__ import annotations

import random
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


class Found(NamedTuple):
    index: Annotated[int, Pin(description="Position of the first equal item, -1 when there is none")]
    found: bool


class FieldsFiltered(NamedTuple):
    array_out: Annotated[list[dict], Pin("Array")]
    removed_count: Annotated[int, Pin(description="How many fields were removed in all")]


class BatchRemoved(NamedTuple, Generic[T]):
    array_out: Annotated[list[T], Pin("Array")]
    removed: Annotated[list[T], Pin(description="The removed items, in array order")]


def _checked(array: list[Any], index: int) -> int:
    if not 0 <= index < len(array):
        raise IndexError(f"index {index} is out of range for an array of {len(array)} items")
    return index


@node
def make_array() -> ArrayOut:
    """A new empty array; its element type follows the wiring."""
    return []


class ConstructArray(NodeType):
    name = "construct_array"
    friendly_name = "Construct Array"
    description = "An array of every `element` input, in pin order."
    pins = (data_in("element", DataType.GENERIC, generic="T"),
            data_in("element", DataType.GENERIC, generic="T"),
            data_out("array_out", DataType.GENERIC, ValueType.ARRAY, friendly_name="Array", generic="T"))

    def run(self, ctx: Context, *, element: list[Any]) -> None:
        ctx.set_output("array_out", element)


@node(friendly_name="Get Element")
def array_get(array_in: ArrayIn = None, index: int = 0) -> Lookup:
    """The element at the index (from 0); Success is false when the index is out of range."""
    return Lookup(array_in[index], True) if 0 <= index < len(array_in) else Lookup(None, False)


@node
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


@node(friendly_name="Clear Array", exec_pins=True)
def array_clear(array_in: ArrayIn = None) -> ArrayOut:
    """An empty array of the same element type."""
    return []


@node(friendly_name="Extend", exec_pins=True)
def array_extend(array_in: ArrayIn = None, values: list[T] = None) -> ArrayOut:
    """The array with the values appended, in order."""
    return [*array_in, *values]


@node(friendly_name="Find Item", exec_pins=True)
def array_find_item(array_in: ArrayIn = None, item: T = None) -> Found:
    """The index of the first element equal to the item."""
    return next((Found(index, True) for index, element in enumerate(array_in) if element == item), Found(-1, False))


def _without(item: Any, fields: set[str]) -> tuple[Any, int]:
    if not isinstance(item, dict):
        return item, 0
    kept = {key: value for key, value in item.items() if key not in fields}
    return kept, len(item) - len(kept)


@node(friendly_name="Filter Array Field", exec_pins=True)
def array_filter_field(array_in: Annotated[list[dict], Pin("Array")] = None, field: str = "") -> FieldsFiltered:
    """Every struct of the array without the field (items that are not structs pass unchanged)."""
    return array_filter_fields.func(array_in, [field])


@node(friendly_name="Filter Array Fields", exec_pins=True)
def array_filter_fields(array_in: Annotated[list[dict], Pin("Array")] = None,
                        fields: list[str] = None) -> FieldsFiltered:
    """Every struct of the array without the fields (items that are not structs pass unchanged)."""
    results = [_without(item, set(fields)) for item in array_in]
    return FieldsFiltered([item for item, _ in results], sum(count for _, count in results))


@node(friendly_name="Shuffle", cacheable=False)
def array_shuffle(array_in: ArrayIn = None) -> ArrayOut:
    """The elements in a random order."""
    return random.sample(array_in, len(array_in))


@node(friendly_name="Batch Push", category="Collections/Array/Batch", exec_pins=True)
def array_batch_push(array_in: ArrayIn = None, items: list[T] = None) -> ArrayOut:
    """The array with the items appended, in order (one step instead of a loop of Push)."""
    return [*array_in, *items]


@node(friendly_name="Batch Remove", category="Collections/Array/Batch", exec_pins=True)
def array_batch_remove(array_in: ArrayIn = None, indices: list[int] = None) -> BatchRemoved:
    """The array without the elements at the indices (repeats count once), and those elements."""
    doomed = {_checked(array_in, index) for index in indices}
    return BatchRemoved([item for index, item in enumerate(array_in) if index not in doomed],
                        [array_in[index] for index in sorted(doomed)])


@node(friendly_name="Batch Set", category="Collections/Array/Batch", exec_pins=True)
def array_batch_set(array_in: ArrayIn = None, indices: list[int] = None,
                    values: list[T] = None) -> ArrayOut:
    """The array with values[i] placed at indices[i], in order (a later index wins)."""
    if len(indices) != len(values):
        raise ValueError(f"batch set needs as many values as indices, got {len(indices)} indices and "
                         f"{len(values)} values")
    result = list(array_in)
    for index, value in zip(indices, values, strict=True):
        result[_checked(array_in, index)] = value
    return result
