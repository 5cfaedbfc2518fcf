"""Pin types: what a pin carries (data type) and in what shape (value type).

Names and spellings follow Flow-Like so that boards travel between the two systems.
"""

from __future__ import annotations

import datetime as dt
import functools
import pathlib
import types
import typing
from enum import StrEnum
from typing import Any

import orjson


class DataType(StrEnum):
    EXECUTION = "Execution"
    BOOLEAN = "Boolean"
    INTEGER = "Integer"
    FLOAT = "Float"
    STRING = "String"
    DATE = "Date"
    PATHBUF = "PathBuf"
    BYTE = "Byte"
    STRUCT = "Struct"
    GENERIC = "Generic"


class ValueType(StrEnum):
    NORMAL = "Normal"
    ARRAY = "Array"
    HASHMAP = "HashMap"
    HASHSET = "HashSet"



def type_label(data_type: DataType | str, value_type: ValueType | str = ValueType.NORMAL) -> str:
    """A type as messages and search show it: `Integer`, `Array<Integer>`, `HashMap<String>` (a single value is
    called by its data type, as users think of it, not `Normal<Integer>`)."""
    data, shape = DataType(data_type).value, ValueType(value_type)
    return data if shape is ValueType.NORMAL else f"{shape.value}<{data}>"

_SCALARS: dict[Any, DataType] = {
    bool: DataType.BOOLEAN,
    int: DataType.INTEGER,
    float: DataType.FLOAT,
    str: DataType.STRING,
    dt.datetime: DataType.DATE,
    dt.date: DataType.DATE,
    pathlib.Path: DataType.PATHBUF,
    pathlib.PurePath: DataType.PATHBUF,
    dict: DataType.STRUCT,
}


def pin_type_of(hint: Any) -> tuple[DataType, ValueType, dict | None]:
    """Map a Python type hint to (data type, value type, JSON schema); unknown hints are Generic.

    `list[int]` is an Integer Array, `dict[str, float]` a Float HashMap, `set[str]` a String HashSet, `bytes` a
    Byte Array (Flow-Like's `Vec<u8>`: one Byte is one value, 0 to 255), `Literal["a", "b"]` the type of its
    values, a pydantic model a Struct with its JSON Schema, `Any` and everything else Generic.
    """
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return pin_type_of(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return pin_type_of(args[0]) if len(args) == 1 else (DataType.GENERIC, ValueType.NORMAL, None)
    if origin is typing.Literal:
        kinds = {type(value) for value in typing.get_args(hint)}
        return pin_type_of(kinds.pop()) if len(kinds) == 1 else (DataType.GENERIC, ValueType.NORMAL, None)
    containers = {list: ValueType.ARRAY, tuple: ValueType.ARRAY, set: ValueType.HASHSET,
                  frozenset: ValueType.HASHSET, dict: ValueType.HASHMAP}
    if origin in containers and typing.get_args(hint):
        args = typing.get_args(hint)
        if origin is tuple and args[-1] is not Ellipsis and len(set(args)) > 1:  # tuple[int, str]: mixed items
            return DataType.GENERIC, ValueType.ARRAY, None
        element = args[-1] if origin is dict else args[0]
        data_type, value_type, schema = pin_type_of(element)
        if value_type is ValueType.NORMAL:
            return data_type, containers[origin], schema
        return DataType.GENERIC, containers[origin], None
    if hint in (bytes, bytearray):
        return DataType.BYTE, ValueType.ARRAY, None
    if hint in (list, tuple):
        return DataType.GENERIC, ValueType.ARRAY, None
    if hint in (set, frozenset):
        return DataType.GENERIC, ValueType.HASHSET, None
    if hint in _SCALARS:
        return _SCALARS[hint], ValueType.NORMAL, None
    if callable(getattr(hint, "model_json_schema", None)):
        return DataType.STRUCT, ValueType.NORMAL, _model_schema(hint)
    return DataType.GENERIC, ValueType.NORMAL, None


@functools.cache
def _model_schema(model: Any) -> dict[str, Any]:
    """A pydantic model's JSON Schema, built once per model: packs name the same handle types on many pins."""
    return model.model_json_schema()


_ZERO: dict[DataType, Any] = {
    DataType.BOOLEAN: False,
    DataType.INTEGER: 0,
    DataType.FLOAT: 0.0,
    DataType.STRING: "",
    DataType.PATHBUF: "",
    DataType.BYTE: 0,
}


def zero_value(data_type: DataType, value_type: ValueType) -> Any:
    """The JSON-native empty value of a type, used when an unconnected input has no default."""
    if value_type is ValueType.ARRAY or value_type is ValueType.HASHSET:
        return []
    if value_type is ValueType.HASHMAP:
        return {}
    if data_type is DataType.STRUCT:
        return {}
    return _ZERO.get(data_type)


def to_runtime(value: Any, data_type: DataType, value_type: ValueType) -> Any:
    """Turn a JSON-native default (as stored in a board file) into the Python value a node reads."""
    if value is None or _byte_string(value, data_type, value_type):
        return value
    if value_type is ValueType.HASHSET:
        return {_scalar_to_runtime(v, data_type) for v in value}
    if value_type is ValueType.ARRAY:
        return [_scalar_to_runtime(v, data_type) for v in value]
    if value_type is ValueType.HASHMAP:
        return {k: _scalar_to_runtime(v, data_type) for k, v in value.items()}
    return _scalar_to_runtime(value, data_type)


def _scalar_to_runtime(value: Any, data_type: DataType) -> Any:
    if data_type is DataType.FLOAT and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if data_type is DataType.DATE and isinstance(value, str):
        return from_iso(value)
    if data_type is DataType.PATHBUF and isinstance(value, str):
        return pathlib.Path(value)
    return value


def from_iso(text: str) -> dt.date:
    """A Date's ISO text as what it says: a date (`2024-05-06`, the form a date is written in), else a datetime,
    so that a date read back from a board file or a run record is a date again."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return dt.datetime.fromisoformat(text)


def to_json_native(value: Any, *, strict: bool = False) -> Any:
    """Turn a runtime value into a JSON-native one, for board files and run records. A table (pyarrow, pandas)
    becomes its rows. A value with no JSON form becomes its repr, or, `strict` (for what must come back as it was,
    such as a pin default: a table too), a TypeError."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, pathlib.PurePath):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return list(value)
    if isinstance(value, dict):
        return {str(k): to_json_native(v, strict=strict) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((to_json_native(v, strict=strict) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [to_json_native(v, strict=strict) for v in value]
    rows = None if strict else _table_rows(value)  # (a table typed into a pin would be kept whole in the file)
    if rows is not None:
        try:  # through orjson at C speed (dates, datetimes and numbers as `to_json_native` writes them)
            return orjson.loads(orjson.dumps(rows))
        except (TypeError, orjson.JSONEncodeError):
            return to_json_native(rows)
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        return model_dump(mode="json")
    if getattr(value, "shape", None) == () and callable(getattr(value, "item", None)):  # a numpy scalar
        return to_json_native(value.item(), strict=strict)
    if strict:
        raise TypeError(f"a {type(value).__module__}.{type(value).__qualname__} has no JSON form")
    return repr(value)


_TABLES = {("pyarrow", "Table"), ("pyarrow", "RecordBatch"), ("pandas", "DataFrame")}
"""Table types (top module, class name) whose JSON form is their rows: told by name, so that neither library is
imported to turn a value into JSON."""


def is_table(value: Any) -> bool:
    """Whether `value` is a pyarrow Table or RecordBatch, or a pandas DataFrame (neither library imported)."""
    kind = type(value)
    return (kind.__module__.partition(".")[0], kind.__name__) in _TABLES


def _table_rows(value: Any) -> list[dict[str, Any]] | None:
    """A table (`is_table`) as a list of row dicts; anything else None."""
    if not is_table(value):
        return None
    return value.to_dict("records") if type(value).__name__ == "DataFrame" else value.to_pylist()


_CHECKS: dict[DataType, tuple[type, ...]] = {
    DataType.BOOLEAN: (bool,),
    DataType.INTEGER: (int,),
    DataType.FLOAT: (int, float),
    DataType.STRING: (str,),
    DataType.DATE: (str, dt.date),
    DataType.PATHBUF: (str, pathlib.PurePath),
    DataType.BYTE: (int,),
    DataType.STRUCT: (dict,),
}


def fits(value: Any, data_type: DataType, value_type: ValueType, *, none: bool = True) -> bool:
    """Whether a JSON-native value has the shape a pin of this type expects. None fits (an input with no default
    holds it) unless `none` is False: then only a Generic type takes it (a value given for a variable declared with
    one of its type, where None is no Integer, no Date: a node reading it would fail)."""
    if value is None:
        return none or data_type in (DataType.GENERIC, DataType.EXECUTION)
    if data_type in (DataType.GENERIC, DataType.EXECUTION) or _byte_string(value, data_type, value_type):
        return True
    if value_type is ValueType.HASHMAP:
        return isinstance(value, dict) and all(_fits_scalar(v, data_type) for v in value.values())
    if value_type in (ValueType.ARRAY, ValueType.HASHSET):
        return isinstance(value, list | set | tuple) and all(_fits_scalar(v, data_type) for v in value)
    return _fits_scalar(value, data_type)


def _byte_string(value: Any, data_type: DataType, value_type: ValueType) -> bool:
    """Python's bytes for a Byte Array (Flow-Like's `Vec<u8>`): its runtime form as nodes of `bytes` make and read it;
    the board file stores it as the list of its byte values (`to_json_native`)."""
    return data_type is DataType.BYTE and value_type is ValueType.ARRAY and isinstance(value, bytes | bytearray)


INTEGER_RANGE = (-(2**63), 2**63 - 1)
"""The values of an Integer: Flow-Like's is a signed 64-bit integer (i64)."""


def _fits_scalar(value: Any, data_type: DataType) -> bool:
    allowed = _CHECKS.get(data_type)
    if allowed is None:
        return True
    if data_type in (DataType.INTEGER, DataType.FLOAT, DataType.BYTE) and isinstance(value, bool):
        return False
    if data_type is DataType.INTEGER:
        return isinstance(value, int) and INTEGER_RANGE[0] <= value <= INTEGER_RANGE[1]
    return isinstance(value, allowed)


def beyond_integer(value: Any) -> int | None:
    """The first int in a JSON-native value (itself, an item, a map's value) that no Integer holds, if any."""
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else (value,)
    low, high = INTEGER_RANGE
    return next((item for item in items if type(item) is int and not low <= item <= high), None)
