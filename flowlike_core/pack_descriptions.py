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

A distribution also ships the descriptions of its own packs, made when its wheel is built (`ship`, called by
setup.py, from the very sources it packs): `pack-descriptions.json.gz` in the top-level package its entry points
name, read for a pack the user's cache has none for (after an install, and after every pip install, which changes a
kept description's key). They hold while the pack comes from the same entry point, distribution and version,
installed from a wheel (as the shipped pack index), and the engine is still the one they were made with
(`shipped_engine`), or one they were found to hold under: a pack imported because its shipped descriptions were
made under another engine (another pydantic makes its pins' JSON Schemas) and found to describe it as they say is
trusted to under this engine from then on (`verified_path`), as after a pip install, which its kept key does not
survive.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import sys
import sysconfig
import time
import warnings
from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint, PackageNotFoundError, distribution
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from flowlike_core import pack_index
from flowlike_core.files import atomic_write
from flowlike_core.pack_index import PackIndexWarning, canonical, editable_install, top_package
from flowlike_core.search import Described

if TYPE_CHECKING:
    from flowlike_core.registry import Pack

STARTED = time.time_ns()
"""When this process began importing the engine (before any pack): sources changed since are not trusted to be the
code in memory."""
ENGINE = ("flowlike_core",)
"""The packages whose code makes a description."""
ENGINE_DISTRIBUTION = "flowlike-nb"
"""The distribution that ships the engine (`ENGINE`)."""
SHIPPED = "pack-descriptions.json.gz"
"""The name of the descriptions a distribution ships in the top-level package of its packs."""
VERIFIED_KEPT = 32
"""Records kept in `verified_path` (the newest): one for each shipped file and engine met."""

_unverified: dict[Path, tuple[str, list[str]]] = {}
"""Shipped files `shipped` did not trust for their engine alone (path -> their SHA-256, the engine now): `write`
compares what they say with the descriptions made of their packs."""


def folder() -> Path:
    return pack_index.index_path().parent / "descriptions"


def path_of(pack: str) -> Path:
    return folder() / f"{quote(pack, safe='')}.json"


def verified_path() -> Path:
    """Where the packs whose shipped descriptions hold under another engine are recorded: by their file's SHA-256
    and the engine (beside the descriptions folder, whose files are named by pack)."""
    return pack_index.index_path().parent / "shipped-descriptions-verified.json"


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
            _remove_unreadable(path, exc, f"the node descriptions of pack {pack!r} kept in {path}",
                               "the pack is imported to list its node types")
    return found


def _remove_unreadable(path: Path, exc: Exception, what: str, instead: str) -> None:
    """A kept file that cannot be read is removed, with a `PackIndexWarning` that says what it held and what is
    done instead (addressed to whoever asked for the descriptions, two calls up)."""
    with contextlib.suppress(OSError):
        path.unlink()
    warnings.warn(f"{what} cannot be read ({type(exc).__name__}: {exc}): removed; {instead}", PackIndexWarning,
                  stacklevel=4)


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
    written is skipped with a warning. Shipped descriptions found to say the same are recorded as holding."""
    for pack, (key, described) in made.items():
        path = path_of(pack)
        document = {"key": key, "types": [[*entry.row(), entry.text] for entry in described]}
        try:
            atomic_write(path, json.dumps(document).encode(), sync=False)
        except OSError as exc:
            warnings.warn(f"node descriptions cannot be written to {path} ({type(exc).__name__}: {exc}): "
                          f"`flowlike catalog` and the palette import the packs every time; set XDG_CACHE_HOME to a "
                          f"writable folder", PackIndexWarning, stacklevel=3)
            break
    _verify(made)


def _verify(made: Mapping[str, tuple[list[str], list[Described]]]) -> None:
    """Record the packs of the shipped files `shipped` did not trust for their engine whose descriptions, made now
    (`made`: imported, under this engine), are exactly what the file says."""
    records = None
    for path, (digest, engine_now) in list(_unverified.items()):
        _unverified.pop(path, None)
        try:
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                continue  # (replaced since it was read: reinstalled)
            document = json.loads(gzip.decompress(data))
            rows, types = {tuple(row) for row in document["packs"]}, document["types"]
            held = [name for name, (key, described) in made.items() if tuple(key[:4]) in rows
                    and types.get(name) == [[*entry.row(), entry.text] for entry in described]]
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
            continue  # (`shipped` said what it could not read)
        if held:
            records = _verified() if records is None else records
            record = next((record for record in records if record[:2] == [digest, engine_now]), None)
            if record is None:
                records.append([digest, engine_now, held])
            else:
                record[2].extend(name for name in held if name not in record[2])
    if records is not None:
        with contextlib.suppress(OSError):  # (an unwritable cache is said when the descriptions are written)
            atomic_write(verified_path(), json.dumps({"verified": records[-VERIFIED_KEPT:]}).encode(), sync=False)


def _verified() -> list[list[Any]]:
    """The records of `verified_path`: [SHA-256 of a shipped file, engine, the packs whose descriptions hold]. One
    that cannot be read is removed with a `PackIndexWarning` (the packs it named are imported to check them)."""
    path = verified_path()
    try:
        records = json.loads(path.read_text())["verified"]
        if not all(isinstance(digest, str) and isinstance(engine_now, list) and isinstance(names, list)
                   for digest, engine_now, names in records):
            raise TypeError("a record is not [SHA-256, engine, packs]")
        return records
    except (FileNotFoundError, NotADirectoryError):
        return []
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _remove_unreadable(path, exc, f"the record of shipped node descriptions found to hold, {path},",
                           "their packs are imported to check them again")
        return []


def of_pack(pack: Pack) -> list[Described]:
    """Every type of a pack as the catalog shows it (those whose key a pack first in load order takes included: kept
    for when that one no longer has it)."""
    return [Described.of({**node_type.describe(), "pack": pack.name}, node_type.synonyms) for node_type in pack.nodes]


def shipped_engine(distribution_name: str = "", version: str = "") -> list[str] | None:
    """What shipped descriptions also depend on besides their packs' sources: the platform and the Python (a default
    may be a path, a choice may come from the standard library), pydantic (a pin's JSON Schema) and the engine's
    distribution and version: the one being built (`distribution_name`, `version`) if it is the engine's, else the
    installed one. None when the engine is not that installed from a wheel (an editable install's code changes under
    one version; a checkout on sys.path may shadow the installed one)."""
    from pydantic.version import VERSION

    if canonical(distribution_name) != ENGINE_DISTRIBUTION:
        try:
            engine_dist = distribution(ENGINE_DISTRIBUTION)
        except PackageNotFoundError:
            return None
        installed = Path(engine_dist.locate_file(f"{ENGINE[0]}/__init__.py"))
        if editable_install(engine_dist) or installed.resolve() != Path(sys.modules[ENGINE[0]].__file__).resolve():
            return None
        version = pack_index.name_and_version(engine_dist)[1]
    return [sys.platform, f"{sys.version_info.major}.{sys.version_info.minor}", VERSION, ENGINE_DISTRIBUTION,
            version]


def shipped(wanted: Mapping[str, list[str]], entries: Iterable[EntryPoint]) -> dict[str, list[Described]]:
    """The descriptions the distributions ship (`SHIPPED`) of the packs (`entries`, each with its key in `wanted`)
    that they still hold for: made under this engine, or found to hold under it (`_verify`). One that cannot be read
    is left aside with a `PackIndexWarning` (its packs imported)."""
    found: dict[str, list[Described]] = {}
    files = pack_index.shipped_files(entries, wanted, SHIPPED)
    engine_now = shipped_engine() if files else None
    if engine_now is None:
        return found
    records = None
    for path, names in files.items():
        try:
            data = path.read_bytes()
            document = json.loads(gzip.decompress(data))
            if document["engine"] != engine_now:
                digest = hashlib.sha256(data).hexdigest()
                records = _verified() if records is None else records
                held = {name for record in records if record[:2] == [digest, engine_now] for name in record[2]}
                if not held >= set(names):
                    _unverified[path] = (digest, engine_now)
                names = [name for name in names if name in held]
            rows = {tuple(row) for row in document["packs"]}
            found.update({name: [_described(*row) for row in document["types"][name]] for name in names
                          if tuple(wanted[name][:4]) in rows and name in document["types"]})
        except (FileNotFoundError, NotADirectoryError):
            continue
        except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
            warnings.warn(f"the node descriptions shipped in {path} cannot be read ({type(exc).__name__}: {exc}): "
                          f"left aside; reinstall the distribution that ships them; until then its packs are "
                          f"imported to list their node types", PackIndexWarning, stacklevel=3)
    return found


def ship(folder: Path, entries: Iterable[EntryPoint], distribution_name: str, version: str) -> list[Path]:
    """Write the descriptions of a distribution's packs into their top-level packages under `folder` (a wheel's
    build folder, by setup.py, after `pack_index.ship` has loaded them). Compressed (a tenth of the size) and
    reproducible (no time in the header)."""
    from flowlike_core.registry import load_pack  # (the registry imports this module)

    entries = sorted(entries, key=pack_index.load_order)
    engine_then = shipped_engine(distribution_name, version)
    written = []
    for top in dict.fromkeys(map(top_package, entries)):
        mine = [entry for entry in entries if top_package(entry) == top]
        document = {"packs": [[entry.name, entry.value, canonical(distribution_name), version] for entry in mine],
                    "engine": engine_then,
                    "types": {entry.name: [[*found.row(), found.text] for found in of_pack(load_pack(entry))]
                              for entry in mine}}
        path = folder / top / SHIPPED
        path.write_bytes(gzip.compress(json.dumps(document).encode(), mtime=0))
        written.append(path)
    return written
