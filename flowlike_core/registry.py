"""The registry: node types by catalog key. Packs register through the `flowlike.packs` entry-point group.

    from flowlike_core import default_registry
    registry = default_registry()                         # every installed pack, loaded as boards need them
    registry.get("control_branch").friendly_name          # 'Branch'
    [found.name for found in registry.described("array length")][:2]  # ['array_length', 'array_slice']
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import inspect
import os
import re
import threading
import traceback
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType

from flowlike_core import pack_descriptions, pack_index
from flowlike_core.board import PinDirection
from flowlike_core.errors import UnknownNodeError
from flowlike_core.node import NodeType, PinSpec
from flowlike_core.policy import Capability
from flowlike_core.search import Described, described, ranked, searchable, searchable_description
from flowlike_core.types import DataType, ValueType, fits, to_json_native, type_label

ENTRY_POINT_GROUP = "flowlike.packs"
KEY = re.compile(r"[A-Za-z0-9_]+")
"""What a catalog key is made of (Flow-Like's are snake_case, `int_clamp`): board files store it, the CLI takes it."""


class PackWarning(UserWarning):
    """An installed pack, or one of its node types, left out of the registry (the message says which and why)."""


@dataclass
class Pack:
    """A named set of node types, as a package ships it: `PACK = Pack("std", modules=[maths, strings])`.

    Every node type a module defines at its top level belongs to the pack. A type without a category takes
    its module's `CATEGORY`, else the pack's `category`; a type that declares no capabilities takes its
    module's `CAPABILITIES` (e.g. `("network",)` in a module of HTTP nodes), and one that does not say whether it
    is cacheable takes its module's `CACHEABLE`. `version` (the distribution's, for an installed pack) is part of
    every cached result's key: a new version of a pack invalidates what its nodes computed.
    """

    name: str
    modules: Sequence[ModuleType] = ()
    description: str = ""
    category: str = ""
    version: str = ""
    nodes: list[type[NodeType]] = field(init=False)

    def __post_init__(self) -> None:
        """Collect and check the node types: a mistake in one fails here, when the pack is built, naming the type
        and where it is defined, not later in a board that uses it."""
        self.nodes = [node_type for module in self.modules for node_type in collect(module, self.category)]
        keys: dict[str, type[NodeType]] = {}
        for node_type in self.nodes:
            check_node_type(node_type, pack=self.name)
            other = keys.setdefault(node_type.name, node_type)
            if other is not node_type:
                raise TypeError(f"pack {self.name!r} defines node type {node_type.name!r} twice: in "
                                f"{defined_at(other)} and in {defined_at(node_type)}; give one another key")


def collect(module: ModuleType, category: str = "") -> list[type[NodeType]]:
    """The node types defined at the top level of a module, in order, with the module's default category."""
    default = getattr(module, "CATEGORY", category)
    reaches = frozenset(map(Capability, getattr(module, "CAPABILITIES", ())))
    cacheable = getattr(module, "CACHEABLE", None)
    found: list[type[NodeType]] = []
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, NodeType) and value.__module__ == module.__name__ \
                and "pins" in vars(value) and not hasattr(value, "name"):
            raise TypeError(f"{defined_at(value)}: class {value.__qualname__} declares pins but no name (its "
                            f"catalog key), so it is no node type; name it, or drop its pins if it is a base class")
        if (isinstance(value, type) and issubclass(value, NodeType) and value.__module__ == module.__name__
                and hasattr(value, "name") and value not in found):
            if not value.category:
                value.category = default
            if reaches and "capabilities" not in vars(value):
                value.capabilities = reaches
            if cacheable is not None and "cacheable" not in vars(value):
                value.cacheable = cacheable
            found.append(value)
    return found


def defined_at(node_type: type[NodeType]) -> str:
    """Where a node type's code is: `file:line` of its function (function form) or class."""
    code = getattr(getattr(node_type, "func", None), "__code__", None)
    try:
        if code is not None:
            return f"{code.co_filename}:{code.co_firstlineno}"
        return f"{inspect.getsourcefile(node_type)}:{inspect.getsourcelines(node_type)[1]}"
    except (OSError, TypeError):
        return f"module {node_type.__module__}"


def check_node_type(node_type: type[NodeType], pack: str = "") -> None:
    """Refuse a node type a board could not use as declared, with every reason at once and where the type is:
    a key that is not a word (letters, digits, _), two pins of one name that are no variadic group, a default with
    no JSON form (board files keep defaults) or outside its type, range or valid values, metadata that is not text."""
    specs = node_type.pin_specs()
    problems = [f"pin {spec.name!r}: {problem}" for spec in specs for problem in _pin_problems(spec)]
    key = getattr(node_type, "name", None)
    if not isinstance(key, str) or not KEY.fullmatch(key):
        problems.insert(0, f"its key {key!r} is not a word (letters, digits, _): board files store it; give "
                           f"name='my_node' (the title is friendly_name)")
    problems += _name_clashes(node_type, specs)
    if problems:
        shipped = f" of pack {pack!r}" if pack else ""
        raise TypeError(f"node type {key!r}{shipped} ({defined_at(node_type)}): " + "; ".join(problems))


def _pin_problems(spec: PinSpec) -> list[str]:
    problems = []
    if not isinstance(spec.friendly_name, str) or not isinstance(spec.description, str):
        problems.append(f"its friendly name {spec.friendly_name!r} and description {spec.description!r} must be "
                        f"text (Pin's first argument is the friendly name; a range is Pin(range=(0, 100)))")
    options = spec.options
    if options is not None and (options.range or options.step) and spec.data_type not in (DataType.INTEGER,
                                                                                          DataType.FLOAT):
        problems.append(f"range and step are for Integer and Float pins, not {spec.data_type.value}")
    if spec.direction is not PinDirection.INPUT or spec.default is None:
        return problems
    try:
        default = to_json_native(spec.default, strict=True)
    except TypeError as exc:
        return [*problems, f"its default {spec.default!r} cannot be saved in a board file ({exc}); leave the "
                           f"default out (= None) and bring such a value by a wire or a variable"]
    if not fits(default, spec.data_type, spec.value_type):
        problems.append(f"its default {spec.default!r} does not fit its type {_label(spec)}")
    elif options is not None and spec.value_type is ValueType.NORMAL:
        if options.valid_values is not None and default not in options.valid_values:
            problems.append(f"its default {default!r} is not one of its valid values {options.valid_values!r}")
        if options.range and isinstance(default, int | float) and not options.range[0] <= default <= options.range[1]:
            problems.append(f"its default {default!r} is outside its range {tuple(options.range)!r}")
    return problems


def _name_clashes(node_type: type[NodeType], specs: tuple[PinSpec, ...]) -> list[str]:
    """Pins of one direction share a name only as a variadic group (one type); a function's parameters and
    outputs never do."""
    problems = []
    seen: dict[tuple[str, PinDirection], PinSpec] = {}
    for spec in specs:
        first = seen.setdefault((spec.name, spec.direction), spec)
        if (first.data_type, first.value_type) != (spec.data_type, spec.value_type):
            problems.append(f"two {spec.direction.value.lower()}s are named {spec.name!r} ({_label(first)} and "
                            f"{_label(spec)}); rename one (Annotated[..., Pin(name='other')])")
    if getattr(node_type, "func", None) is None:
        return problems
    for names, what in ((node_type.outputs, "outputs"), ([pin for _, pin in node_type.keywords], "inputs")):
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            problems.append(f"two {what} are named {', '.join(map(repr, twice))}; rename one (Pin(name='other'))")
    return problems


def _label(spec: PinSpec) -> str:
    return type_label(spec.data_type, spec.value_type)


class Registry:
    """Node types by catalog key. Packs given as entry points load on demand: the first lookup of a key that no
    loaded pack has loads the pack the pack index names for it (`flowlike_core.pack_index`), else the packs the
    index does not know (changed since, or no index yet) one by one in load order (std first) until one has it;
    listing loads them all. A pack loads after every pack before it in load order that the index does not know, so
    a key two packs define is the first's whichever asks first. A board that uses std nodes alone never pays for
    importing the domain packs, nor one with a web node for the packs the index knows.

    Installed packs never break one another: a pack that fails to load is left out with a `PackWarning` (and
    named when a key is unknown, in `failures`), and a key two packs define belongs to the first in load order
    (std first), whichever loaded first, the other's type left out with a `PackWarning`."""

    def __init__(self, packs: Iterable[Pack] = (), entries: Iterable[EntryPoint] = ()) -> None:
        self._types: dict[str, type[NodeType]] = {}
        self._entries = sorted(entries, key=pack_index.load_order)
        self._installed = list(self._entries)
        self._rank = {entry.name: rank for rank, entry in enumerate(self._entries)}
        self._hints: dict[str, str] | None = None
        """Key -> the entry point of the pack that had it when the index was made; read at the first miss."""
        self._known: set[str] = set()
        self._gone: dict[str, str] = {}
        """Key -> the pack that had it when the index was made, since uninstalled (said when the key is unknown)."""
        """The packs whose keys the index holds (unchanged since it was made): one loads only for a key of its own."""
        self._packs_print: list[list[str]] = []
        """The installed packs' `pack_index.fingerprint`, taken before the first of them loads."""
        self._owners: dict[str, str] = {}
        """Key -> the entry point of the pack whose type has it (what the index is made of once all have loaded)."""
        self.failures: dict[str, str] = {}
        """Entry point -> why that installed pack could not be loaded."""
        self._packs: dict[str, Pack] = {}
        """Entry point -> its pack, once loaded."""
        self._kept: dict[str, tuple[list[str], list[Described]]] = {}
        """Entry point -> the key and node descriptions kept for its pack (`pack_descriptions`), as last read."""
        self._loading = threading.RLock()
        self.generation = 0
        """Moves on with every registration, so that compiled plans see redefined node types."""
        for pack in packs:
            self.add_pack(pack)

    def _load(self, until: str | None = None) -> None:
        """Load pending entry-point packs (all of them, or those that may have the key `until`, until one has it)."""
        with self._loading:
            while self._entries and (until is None or until not in self._types):
                entry = self._entries[0] if until is None else self._searched_for(until)
                if entry is None:
                    break
                self._load_entry(entry)
            self._write_index()

    def _searched_for(self, key: str) -> EntryPoint | None:
        """The pack to load next in search of `key`: the one the index names for it, else the first pending pack
        the index does not know; None when every pending pack is known not to have it."""
        owner = self._pending(self._read_hints().get(key))
        return owner or next((entry for entry in self._entries if entry.name not in self._known), None)

    def _write_index(self) -> None:
        """Once every pack the index did not know has loaded (none failing), write what each pack has."""
        hints = self._read_hints() if self._installed else {}
        if not self._installed or self.failures or any(entry.name not in self._known for entry in self._entries):
            return
        owners = {**{key: pack for key, pack in hints.items() if self._pending(pack)}, **self._owners}
        if owners == hints and len(self._known) == len(self._installed):
            return
        keys: dict[str, list[str]] = {entry.name: [] for entry in self._installed}
        for key, owner in owners.items():
            keys[owner].append(key)
        pack_index.write(self._packs_print, keys)
        self._hints, self._known = owners, {entry.name for entry in self._installed}

    def _read_hints(self) -> dict[str, str]:
        if self._hints is None:
            self._packs_print = pack_index.fingerprint(self._installed)
            self._hints, self._known, self._gone = pack_index.read(self._packs_print, self._installed)
        return self._hints

    def _pending(self, name: str | None) -> EntryPoint | None:
        return next((entry for entry in self._entries if entry.name == name), None)

    def _load_entry(self, entry: EntryPoint) -> None:
        """Load a pack, after the pending packs before it in load order that the index does not know (one of them
        may now have a key of this one, and the first in load order keeps a key)."""
        self._read_hints()
        for earlier in [e for e in self._entries if e.name not in self._known and self._rank[e.name] < self._rank[
                entry.name]]:
            if earlier in self._entries:
                self._load_entry(earlier)
        if entry not in self._entries:
            return
        self._entries.remove(entry)
        try:
            pack = load_pack(entry)
        except Exception as exc:  # a third party's broken pack: the others and their boards still work
            self.failures[entry.name], place = load_failure(entry, exc)
            warn_at(self.failures[entry.name], place)
        else:
            self._packs[entry.name] = pack
            for node_type in pack.nodes:
                self._add_installed(entry.name, pack, node_type)
        if entry.name in self._known and entry.name not in self.failures and self._keys_of(
                self._owners, entry.name) != self._keys_of(self._hints or {}, entry.name):
            self._hints, self._known = {}, set()  # the index was wrong about this pack: search in load order

    @staticmethod
    def _keys_of(owners: dict[str, str], pack: str) -> set[str]:
        return {key for key, owner in owners.items() if owner == pack}

    def _add_installed(self, name: str, pack: Pack, node_type: type[NodeType]) -> None:
        """Register a type of an installed pack, unless a pack first in load order has its key (loaded first if the
        index says it has the key, so which type a key gives never depends on which board asked first)."""
        key = node_type.name
        rival = self._pending(self._read_hints().get(key))
        if rival is not None and rival.name != name and self._rank[rival.name] < self._rank[name]:
            self._load_entry(rival)
        holder = self._owners.get(key)
        if holder is not None and holder != name:
            winner, loser = (holder, name) if self._rank[holder] < self._rank[name] else (name, holder)
            dropped = node_type if winner == holder else self._types[key]
            warn_at(f"pack {loser!r} also defines node type {key!r} ({defined_at(dropped)}), which pack {winner!r} "
                    f"provides: boards get {winner!r}'s; give the other type another key (@node(name=...))",
                    defined_at(dropped))
            if winner == holder:
                return
        if not (isinstance(node_type.description, str) and node_type.description.strip()):
            warn_at(f"node type {key!r} of pack {name!r} ({defined_at(node_type)}) has no description, which the "
                    f"palette and `flowlike catalog` show: give the function a docstring (a class: description = "
                    f"'...')", defined_at(node_type))
        self.register(node_type, pack=pack.name, replace=True, version=pack.version, check=False)
        self._owners[key] = name

    def register(self, node_type: type[NodeType], *, pack: str = "", replace: bool = False,
                 version: str = "", check: bool = True) -> type[NodeType]:
        """Add a node type under its key, checked as `Pack` checks its types (`check_node_type`; a pack's types
        were checked when it was built)."""
        if check:
            check_node_type(node_type)
        key = node_type.name
        if key in self._types and not replace and self._types[key] is not node_type:
            raise ValueError(f"node type {key!r} is already registered by pack {self._types[key].pack!r}")
        if pack or not node_type.pack:
            node_type.pack = pack
            node_type.pack_version = version
        self._types[key] = node_type
        self.generation += 1
        return node_type

    def add_pack(self, pack: Pack) -> None:
        for node_type in pack.nodes:
            self.register(node_type, pack=pack.name, replace=True, version=pack.version, check=False)

    def provider(self, key: str) -> str | None:
        """The pack whose type has `key`, or None: loads only the pack the index names for it, and for a key it does
        not have only the packs it does not know (none when it knows them all), e.g. a new `@fnb.node` key."""
        if key not in self._types and self._entries:
            self._load(until=key)
        return self._types[key].pack if key in self._types else None

    def get(self, key: str) -> type[NodeType]:
        if key not in self._types and self._entries:
            self._load(until=key)
        try:
            return self._types[key]
        except KeyError:
            raise UnknownNodeError(f"unknown node type {key!r}: no installed pack provides it; "
                                   f"{self.hint(key)}") from None

    def hint(self, key: str) -> str:
        """What a user may have meant by an unknown key: why the pack the index names for it is missing (it failed
        to load, or was uninstalled), else installed keys spelled alike, else where types come from."""
        owner = (self._hints or {}).get(key)
        if owner in self.failures:
            return self.failures[owner]
        if key in self._gone:
            return f"{self._gone[key]}, which had it, is no longer installed"
        alike = difflib.get_close_matches(key, list(self._types.keys() | (self._hints or {}).keys()), n=3,
                                          cutoff=0.75)
        if alike:
            return f"did you mean {' or '.join(map(repr, alike))}?"
        failed = "".join(f"; {failure}" for failure in self.failures.values())
        return ("a type defined in code (@node, @fnb.node) exists once that code has run in this process; "
                f"`flowlike catalog --search WORDS` lists the installed ones{failed}")

    def __contains__(self, key: object) -> bool:
        if key not in self._types and self._entries and isinstance(key, str):
            self._load(until=key)
        return key in self._types

    def __iter__(self) -> Iterator[type[NodeType]]:
        self._load()
        return iter(sorted(self._types.values(), key=lambda t: (t.pack, t.category, t.name)))

    def __len__(self) -> int:
        self._load()
        return len(self._types)

    def __bool__(self) -> bool:
        """Always true, even before any pack has loaded: `registry or default_registry()` must not load every pack
        to count its types."""
        return True

    def search(self, text: str = "") -> list[type[NodeType]]:
        """Node types whose name, synonyms, key, category, pack, description or pins mention every word of `text`,
        best first (`flowlike_core.search`); no words: all, in catalog order."""
        return ranked(map(searchable, self), text)

    def described(self, text: str = "") -> list[Described]:
        """`search`, as the catalog shows the types (`flowlike catalog`, the palette): from `descriptions`, so a pack
        unchanged since its descriptions were kept is not imported."""
        found = self.descriptions()
        return ranked(map(searchable_description, found), text) if text.split() else found

    def descriptions(self) -> list[Described]:
        """Every node type as the catalog shows it, in catalog order: a pending pack's kept descriptions while its
        key holds (`flowlike_core.pack_descriptions`), else those its wheel ships while they hold, else the pack
        loads (and its descriptions are kept); loaded types are described. A key two packs define is the first's in
        load order, as when both load."""
        with self._loading:
            pending = list(self._entries)
            wanted = pack_descriptions.keys(pending)
            unread = {pack: key for pack, key in wanted.items() if self._kept.get(pack, ([], []))[0] != key}
            self._kept.update({pack: (unread[pack], found) for pack, found in pack_descriptions.read(unread).items()})
            unkept = {pack: key for pack, key in wanted.items() if self._kept.get(pack, ([], []))[0] != key}
            self._kept.update({pack: (unkept[pack], found) for pack, found in pack_descriptions.shipped(
                unkept, [entry for entry in pending if entry.name in unkept]).items()})
            cached = {pack: found for pack, (key, found) in self._kept.items() if wanted.get(pack) == key}
            for entry in pending:
                if entry.name not in cached and entry in self._entries:
                    self._load_entry(entry)
            self._write_index()
            made = {entry.name: (wanted[entry.name], pack_descriptions.of_pack(self._packs[entry.name]))
                    for entry in pending
                    if entry.name not in cached and entry.name in self._packs
                    and pack_descriptions.kept(wanted[entry.name])}
            pack_descriptions.write(made)
            self._kept.update(made)
            return self._merged({pack: found for pack, found in cached.items() if self._pending(pack)})

    def _merged(self, cached: dict[str, list[Described]]) -> list[Described]:
        """The loaded types and the pending packs' kept descriptions, each key the first's in load order (a type
        defined in code loses to a pack's, as when the pack loads)."""
        best: dict[str, tuple[int, Described]] = {}
        for key, node_type in self._types.items():
            owner = self._owners.get(key)
            best[key] = (self._rank[owner] if owner is not None else len(self._rank), described(node_type))
        for pack, found in cached.items():
            for entry in found:
                if entry.name not in best or self._rank[pack] < best[entry.name][0]:
                    best[entry.name] = (self._rank[pack], entry)
        return sorted((entry for _, entry in best.values()), key=lambda e: (e.pack, e.category, e.name))


def load_pack(entry: EntryPoint) -> Pack:
    """The pack an entry point names (a `Pack`, or a function that returns one)."""
    pack = entry.load()
    pack = pack() if callable(pack) and not isinstance(pack, Pack) else pack
    if not pack.version and entry.dist is not None:
        pack.version = pack_index.name_and_version(entry.dist)[1]
    return pack


def load_failure(entry: EntryPoint, exc: Exception) -> tuple[str, str]:
    """What went wrong loading an installed pack, and where (`file:line`, or ""): the last line of the pack's own
    code it ran (its module, or its package's files), or the line a SyntaxError names."""
    if isinstance(exc, SyntaxError):
        return _failure(entry, exc, f"{exc.filename}:{exc.lineno}")
    spec = importlib.util.find_spec(entry.module.partition(".")[0])
    origin = spec.origin if spec is not None and spec.origin else ""
    root = os.path.dirname(origin) + os.sep if origin.endswith("__init__.py") else origin
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if root and f.filename.startswith(root)]
    return _failure(entry, exc, f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "")


def _failure(entry: EntryPoint, exc: Exception, place: str) -> tuple[str, str]:
    shipped = f", distribution {entry.dist.name} {entry.dist.version}" if entry.dist is not None else ""
    return (f"pack {entry.name!r} ({entry.value}{shipped}) could not be loaded, so its node types are missing: "
            f"{type(exc).__name__}: {exc}{f' at {place}' if place else ''}", place)


def warn_at(message: str, place: str) -> None:
    """A `PackWarning` shown at the pack's line that it is about (`file:line`), not at the registry's."""
    filename, _, line = place.rpartition(":")
    if line.isdigit():
        warnings.warn_explicit(message, PackWarning, filename, int(line))
    else:
        warnings.warn(message, PackWarning, stacklevel=3)


def installed_packs() -> list[Pack]:
    """Every pack advertised in the `flowlike.packs` entry-point group, loaded now."""
    return [load_pack(entry) for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)]


_default: Registry | None = None
_lock = threading.Lock()


def default_registry() -> Registry:
    """The process-wide registry of every installed pack (each loaded when first needed)."""
    global _default
    with _lock:
        if _default is None:
            _default = Registry(entries=entry_points(group=ENTRY_POINT_GROUP))
        return _default
