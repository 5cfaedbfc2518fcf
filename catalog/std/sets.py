"""HashSets of one element type T. Edits return a new set and leave their input untouched."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flowlike_catalog.std._build import function_node

from flowlike_core import DataType, NodeType, ValueType, data_in, data_out

GENERIC, BOOL = DataType.GENERIC, DataType.BOOLEAN
_CATEGORY = "Collections/Set"
_SET_IN = data_in("set_in", GENERIC, ValueType.HASHSET, friendly_name="Set", generic="T")
_SET_OUT = data_out("set_out", GENERIC, ValueType.HASHSET, friendly_name="Set", generic="T")
_VALUE = data_in("value", GENERIC, friendly_name="Value", generic="T")


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


def _insert(items: Iterable[Any], value: Any) -> tuple[set[Any], bool]:
    result = as_set(items)
    existed = value in result
    result.add(value)
    return result, existed


def _discard(items: Iterable[Any], value: Any) -> tuple[set[Any], bool]:
    result = as_set(items)
    present = value in result
    result.discard(value)
    return result, present


def _to_array(items: Iterable[Any]) -> list[Any]:
    """Sorted when the elements can be ordered, so results are stable from run to run."""
    try:
        return sorted(items)
    except TypeError:
        return sorted(items, key=repr)


NODES: list[type[NodeType]] = [
    function_node("make_set", "Make Set", _CATEGORY, "A new empty set; its element type follows the wiring.",
                  (), (_SET_OUT,), set),
    function_node("set_has", "Has Element", _CATEGORY, "Whether the set holds the value.",
                  (_SET_IN, _VALUE), (data_out("contains", BOOL, friendly_name="Contains"),),
                  lambda items, value: value in as_set(items)),
    function_node("set_get_size", "Get Size", _CATEGORY, "The number of elements.",
                  (_SET_IN,), (data_out("size", DataType.INTEGER, friendly_name="Size"),),
                  lambda items: len(as_set(items))),
    function_node("set_to_array", "Set to Array", _CATEGORY, "The elements as an array, sorted.",
                  (_SET_IN,), (data_out("array_out", GENERIC, ValueType.ARRAY, friendly_name="Array", generic="T"),),
                  _to_array),
    function_node("array_to_set", "Array to Set", _CATEGORY, "The distinct elements of the array.",
                  (data_in("array_in", GENERIC, ValueType.ARRAY, friendly_name="Array", generic="T"),), (_SET_OUT,),
                  as_set),
    function_node("insert", "Insert Element", _CATEGORY, "The set with the value added.",
                  (_SET_IN, _VALUE),
                  (_SET_OUT, data_out("existed_before", BOOL, friendly_name="Existed Before")),
                  _insert, exec_pins=True),
    function_node("set_discard", "Discard", _CATEGORY, "The set without the value.",
                  (_SET_IN, _VALUE), (_SET_OUT, data_out("has_removed", BOOL, friendly_name="Removed")),
                  _discard, exec_pins=True),
]
