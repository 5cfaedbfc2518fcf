"""Struct shapes: a node gets a Struct input in the shape it declared.

Struct values travel in two shapes: pydantic models (the handles packs declare, such as an HTTP response) and plain
dicts (std's struct nodes, JSON, defaults typed in the editor or a board file). A node that types an input with a
model gets a dict arriving there validated into that model; a node that types it `dict` gets a model arriving
there as its `model_dump()` (python mode: bytes stay bytes, dates stay dates, as the model held them). Anything
else reaching a model-typed input is validated too (a model's own validators may accept other forms), and fails
the node naming the node, the pin and what is wrong; None passes, as everywhere. The plan decides once per input
pin whether a conversion can be needed (`input_shaper`); pins typed otherwise (Generic included: a model stays a
model there) cost nothing.

Date pins are shaped alike: Date is one pin type for `datetime.date` and `datetime.datetime`, and a default read
from a board file, `--var` text or a node's output may be either. A node typing an input `date` gets a date (a
datetime's day), one typing it `datetime` a datetime (a date at midnight); ISO text is read as such. So does each
item of a `list`, `tuple`, `set` or `frozenset` of dates and each value of a `dict` of them (Date Arrays, HashSets
and HashMaps).

Live objects (a fitted model, an inference session, a Pillow image) travel as handle structs naming them; a handle
arriving at an input typed as its object's own class (a Generic pin: `image: PIL.Image.Image`) gives the object,
which it returns from `__live_object__()`. Anything else reaching such an input arrives as it was sent.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from flowlike_core.board import Pin
from flowlike_core.types import DataType, ValueType, pin_type_of

Shaper = Callable[[Any], Any]


class StructShapeError(ValueError):
    """A dict arriving at a model-typed input does not validate: says the node, the pin and the fields."""


def input_shape(hint: Any) -> Any:
    """`dict` or the pydantic model a Struct input's type hint declares (also as the items of a `list[Model]` or
    `dict[str, Model]`), `date` or `datetime` a Date input's (also as the items of a list, tuple, set or dict of
    them: `list[date]`, `dict[str, datetime]`), a class no pin type names (a live object's), through `Annotated`
    and `| None`; None for every other hint."""
    origin = typing.get_origin(hint)
    if origin in DATE_CONTAINERS:
        items = typing.get_args(hint)[-1:] if origin is dict else typing.get_args(hint)[:1]
        if items and _date_shape(items[0]) is not None:
            return origin[_date_shape(items[0])]
    if origin in (list, dict):
        items = typing.get_args(hint)[-1:]
        return hint if items and isinstance(items[0], type) and issubclass(items[0], BaseModel) else None
    if origin is typing.Annotated:
        return input_shape(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return input_shape(args[0]) if len(args) == 1 else None
    if hint is dict or hint is dt.date or hint is dt.datetime or isinstance(hint, type) and issubclass(hint, BaseModel):
        return hint
    if isinstance(hint, type) and hint not in (Any, object, type(None)) and pin_type_of(hint)[:2] == (
            DataType.GENERIC, ValueType.NORMAL):
        return hint
    return None


DATE_CONTAINERS = (list, tuple, set, frozenset, dict)
"""The containers whose items a Date Array, HashSet or HashMap input delivers as dates."""


def _date_shape(hint: Any) -> type[dt.date] | None:
    """`date` or `datetime` when the hint is one of them (through `Annotated` and `| None`)."""
    shape = input_shape(hint)
    return shape if shape is dt.date or shape is dt.datetime else None


def input_shaper(shape: Any, source: Pin | None, node: str, pin: str) -> Shaper | None:
    """What turns the value reaching input `pin` of `node` (its label) into `shape`, given the output wired there
    (None: the input's own default, JSON-native); None when no value that can arrive needs it."""
    if shape is dt.date or shape is dt.datetime:
        return _to_date(shape, node, pin)
    container = typing.get_origin(shape)
    if container in DATE_CONTAINERS and _date_shape(typing.get_args(shape)[-1]) is not None:
        return _to_dates(container, typing.get_args(shape)[-1], node, pin)
    if source is not None and source.data_type not in (DataType.STRUCT, DataType.GENERIC):
        return None
    if shape is dict:
        return None if source is None else _to_dict
    if container is not None:
        return _to_models(container, typing.get_args(shape)[-1], node, pin)
    if issubclass(shape, BaseModel):
        return _to_model(shape, node, pin)
    return None if source is None else _to_object(shape)


def _to_object(kind: type) -> Shaper:
    """A handle's live object where the input is typed as the object's class; anything else as it came."""
    def to_object(value: Any) -> Any:
        if isinstance(value, kind) or not hasattr(value, "__live_object__"):
            return value
        live = value.__live_object__()
        return live if isinstance(live, kind) else value

    return to_object


def _to_dict(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value


def _as_date(value: Any, shape: type[dt.date]) -> Any:
    """A date, a datetime or ISO text as `shape` (ValueError for text that is no ISO date or time); anything else
    as it came."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if shape is dt.date and isinstance(value, dt.datetime):
        return value.date()
    if shape is dt.datetime and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def _no_date(shape: type[dt.date], node: str, where: str, value: Any) -> StructShapeError:
    wanted = "a date" if shape is dt.date else "a datetime"
    return StructShapeError(f"node {node}: input {where} needs {wanted}, got {value!r} (not an ISO date or time)")


def _to_date(shape: type[dt.date], node: str, pin: str) -> Shaper:
    def to_date(value: Any) -> Any:
        try:
            return _as_date(value, shape)
        except ValueError:
            raise _no_date(shape, node, repr(pin), value) from None

    return to_date


def _to_dates(container: type, shape: type[dt.date], node: str, pin: str) -> Shaper:
    """Each item of a list, tuple or set, or each value of a dict, made `shape` (`_as_date`); the container that
    arrives is kept (an Array arrives as a list where the hint says tuple; a set stays a set)."""
    wanted = f"{'a dict' if container is dict else 'a list'} of {'dates' if shape is dt.date else 'datetimes'}"

    def to_dates(value: Any) -> Any:
        if value is None:
            return None
        if container is dict and isinstance(value, dict):
            items = value.items()
        elif container is not dict and isinstance(value, list | tuple | set | frozenset):
            items = enumerate(value)
        else:
            raise StructShapeError(f"node {node}: input {pin!r} needs {wanted}, got {type(value).__name__}")
        done = {}
        for key, item in items:
            try:
                done[key] = _as_date(item, shape)
            except ValueError:
                raise _no_date(shape, node, f"{pin!r} item {key!r}", item) from None
        return done if container is dict else type(value)(done.values())

    return to_dates


def _to_model(model: type[BaseModel], node: str, pin: str) -> Shaper:
    def to_model(value: Any) -> Any:
        if value is None or isinstance(value, model):
            return value
        try:
            return model.model_validate(value.model_dump() if isinstance(value, BaseModel) else value)
        except ValidationError as exc:
            raise StructShapeError(_explained(exc, model, node, pin, value)) from None

    return to_model


def _to_models(container: type, model: type[BaseModel], node: str, pin: str) -> Shaper:
    """Each item of a list, or each value of a dict, validated into `model`."""
    to_model = _to_model(model, node, pin)

    def to_models(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, container):
            raise StructShapeError(f"node {node}: input {pin!r} needs a {container.__name__} of {model.__name__} "
                                   f"structs, got {type(value).__name__}")
        if container is dict:
            return {key: to_model(item) for key, item in value.items()}
        return [to_model(item) for item in value]

    return to_models


def _explained(exc: ValidationError, model: type[BaseModel], node: str, pin: str, value: Any) -> str:
    """The validation error in one line: which node, which input, which fields and why."""
    article = "an" if model.__name__[:1] in "AEIOU" else "a"
    if not isinstance(value, dict | BaseModel):
        return f"node {node}: input {pin!r} needs {article} {model.__name__} struct, got {type(value).__name__}"
    if not value:
        return (f"node {node}: input {pin!r} got an empty struct where it needs {article} {model.__name__}: wire a "
                f"node that makes one, or set its fields")
    problems = "; ".join(f"field {'.'.join(map(str, error['loc'])) or '(whole)'!r}: {error['msg']}"
                         for error in exc.errors()[:5])
    more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
    return f"node {node}: input {pin!r} is not a valid {model.__name__}: {problems}{more}"
