"""Content hashes of values and of node code: what the result cache keys on (`flowlike_core.cache`).

    fingerprint([1, 2, 3]).digest       # the same list, in any process, hashes the same
    code_version(MyNode)                # changes when the node's code does

Values are hashed by content where that is cheap and stable: None, bools, numbers, strings, bytes, lists,
tuples, dicts, sets, dates, paths, enums, UUIDs, numpy arrays, pandas frames, pyarrow tables, pydantic models,
dataclasses, PIL images, and any object with a `__fingerprint__()` method (hashed as what it returns). Anything
else falls back to its identity (the same object hashes the same, an equal copy does not), and the fingerprint
says so, so a record can tell the user why a node re-ran.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import decimal
import dis
import enum
import hashlib
import itertools
import os
import pathlib
import random
import re
import sys
import time
import types
import uuid
import weakref
import zlib
from typing import Any, NamedTuple

import orjson

_JSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
"""orjson takes the JSON-native part of a container at C speed; what it passes through is walked here instead."""
_BY_REPR = (dt.datetime, dt.date, dt.time, dt.timedelta, decimal.Decimal, uuid.UUID, pathlib.PurePath, enum.Enum,
            complex, range, slice, re.Pattern)
"""Types whose repr is their content, the same in every process."""
_IMMUTABLE = (type(None), bool, int, float, str, bytes, *_BY_REPR)
MAX_DEPTH = 64
_CONTAINERS = (list, tuple, dict)


class Fingerprint(NamedTuple):
    digest: str
    """blake2b of the content, 32 hex digits."""
    size: int
    """Bytes hashed: an estimate of the value's size in memory for text, bytes, arrays, frames and tables (what the
    cache's byte bound counts); for a list, tuple or dict, the cache counts `held_bytes` instead."""
    mutable: bool
    """The value could change in place after it was hashed (a list, an array, a frame)."""
    identity: tuple[str, ...] = ()
    """Type names of the parts hashed by identity, because their content cannot be."""
    held: tuple[Any, ...] = ()
    """The objects hashed by identity: whoever keeps the digest keeps them, so their ids stay theirs."""


_SCALARS = {int: "i", float: "f", str: "s", bool: "o", type(None): "n"}


def fingerprint(value: Any) -> Fingerprint:
    """The content hash of a value (see the module doc)."""
    tag = _SCALARS.get(type(value))
    if tag is not None:  # the common case, short: one hash of the tagged text
        data = f"{tag}{value.hex() if tag == 'f' else value}".encode("utf-8", "surrogatepass")
        return Fingerprint(hashlib.blake2b(data, digest_size=16).hexdigest(), len(data) + 8, False)
    feeder = _Feeder()
    feeder.feed(value, 0)
    return Fingerprint(feeder.hash.hexdigest(), feeder.size, feeder.mutable, tuple(feeder.identity),
                       tuple(feeder.held))


def quick_check(value: Any) -> str | None:
    """A cheap checksum (CRC-32 of the buffers) of a numpy array or a pandas frame or series of numbers, dates and
    booleans, to tell whether it changed in place since (not a content hash: keys use `fingerprint`); None when
    it has no cheap one (text columns, other types)."""
    module = type(value).__module__.partition(".")[0]
    if module not in ("numpy", "pandas"):
        return None
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            return None
        return f"{value.dtype.str}{value.shape}:{zlib.crc32(_bytes_of(value))}"
    if module != "pandas" or not hasattr(value, "index"):
        return None
    columns = list(value.items()) if hasattr(value, "columns") else [(value.name, value)]
    parts = [repr(tuple(str(name) for name, _ in columns)), repr(value.shape)]
    index = value.index
    if type(index).__name__ == "RangeIndex":
        parts.append(repr((index.start, index.stop, index.step, index.name)))
    else:
        columns.append(("index", index))
    for _, column in columns:
        if column.dtype.kind not in "biufcmM" or not isinstance(column.dtype, np.dtype):
            return None
        parts.append(f"{column.dtype.str}:{zlib.crc32(_bytes_of(column.to_numpy()))}")
    return " ".join(parts)


def held_bytes(value: Any, budget: int = 32, depth: int = 0, seen: set[int] | None = None) -> int:
    """Bytes a list, tuple or dict holds in memory, near `sys.getsizeof` summed over it and every object in it: its
    own, and its items' from `budget` of them spread evenly (those of a nested container from at least 3 of its
    own), scaled to all. An object sampled twice counts once (a value repeated, a key every row shares). What the
    cache's byte bound counts for one: `Fingerprint.size` is its JSON text, 4 to 6 times less, and a walk of every
    item would cost more than hashing it (so the cache asks this only of the results it keeps)."""
    size = sys.getsizeof(value)
    count = len(value)
    if not count or depth > MAX_DEPTH:
        return size
    seen = set() if seen is None else seen
    taken = min(count, budget)
    if type(value) is dict:
        items = [part for pair in itertools.islice(value.items(), taken) for part in pair]
    else:
        items = value[::count // taken][:taken]
    unique = [item for item in dict(zip(map(id, items), items, strict=True)).values() if id(item) not in seen]
    seen.update(map(id, unique))
    inner = max(budget // taken, 3)
    held = sum(map(sys.getsizeof, unique)) + sum(held_bytes(item, inner, depth + 1, seen) - sys.getsizeof(item)
                                                 for item in unique if type(item) in _CONTAINERS)
    return size + held * count // taken


def _bytes_of(array: Any) -> Any:
    """The bytes of a numpy array of plain values, without a copy when it is contiguous (dates and durations too,
    which a memoryview refuses)."""
    import numpy as np

    return np.ascontiguousarray(array).reshape(-1).view(np.uint8)


class _Feeder:
    """Feeds a value into one hash, tagging every part with its type so that 1, 1.0, "1" and [1] differ."""

    def __init__(self) -> None:
        self.hash = hashlib.blake2b(digest_size=16)
        self.size = 0
        self.mutable = False
        self.identity: list[str] = []
        self.held: list[Any] = []

    def put(self, tag: str, data: bytes | memoryview = b"") -> None:
        self.hash.update(f"{tag}:{len(data)}:".encode())
        self.hash.update(data)
        self.size += len(data) + 8

    def feed(self, value: Any, depth: int) -> None:
        kind = type(value)
        if value is None or kind is bool:
            self.put(repr(value))
        elif kind is int:
            self.put("i", str(value).encode())
        elif kind is float:
            self.put("f", value.hex().encode())
        elif kind is str:
            self.put("s", value.encode("utf-8", "surrogatepass"))
        elif kind is bytes:
            self.put("b", value)
        elif depth > MAX_DEPTH:
            self.by_identity(value)
        elif kind in (list, tuple, dict):
            self.container(value, depth)
        elif kind in (set, frozenset):
            self.mutable |= kind is set
            digests = sorted(fingerprint(item).digest for item in value)
            self.put(kind.__name__, "".join(digests).encode())
        elif kind in (bytearray, memoryview):
            self.mutable = True
            self.put("b", bytes(value))
        elif isinstance(value, _BY_REPR):
            self.put(f"{kind.__module__}.{kind.__qualname__}", repr(value).encode())
        else:
            self.rich(value, depth)

    def container(self, value: list[Any] | tuple[Any, ...] | dict[Any, Any], depth: int) -> None:
        self.mutable = True  # (a tuple too: it may hold lists)
        try:
            data = orjson.dumps(value, option=_JSON_OPTIONS)
            if b"null" not in data:  # (orjson writes NaN and infinities as null too: those are walked)
                self.put(type(value).__name__, data)
                return
        except (TypeError, orjson.JSONEncodeError):
            pass
        self.put(type(value).__name__, str(len(value)).encode())
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(value, dict):
                self.feed(key, depth + 1)
            self.feed(item, depth + 1)

    def rich(self, value: Any, depth: int) -> None:
        """Library types, models and dataclasses; identity for the rest."""
        kind = type(value)
        module = kind.__module__.partition(".")[0]
        name = f"{kind.__module__}.{kind.__qualname__}"
        try:
            if hasattr(value, "__fingerprint__"):  # a type that says what stands for it (handles of live objects)
                self.put(name)
                self.feed(value.__fingerprint__(), depth + 1)
            elif module == "numpy":
                self.numpy(value, name, depth)
            elif module == "pandas" and hasattr(value, "to_numpy"):
                self.pandas(value, name)
            elif module == "pyarrow" and hasattr(value, "schema") or module == "pyarrow" and hasattr(value, "buffers"):
                self.arrow(value, name)
            elif module == "PIL" and hasattr(value, "tobytes"):
                self.mutable = True
                self.put(name, f"{value.mode}{value.size}".encode())
                self.put("pixels", value.tobytes())
            elif hasattr(kind, "model_dump") and hasattr(kind, "model_fields"):
                self.mutable |= not kind.model_config.get("frozen", False)
                self.put(name)
                self.feed(value.model_dump(), depth + 1)
            elif dataclasses.is_dataclass(value):
                self.mutable |= not kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
                self.put(name)
                self.feed([getattr(value, f.name) for f in dataclasses.fields(value)], depth + 1)
            else:
                self.by_identity(value)
        except Exception:  # a library value that will not be read (an object column, a closed image)
            self.by_identity(value)

    def numpy(self, value: Any, name: str, depth: int) -> None:
        import numpy as np

        if isinstance(value, np.generic):
            self.put(name + value.dtype.str, value.tobytes())
        elif isinstance(value, np.ndarray):
            self.mutable = True
            if value.dtype.hasobject:
                self.put(name + str(value.shape))
                self.feed(value.tolist(), depth + 1)
            else:
                self.put(f"{name}{value.dtype.str}{value.shape}", _bytes_of(value))
        else:
            self.by_identity(value)

    def pandas(self, value: Any, name: str) -> None:
        import pandas as pd

        self.mutable = True
        columns = list(value.columns) if hasattr(value, "columns") else [value.name]
        self.put(name, orjson.dumps([str(c) for c in columns] + [str(d) for d in getattr(value, "dtypes", [])]))
        self.put("rows", pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        held = value.memory_usage(index=True, deep=True)  # (the hash is 8 bytes a row: the bound counts memory,
        # with the texts and objects of columns of Python objects: deep costs a walk of those columns alone)
        self.size += int(held.sum() if hasattr(held, "sum") else held)

    def arrow(self, value: Any, name: str) -> None:
        """Arrow data is immutable: hash its buffers as they are (no copy), with offsets and lengths."""
        self.put(name, str(getattr(value, "schema", getattr(value, "type", ""))).encode())
        if hasattr(value, "to_batches"):
            arrays = [column for batch in value.to_batches() for column in batch.columns]
        elif hasattr(value, "chunks"):
            arrays = list(value.chunks)
        elif hasattr(value, "columns"):
            arrays = list(value.columns)
        else:
            arrays = [value]
        for array in arrays:
            self.put("array", f"{array.offset}:{len(array)}".encode())
            for buffer in array.buffers():
                self.put("buffer", memoryview(buffer) if buffer is not None else b"")

    def by_identity(self, value: Any) -> None:
        kind = type(value)
        self.identity.append(f"{kind.__module__}.{kind.__qualname__}")
        self.held.append(value)
        self.mutable = True
        self.put("id", f"{kind.__qualname__}:{id(value)}".encode())
        self.size += sys.getsizeof(value, 64)


# ---- code ------------------------------------------------------------------------------------------------


class _Study(NamedTuple):
    """What a node type's code version was made of, to tell when it no longer holds."""

    version: str
    reads: tuple[tuple[dict[str, Any], str], ...]
    """The module-level data names its functions read: (globals dict, name)."""
    bindings: tuple[tuple[dict[str, Any], str, Any], ...]
    """(globals dict, name, what it named) for each function (or missing name) its functions name: a cell that
    redefines a helper binds the name to another function."""
    codes: tuple[tuple[types.FunctionType, types.CodeType], ...]
    """Each function hashed and the code it had: autoreload swaps a function's code in place."""
    own: tuple[types.FunctionType, ...]
    """Its functions of its own module (a notebook's): those `chance_calls` reads."""

    def holds(self) -> bool:
        return all(scope.get(name, _ABSENT) is named for scope, name, named in self.bindings) and \
            all(function.__code__ is code for function, code in self.codes)


_versions: weakref.WeakKeyDictionary[type, _Study] = weakref.WeakKeyDictionary()
"""Per node type: what its code version was made of (studied again when a function it calls is redefined)."""
_chances: weakref.WeakKeyDictionary[type, tuple[_Study, tuple[str, ...]]] = weakref.WeakKeyDictionary()
"""Per node type: `chance_calls` of the study it was read from."""
_parts: weakref.WeakKeyDictionary[type, tuple[_Study, tuple[tuple[str, str, bool], ...]]] = \
    weakref.WeakKeyDictionary()
"""Per node type: `code_parts` of the study it was read from."""
_ABSENT = object()
_BUILTINS = frozenset(vars(builtins))
"""Names a function finds in builtins when its module does not define them."""


def code_version(node_type: type) -> str:
    """A hash of a node type's implementation: the bytecode, constants and names of its functions (its `run`,
    the function of an `@node`, its helper methods, and the functions of its module they call; for a notebook's
    type, any function they call by a global name and the methods of the notebook's classes they use), its pins
    and the Python version. Redefining a type with another body, or a function it calls (a notebook cell run
    again, a module autoreloaded), changes it."""
    return _studied(node_type).version


def code_parts(node_type: type) -> tuple[tuple[str, str, bool], ...]:
    """(qualified name, hash of its code, whether it is the type's own) of each function a node type's code version
    was made of: its own members, and the functions and methods of the user's that they call. What two versions
    differ in tells which helper was redefined."""
    study = _studied(node_type)
    found = _parts.get(node_type)
    if found is None or found[0] is not study:
        members = [getattr(member, "__func__", member) for cls in node_type.__mro__
                   if not cls.__module__.startswith("flowlike_core.") and cls is not object
                   for member in vars(cls).values() if isinstance(member, types.FunctionType | staticmethod)]
        own = {id(getattr(member, "__wrapped__", member)) for member in members} | {id(member) for member in members}
        parts = []
        for function, code in study.codes:
            feeder = _Feeder()
            _feed_code(feeder, code)
            parts.append((function.__qualname__, feeder.hash.hexdigest(), id(function) in own))
        found = _parts[node_type] = (study, tuple(parts))
    return found[1]


def chance_calls(node_type: type) -> tuple[str, ...]:
    """What a node type's code (its module's functions) uses that changes from run to run, as written: calls of
    `random.random`, `np.random.rand`, `datetime.now`, `time.time`, `uuid.uuid4`, `os.urandom`, `secrets.*`, and
    the run's `ctx.payload`. A seeded generator (`np.random.default_rng(7)`, `random.Random(7)`) is none."""
    study = _studied(node_type)
    found = _chances.get(node_type)
    if found is None or found[0] is not study:
        calls = [call for function in study.own for call in _chance_calls(function.__code__, function.__globals__)]
        found = _chances[node_type] = (study, tuple(dict.fromkeys(calls)))
    return found[1]


def global_reads(node_type: type) -> tuple[tuple[dict[str, Any], str], ...]:
    """(module globals, name) of the module-level data (not functions, classes or modules) that a node type's
    functions read: `threshold` in `return x > threshold`. Their values (`scope.get(name)`, read when a result is
    looked up) are part of a result as much as the inputs are."""
    return _studied(node_type).reads


def _studied(node_type: type) -> _Study:
    found = _versions.get(node_type)
    if found is None or not found.holds():
        study = _Studying(wide=not getattr(node_type, "pack_version", ""))
        study.feeder.put("python", f"{sys.version_info[0]}.{sys.version_info[1]}".encode())
        for cls in node_type.__mro__:
            if cls.__module__.startswith("flowlike_core.") or cls is object:
                continue
            for attribute, member in sorted(vars(cls).items()):
                if attribute.startswith("__") or attribute in ("pack", "pack_version", "category"):
                    continue
                _feed_member(study, attribute, member)
        found = _versions[node_type] = _Study(study.feeder.hash.hexdigest(), tuple(study.reads.values()),
                                              tuple(study.bindings.values()), tuple(study.codes), tuple(study.own))
    return found


class _Studying:
    """A node type's code version being made."""

    def __init__(self, *, wide: bool) -> None:
        self.wide = wide
        """Follow the calls of its own module into other modules: a notebook's or script's type (a pack's version
        stands for the code of the pack)."""
        self.feeder = _Feeder()
        self.seen: set[int] = set()
        self.reads: dict[tuple[int, str], tuple[dict[str, Any], str]] = {}
        self.bindings: dict[tuple[int, str], tuple[dict[str, Any], str, Any]] = {}
        self.codes: list[tuple[types.FunctionType, types.CodeType]] = []
        self.own: list[types.FunctionType] = []


def _feed_member(study: _Studying, attribute: str, member: Any) -> None:
    if isinstance(member, staticmethod | classmethod):
        member = member.__func__
    if isinstance(member, property):
        member = member.fget
    if isinstance(member, types.FunctionType):
        study.feeder.put("def", attribute.encode())
        _feed_function(study, member, member.__module__)
    else:
        study.feeder.put("attr", f"{attribute}={member!r}".encode())


def _feed_function(study: _Studying, function: types.FunctionType, home: str) -> None:
    """A function's code, defaults and closure, then the functions of its module that it names and, for a type
    of a notebook or script (`study.wide`), any function its own module (`home`) names (helpers imported from a
    module of the user's). The data of `home` that it names goes into `reads`."""
    if id(function) in study.seen:
        return
    study.seen.add(id(function))
    function = getattr(function, "__wrapped__", function)
    feeder = study.feeder
    study.codes.append((function, function.__code__))
    _feed_code(feeder, function.__code__)
    if function.__module__ == home:  # (a library timing itself is no reason to run again: the node's own code is)
        study.own.append(function)
    feeder.feed(function.__defaults__, 0)
    feeder.feed(function.__kwdefaults__, 0)
    for cell in function.__closure__ or ():
        try:
            contents = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(contents, types.FunctionType):
            _feed_function(study, contents, home)
        elif not isinstance(contents, type):
            feeder.feed(contents, 0)
    scope = function.__globals__
    for name in _global_names(function.__code__):
        helper = scope.get(name, _ABSENT)
        if helper is _ABSENT and name in _BUILTINS:
            continue
        if isinstance(helper, types.FunctionType) or helper is _ABSENT:
            study.bindings[(id(scope), name)] = (scope, name, helper)
            if helper is not _ABSENT and (helper.__module__ == function.__module__ or
                                          study.wide and function.__module__ == home):
                _feed_function(study, helper, home)
        elif study.wide and isinstance(helper, type) and helper.__module__ == home == function.__module__:
            study.bindings[(id(scope), name)] = (scope, name, helper)  # (a class of the notebook: its methods)
            if id(helper) not in study.seen:
                study.seen.add(id(helper))
                for attribute, member in sorted(vars(helper).items()):
                    if (not attribute.startswith("__") or attribute in ("__init__", "__call__")) and \
                            isinstance(member, types.FunctionType | staticmethod | classmethod | property):
                        _feed_member(study, attribute, member)
        elif function.__module__ == home and not callable(helper) and \
                not isinstance(helper, type | types.ModuleType | types.BuiltinFunctionType):
            study.reads[(id(scope), name)] = (scope, name)


def _feed_code(feeder: _Feeder, code: types.CodeType) -> None:
    feeder.put("code", code.co_code)
    feeder.put("names", " ".join((*code.co_names, *code.co_varnames)).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _feed_code(feeder, const)
        else:
            feeder.put("const", repr(const).encode())


_CLOCKS = (os.urandom, time.time, time.time_ns, time.perf_counter, time.perf_counter_ns, time.monotonic,
           time.monotonic_ns, uuid.uuid1, uuid.uuid4)
_NOW = frozenset({("datetime", "datetime", "now"), ("datetime", "datetime", "today"),
                  ("datetime", "datetime", "utcnow"), ("datetime", "date", "today")})


def _by_chance(value: Any) -> bool:
    """Whether calling `value` gives another result every time: a method of a shared random generator (Python's,
    numpy's legacy one), the clock, a fresh id, the system's random bytes."""
    owner = getattr(value, "__self__", None)
    if owner is not None and not isinstance(owner, types.ModuleType):
        if isinstance(owner, random.Random) or type(owner).__name__ == "RandomState":
            return True
        if isinstance(owner, type) and (owner.__module__, owner.__name__, getattr(value, "__name__", "")) in _NOW:
            return True
    return getattr(value, "__module__", None) == "secrets" or any(value is clock for clock in _CLOCKS)


def _chance_calls(code: types.CodeType, scope: dict[str, Any]) -> list[str]:
    """The names, as written (`np.random.rand`), of what a function's code loads from its module's globals (through
    modules and classes) that gives another result every time it is called (`_by_chance`); nested code too."""
    found: list[str] = []
    current, written = _ABSENT, ""
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
            current, written = scope.get(instruction.argval, _ABSENT), instruction.argval
        elif instruction.opname == "LOAD_ATTR" and instruction.argval == "payload":  # the run's (`ctx.payload`)
            found.append("ctx.payload")
            current = _ABSENT
            continue
        elif instruction.opname in ("LOAD_ATTR", "LOAD_METHOD") and isinstance(current, types.ModuleType | type):
            try:  # (a module's own __getattr__ may import, or refuse)
                current = getattr(current, instruction.argval, _ABSENT)
            except Exception:  # noqa: BLE001 - nothing to learn from it
                current = _ABSENT
            written = f"{written}.{instruction.argval}"
        else:
            current = _ABSENT
            continue
        try:
            if current is not _ABSENT and _by_chance(current):
                found.append(written)
        except Exception:  # noqa: BLE001 - an object whose attributes cannot be read is no clock
            pass
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found += _chance_calls(const, scope)
    return found


def _global_names(code: types.CodeType) -> list[str]:
    """The module-level names a function's code loads (not the attributes it reads), nested code included."""
    names = [i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names += _global_names(const)
    return list(dict.fromkeys(names))
