"""Which installed pack provides each node key, remembered across processes: a lookup then loads the one pack
that has its key instead of the packs before it in load order (a cold `flowlike run` of a board with a web node
would otherwise import every pack).

The index is only a hint. It is written once a process has loaded every pack, and read only if the installed
packs are still the ones it was made from (entry point, distribution, version and the newest change to the source
of the package each entry point names: an editable install changes keys without a new version); a key that moved
to another pack costs the usual search, never a wrong answer. A key a valid index does not have is one no installed
pack provides (what `@fnb.node` asks of a new key without loading a pack).

    $XDG_CACHE_HOME/flowlike/pack-index.json   (default ~/.cache/flowlike/pack-index.json)
"""

from __future__ import annotations

import contextlib
import importlib.util
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
    """What an index holds for: each pack's entry point, the distribution (and version) that ships it, and when the
    source of the package it names last changed (taken before the packs load, so an edit meanwhile is seen later)."""
    entries = list(entries)
    changed = {package: str(source_changed_at(package)) for package in map(_package, entries)}
    return sorted([entry.name, entry.value, *((entry.dist.name, entry.dist.version) if entry.dist else ("", "")),
                   changed[_package(entry)]] for entry in entries)


def _package(entry: EntryPoint) -> str:
    return entry.value.partition(":")[0].partition(".")[0]


def source_changed_at(package: str) -> int:
    """The newest modification time (ns) of a top-level package's files and folders, found without importing it;
    0 if it cannot be found (then only the version tells a change)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return 0
    if spec is None:
        return 0
    newest = 0
    for root in spec.submodule_search_locations or ([spec.origin] if spec.origin else []):
        with contextlib.suppress(OSError):
            newest = max(newest, os.stat(root).st_mtime_ns)
            for folder, subfolders, files in os.walk(root):
                subfolders[:] = [name for name in subfolders if name != "__pycache__"]
                for name in (*subfolders, *files):
                    newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
    return newest


def read(packs: list[list[str]]) -> dict[str, str]:
    """Key -> pack (entry point name), or nothing if there is no index or it was made for other packs (`packs`: the
    installed packs' `fingerprint`)."""
    try:
        stored = json.loads(index_path().read_text())
        if stored["packs"] == packs:
            return {key: pack for pack, keys in stored["keys"].items() for key in keys}
    except (OSError, ValueError, KeyError, TypeError):
        pass  # (no index yet, or an unreadable one: the packs load in order, as without an index)
    return {}


def write(packs: list[list[str]], keys_by_pack: Mapping[str, list[str]]) -> None:
    """Replace the index at once (another process may read it meanwhile); a cache that cannot be written is skipped."""
    path = index_path()
    document = {"packs": packs, "keys": {pack: sorted(keys) for pack, keys in keys_by_pack.items()}}
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
