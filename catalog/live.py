"""Live objects (fitted models, inference sessions, images) that pins name by small handle structs.

A node keeps the object in the run's cache (`ctx.cache`) under `(kind, id)` and hands the id on in a pydantic
handle, so boards and run records stay JSON-clean. The most recent objects are also remembered for the
kernel's lifetime (a bounded, least-recently-used memory): a notebook cell can take back what a finished run
made, and a handle made by one run still works in the next while its object is among the recent ones.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from typing import Any

from flowlike_core import Context

RECENT_LIMIT = 256
"""How many live objects outlive their run (the oldest is forgotten first)."""

_recent: OrderedDict[tuple[str, str], Any] = OrderedDict()
_lock = threading.Lock()


def _remember(key: tuple[str, str], obj: Any) -> None:
    with _lock:
        _recent[key] = obj
        _recent.move_to_end(key)
        while len(_recent) > RECENT_LIMIT:
            _recent.popitem(last=False)


def keep(ctx: Context | None, kind: str, obj: Any) -> str:
    """Keep `obj` for the run (and recently, for the kernel); returns the new id a handle carries."""
    ident = secrets.token_hex(8)
    if ctx is not None:
        ctx.cache[(kind, ident)] = obj
    _remember((kind, ident), obj)
    return ident


def replace(ctx: Context | None, kind: str, ident: str, obj: Any) -> None:
    """Put a new object behind an existing id (a node that changes its input in place)."""
    if ctx is not None:
        ctx.cache[(kind, ident)] = obj
    _remember((kind, ident), obj)


def find(ctx: Context | None, kind: str, ident: str) -> Any:
    """The live object of a handle: from the run's cache, else from the recent ones; a clear error if gone."""
    key = (kind, ident)
    if ctx is not None and key in ctx.cache:
        return ctx.cache[key]
    with _lock:
        obj = _recent.get(key, _lock)
        if obj is not _lock:
            _recent.move_to_end(key)
    if obj is _lock:
        raise LookupError(f"{kind} {ident!r} is no longer in memory (an unloaded handle, or one from an older "
                          f"run or another process): make or load it again in this run")
    if ctx is not None:
        ctx.cache[key] = obj
    return obj


def forget(ctx: Context | None, kind: str, ident: str) -> bool:
    """Drop a live object everywhere; whether it was there."""
    found = ctx is not None and ctx.cache.pop((kind, ident), None) is not None
    with _lock:
        return _recent.pop((kind, ident), None) is not None or found
