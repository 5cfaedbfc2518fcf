"""Catalog search: the node types a query means, best first. One ranking serves `flowlike catalog --search`,
`%flowlike catalog`, the server's catalog and the editor's palette.

    ranked([searchable(t) for t in registry], "if")   # [Branch, ...]

Every word of the query must match. A word scores by where it matches: the name, then the type's `synonyms`
(words users type that its name does not hold: "if" for Branch), then the key, the category and pack, the
description; a match at the start of a word counts double, a whole word triple, the whole text (a name or one
synonym that is the word) four times; a pin's name or type is a last resort. Among equals the shorter name comes
first (more of it is what was asked for). A name of symbols ("+", ">=") holds no word to find, so such a node's key
counts as its name ("add" finds `int_add`). With `fits` (how well each type takes a dropped wire) only the types
that fit are kept, best fit first. No words: catalog order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flowlike_core.node import NodeType, PinSpec
from flowlike_core.types import ValueType

FIELDS = (("friendly_name", 100), ("synonyms", 90), ("name", 60), ("category", 30), ("pack", 30),
          ("description", 10))
"""What a word is looked for in, with the weight of a match there."""
PIN_MATCH = 5
WORD_START = re.compile(r"[\s_./-]")


@dataclass(frozen=True)
class Searchable:
    """A node type's texts, lower-cased once (an index keeps these for the catalog it serves)."""

    node_type: type[NodeType]
    fields: tuple[tuple[str, int], ...]
    pins: str
    name: str
    """The friendly name, lower case: what breaks ties."""


def friendly_name(node_type: type[NodeType]) -> str:
    return node_type.friendly_name or node_type.name


def _type_label(spec: PinSpec) -> str:
    data, value = spec.data_type.value, spec.value_type.value
    return data if spec.value_type is ValueType.NORMAL else f"{value}<{data}>"


def searchable(node_type: type[NodeType]) -> Searchable:
    name = friendly_name(node_type)
    texts = {"friendly_name": name, "name": node_type.name,
             "category": node_type.category, "pack": node_type.pack, "description": node_type.description}
    weights = dict(FIELDS)
    if not any(c.isalnum() for c in name):
        weights["name"] = weights["friendly_name"]
    pins = " ".join(f"{spec.name} {_type_label(spec)}" for spec in node_type.pin_specs())
    fields = tuple((text.lower(), weights[field]) for field, _ in FIELDS
                   for text in (node_type.synonyms if field == "synonyms" else (texts[field],)))
    return Searchable(node_type, fields, pins.lower(), name.lower())


def _match(text: str, word: str, weight: int) -> int:
    """The best place `word` is in `text`: inside a word (weight), at a word's start (double), a whole word (triple),
    the whole text (four times)."""
    if text == word:
        return weight * 4
    best, at = 0, text.find(word)
    while at >= 0 and best < weight * 3:
        end = at + len(word)
        starts = at == 0 or WORD_START.match(text[at - 1]) is not None
        whole = starts and (end == len(text) or WORD_START.match(text[end]) is not None)
        best = max(best, weight * (3 if whole else 2 if starts else 1))
        at = text.find(word, at + 1)
    return best


def score(item: Searchable, words: list[str]) -> int:
    """How well a node type matches every word (0: it does not)."""
    total = 0
    for word in words:
        best = max(_match(text, word, weight) for text, weight in item.fields)
        if not best and word in item.pins:
            best = PIN_MATCH
        if not best:
            return 0
        total += best
    return total


def ranked(items: Iterable[Searchable], query: str, fits: dict[str, int] | None = None) -> list[type[NodeType]]:
    """The node types that match `query` (and fit, given `fits`: node key -> how well), best first."""
    words = query.lower().split()
    scored: list[tuple[int, int, int, str, type[NodeType]]] = []
    for item in items:
        fit = 1 if fits is None else fits.get(item.node_type.name, 0)
        points = score(item, words) if words else 1
        if fit and points:
            scored.append((-fit, -points, len(item.name), item.name, item.node_type))
    scored.sort(key=(lambda s: s[:4]) if words else (lambda s: s[0]))
    return [s[4] for s in scored]
