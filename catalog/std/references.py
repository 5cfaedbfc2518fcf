"""By-reference edits (Flow-Like's "By Ref" nodes): they change an array, map or set held in a board variable
instead of passing a new one along. The variable keeps its new value for the rest of the run."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple, TypeVar

from flowlike_catalog.std.sets import as_set

from flowlike_core import Context, Pin, node

CATEGORY = "Collections/By Reference"

T = TypeVar("T")
VarRef = Annotated[str, Pin("Variable", description="Name of the board variable to edit", required=True)]


class MapRemoved(NamedTuple):
    value: Annotated[Any, Pin("Removed")]
    was_present: bool


def _held(ctx: Context, var_ref: str, kind: type, what: str) -> Any:
    value = ctx.get_variable(var_ref)
    if value is None:
        return kind()
    if not isinstance(value, kind if kind is not set else set | frozenset | list):
        raise TypeError(f"variable {var_ref!r} holds {type(value).__name__}, not {what}")
    return value


def array_of(ctx: Context, var_ref: str) -> list[Any]:
    """A copy of the array in the variable (an unset variable is empty)."""
    return list(_held(ctx, var_ref, list, "an array"))


def map_of(ctx: Context, var_ref: str) -> dict[str, Any]:
    return dict(_held(ctx, var_ref, dict, "a map"))


def set_of(ctx: Context, var_ref: str) -> set[Any]:
    return as_set(_held(ctx, var_ref, set, "a set"))


def _index(array: list[Any], index: int, var_ref: str) -> int:
    if not 0 <= index < len(array):
        raise IndexError(f"index {index} is out of range for variable {var_ref!r}, an array of {len(array)} items")
    return index


@node(friendly_name="Push (By Ref)", category="Collections/Array/By Reference", exec_pins=True)
def array_push_ref(ctx: Context, var_ref: VarRef = "", value: T = None) -> None:
    """Appends the value to the array in the variable."""
    ctx.set_variable(var_ref, [*array_of(ctx, var_ref), value])


@node(friendly_name="Extend (By Ref)", category="Collections/Array/By Reference", exec_pins=True)
def array_extend_ref(ctx: Context, var_ref: VarRef = "", values: list[T] = None) -> None:
    """Appends the values, in order, to the array in the variable."""
    ctx.set_variable(var_ref, [*array_of(ctx, var_ref), *values])


@node(friendly_name="Pop (By Ref)", category="Collections/Array/By Reference", exec_pins=True)
def array_pop_ref(ctx: Context, var_ref: VarRef = "") -> Annotated[T, Pin(name="value")]:
    """Removes the last element of the array in the variable and gives it."""
    array = array_of(ctx, var_ref)
    if not array:
        raise IndexError(f"cannot pop from variable {var_ref!r}: its array is empty")
    value = array.pop()
    ctx.set_variable(var_ref, array)
    return value


@node(friendly_name="Remove Index (By Ref)", category="Collections/Array/By Reference", exec_pins=True)
def array_remove_index_ref(ctx: Context, var_ref: VarRef = "", index: int = 0) -> Annotated[T, Pin(name="value")]:
    """Removes the element at the index from the array in the variable and gives it."""
    array = array_of(ctx, var_ref)
    value = array.pop(_index(array, index, var_ref))
    ctx.set_variable(var_ref, array)
    return value


@node(friendly_name="Set Index (By Ref)", category="Collections/Array/By Reference", exec_pins=True)
def array_set_index_ref(ctx: Context, var_ref: VarRef = "", index: int = 0, value: T = None) -> None:
    """Replaces the element at the index of the array in the variable."""
    array = array_of(ctx, var_ref)
    array[_index(array, index, var_ref)] = value
    ctx.set_variable(var_ref, array)


@node(friendly_name="Clear (By Ref)", category="Collections/Array/By Reference", exec_pins=True)
def array_clear_ref(ctx: Context, var_ref: VarRef = "") -> None:
    """Empties the array in the variable."""
    array_of(ctx, var_ref)
    ctx.set_variable(var_ref, [])


@node(friendly_name="Set Value (By Ref)", category="Collections/Map/By Reference", exec_pins=True)
def map_set_ref(ctx: Context, var_ref: VarRef = "", key: str = "", value: T = None) -> None:
    """Sets the key of the map in the variable to the value."""
    ctx.set_variable(var_ref, {**map_of(ctx, var_ref), key: value})


@node(friendly_name="Remove Key (By Ref)", category="Collections/Map/By Reference", exec_pins=True)
def map_remove_ref(ctx: Context, var_ref: VarRef = "", key: str = "") -> MapRemoved:
    """Removes the key from the map in the variable; gives the value it had."""
    mapping = map_of(ctx, var_ref)
    present = key in mapping
    value = mapping.pop(key, None)
    ctx.set_variable(var_ref, mapping)
    return MapRemoved(value, present)


@node(friendly_name="Clear (By Ref)", category="Collections/Map/By Reference", exec_pins=True)
def map_clear_ref(ctx: Context, var_ref: VarRef = "") -> None:
    """Empties the map in the variable."""
    map_of(ctx, var_ref)
    ctx.set_variable(var_ref, {})


@node(friendly_name="Insert (By Ref)", category="Collections/Set/By Reference", exec_pins=True)
def set_insert_ref(ctx: Context, var_ref: VarRef = "", value: T = None) -> Annotated[bool, Pin(name="was_new")]:
    """Adds the value to the set in the variable; Was New is false when it was there already."""
    items = set_of(ctx, var_ref)
    new = value not in items
    items.add(value)
    ctx.set_variable(var_ref, items)
    return new


@node(friendly_name="Discard (By Ref)", category="Collections/Set/By Reference", exec_pins=True)
def set_discard_ref(ctx: Context, var_ref: VarRef = "", value: T = None) -> Annotated[
        bool, Pin(name="was_present")]:
    """Removes the value from the set in the variable, if it is there."""
    items = set_of(ctx, var_ref)
    present = value in items
    items.discard(value)
    ctx.set_variable(var_ref, items)
    return present


@node(friendly_name="Clear (By Ref)", category="Collections/Set/By Reference", exec_pins=True)
def set_clear_ref(ctx: Context, var_ref: VarRef = "") -> None:
    """Empties the set in the variable."""
    set_of(ctx, var_ref)
    ctx.set_variable(var_ref, set())
