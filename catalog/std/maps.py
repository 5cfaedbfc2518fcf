"""HashMaps: text keys to values of one type T. Edits return a new map and leave their input untouched."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.std._build import function_node

from flowlike_core import DataType, NodeType, ValueType, data_in, data_out

GENERIC, BOOL = DataType.GENERIC, DataType.BOOLEAN
_CATEGORY = "Collections/Map"
_MAP_IN = data_in("map_in", GENERIC, ValueType.HASHMAP, friendly_name="Map", generic="T")
_MAP_OUT = data_out("map_out", GENERIC, ValueType.HASHMAP, friendly_name="Map", generic="T")
_KEY = data_in("key", DataType.STRING, default="", friendly_name="Key")


def _set(mapping: dict[str, Any], key: str, value: Any) -> tuple[dict[str, Any], bool]:
    return {**mapping, key: value}, key in mapping


def _remove(mapping: dict[str, Any], key: str) -> tuple[dict[str, Any], Any, bool]:
    result = dict(mapping)
    present = key in result
    return result, result.pop(key, None), present


NODES: list[type[NodeType]] = [
    function_node("make_map", "Make Map", _CATEGORY, "A new empty map; its value type follows the wiring.",
                  (), (_MAP_OUT,), dict),
    function_node("map_get", "Get Value", _CATEGORY, "The value under the key; Found is false when it is missing.",
                  (_MAP_IN, _KEY),
                  (data_out("value", GENERIC, friendly_name="Value", generic="T"),
                   data_out("found", BOOL, friendly_name="Found")),
                  lambda mapping, key: (mapping.get(key), key in mapping)),
    function_node("map_has_key", "Has Key", _CATEGORY, "Whether the map has the key.",
                  (_MAP_IN, _KEY), (data_out("has_key", BOOL, friendly_name="Has Key"),),
                  lambda mapping, key: key in mapping),
    function_node("map_keys", "Keys", _CATEGORY, "The keys, in insertion order.",
                  (_MAP_IN,), (data_out("keys", DataType.STRING, ValueType.ARRAY, friendly_name="Keys"),), list),
    function_node("map_values", "Values", _CATEGORY, "The values, in key insertion order.",
                  (_MAP_IN,), (data_out("values", GENERIC, ValueType.ARRAY, friendly_name="Values", generic="T"),),
                  lambda mapping: list(mapping.values())),
    function_node("map_size", "Size", _CATEGORY, "The number of keys.",
                  (_MAP_IN,), (data_out("size", DataType.INTEGER, friendly_name="Size"),), len),
    function_node("map_set", "Set Value", _CATEGORY, "The map with the key set to the value.",
                  (_MAP_IN, _KEY, data_in("value", GENERIC, friendly_name="Value", generic="T")),
                  (_MAP_OUT, data_out("replaced", BOOL, friendly_name="Replaced",
                                      description="Whether the key already had a value")),
                  _set, exec_pins=True),
    function_node("map_remove", "Remove Key", _CATEGORY, "The map without the key, and the value it had.",
                  (_MAP_IN, _KEY),
                  (_MAP_OUT, data_out("value", GENERIC, friendly_name="Removed", generic="T"),
                   data_out("was_present", BOOL, friendly_name="Was Present")),
                  _remove, exec_pins=True),
]
