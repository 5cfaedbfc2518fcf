"""Each installed pack's node descriptions (`NodeType.describe()` and the type's synonyms), kept across processes, so
that `flowlike catalog` and the editor's palette show every node type without importing every pack (seconds).

A pack's descriptions hold while nothing they were made from has changed, which its key says: the pack's entry
point, distribution and version, the newest change to the source of its whole top-level package (a pack may use its
neighbours' modules), and the engine (`engine`: the description code, the Python, the installed libraries). Any
change means the pack is imported again and its descriptions made again, so a stale catalog cannot be shown. They
are kept only from a process that started after their sources last changed: one that had imported a module before
an edit would keep the old code's descriptions under the new key.

    $XDG_CACHE_HOME/flowlike/descriptions/PACK.json   (beside the pack index)

A file that cannot be read is removed with a `PackIndexWarning` (its pack is imported); one that cannot be written
is skipped with one.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import sysconfig
import time
import warnings
from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flowlike_core import pack_index
from flowlike_core.files import atomic_write
from flowlike_core.pack_index import PackIndexWarning
from flowlike_core.search import Described

STARTED = time.time_ns()
"""When this process began importing the engine (before any pack): sources changed since are not trusted to be the
code in memory."""
ENGINE = ("flowlike_core",)
"""The packages whose code makes a description."""


def folder() -> Path:
    return pack_index.index_path().parent / "descriptions"


def path_of(pack: str) -> Path:
    return folder() / f"{quote(pack, safe='')}.json"


def engine(packages: Iterable[str] = ENGINE) -> list[str]:
    """What every pack's descriptions also depend on: the Python, the installed libraries (a pip install changes
    the folder that holds them) and the engine's source."""
    folders = dict.fromkeys(sysconfig.get_paths()[kind] for kind in ("purelib", "platlib"))
    changed = [str(os.stat(place).st_mtime_ns) if os.path.isdir(place) else "" for place in folders]
    return [sys.version, *changed, *(str(pack_index.source_changed_at(package)) for package in packages)]


def keys(entries: Iterable[EntryPoint]) -> dict[str, list[str]]:
    """Each pack's key (entry point name -> what its descriptions hold for), taken before it loads."""
    tops: dict[str, str] = {}
    common = engine()
    found = {}
    for entry in entries:
        top = entry.value.partition(":")[0].strip().partition(".")[0]
        if top not in tops:
            tops[top] = str(pack_index.source_changed_at(top))
        found[entry.name] = [entry.name, entry.value, *pack_index.name_and_version(entry.dist), tops[top], *common]
    return found


def read(wanted: Mapping[str, list[str]]) -> dict[str, list[Described]]:
    """The kept descriptions of the packs (name -> key) whose key is still the one they were kept under."""
    found = {}
    for pack, key in wanted.items():
        path = path_of(pack)
        try:
            document = json.loads(path.read_text())
            if document["key"] != key:
                continue
            found[pack] = [_described(*row) for row in document["types"]]
        except (FileNotFoundError, NotADirectoryError):
            continue
        except (OSError, ValueError, KeyError, TypeError) as exc:
            with contextlib.suppress(OSError):
                path.unlink()
            warnings.warn(f"the node descriptions of pack {pack!r} kept in {path} cannot be read "
                          f"({type(exc).__name__}: {exc}): removed; the pack is imported to list its node types",
                          PackIndexWarning, stacklevel=3)
    return found


def _described(*row: Any) -> Described:
    """A kept node type (`Described.ROW`, then its text), checked now: a bad file must not fail a search later."""
    fields = dict(zip((*Described.ROW, "text"), row, strict=True))
    synonyms = fields.pop("synonyms")
    if not isinstance(synonyms, list) or not all(isinstance(text, str) for text in (*synonyms, *fields.values())):
        raise TypeError(f"a kept node type's fields are not text: {row[:len(Described.ROW)]!r}")
    return Described(**fields, synonyms=synonyms)


def kept(key: list[str]) -> bool:
    """Whether descriptions made now may be kept under `key`: its sources have not changed since this process
    started (the module times in it are all before)."""
    return all(not part.isdigit() or int(part) < STARTED for part in key[4:])


def write(made: Mapping[str, tuple[list[str], list[Described]]]) -> None:
    """Keep each pack's descriptions (name -> its key and descriptions), each file replaced at once; what cannot be
    written is skipped with a warning."""
    for pack, (key, described) in made.items():
        path = path_of(pack)
        document = {"key": key, "types": [[*entry.row(), entry.text] for entry in described]}
        try:
            atomic_write(path, json.dumps(document).encode(), sync=False)
        except OSError as exc:
            warnings.warn(f"node descriptions cannot be written to {path} ({type(exc).__name__}: {exc}): "
                          f"`flowlike catalog` and the palette import the packs every time; set XDG_CACHE_HOME to a "
                          f"writable folder", PackIndexWarning, stacklevel=3)
            return
