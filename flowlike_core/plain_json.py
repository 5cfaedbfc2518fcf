"""What a board file may hold: a regular file of at most `MAX_FILE_BYTES` of standard JSON (no NaN or
Infinity), nested at most `MAX_DEPTH` levels, integers of at most `MAX_INT_DIGITS` digits. Anything else cannot
be written back as the same JSON, so it is refused where it comes in, with its place: a file gets a
`BoardFileError` naming line and column, a value set in code a validation error naming the field.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from typing import Any

from flowlike_core.errors import BoardFileError

MAX_FILE_BYTES = 256 * 2**20
"""A 100,000-node board is about 150 MB; anything larger is refused before it is read into memory."""
MAX_DEPTH = 200
"""Nesting of a whole board file; a pin's value sits 5 levels down, so values may nest ~195 levels."""
MAX_VALUE_DEPTH = 190
MAX_INT_DIGITS = 4000
"""Below Python's 4,300-digit limit on int/str conversion, which would fail the save."""
_MAX_INT_BITS = int(MAX_INT_DIGITS * 3.3219)
_CONSTANT = re.compile(r"-?(?:NaN|Infinity)\b")
_LONG_INT = re.compile(rf"-?\d{{{MAX_INT_DIGITS + 1},}}")


def read_file(path: str | os.PathLike[str]) -> str:
    """The text of a board file; a `BoardFileError` for anything but a regular UTF-8 file of at most
    `MAX_FILE_BYTES` (see `read_bounded`)."""
    data = board_content(read_bounded(path), os.fspath(path))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BoardFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def board_content(data: bytes, source: str) -> bytes:
    """A board file's bytes without the UTF-8 byte order mark some editors (Windows Notepad) start text with; an
    empty file is a `BoardFileError` saying so (JSON's and Flow-Like's readers would each name their own complaint)."""
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        raise BoardFileError(f"{source}: the file is empty")
    return data


def read_bounded(path: str | os.PathLike[str], what: str = "board file") -> bytes:
    """The bytes of a regular file of at most `MAX_FILE_BYTES`, else a `BoardFileError`: a FIFO or device is
    refused without blocking on it, an oversized file without reading it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise BoardFileError(f"{path}: no such {what}") from None
    except OSError as exc:
        raise BoardFileError(f"{path}: cannot read {what}: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise BoardFileError(f"{path}: not a regular file: a folder (give a {what} in it)")
        if not stat.S_ISREG(info.st_mode):
            raise BoardFileError(f"{path}: not a regular file")
        raise BoardFileError(f"{path}: {info.st_size:,} bytes, over the {MAX_FILE_BYTES:,} a {what} may have")
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise BoardFileError(f"{path}: cannot read {what}: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise BoardFileError(f"{path}: over the {MAX_FILE_BYTES:,} bytes a {what} may have")
    return data


def check_value(value: Any, depth: int = 0) -> Any:
    """`value` if it is plain JSON within the limits, else ValueError saying what is wrong (iterative, so a
    deep value cannot exhaust the stack)."""
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if item is None or isinstance(item, (str, bool)):
            continue
        if isinstance(item, int):
            if item.bit_length() > _MAX_INT_BITS:
                raise ValueError(f"an integer of more than {MAX_INT_DIGITS:,} digits cannot be stored")
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                raise ValueError(f"{item!r} is not a JSON number: NaN and Infinity cannot be stored")
        elif isinstance(item, (list, tuple, dict)):
            if level >= MAX_VALUE_DEPTH:
                raise ValueError(f"nested deeper than {MAX_VALUE_DEPTH} levels")
            if isinstance(item, dict):
                for key in item:
                    if not isinstance(key, str):
                        raise ValueError(f"object key {key!r} is not a string")
                stack.extend((child, level + 1) for child in item.values())
            else:
                stack.extend((child, level + 1) for child in item)
    return value


def loads(text: str, source: str) -> Any:
    """Parse standard JSON; every way it can fail is a `BoardFileError` naming `source`, line and column."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        deep = _too_deep(text)
        where = _place(text, deep) if deep is not None else "?"
        raise BoardFileError(f"{source}:{where}: nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise BoardFileError(f"{source}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from exc
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
        constant = "NaN" in str(exc)
        match = (_CONSTANT if constant else _LONG_INT).search(text)
        where = _place(text, match.start()) if match else "?"
        what = str(exc) if constant else f"an integer of more than {MAX_INT_DIGITS:,} digits cannot be stored"
        raise BoardFileError(f"{source}:{where}: {what}") from exc


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (NaN and Infinity are not JSON numbers)")


def _too_deep(text: str) -> int | None:
    """The offset where brackets outside strings first nest deeper than MAX_DEPTH, if they do."""
    depth, in_string, escaped = 0, False, False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return offset
        elif char in "]}":
            depth -= 1
    return None


def _place(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"
