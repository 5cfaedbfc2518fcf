"""Scoped names: what may name an app, a board or a content key, so that nothing escapes its folder."""

from __future__ import annotations

import re

from flowlike_core.errors import UnsafePathError

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def check_name(name: str, what: str = "name") -> str:
    """One path segment: letters, digits, `_`, `-`, `.`; starts with a letter or digit; no `..`."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or ".." in name:
        raise UnsafePathError(
            f"{what} {name!r} is not allowed: use 1-128 letters, digits, '_', '-' or '.', starting with a "
            f"letter or digit, without '..', '/' or '\\' (it must stay inside its app folder)"
        )
    return name


def check_key(key: str, what: str = "key") -> str:
    """A relative key of one or more safe segments separated by `/` (no absolute paths, no `..`)."""
    if not isinstance(key, str) or not key or key.startswith("/") or "\\" in key:
        raise UnsafePathError(f"{what} {key!r} is not allowed: give a relative key like 'data/table.csv'")
    for segment in key.split("/"):
        check_name(segment, f"{what} {key!r}: segment")
    return key
