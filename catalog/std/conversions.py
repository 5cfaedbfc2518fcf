"""Conversions between text, JSON and numbers; failures say what could not be read and as what."""

from __future__ import annotations

import json
import math
from typing import Any

from flowlike_catalog.std._build import function_node
from flowlike_catalog.std.structs import parse_json

from flowlike_core import DataType, NodeType, PinOptions, data_in, data_out
from flowlike_core.types import to_json_native

STR, INT, FLOAT, GENERIC, BOOL = DataType.STRING, DataType.INTEGER, DataType.FLOAT, DataType.GENERIC, DataType.BOOLEAN
_CATEGORY = "Conversions"
_VALUE = data_in("value", GENERIC, friendly_name="Value")
_PRETTY = data_in("pretty", BOOL, default=False, friendly_name="Pretty", description="Indent the JSON")
_ROUNDING = {"truncate": math.trunc, "round": round, "floor": math.floor, "ceil": math.ceil}


def to_json(value: Any, pretty: bool) -> str:
    return json.dumps(to_json_native(value), indent=2 if pretty else None, ensure_ascii=False)


def to_text(value: Any, pretty: bool) -> str:
    return value if isinstance(value, str) else to_json(value, pretty)


def string_to_int(string: str) -> int:
    try:
        return int(string.strip())
    except ValueError:
        raise ValueError(f"cannot read {string!r} as an integer") from None


def string_to_float(string: str) -> float:
    try:
        return float(string.strip())
    except ValueError:
        raise ValueError(f"cannot read {string!r} as a number") from None


def float_to_int(value: float, mode: str) -> int:
    if mode not in _ROUNDING:
        raise ValueError(f"unknown rounding {mode!r}; use one of {', '.join(_ROUNDING)}")
    if not math.isfinite(value):
        raise ValueError(f"cannot turn {value} into an integer")
    return int(_ROUNDING[mode](value))


NODES: list[type[NodeType]] = [
    function_node("val_to_string", "To String", _CATEGORY, "Text as it is; any other value as JSON.",
                  (_VALUE, _PRETTY), (data_out("string", STR, friendly_name="String"),), to_text),
    function_node("val_to_json", "To JSON", _CATEGORY, "Any value as JSON text (text becomes a quoted JSON string).",
                  (_VALUE, _PRETTY), (data_out("json", STR, friendly_name="JSON"),), to_json),
    function_node("val_from_string", "From JSON", _CATEGORY, "Parses JSON text into a value.",
                  (data_in("string", STR, default="null", friendly_name="JSON"),),
                  (data_out("value_ref", GENERIC, friendly_name="Value"),), parse_json),
    function_node("string_to_int", "String to Integer", _CATEGORY, "Reads an integer from text, like \"42\".",
                  (data_in("string", STR, default="0", friendly_name="String"),),
                  (data_out("integer", INT, friendly_name="Integer"),), string_to_int),
    function_node("string_to_float", "String to Float", _CATEGORY, "Reads a number from text, like \"4.2e1\".",
                  (data_in("string", STR, default="0", friendly_name="String"),),
                  (data_out("float", FLOAT, friendly_name="Float"),), string_to_float),
    function_node("int_to_float", "Integer to Float", _CATEGORY, "The integer as a float.",
                  (data_in("integer", INT, default=0, friendly_name="Integer"),),
                  (data_out("float", FLOAT, friendly_name="Float"),), float),
    function_node("float_to_int", "Float to Integer", _CATEGORY, "The float as an integer, rounded as chosen.",
                  (data_in("float", FLOAT, default=0.0, friendly_name="Float"),
                   data_in("mode", STR, default="truncate", friendly_name="Rounding",
                           options=PinOptions(valid_values=list(_ROUNDING)))),
                  (data_out("integer", INT, friendly_name="Integer"),), float_to_int),
]
