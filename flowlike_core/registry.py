"""The registry: node types by catalog key. Packs register through the `flowlike.packs` entry-point group."""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType

from flowlike_core import pack_index
from flowlike_core.errors import UnknownNodeError
from flowlike_core.node import NodeType
from flowlike_core.policy import Capability

ENTRY_POINT_GROUP = "flowlike.packs"


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
        self.nodes = [node_type for module in self.modules for node_type in collect(module, self.category)]


def collect(module: ModuleType, category: str = "") -> list[type[NodeType]]:
    """The node types defined at the top level of a module, in order, with the module's default category."""
    default = getattr(module, "CATEGORY", category)
    reaches = frozenset(map(Capability, getattr(module, "CAPABILITIES", ())))
    cacheable = getattr(module, "CACHEABLE", None)
    found: list[type[NodeType]] = []
    for value in vars(module).values():
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


class Registry:
    """Node types by catalog key. Packs given as entry points load on demand: the first lookup of a key that no
    loaded pack has loads the pack the pack index names for it (`flowlike_core.pack_index`), then the others one
    by one (std first) until one has it; listing loads them all. A board that uses std nodes alone never pays for
    importing the domain packs, nor one with a web node for the packs before web."""

    def __init__(self, packs: Iterable[Pack] = (), entries: Iterable[EntryPoint] = ()) -> None:
        self._types: dict[str, type[NodeType]] = {}
        self._entries = sorted(entries, key=lambda e: (e.name != "std", e.name))
        self._installed = list(self._entries)
        self._hints: dict[str, str] | None = None
        """Key -> the entry point of the pack that had it when the index was made; read at the first miss."""
        self._provided: dict[str, list[str]] = {}
        """Keys of each entry-point pack loaded so far (what the index is made of once every pack is loaded)."""
        self._loading = threading.Lock()
        self.generation = 0
        """Moves on with every registration, so that compiled plans see redefined node types."""
        for pack in packs:
            self.add_pack(pack)

    def _load(self, until: str | None = None) -> None:
        """Load pending entry-point packs, stopping early once one provides the key `until`."""
        with self._loading:
            if until is not None and until not in self._types:
                if self._hints is None:
                    self._hints = pack_index.read(self._installed)
                hinted = next((e for e in self._entries if e.name == self._hints.get(until)), None)
                if hinted is not None:
                    self._load_entry(hinted)
            while self._entries and (until is None or until not in self._types):
                self._load_entry(self._entries[0])

    def _load_entry(self, entry: EntryPoint) -> None:
        self._entries.remove(entry)
        pack = load_pack(entry)
        self.add_pack(pack)
        self._provided[entry.name] = [node_type.name for node_type in pack.nodes]
        if not self._entries:
            found = {key: name for name, keys in self._provided.items() for key in keys}
            if found != (self._hints if self._hints is not None else pack_index.read(self._installed)):
                pack_index.write(self._installed, self._provided)

    def register(self, node_type: type[NodeType], *, pack: str = "", replace: bool = False,
                 version: str = "") -> type[NodeType]:
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
            self.register(node_type, pack=pack.name, replace=True, version=pack.version)

    def get(self, key: str) -> type[NodeType]:
        if key not in self._types and self._entries:
            self._load(until=key)
        try:
            return self._types[key]
        except KeyError:
            raise UnknownNodeError(f"unknown node type {key!r}: no installed pack provides it; "
                                   f"{self.hint(key)}") from None

    def hint(self, key: str) -> str:
        """What a user may have meant by an unknown key: installed keys spelled alike, else where types come from."""
        alike = difflib.get_close_matches(key, list(self._types), n=3, cutoff=0.75)
        if alike:
            return f"did you mean {' or '.join(map(repr, alike))}?"
        return ("a type defined in code (@node, @fnb.node) exists once that code has run in this process; "
                "`flowlike catalog --search WORDS` lists the installed ones")

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

    def search(self, text: str = "") -> list[type[NodeType]]:
        """Node types whose key, name, category, description or pin types mention every word of `text`; first those
        named exactly so, then those whose key and name hold most of the words (whole, then in part), then those whose
        category holds more (`branch` finds Control's Branch before GitHub's Create Branch), else in catalog order."""
        words = text.lower().split()

        def haystack(t: type[NodeType]) -> str:
            pins = " ".join(f"{p.name} {p.data_type.value} {p.value_type.value}" for p in t.pin_specs())
            return f"{t.name} {t.friendly_name} {t.category} {t.pack} {t.description} {pins}".lower()

        def rank(t: type[NodeType]) -> tuple[bool, int, int, int]:
            named, placed = f"{t.name} {t.friendly_name}".lower(), t.category.lower()
            tokens = set(re.split(r"[\W_]+", named))
            return (t.friendly_name.lower() != " ".join(words), -sum(w in tokens for w in words),
                    -sum(w in named for w in words), -sum(w in named or w in placed for w in words))

        return sorted((t for t in self if all(w in haystack(t) for w in words)), key=rank)


def load_pack(entry: EntryPoint) -> Pack:
    """The pack an entry point names (a `Pack`, or a function that returns one)."""
    pack = entry.load()
    pack = pack() if callable(pack) and not isinstance(pack, Pack) else pack
    if not pack.version and entry.dist is not None:
        pack.version = entry.dist.version
    return pack


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
