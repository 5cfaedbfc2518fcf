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

A distribution also ships the index of its own packs, made when its wheel is built (`ship`, called by setup.py):
`pack-index.json` in the top-level package its entry points name. It holds for a pack while that pack comes from
the same entry point, distribution and version, installed from a wheel (an editable install's sources change under
one version), so the first command after an install loads only the packs it needs. The user's index, which also
knows third-party packs installed since, comes first.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import Distribution, EntryPoint
from pathlib import Path
from typing import Any, NamedTuple

from flowlike_core.files import atomic_write

SHIPPED = "pack-index.json"
"""The name of the index a distribution ships in the top-level package of its packs."""


class PackIndexWarning(UserWarning):
    """A pack index that cannot be read or written: lookups load the packs it would have spared, nothing more."""


def index_path() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "flowlike" / "pack-index.json"


def load_order(entry: EntryPoint) -> tuple[bool, str]:
    """Where a pack comes in load order (std first, then by name): of two packs with one key, the first keeps it."""
    return entry.name != "std", entry.name


def fingerprint(entries: Iterable[EntryPoint]) -> list[list[str]]:
    """What an index holds for, one row a pack: its entry point, the distribution (and version) that ships it, and
    when the source of its package last changed (taken before the packs load, so an edit meanwhile is seen later)."""
    entries = list(entries)
    packages = {entry.name: _package(entry, entries) for entry in entries}
    changed = {package: str(source_changed_at(package)) for package in packages.values()}
    return sorted([entry.name, entry.value, *name_and_version(entry.dist), changed[packages[entry.name]]]
                  for entry in entries)


def name_and_version(dist: Distribution | None) -> tuple[str, str]:
    """A distribution's name (as pip compares them) and version, from the header of its metadata: `dist.name` and
    `dist.version` each parse all of it, a long description included (2 ms for ours, and every entry point has a
    distribution object of its own)."""
    text = (dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "") if dist is not None else ""
    fields = dict(line.split(":", 1) for line in text.partition("\n\n")[0].splitlines() if ":" in line)
    return canonical(fields.get("Name", "").strip()), fields.get("Version", "").strip()


def canonical(name: str) -> str:
    """A distribution's name as pip compares them: `Flowlike_NB` is `flowlike-nb`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def top_package(entry: EntryPoint) -> str:
    return entry.value.partition(":")[0].strip().partition(".")[0]


def _package(entry: EntryPoint, entries: list[EntryPoint]) -> str:
    """The top-level package the entry point names; for packs sharing one (flowlike_catalog's), the module it names
    (`flowlike_catalog.web`), so that an edit to one of them leaves the others' keys trusted."""
    shared = sum(top_package(other) == top_package(entry) for other in entries) > 1
    return entry.value.partition(":")[0].strip() if shared else top_package(entry)


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


class Index(NamedTuple):
    """What the indexes say of the installed packs."""

    hints: dict[str, str]
    """Key -> the pack (entry point name) that has it, for the packs an index still holds for."""
    known: set[str]
    """Those packs."""
    gone: dict[str, str]
    """Key -> the pack (and distribution) that had it when the user's index was made, no longer installed."""


def read(packs: list[list[str]], entries: Iterable[EntryPoint]) -> Index:
    """The `Index` of the installed packs (`packs`: their `fingerprint`, `entries`: their entry points): the user's
    index first, then for the packs it does not know the indexes their distributions ship. An unreadable index is
    left aside with a warning."""
    rows = {row[0]: tuple(row) for row in packs}
    keys: dict[str, list[str]] = {}
    gone: dict[str, str] = {}
    stored = _document(index_path(), removable=True)
    if stored is not None:
        keys = {pack: stored["keys"][pack] for pack, row in rows.items() if row in stored["rows"]
                and pack in stored["keys"]}
        for row in stored["rows"]:
            if len(row) == 5 and row[0] not in rows:
                gone.update(dict.fromkeys(stored["keys"].get(row[0], []), f"pack {row[0]!r} (distribution {row[2]} "
                                                                          f"{row[3]})"))
    for path, names in shipped_files([entry for entry in entries if entry.name not in keys], rows, SHIPPED).items():
        shipped = _document(path)
        if shipped is not None:
            keys.update({name: shipped["keys"][name] for name in names if rows[name][:4] in shipped["rows"]
                         and name in shipped["keys"]})
    return Index({key: pack for pack, pack_keys in keys.items() for key in pack_keys}, set(keys), gone)


def _document(path: Path, removable: bool = False) -> dict[str, Any] | None:
    """An index file's rows (as tuples) and keys by pack; None without one or with an unreadable one, which is
    said in a `PackIndexWarning` (and the user's removed: it is made again when needed)."""
    try:
        document = json.loads(path.read_text())
        rows = {tuple(row) for row in document["packs"]}
        keys = _keys_by_pack(document["keys"])
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        removed = False
        if removable:
            with contextlib.suppress(OSError):
                path.unlink()
                removed = True
        what = "removed, to be made again" if removed else ("left aside" if removable else
                                                           "left aside; reinstall the distribution that ships it")
        warnings.warn(f"the pack index {path} cannot be read ({type(exc).__name__}: {exc}): {what}; until then "
                      f"lookups load the packs it would have spared", PackIndexWarning, stacklevel=4)
        return None
    return {"rows": rows, "keys": keys}


def _keys_by_pack(keys: Any) -> dict[str, list[str]]:
    if isinstance(keys, dict) and all(isinstance(found, list) and all(isinstance(key, str) for key in found)
                                      for found in keys.values()):
        return keys
    raise ValueError("its keys are not lists of node keys by pack")


def shipped_files(entries: Iterable[EntryPoint], rows: Mapping[str, Sequence[str]], name: str) -> dict[Path, list[str]]:
    """The file `name` each distribution ships beside its packs (`SHIPPED`: the index), with the packs it may speak
    for: those whose entry point names its package, installed from a wheel (an editable install's sources change
    under one version). `rows`: each pack's `fingerprint` (its distribution and version at 2:4)."""
    editable: dict[tuple[str, ...], bool] = {}
    folders: dict[str, Path | None] = {}
    found: dict[Path, list[str]] = {}
    for entry in entries:
        shipped_by = tuple(rows[entry.name][2:4])  # (one look per distribution: each entry point has its own object)
        if shipped_by not in editable:
            editable[shipped_by] = editable_install(entry.dist)
        top = top_package(entry)
        if top not in folders:
            folders[top] = _package_folder(top)
        if not editable[shipped_by] and folders[top] is not None:
            found.setdefault(folders[top] / name, []).append(entry.name)
    return found


def editable_install(dist: Distribution | None) -> bool:
    """Whether a distribution's sources may change under one version: an editable install (PEP 660's
    direct_url.json says so; a legacy one has no RECORD of installed files), or none at all."""
    if dist is None or dist.read_text("RECORD") is None:
        return True
    try:
        return bool(json.loads(dist.read_text("direct_url.json") or "{}").get("dir_info", {}).get("editable"))
    except (ValueError, AttributeError):
        return True  # (a record that cannot be read: its sources may change)


def _package_folder(top: str) -> Path | None:
    with contextlib.suppress(ImportError, ValueError):
        spec = importlib.util.find_spec(top)
        if spec is not None and spec.submodule_search_locations:
            return Path(next(iter(spec.submodule_search_locations)))
    return None


def write(packs: list[list[str]], keys_by_pack: Mapping[str, list[str]]) -> None:
    """Replace the index at once (another process may read it meanwhile); one that cannot be written is skipped,
    with a warning (every command will load again the packs no shipped index knows)."""
    path = index_path()
    document = {"packs": packs, "keys": {pack: sorted(keys) for pack, keys in keys_by_pack.items()}}
    try:
        atomic_write(path, json.dumps(document).encode(), sync=False)
    except OSError as exc:
        warnings.warn(f"the pack index cannot be written to {path} ({type(exc).__name__}: {exc}): every command "
                      f"loads again the packs no shipped index knows (third-party or changed ones) to find a key; "
                      f"set XDG_CACHE_HOME to a writable folder", PackIndexWarning, stacklevel=4)


def ship(folder: Path, entries: Iterable[EntryPoint], distribution: str, version: str) -> list[Path]:
    """Write the index of a distribution's packs into its top-level packages under `folder` (a wheel's build
    folder, by setup.py), loading every pack in load order. A pack that fails to load fails the build, naming it:
    a wheel never ships an index that leaves one of its packs out."""
    from flowlike_core.registry import load_pack  # (the registry imports this module)

    entries = sorted(entries, key=load_order)
    keys: dict[str, list[str]] = {}
    for entry in entries:
        try:
            pack = load_pack(entry)
        except Exception as exc:
            raise RuntimeError(f"pack {entry.name!r} ({entry.value}) could not be loaded to index it: "
                               f"{type(exc).__name__}: {exc}") from exc
        taken = {key for pack_keys in keys.values() for key in pack_keys}
        keys[entry.name] = sorted({node_type.name for node_type in pack.nodes} - taken)
    written = []
    for top in dict.fromkeys(map(top_package, entries)):
        mine = [entry for entry in entries if top_package(entry) == top]
        document = {"packs": [[entry.name, entry.value, canonical(distribution), version] for entry in mine],
                    "keys": {entry.name: keys[entry.name] for entry in mine}}
        path = folder / top / SHIPPED
        path.write_text(json.dumps(document, indent=0) + "\n")
        written.append(path)
    return written
