"""The palette's catalog, kept in the kernel: the front end gets the node types a board uses, and asks for the rest.

Sending every node type up front (about 700 with all packs, 1.9 MB of JSON, and importing every pack) was most of
the time an editor took to open. Now the document's `catalog` holds the full entries of the types on the board
(the canvas needs their pins and flags), and the search popup asks `search` for a ranked page of short entries.

The ranking is the engine's (`flowlike_core.search`), the one `flowlike catalog --search` uses; the popup shows
the order it gets. Opened with no words it suggests what a board starts with: the event nodes (a run starts from
one), the plainest first, then the std pack's, then the rest in catalog order.
"""

from __future__ import annotations

import threading
from typing import Any

from flowlike_core.board import Board
from flowlike_core.registry import Registry
from flowlike_core.search import Described, Searchable, ranked, searchable_description

PAGE = 80
SHORT = ("name", "friendly_name", "category", "pack", "description", "event", "pure", "capabilities")
"""What the search popup shows of a node type (no pins: those come with the full entry when it is used)."""


def short_entry(entry: Described) -> dict[str, Any]:
    """A node type's `SHORT` fields, with the `synonyms` it is also found by, if any (the popup shows them: why "if"
    gives Branch)."""
    return {**{field: entry.description[field] for field in SHORT},
            **({"synonyms": list(entry.synonyms)} if entry.synonyms else {})}


class CatalogIndex:
    """The registry's node types (`Registry.descriptions`: a pack unchanged since its descriptions were kept is not
    imported), lower-cased once per registry generation, ranked per query."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._generation = -1
        self._items: list[Searchable[Described]] = []
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Build the index on a thread of its own (importing the packs whose descriptions are not kept takes
        seconds), so that the kernel stays free; a search meanwhile waits for it. Started once the canvas has drawn,
        when the user looks at it."""
        threading.Thread(target=self._refresh, name="flowlike-editor-catalog", daemon=True).start()

    def _refresh(self) -> list[Searchable[Described]]:
        with self._lock:
            if self._generation != self.registry.generation:
                self._items = [searchable_description(entry) for entry in self.registry.descriptions()]
                self._generation = self.registry.generation
            return self._items

    def search(self, query: str, fits: dict[str, int] | None = None, limit: int = PAGE) -> dict[str, Any]:
        """The best `limit` matches as short entries (best first) and how many matched; `fits` (node key -> how
        well it takes a dropped wire) keeps only the types that fit, best fit first."""
        found = ranked(self._refresh(), query, fits)
        if fits is None and not query.split():
            found.sort(key=lambda entry: (not entry.description["event"], entry.description["pack"] != "std",
                                          len(entry.description["pins"]) if entry.description["event"] else 0))
        return {"entries": [short_entry(entry) for entry in found[:limit]], "total": len(found)}


def used_entries(board: Board, registry: Registry) -> list[dict[str, Any]]:
    """Full catalog entries (`NodeType.describe()`) of the node types on the board that a pack provides."""
    keys = sorted({node.name for node in board.nodes.values()})
    return [registry.get(key).describe() for key in keys if key in registry]
