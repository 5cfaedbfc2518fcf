"""Which installed pack provides each node key, remembered across processes: a lookup then loads the one pack
that has its key instead of the packs before it in load order (a cold `flowlike run` of a board with a web node
would otherwise import every pack).

The index is only a hint, kept per pack. It is written once a process has loaded every pack it did not know, and
a pack's keys are read from it only while that pack is still the one they were taken from (entry point,
distribution, version and the newest change to the source of the pack's package: an editable install changes keys
without a new version). A pack changed since is searched as without an index, so editing one pack of a checkout
costs loading that pack, not all of them; a key that moved to another pack costs the usual search, never a wrong
answer. A key that no pack the index knows has and no changed pack has is one no installed pack provides (what
`@fnb.node` asks of a new key without loading a pack).

    $XDG_CACHE_HOME/flowlike/pack-index.json   (default ~/.cache/flowlike/pack-index.json)
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from importlib.metadata import Distribution, EntryPoint
from pathlib import Path


def index_path() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "flowlike" / "pack-index.json"


def fingerprint(entries: Iterable[EntryPoint]) -> list[list[str]]:
    """What an index holds for, one row a pack: its entry point, the distribution (and version) that ships it, and
    when the source of its package last changed (taken before the packs load, so an edit meanwhile is seen later)."""
    entries = list(entries)
    packages = {entry.name: _package(entry, entries) for entry in entries}
    changed = {package: str(source_changed_at(package)) for package in packages.values()}
    shipped = {id(entry.dist): _name_and_version(entry.dist) for entry in entries}  # (one parse per distribution)
    return sorted([entry.name, entry.value, *shipped[id(entry.dist)], changed[packages[entry.name]]]
                  for entry in entries)


def _name_and_version(dist: Distribution | None) -> tuple[str, str]:
    """A distribution's name and version, from one read of its metadata (`dist.name` and `dist.version` each parse
    all of it, a long description included)."""
    if dist is None:
        return "", ""
    metadata = dist.metadata
    return metadata["Name"], metadata["Version"]


def _package(entry: EntryPoint, entries: list[EntryPoint]) -> str:
    """The top-level package the entry point names; for packs sharing one (flowlike_catalog's), the module it names
    (`flowlike_catalog.web`), so that an edit to one of them leaves the others' keys trusted."""
    module = entry.value.partition(":")[0].strip()
    top = module.partition(".")[0]
    shared = sum(other.value.partition(":")[0].strip().partition(".")[0] == top for other in entries) > 1
    return module if shared else top


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


def read(packs: list[list[str]]) -> tuple[dict[str, str], set[str]]:
    """Key -> pack (entry point name) for the packs the index still holds for, and their names (`packs`: the
    installed packs' `fingerprint`); nothing without an index or with an unreadable one."""
    try:
        stored = json.loads(index_path().read_text())
        rows = {tuple(row) for row in stored["packs"]}
        known = {row[0] for row in packs if tuple(row) in rows and row[0] in stored["keys"]}
        return {key: pack for pack in known for key in stored["keys"][pack]}, known
    except (OSError, ValueError, KeyError, TypeError):
        return {}, set()  # (no index yet, or an unreadable one: the packs load in order, as without an index)


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
