"""Flow-Like's protobuf messages as field tables, and a table-driven decoder and encoder over `wire`.

The tables state the field numbers and kinds of Flow-Like's `flow_like_types` messages (its public schema,
restated here). Decoding gives plain dicts keyed by the schema's field names with proto3 defaults filled
in (None for an absent optional field); encoding leaves defaults out as proto3 does. Boards saved before
April 2025 number their pin fields differently (a `valid_values` field at 8 shifts the rest by one):
`pin_layout` tells the two apart from the wire types in the data.

Why pure Python and not the `protobuf` package: `benchmarks/bench_interop.py` measures both. Its C parser,
with the values handed to Python as the mapping needs them, decodes a board about 2x faster; decoding is a
quarter to a third of an import (building the pydantic models is the rest), so a whole import would gain
about 15%: not worth a second dependency and a second statement of the schema.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flowlike_core.interop import wire
from flowlike_core.interop.wire import LEN, VARINT


@dataclass(frozen=True)
class F:
    """One field: its name, kind (a scalar kind, an enum or message name, or `map:KIND`), and cardinality."""

    name: str
    kind: str
    repeated: bool = False
    optional: bool = False


UNKNOWN = "unknown_fields"
"""Where decoding puts the fields its tables do not name (a newer Flow-Like's): [number, wire type, value] each,
a length-delimited value as hex text, so that the dict stays JSON."""

SCALARS = {"string": "", "bytes": b"", "uint": 0, "int": 0, "int32": 0, "bool": False, "float": 0.0, "double": 0.0}

ENUMS: dict[str, tuple[str, ...]] = {
    "VariableType": ("Execution", "String", "Integer", "Float", "Boolean", "Date", "PathBuf", "Generic", "Struct",
                     "Byte"),
    "ValueType": ("Array", "Normal", "HashMap", "HashSet"),
    "PinType": ("Input", "Output"),
    "LogLevel": ("Debug", "Info", "Warn", "Error", "Fatal"),
    "ExecutionStage": ("Dev", "Int", "QA", "PreProd", "Prod"),
    "ExecutionMode": ("Hybrid", "Remote", "Local"),
    "LayerType": ("Function", "Macro", "Collapsed"),
    "CommentType": ("Text", "Image", "Video"),
}
"""Enum names in value order, spelled as Flow-Like's serde JSON spells them. Value 0 is the proto3 default:
an absent value type means Array, an absent data type means Execution."""

_PIN_HEAD = {1: F("id", "string"), 2: F("name", "string"), 3: F("friendly_name", "string"),
             4: F("description", "string"), 5: F("pin_type", "PinType"), 6: F("data_type", "VariableType"),
             7: F("schema", "string")}
_PIN_TAIL = (F("value_type", "ValueType"), F("depends_on", "string", repeated=True),
             F("connected_to", "string", repeated=True), F("default_value", "bytes"), F("index", "uint"),
             F("options", "PinOptions", optional=True))

MESSAGES: dict[str, dict[int, F]] = {
    "Pin": {**_PIN_HEAD, **{8 + i: f for i, f in enumerate(_PIN_TAIL)}},
    "PinOptions": {1: F("valid_values", "string", repeated=True), 2: F("range_min", "double"),
                   3: F("range_max", "double"), 4: F("step", "double"), 5: F("enforce_schema", "bool"),
                   6: F("enforce_generic_value_type", "bool"), 7: F("sensitive", "bool", optional=True)},
    "NodeScores": {i + 1: F(n, "uint") for i, n in enumerate(
        ("privacy", "security", "performance", "governance", "reliability", "cost"))},
    "FnRefs": {1: F("fn_refs", "string", repeated=True), 2: F("can_reference_fns", "bool"),
               3: F("can_be_referenced_by_fns", "bool")},
    "StringList": {1: F("values", "string", repeated=True)},
    "NodeWasm": {1: F("package_id", "string"), 2: F("permissions", "string", repeated=True)},
    "Node": {1: F("id", "string"), 2: F("name", "string"), 3: F("friendly_name", "string"),
             4: F("description", "string"), 5: F("coord_x", "float"), 6: F("coord_y", "float"),
             7: F("coord_z", "float"), 8: F("category", "string"), 9: F("scores", "NodeScores", optional=True),
             10: F("pins", "map:Pin"), 11: F("start", "bool"), 12: F("icon", "string"),
             13: F("comment", "string", optional=True), 14: F("long_running", "bool"),
             15: F("error", "string", optional=True), 16: F("docs", "string", optional=True),
             17: F("layer", "string", optional=True), 18: F("event_callback", "bool"),
             19: F("hash", "uint", optional=True), 20: F("fn_refs", "FnRefs", optional=True),
             21: F("oauth_providers", "string", repeated=True), 22: F("required_oauth_scopes", "map:StringList"),
             23: F("only_offline", "bool"), 24: F("version", "uint", optional=True),
             25: F("wasm", "NodeWasm", optional=True)},
    "Variable": {1: F("id", "string"), 2: F("name", "string"), 3: F("category", "string"),
                 4: F("description", "string"), 5: F("default_value", "bytes"), 6: F("data_type", "VariableType"),
                 7: F("value_type", "ValueType"), 8: F("exposed", "bool"), 9: F("secret", "bool"),
                 10: F("editable", "bool"), 11: F("hash", "uint", optional=True),
                 12: F("schema", "string", optional=True), 13: F("runtime_configured", "bool")},
    "Timestamp": {1: F("seconds", "int"), 2: F("nanos", "int32")},
    "Comment": {1: F("id", "string"), 2: F("author", "string"), 3: F("content", "string"),
                4: F("comment_type", "CommentType"), 5: F("timestamp", "Timestamp", optional=True),
                6: F("coord_x", "float"), 7: F("coord_y", "float"), 8: F("coord_z", "float"),
                9: F("layer", "string", optional=True), 10: F("width", "float", optional=True),
                11: F("height", "float", optional=True), 12: F("color", "string", optional=True),
                13: F("z_index", "int32", optional=True), 14: F("hash", "uint", optional=True),
                15: F("is_locked", "bool", optional=True)},
    "Layer": {1: F("id", "string"), 2: F("parent_id", "string", optional=True), 3: F("name", "string"),
              4: F("type", "LayerType"), 5: F("nodes", "map:Node"), 6: F("variables", "map:Variable"),
              7: F("comments", "map:Comment"), 8: F("coord_x", "float"), 9: F("coord_y", "float"),
              10: F("coord_z", "float"), 11: F("pins", "map:Pin"), 12: F("comment", "string", optional=True),
              13: F("error", "string", optional=True), 14: F("color", "string", optional=True),
              15: F("hash", "uint", optional=True),
              **{16 + i: F(n, "float", optional=True) for i, n in enumerate(
                  ("coord_x_in", "coord_y_in", "coord_z_in", "coord_x_out", "coord_y_out", "coord_z_out"))}},
    "Board": {1: F("id", "string"), 2: F("name", "string"), 3: F("description", "string"),
              4: F("nodes", "map:Node"), 5: F("variables", "map:Variable"), 6: F("comments", "map:Comment"),
              7: F("viewport_x", "float"), 8: F("viewport_y", "float"), 9: F("viewport_zoom", "float"),
              10: F("version_major", "uint"), 11: F("version_minor", "uint"), 12: F("version_patch", "uint"),
              13: F("stage", "ExecutionStage"), 14: F("log_level", "LogLevel"), 15: F("refs", "map:string"),
              16: F("created_at", "Timestamp", optional=True), 17: F("updated_at", "Timestamp", optional=True),
              18: F("layers", "map:Layer"), 19: F("page_ids", "string", repeated=True),
              20: F("execution_mode", "ExecutionMode")},
    "App": {1: F("id", "string"), 4: F("authors", "string", repeated=True), 5: F("bits", "string", repeated=True),
            6: F("boards", "string", repeated=True), 12: F("version", "string", optional=True)},
}

LEGACY_PIN = {**_PIN_HEAD, 8: F("valid_values", "string", repeated=True),
              **{9 + i: f for i, f in enumerate(_PIN_TAIL)}}
"""The pin before April 2025: `valid_values` at 8 and every later field one number up."""

LEGACY_APP = {1: F("id", "string"), 3: F("authors", "string", repeated=True), 4: F("bits", "string", repeated=True),
              5: F("boards", "string", repeated=True)}
"""The app manifest before May 2025: a `meta` map at 2, the board list at 5."""

Tables = dict[str, dict[int, F]]
LAYOUTS: dict[str, Tables] = {"current": MESSAGES, "legacy": {**MESSAGES, "Pin": LEGACY_PIN, "App": LEGACY_APP}}


# ---- decoding --------------------------------------------------------------------------------------------


def decode(data: bytes, message: str, layout: str = "current") -> dict[str, Any]:
    """A message as a dict by field name; absent fields hold their proto3 default (None when optional)."""
    fields, scalars, lists, maps = _readers(layout)[message]
    out = scalars.copy()
    for name in lists:
        out[name] = []
    for name in maps:
        out[name] = {}
    for number, wire_type, raw in wire.fields(data):
        reader = fields.get(number)
        if reader is None:  # a field of a newer schema: kept as it came, so that encoding writes it back
            out.setdefault(UNKNOWN, []).append([number, wire_type, raw.hex() if isinstance(raw, bytes) else raw])
            continue
        name, mode, convert = reader
        try:
            if mode is _SET:
                out[name] = convert(raw)
            elif mode is _APPEND:
                if isinstance(raw, bytes) and convert is _number:  # a packed run of numbers
                    out[name].extend(_packed(raw))
                else:
                    out[name].append(convert(raw))
            else:
                entry_key, entry_value = convert(raw)
                out[name][entry_key] = entry_value
        except (UnicodeDecodeError, TypeError, AttributeError, wire.WireError) as exc:
            raise wire.WireError(f"{message}.{name} (field {number}): {exc}") from exc
    return out


_SET, _APPEND, _MAP = "set", "append", "map"
Reader = tuple[str, str, Callable[[Any], Any]]


@functools.cache
def _readers(layout: str) -> dict[str, tuple[dict[int, Reader], dict[str, Any], list[str], list[str]]]:
    """For each message of a layout: field number -> (name, how to store, how to convert), the proto3
    defaults of its singular fields, and its list and map fields (which start empty). Worked out once, so
    that decoding a field is one lookup and one call."""
    tables = LAYOUTS[layout]

    def converter(kind: str) -> Callable[[Any], Any]:
        if kind in tables:
            return lambda raw: decode(_need_len(raw), kind, layout)
        return _CONVERT.get(kind, _number)

    def entry(kind: str) -> Callable[[Any], tuple[str, Any]]:
        convert, default = converter(kind), None if kind in tables else SCALARS[kind]

        def read(raw: Any) -> tuple[str, Any]:
            entry_key, value = "", default
            for number, _, item in wire.fields(_need_len(raw)):
                if number == 1:
                    entry_key = item.decode("utf-8")
                elif number == 2:
                    value = convert(item)
            return entry_key, decode(b"", kind, layout) if value is None else value

        return read

    readers = {}
    for message, table in tables.items():
        fields: dict[int, Reader] = {}
        scalars: dict[str, Any] = {}
        lists: list[str] = []
        maps: list[str] = []
        for number, spec in table.items():
            if spec.kind.startswith("map:"):
                fields[number] = (spec.name, _MAP, entry(spec.kind[4:]))
                maps.append(spec.name)
            elif spec.repeated:
                fields[number] = (spec.name, _APPEND, converter(spec.kind))
                lists.append(spec.name)
            else:
                fields[number] = (spec.name, _SET, converter(spec.kind))
                scalars[spec.name] = None if spec.optional or spec.kind in tables else SCALARS.get(spec.kind, 0)
        readers[message] = (fields, scalars, lists, maps)
    return readers


def _need_len(raw: int | bytes) -> bytes:
    if not isinstance(raw, bytes):
        raise TypeError("expected a length-delimited field, found a number")
    return raw


def _number(raw: int | bytes) -> int:
    if isinstance(raw, bytes):
        raise TypeError("expected a number, found a length-delimited field")
    return raw


def _signed(bits: int) -> Callable[[int | bytes], int]:
    """Two's complement; int32 negatives are written as 10-byte varints too."""

    def read(raw: int | bytes) -> int:
        value = _number(raw) & ((1 << bits) - 1)
        return value - (1 << bits) if value >> (bits - 1) else value

    return read


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "string": lambda raw: _need_len(raw).decode("utf-8"),
    "bytes": _need_len,
    "float": lambda raw: struct.unpack("<f", _number(raw).to_bytes(4, "little"))[0],
    "double": lambda raw: struct.unpack("<d", _number(raw).to_bytes(8, "little"))[0],
    "bool": lambda raw: _number(raw) != 0,
    "int": _signed(64),
    "int32": _signed(32),
}
"""Scalar kinds; uint and enums are plain numbers."""


def _packed(raw: bytes) -> list[int]:
    values, pos = [], 0
    while pos < len(raw):
        value, pos = wire.varint_at(raw, pos)
        values.append(value)
    return values


# ---- encoding --------------------------------------------------------------------------------------------


def encode(values: dict[str, Any], message: str, layout: str = "current") -> bytes:
    """A dict by field name as protobuf bytes; defaults are left out (as proto3 does) and maps sorted by key,
    so that equal boards give equal bytes."""
    tables = LAYOUTS[layout]
    parts: list[bytes] = []
    for number, spec in tables[message].items():
        value = values.get(spec.name)
        if value is None:
            continue
        if spec.kind.startswith("map:"):
            kind = spec.kind[4:]
            for entry_key in sorted(value):
                entry = wire.put_len(1, entry_key.encode()) + _encode_one(2, value[entry_key], kind, layout, True)
                parts.append(wire.put_len(number, entry))
        elif spec.repeated:
            parts.extend(_encode_one(number, item, spec.kind, layout, True) for item in value)
        else:
            parts.append(_encode_one(number, value, spec.kind, layout, spec.optional))
    parts.extend(_encode_unknown(*field) for field in values.get(UNKNOWN) or ())
    return b"".join(parts)


def _encode_unknown(number: int, wire_type: int, value: int | str) -> bytes:
    if wire_type == wire.LEN:
        return wire.put_len(number, bytes.fromhex(str(value)))
    if wire_type == wire.VARINT:
        return wire.put_varint(number, int(value))
    return wire.key(number, wire_type) + int(value).to_bytes(8 if wire_type == wire.I64 else 4, "little")


def _encode_one(number: int, value: Any, kind: str, layout: str, force: bool) -> bytes:
    if kind in LAYOUTS[layout]:
        return wire.put_len(number, encode(value, kind, layout))
    if not force and not value:
        return b""
    if kind == "string":
        return wire.put_len(number, value.encode("utf-8"))
    if kind == "bytes":
        return wire.put_len(number, bytes(value))
    if kind == "float":
        return wire.key(number, wire.I32) + struct.pack("<f", value)
    if kind == "double":
        return wire.key(number, wire.I64) + struct.pack("<d", value)
    return wire.put_varint(number, int(value))


# ---- the two pin layouts ---------------------------------------------------------------------------------

_LEGACY_SIGNS = {(8, LEN), (9, VARINT), (12, LEN), (13, VARINT)}
_CURRENT_SIGNS = {(8, VARINT), (9, LEN), (12, VARINT), (13, LEN)}


def pin_layout(board: bytes, enough: int = 64) -> str:
    """`legacy` or `current`: which pin numbering a serialized Board uses, voted by its pins' wire types.

    A legacy pin has `valid_values` (text) at 8 where today's has the value type (a number), a value type
    at 9 where today's has `depends_on` (text), and so on; a field 14 exists only in the legacy layout.
    The vote stops after `enough` telling fields: a board uses one layout throughout.
    """
    legacy = current = 0
    for pin in _pins(board):
        for number, wire_type, _ in wire.fields(pin):
            if number == 14 or (number, wire_type) in _LEGACY_SIGNS:
                legacy += 1
            elif (number, wire_type) in _CURRENT_SIGNS:
                current += 1
        if legacy + current >= enough:
            break
    return "legacy" if legacy > current else "current"


def _pins(board: bytes) -> Iterator[bytes]:
    for number, _, raw in wire.fields(board):
        if number in (4, 18) and isinstance(raw, bytes):  # the nodes map, the layers map
            value = _entry_value(raw)
            if number == 4:
                yield from _node_pins(value)
                continue
            for layer_field, _, layer_raw in wire.fields(value):
                if layer_field == 5 and isinstance(layer_raw, bytes):
                    yield from _node_pins(_entry_value(layer_raw))
                elif layer_field == 11 and isinstance(layer_raw, bytes):
                    yield _entry_value(layer_raw)


def _node_pins(node: bytes) -> list[bytes]:
    return [_entry_value(raw) for number, _, raw in wire.fields(node) if number == 10 and isinstance(raw, bytes)]


def _entry_value(entry: bytes) -> bytes:
    for number, _, raw in wire.fields(entry):
        if number == 2 and isinstance(raw, bytes):
            return raw
    return b""


def app_layout(manifest: bytes) -> str:
    """`legacy` or `current` for an app manifest: the old one has a `meta` map (text) at 2, authors (text)
    at 3 and no field past 5; today's has a status and a visibility (numbers) at 2 and 3."""
    numbers = {(number, wire_type) for number, wire_type, _ in wire.fields(manifest)}
    if any(number > 5 for number, _ in numbers) or (2, VARINT) in numbers or (3, VARINT) in numbers:
        return "current"
    if (2, LEN) in numbers or (3, LEN) in numbers:
        return "legacy"
    return "current"
