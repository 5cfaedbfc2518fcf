"""Values of any type: a fallback for missing values, a choice between two, a conversion that may fail."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Annotated, Any, Generic, NamedTuple, TypeVar

from flowlike_catalog.std.dates import aware

from flowlike_core import Pin, node
from flowlike_core.types import to_json_native

CATEGORY = "Utils/Types"

T = TypeVar("T")
_TRUE, _FALSE = {"true", "yes", "y", "1", "on"}, {"false", "no", "n", "0", "off"}


class Fallback(NamedTuple, Generic[T]):
    result: T
    used_fallback: bool


class Transformed(NamedTuple):
    type_out: Annotated[Any, Pin("Value")]
    success: bool


@node(friendly_name="Fallback")
def utils_types_fallback(value: T = None, default: T = None) -> Fallback:
    """The value, or the default when the value is missing (null)."""
    return Fallback(default, True) if value is None else Fallback(value, False)


@node(friendly_name="Select")
def utils_types_select(a: T = None, b: T = None,
                       condition: bool = True) -> Annotated[T, Pin(name="result")]:
    """A when the condition is true, else B."""
    return a if condition else b


def _to_string(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(to_json_native(value), indent=2, ensure_ascii=False)


def _to_float(value: Any) -> float:
    if isinstance(value, str):
        value = float(value.strip())
    if isinstance(value, bool | int | float) and math.isfinite(value):
        return float(value)
    raise ValueError(value)


def _to_int(value: Any) -> int:
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.lstrip("+-").isdigit() else int(_to_float(text))
    return int(_to_float(value))


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        return _to_float(text) != 0
    if value is None or isinstance(value, bool | int | float | list | dict | set):
        return bool(value)
    raise ValueError(value)


def _to_struct(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value)
        if isinstance(value, dict):
            return value
        raise ValueError(value)
    if isinstance(value, dict):
        return value
    if isinstance(value, list | tuple):
        return {str(index): item for index, item in enumerate(value)}
    return {"value": value}


def _to_date(value: Any) -> dt.datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    return aware(value)


_CONVERSIONS: dict[str, Callable[[Any], Any]] = {
    "String": _to_string, "Integer": _to_int, "Float": _to_float, "Boolean": _to_bool, "Struct": _to_struct,
    "Date": _to_date,
}


@node(friendly_name="Try Transform")
def utils_types_try_transform(
        type_in: Annotated[Any, Pin("Value")] = None,
        to: Annotated[str, Pin("Into", valid_values=tuple(_CONVERSIONS),
                               description="The type to convert into (Flow-Like reads it from the wired "
                                           "output; here it is chosen)")] = "String") -> Transformed:
    """Converts the value into the chosen type; Success is false (and the value null) when it cannot.
    Text reads as numbers, JSON objects or dates; "yes"/"no", "on"/"off", 1/0 read as booleans; numbers read
    as seconds since 1970 for dates; other values become a struct {"value": ...}."""
    if to not in _CONVERSIONS:
        raise ValueError(f"cannot convert into {to!r}; choose one of {', '.join(_CONVERSIONS)}")
    try:
        return Transformed(_CONVERSIONS[to](type_in), True)
    except (ValueError, TypeError, OverflowError):
        return Transformed(None, False)
