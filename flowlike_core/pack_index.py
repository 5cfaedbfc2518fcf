"""Which installed pack provides each node key, remembered across processes: a lookup then loads the one pack
that has its key instead of the packs before it in load order (a cold `flowlike run` of a board with a web node
would otherwise import every pack).

The index is only a hint. It is written once a process has loaded every pack, and read only if the installed
packs are still the ones it was made from (entry point, distribution and version); a key that moved to another
pack (an editable install changes keys without a new version) costs the usual search, never a wrong answer.

    $XDG_CACHE_HOME/flowlike/pack-index.json   (default ~/.cache/flowlike/pack-index.json)
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint
from pathlib import Path


def index_path() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "flowlike" / "pack-index.json"


def fingerprint(entries: Iterable[EntryPoint]) -> list[list[str]]:
    """What the index holds for: each pack's entry point and the distribution (and version) that ships it."""
    return sorted([entry.name, entry.value, *((entry.dist.name, entry.dist.version) if entry.dist else ("", ""))]
                  for entry in entries)


def read(entries: Iterable[EntryPoint]) -> dict[str, str]:
    """Key -> pack (entry point name), or nothing if there is no index or it was made for other packs."""
    try:
        stored = json.loads(index_path().read_text())
        if stored["packs"] == fingerprint(entries):
            return {key: pack for pack, keys in stored["keys"].items() for key in keys}
    except (OSError, ValueError, KeyError, TypeError):
        pass  # (no index yet, or an unreadable one: the packs load in order, as without an index)
    return {}


def write(entries: Iterable[EntryPoint], keys_by_pack: Mapping[str, list[str]]) -> None:
    """Replace the index at once (another process may read it meanwhile); a cache that cannot be written is skipped."""
    path = index_path()
    document = {"packs": fingerprint(entries), "keys": {pack: sorted(keys) for pack, keys in keys_by_pack.items()}}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pack-index-", suffix=".json")
        try:
            with os.fdopen(handle, "w") as file:
                json.dump(document, file)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
