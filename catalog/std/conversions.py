"""Conversions between text, JSON and numbers; failures say what could not be read and as what."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from flowlike_catalog.std.structs import parse_json
from flowlike_catalog.std.text import Bytes, builtin_bytes

from flowlike_core import Pin, node
from flowlike_core.types import to_json_native

CATEGORY = "Conversions"

Pretty = Annotated[bool, Pin(description="Indent the JSON")]
_ROUNDING = {"truncate": math.trunc, "round": round, "floor": math.floor, "ceil": math.ceil}


def to_json(value: Any, pretty: bool) -> str:
    return json.dumps(to_json_native(value), indent=2 if pretty else None, ensure_ascii=False)


@node(friendly_name="To String")
def val_to_string(value: Any = None, pretty: Pretty = False) -> Annotated[str, Pin(name="string")]:
    """Text as it is; any other value as JSON."""
    return value if isinstance(value, str) else to_json(value, pretty)


@node(friendly_name="To JSON")
def val_to_json(value: Any = None, pretty: Pretty = False) -> Annotated[str, Pin("JSON", name="json")]:
    """Any value as JSON text (text becomes a quoted JSON string)."""
    return to_json(value, pretty)


@node(friendly_name="From JSON")
def val_from_string(string: Annotated[str, Pin("JSON")] = "null") -> Annotated[Any, Pin("Value", name="value_ref")]:
    """Parses JSON text into a value."""
    return parse_json(string)


@node(friendly_name="String to Integer")
def string_to_int(string: str = "0") -> Annotated[int, Pin(name="integer")]:
    """Reads an integer from text, like "42"."""
    try:
        return int(string.strip())
    except ValueError:
        raise ValueError(f"cannot read {string!r} as an integer") from None


@node(friendly_name="String to Float")
def string_to_float(string: str = "0") -> Annotated[float, Pin(name="float")]:
    """Reads a number from text, like "4.2e1"."""
    try:
        return float(string.strip())
    except ValueError:
        raise ValueError(f"cannot read {string!r} as a number") from None


@node(friendly_name="Integer to Float")
def int_to_float(integer: int = 0) -> Annotated[float, Pin(name="float")]:
    """The integer as a float."""
    return float(integer)


@node(friendly_name="Float to Integer")
def float_to_int(value: Annotated[float, Pin(name="float")] = 0.0,
                 mode: Annotated[str, Pin("Rounding", valid_values=tuple(_ROUNDING))] = "truncate") -> Annotated[
        int, Pin(name="integer")]:
    """The float as an integer, rounded as chosen."""
    if mode not in _ROUNDING:
        raise ValueError(f"unknown rounding {mode!r}; use one of {', '.join(_ROUNDING)}")
    if not math.isfinite(value):
        raise ValueError(f"cannot turn {value} into an integer")
    return int(_ROUNDING[mode](value))


@node(friendly_name="To Bytes")
def val_to_bytes(value: Any = None, pretty: Annotated[bool, Pin(description="Indent the JSON")] = True) -> Annotated[
        bytes, Pin("Bytes", name="bytes")]:
    """Any value as UTF-8 JSON bytes, with sorted keys so equal values give equal bytes."""
    native = to_json_native(value)
    text = json.dumps(native, indent=2, sort_keys=True, ensure_ascii=False) if pretty else \
        json.dumps(native, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.encode()


@node(friendly_name="From Bytes")
def val_from_bytes(bytes: Bytes = None) -> Annotated[Any, Pin(name="value")]:
    """Reads a value from UTF-8 JSON bytes (what To Bytes makes)."""
    data = builtin_bytes(bytes or b"")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the bytes are not UTF-8 text (byte {exc.start} is invalid)") from None
    return parse_json(text, "the text in the bytes")
