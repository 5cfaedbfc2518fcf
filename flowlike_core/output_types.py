"""What a node hands on: each output's value checked against the type its pin declares, as the node sets it.

A node declared `-> int` that returns "12" fails there, naming the node, the output, the declared type and the value,
instead of handing "12" on to a node that fails far from the cause (or succeeds with nonsense). Flow-Like fails such a
value when it does not deserialize to the pin's type; the rule here is the one `types.fits` keeps for values typed
into a board, on runtime values:

- Integer: an int (a numpy integer too), never a bool or a float (3.0 neither: serde reads no i64 from it). Its
  64-bit range is not checked here (an int is the usual type: two comparisons more would cost each Integer output
  about 16 ns beside the identity check's 11); values given from outside are (`types.fits`, `flowlike run --var`).
- Float: a float or an int (PEP 484's numeric tower; serde reads a JSON integer into an f64), never a bool.
- Boolean: a bool (numpy's too). String: a str. Byte: an int from 0 to 255.
- Date: a date, a datetime or its ISO text. PathBuf: a path or a str.
- Struct: a dict or a pydantic model (what its fields hold is the reading input's to check: `flowlike_core.shapes`).
- Array: a list or a tuple (a Byte Array also bytes). HashSet: a set or a frozenset. HashMap: a dict. Of their items
  the first (a HashMap's first value) is checked as above, None passing (`list[int | None]` is an Integer Array too,
  as a map route's unmatched points are None): O(1) per output whatever its size, which finds a list of the wrong
  items, not one that mixes kinds.
- Generic pins, and pins bound to a type variable, take anything.
- None passes where the declaration admits it: a function's `-> int | None`, and the class form's `ctx.set_output`
  (a pin spec does not say whether None is meant, and an output never set reads None as well).

Cost per output set: `type(value) is usual`, where `usual` is the type a value of the pin usually has (int, float,
str, bool, dict, an untyped list); the rule above runs only when that misses, and always for typed containers and
Byte (their first item, its range).
"""

from __future__ import annotations

import datetime as dt
import numbers
import pathlib
import reprlib
import types
import typing
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from flowlike_core.board import PinDirection
from flowlike_core.errors import OutputTypeError
from flowlike_core.types import DataType, ValueType, from_iso, type_label

if TYPE_CHECKING:
    from flowlike_core.context import Context
    from flowlike_core.node import NodeType, PinSpec

Check = Callable[["Context", Any], None]
"""Raises OutputTypeError when the value (of another type than the pin's usual one) does not fit the pin."""
OutputCheck = tuple[type | None, Check]
"""(the pin's usual type: a value of exactly that type fits at once, or None: every value is checked; the check)."""


def _integer(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _float(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _boolean(value: Any) -> bool:
    kind = type(value)
    return isinstance(value, bool) or (kind.__module__, kind.__name__) == ("numpy", "bool_")


def _string(value: Any) -> bool:
    return isinstance(value, str)


def _date(value: Any) -> bool:
    if isinstance(value, dt.date):
        return True
    if not isinstance(value, str):
        return False
    try:
        from_iso(value)
    except ValueError:
        return False
    return True


def _path(value: Any) -> bool:
    return isinstance(value, str | pathlib.PurePath)


def _byte(value: Any) -> bool:
    return _integer(value) and 0 <= value <= 255


def _struct(value: Any) -> bool:
    return isinstance(value, dict | BaseModel)


_SCALARS: dict[DataType, tuple[type | None, Callable[[Any], bool]]] = {
    DataType.INTEGER: (int, _integer),
    DataType.FLOAT: (float, _float),
    DataType.BOOLEAN: (bool, _boolean),
    DataType.STRING: (str, _string),
    DataType.DATE: (dt.datetime, _date),
    DataType.PATHBUF: (type(pathlib.Path()), _path),
    DataType.BYTE: (None, _byte),
    DataType.STRUCT: (dict, _struct),
}
"""Per data type: its usual runtime type, and whether a single value fits."""

_CONTAINERS: dict[ValueType, tuple[type, tuple[type, ...]]] = {
    ValueType.ARRAY: (list, (list, tuple)),
    ValueType.HASHSET: (set, (set, frozenset)),
    ValueType.HASHMAP: (dict, (dict, Mapping)),
}
"""Per value type: its usual runtime type, and the kinds of value it takes."""

_NO_ITEM: Any = object()


def _first(value: Any) -> Any:
    """A container's first item (a mapping's first value); `_NO_ITEM` when it is empty."""
    items = value.values() if isinstance(value, Mapping) else value
    return next(iter(items), _NO_ITEM)


def check_for(spec: PinSpec, *, none: bool) -> OutputCheck | None:
    """The check of output `spec` (None: it takes anything). `none`: whether None fits (the declaration admits it)."""
    if spec.generic is not None or spec.data_type in (DataType.GENERIC, DataType.EXECUTION) and \
            spec.value_type is ValueType.NORMAL:
        return None
    label = type_label(spec.data_type, spec.value_type)
    scalar = _SCALARS.get(spec.data_type)
    if spec.value_type is ValueType.NORMAL:
        usual, fits = scalar  # type: ignore[misc]
        return usual, _refuser(spec.name, label, none, fits, None, ())
    container, kinds = _CONTAINERS[spec.value_type]
    raw = (bytes, bytearray) if spec.data_type is DataType.BYTE and spec.value_type is ValueType.ARRAY else ()
    item = scalar[1] if scalar is not None else None
    return (container if item is None else None), _refuser(spec.name, label, none, None, item, kinds + raw, raw)


def _refuser(name: str, label: str, none: bool, fits: Callable[[Any], bool] | None,
             item: Callable[[Any], bool] | None, kinds: tuple[type, ...], raw: tuple[type, ...] = ()) -> Check:
    """The check of one output: a single value by `fits`; a container by its kind (`kinds`) and its first item by
    `item` (`raw`: kinds whose items are not looked at, a Byte Array's bytes)."""

    def check(ctx: Context, value: Any) -> None:
        if value is None:
            if none:
                return
        elif fits is not None:
            if fits(value):
                return
        elif isinstance(value, kinds):
            first = _NO_ITEM if item is None or isinstance(value, raw) else _first(value)
            if first is _NO_ITEM or first is None or item(first):  # type: ignore[misc]
                return
            _refuse(ctx, name, label, value, first)
        _refuse(ctx, name, label, value, _NO_ITEM)

    return check


def _refuse(ctx: Context, name: str, label: str, value: Any, item: Any) -> typing.NoReturn:
    plan = ctx._plan
    if name in plan.secret_outputs:  # on its way to a secret: its type only
        given = f"a {_type_name(value)} (secret: not shown)"
    else:
        given = f"{reprlib.repr(value)} ({_type_name(value)})"
        if item is not _NO_ITEM:
            given += f", whose first item is {reprlib.repr(item)} ({_type_name(item)})"
    raise OutputTypeError(f"output {name!r} of node {plan.node.label()} is declared {label}, but the node gave it "
                          f"{given}")


def refuse_result(ctx: Context, result: Any, error: Exception) -> typing.NoReturn:
    """A function declared to return a NamedTuple or a dataclass (its outputs are its fields) failed reading them from
    what it returned (`error`: an AttributeError, or the check of a field's value): when that is not of the declared
    type, fail naming the node, the declaration and what came back (a dict, a tuple, None: it said "'dict' object has
    no attribute 'count'"); else `error` stands. Runs only once reading the fields has failed."""
    node_type = type(ctx._plan.impl)
    declared: type = node_type.result_type  # type: ignore[attr-defined]
    if isinstance(result, declared):
        raise error
    fields: tuple[str, ...] = node_type.fields  # type: ignore[attr-defined]
    missing = next((name for name in fields if not hasattr(result, name)), None)
    given = f"a {_type_name(result)} (secret: not shown)" if ctx._plan.secret_outputs else \
        f"{reprlib.repr(result)} ({_type_name(result)})"
    raise OutputTypeError(f"node {ctx._plan.node.label()} is declared to return {_class_name(declared)} (fields "
                          f"{', '.join(fields)}), but its function returned {given}, "
                          + (f"which has no field {missing!r}" if missing else f"not a {declared.__qualname__}")
                          ) from error


def _type_name(value: Any) -> str:
    return _class_name(type(value))


def _class_name(kind: type) -> str:
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def admits_none(hint: Any) -> bool:
    """Whether a return hint lets a function give None (`int | None`, `Optional[int]`, `Annotated[...]` of one)."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return admits_none(typing.get_args(hint)[0])
    return hint is None or hint is type(None) or origin in (typing.Union, types.UnionType) and \
        type(None) in typing.get_args(hint)


_checks: weakref.WeakKeyDictionary[type, Mapping[str, OutputCheck]] = weakref.WeakKeyDictionary()
"""Per node type, its outputs' checks (a notebook's redefined type is forgotten with it)."""


def output_checks(node_type: type[NodeType]) -> Mapping[str, OutputCheck]:
    """The checks of a node type's declared outputs, by pin name. None fits the outputs of a function whose return
    hint admits it (`FunctionNode.optional_outputs`), and every output of the class form (see the module doc)."""
    found = _checks.get(node_type)
    if found is None:
        optional: tuple[str, ...] | None = getattr(node_type, "optional_outputs", None)
        made: dict[str, OutputCheck] = {}
        for spec in node_type.pin_specs():
            if spec.direction is PinDirection.OUTPUT and spec.name not in made:
                check = check_for(spec, none=optional is None or spec.name in optional)
                if check is not None:
                    made[spec.name] = check
        found = _checks[node_type] = types.MappingProxyType(made)
    return found
