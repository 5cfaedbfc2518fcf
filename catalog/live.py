"""Live objects (fitted models, inference sessions, images) that pins name by small handle structs.

A node keeps the object in the run's cache (`ctx.cache`) under `(kind, id)` and hands the id on in a pydantic
handle (a `LiveHandle`), so boards and run records stay JSON-clean. The handle object also holds on to what
it names (a private attribute that never reaches JSON): as long as a notebook variable or a list keeps the
handle, its object stays usable in later runs and cells. A handle rebuilt from JSON finds its object among
the most recent ones (a bounded, least-recently-used memory) or gets a clear error.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

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


def find(ctx: Context | None, kind: str, ident: str, held: Any = None) -> Any:
    """The live object of a handle: from the run's cache, else the recent ones, else what the handle itself
    holds (`held`); a clear error if it is gone."""
    key = (kind, ident)
    if ctx is not None and key in ctx.cache:
        return ctx.cache[key]
    with _lock:
        obj = _recent.get(key, _lock)
        if obj is not _lock:
            _recent.move_to_end(key)
    if obj is _lock and held is not None:
        obj = held
    elif obj is _lock:
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


class LiveHandle(BaseModel):
    """A small struct naming a live object of kind `KIND`; it holds the object while the handle lives."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    KIND: ClassVar[str]
    id: str
    _object: Any = PrivateAttr(default=None)

    @classmethod
    def make(cls, ctx: Context | None, obj: Any, ident: str | None = None, **fields: Any) -> Self:
        """A handle for `obj` (a new id, or `ident` to put `obj` behind an existing one)."""
        if ident is None:
            ident = keep(ctx, cls.KIND, obj)
        else:
            replace(ctx, cls.KIND, ident, obj)
        handle = cls.model_construct(id=ident, **fields)  # fields come from the object itself: no validation
        handle._object = obj
        return handle

    def __fingerprint__(self) -> Any:
        """What the result cache hashes for this handle (`flowlike_core.fingerprint`): its fields and the object it
        holds, so that a change in place (the same id, another object) is seen."""
        return self.model_dump(), self._object

    @classmethod
    def given(cls, value: Any) -> Self:
        """The handle on an input (or its dict form); None, what an input reads from a node that has not run, and
        what is no handle at all fail saying so rather than with pydantic's validation text."""
        if value is None:
            raise TypeError(f"no {cls.__name__} given (None): wire one from the node that makes it, and let that node "
                            f"run first")
        if type(value) is cls:
            return value
        try:
            return cls.model_validate(value)
        except ValidationError:
            if isinstance(value, dict):
                raise
            raise TypeError(f"{value!r:.60} is not {'an' if cls.__name__[0] in 'AEIOU' else 'a'} {cls.__name__} (a "
                            f"handle from the node that makes one), but a {type(value).__name__}") from None

    @classmethod
    def resolve(cls, ctx: Context | None, value: Any) -> Any:
        """The live object behind a handle (or its dict form)."""
        handle = cls.given(value)
        return find(ctx, cls.KIND, handle.id, handle._object)

    def __live_object__(self) -> Any:
        """The object itself, for an input typed as its class (`flowlike_core.shapes`): a node of one's own typed
        `image: PIL.Image.Image` gets the image this handle names."""
        return find(None, self.KIND, self.id, self._object)

    def release(self, ctx: Context | None) -> bool:
        """Drop the object everywhere (unload); whether it was there."""
        held = self._object is not None
        self._object = None
        return forget(ctx, self.KIND, self.id) or held

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.id))
