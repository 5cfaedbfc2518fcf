"""The palette's catalog, kept in the kernel: the front end gets the node types a board uses, and asks for the rest.

Sending every node type up front (about 700 with all packs, 1.9 MB of JSON, and importing every pack) was most of
the time an editor took to open. Now the document's `catalog` holds the full entries of the types on the board
(the canvas needs their pins and flags), and the search popup asks `search` for a ranked page of short entries.

Ranking: every word of the query must match; a word scores by where it matches (name, then key, then category,
then description; a match at the start of a word counts double, a whole word triple; a pin name or type as a last
resort), and when a wire was dropped, node types that take the wire's type as it is come before those that take it
as generic. Among equals the shorter name comes first (more of it is what was asked for). A name of symbols ("+",
">=") holds no word to find, so such a node's key counts as its name ("add" finds `int_add`).

Users come from other tools and type their words, not ours: "if" for Branch, "print" for Log Info, "sleep" for
Delay, "loop" for For Each. A node type's `synonyms` (`NodeType.synonyms`) are matched just below its own name (a
node named so comes first). The ranking is the kernel's alone: the popup shows the order it gets.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from flowlike_core.board import Board
from flowlike_core.node import NodeType, PinSpec
from flowlike_core.registry import Registry
from flowlike_core.types import ValueType

FIELDS = (("friendly_name", 100), ("synonyms", 90), ("name", 60), ("category", 30), ("description", 10))
PIN_MATCH = 5
PAGE = 80
WORD_START = re.compile(r"[\s_./-]")


def friendly_name(node_type: type[NodeType]) -> str:
    return node_type.friendly_name or node_type.name


def short_entry(node_type: type[NodeType]) -> dict[str, Any]:
    """What the search popup shows of a node type (no pins: those come with the full entry when it is used), with
    the `synonyms` it is also found by, if any (the popup shows them: why "if" gives Branch)."""
    words = node_type.synonyms
    return {"name": node_type.name, "friendly_name": friendly_name(node_type), "category": node_type.category,
            "pack": node_type.pack, "description": node_type.description, "event": node_type.is_event,
            "pure": node_type.is_pure(), "capabilities": sorted(c.value for c in node_type.capabilities),
            **({"synonyms": list(words)} if words else {})}


@dataclass(frozen=True)
class _Searchable:
    node_type: type[NodeType]
    fields: tuple[tuple[str, int], ...]
    pins: str


def _type_label(spec: PinSpec) -> str:
    data, value = spec.data_type.value, spec.value_type.value
    return data if spec.value_type is ValueType.NORMAL else f"{value}<{data}>"


def _searchable(node_type: type[NodeType]) -> _Searchable:
    texts = {"friendly_name": friendly_name(node_type), "synonyms": " / ".join(node_type.synonyms),
             "name": node_type.name,
             "category": node_type.category or "", "description": node_type.description or ""}
    weights = dict(FIELDS)
    if not any(c.isalnum() for c in texts["friendly_name"]):
        weights["name"] = weights["friendly_name"]
    pins = " ".join(f"{spec.name} {_type_label(spec)}" for spec in node_type.pin_specs())
    return _Searchable(node_type, tuple((texts[field].lower(), weights[field]) for field, _ in FIELDS), pins.lower())


def _match(text: str, word: str, weight: int) -> int:
    """The best place `word` is in `text`: inside a word (weight), at a word's start (double), a whole word (triple)."""
    best, at = 0, text.find(word)
    while at >= 0 and best < weight * 3:
        end = at + len(word)
        starts = at == 0 or WORD_START.match(text[at - 1]) is not None
        whole = starts and (end == len(text) or WORD_START.match(text[end]) is not None)
        best = max(best, weight * (3 if whole else 2 if starts else 1))
        at = text.find(word, at + 1)
    return best


def _score(item: _Searchable, words: list[str]) -> int:
    """How well a node type matches every word (0: it does not)."""
    total = 0
    for word in words:
        best = max(_match(text, word, weight) for text, weight in item.fields)
        if not best and word in item.pins:
            best = PIN_MATCH
        if not best:
            return 0
        total += best
    return total or 1


class CatalogIndex:
    """The registry's node types, lower-cased once per registry generation, ranked per query."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._generation = -1
        self._items: list[_Searchable] = []
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Build the index on a thread of its own (importing every pack takes seconds), so that the kernel stays
        free; a search meanwhile waits for it. Started once the canvas has drawn, when the user looks at it."""
        threading.Thread(target=self._refresh, name="flowlike-editor-catalog", daemon=True).start()

    def _refresh(self) -> list[_Searchable]:
        with self._lock:
            return self._refreshed()

    def _refreshed(self) -> list[_Searchable]:
        types = list(self.registry)  # loads every pack the first time
        if self._generation != self.registry.generation:
            self._items = [_searchable(t) for t in types]
            self._generation = self.registry.generation
        return self._items

    def search(self, query: str, fits: dict[str, int] | None = None, limit: int = PAGE) -> dict[str, Any]:
        """The best `limit` matches as short entries (best first) and how many matched; `fits` (node key -> how
        well it takes a dropped wire) keeps only the types that fit, best fit first."""
        words = query.lower().split()
        scored: list[tuple[int, int, int, str, type[NodeType]]] = []
        for item in self._refresh():
            fit = 1 if fits is None else fits.get(item.node_type.name, 0)
            if not fit:
                continue
            score = _score(item, words) if words else 1
            if score:
                name = friendly_name(item.node_type).lower()
                scored.append((-fit, -score, len(name), name, item.node_type))
        scored.sort(key=lambda s: s[:4])
        return {"entries": [short_entry(s[4]) for s in scored[:limit]], "total": len(scored)}


def used_entries(board: Board, registry: Registry) -> list[dict[str, Any]]:
    """Full catalog entries (`NodeType.describe()`) of the node types on the board that a pack provides."""
    keys = sorted({node.name for node in board.nodes.values()})
    return [registry.get(key).describe() for key in keys if key in registry]
