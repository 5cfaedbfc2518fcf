"""Arrays. Element pins share the type variable T, so they take the element type of what is wired.

Edits (push, set, remove, pop) return a new array and leave their input untouched, as Flow-Like's do.
"""

from __future__ import annotations

from typing import Any

from flowlike_catalog.std._build import function_node

from flowlike_core import Context, DataType, NodeType, ValueType, data_in, data_out

GENERIC, ARRAY = DataType.GENERIC, ValueType.ARRAY
_CATEGORY = "Collections/Array"
_ARRAY_IN = data_in("array_in", GENERIC, ARRAY, friendly_name="Array", generic="T")
_ARRAY_OUT = data_out("array_out", GENERIC, ARRAY, friendly_name="Array", generic="T")
_VALUE_IN = data_in("value", GENERIC, friendly_name="Value", generic="T")
_INDEX = data_in("index", DataType.INTEGER, default=0, friendly_name="Index")


def _checked(array: list[Any], index: int) -> int:
    if not 0 <= index < len(array):
        raise IndexError(f"index {index} is out of range for an array of {len(array)} items")
    return index


def _get(array: list[Any], index: int) -> tuple[Any, bool]:
    return (array[index], True) if 0 <= index < len(array) else (None, False)


def _set(array: list[Any], index: int, value: Any) -> list[Any]:
    result = list(array)
    result[_checked(array, index)] = value
    return result


def _remove(array: list[Any], index: int) -> tuple[list[Any], Any]:
    result = list(array)
    return result, result.pop(_checked(array, index))


def _pop(array: list[Any]) -> tuple[list[Any], Any]:
    if not array:
        raise IndexError("cannot pop from an empty array")
    return list(array[:-1]), array[-1]


def _slice(array: list[Any], start: int, length: int) -> list[Any]:
    start = max(0, len(array) + start) if start < 0 else start
    return list(array[start:] if length < 0 else array[start:start + length])


class ConstructArray(NodeType):
    name = "construct_array"
    friendly_name = "Construct Array"
    category = _CATEGORY
    description = "An array of every `element` input, in pin order."
    pins = (data_in("element", GENERIC, friendly_name="Element", generic="T"),
            data_in("element", GENERIC, friendly_name="Element", generic="T"), _ARRAY_OUT)

    def run(self, ctx: Context) -> None:
        ctx.set_output("array_out", ctx.get_inputs("element"))


NODES: list[type[NodeType]] = [
    function_node("make_array", "Make Array", _CATEGORY, "A new empty array; its element type follows the wiring.",
                  (), (_ARRAY_OUT,), list),
    ConstructArray,
    function_node("array_get", "Get Element", _CATEGORY,
                  "The element at the index (from 0); Success is false when the index is out of range.",
                  (_ARRAY_IN, _INDEX),
                  (data_out("element", GENERIC, friendly_name="Element", generic="T"),
                   data_out("success", DataType.BOOLEAN, friendly_name="Success")), _get),
    function_node("array_length", "Array Length", _CATEGORY, "The number of elements.",
                  (data_in("array", GENERIC, ARRAY, friendly_name="Array", generic="T"),),
                  (data_out("length", DataType.INTEGER, friendly_name="Length"),), len),
    function_node("array_includes", "Includes", _CATEGORY, "Whether the array holds the value.",
                  (_ARRAY_IN, _VALUE_IN), (data_out("includes", DataType.BOOLEAN, friendly_name="Includes"),),
                  lambda array, value: value in array),
    function_node("array_slice", "Slice", _CATEGORY,
                  "Part of the array: Length elements from Start (negative Start counts from the end; "
                  "a negative Length takes everything to the end).",
                  (_ARRAY_IN, data_in("start", DataType.INTEGER, default=0, friendly_name="Start"),
                   data_in("length", DataType.INTEGER, default=-1, friendly_name="Length")),
                  (_ARRAY_OUT,), _slice),
    function_node("array_push", "Push", _CATEGORY, "The array with the value appended.",
                  (_ARRAY_IN, _VALUE_IN), (_ARRAY_OUT,), lambda array, value: [*array, value], exec_pins=True),
    function_node("array_set_index", "Set Index", _CATEGORY, "The array with the element at the index replaced.",
                  (_ARRAY_IN, _INDEX, _VALUE_IN), (_ARRAY_OUT,), _set, exec_pins=True),
    function_node("array_remove_index", "Remove Index", _CATEGORY,
                  "The array without the element at the index, and that element.",
                  (_ARRAY_IN, _INDEX), (_ARRAY_OUT, data_out("value", GENERIC, friendly_name="Removed", generic="T")),
                  _remove, exec_pins=True),
    function_node("array_pop", "Pop", _CATEGORY, "The array without its last element, and that element.",
                  (_ARRAY_IN,), (_ARRAY_OUT, data_out("value", GENERIC, friendly_name="Value", generic="T")),
                  _pop, exec_pins=True),
]
