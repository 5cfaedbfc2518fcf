"""Catalog search: the node types a query means, best first. One ranking serves `flowlike catalog --search`,
`%flowlike catalog`, the server's catalog and the editor's palette.

    ranked([searchable(t) for t in registry], "if")   # [Branch, ...]
    ranked(map(searchable_description, registry.descriptions()), "if")   # [Branch's Described, ...]: no pack imported

Every word of the query must match. A word scores by where it matches: the name, then the type's `synonyms`
(words users type that its name does not hold: "if" for Branch), then the key, the category and pack, the
description; a match at the start of a word counts double, a whole word triple, the whole text (a name or one
synonym that is the word) four times; a pin's name or type is a last resort. Among equals a std type whose name
starts with the first word and whose section (a category of one part) the words name comes first ("log": Log Info,
in Logging, before Telegram's Log Out), then the shorter name (more of it is what was asked for), then the std
pack's (its Delay before the automation pack's). A name of symbols ("+", ">=") holds no word to find, so such a
node's key counts as its name ("add" finds `int_add`). With `fits` (how well each type takes a dropped wire) only the
types that fit are kept, best fit first. No words: catalog order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flowlike_core.node import NodeType
from flowlike_core.types import type_label

FIELDS = (("friendly_name", 100), ("synonyms", 90), ("name", 60), ("category", 30), ("pack", 30),
          ("description", 10))
"""What a word is looked for in, with the weight of a match there."""
PIN_MATCH = 5
STD_PACK = "std"
WORD_START = re.compile(r"[\s_./-]")
Subject = TypeVar("Subject")


class Described:
    """A node type as the catalog shows it, without its class (a pack's kept descriptions spare importing it): the
    texts a search looks at, its `describe()`, and the JSON text `flowlike catalog --json` prints of it (an item of
    an indented list); the last two each made from the other when first asked for (indenting JSON is slow, reading
    it less so, and a search reads only the descriptions it shows)."""

    __slots__ = ("pack", "category", "name", "synonyms", "friendly_name", "about", "pins", "_description", "_text")
    ROW = ("pack", "category", "name", "synonyms", "friendly_name", "about", "pins")
    """What is kept of one besides its text, in this order."""

    def __init__(self, pack: str, category: str, name: str, synonyms: Iterable[str], friendly_name: str, about: str,
                 pins: str, *, description: dict[str, Any] | None = None, text: str | None = None) -> None:
        self.pack, self.category, self.name, self.synonyms = pack, category, name, tuple(synonyms)
        self.friendly_name, self.about, self.pins = friendly_name, about, pins
        """The friendly name (the key when it has none), the description and the pins' names and types."""
        self._description, self._text = description, text

    @classmethod
    def of(cls, description: dict[str, Any], synonyms: Iterable[str] = ()) -> Described:
        pins = " ".join(f"{pin['name']} {type_label(pin['data_type'], pin['value_type'])}"
                        for pin in description["pins"])
        return cls(description["pack"], description["category"], description["name"], synonyms,
                   description["friendly_name"], description["description"], pins, description=description)

    def row(self) -> list[Any]:
        return [getattr(self, field) if field != "synonyms" else list(self.synonyms) for field in self.ROW]

    @property
    def description(self) -> dict[str, Any]:
        """`NodeType.describe()`."""
        if self._description is None:
            self._description = json.loads(self._text or "")
        return self._description

    @property
    def text(self) -> str:
        """The description as an item of `json.dumps(descriptions, indent=2)`."""
        if self._text is None:
            self._text = LIST_ITEM + json.dumps(self._description, indent=2).replace("\n", "\n" + LIST_ITEM)
        return self._text


LIST_ITEM = "  "


def as_json(entries: Iterable[Described]) -> str:
    """`json.dumps([entry.description for entry in entries], indent=2)`, from the entries' texts."""
    texts = [entry.text for entry in entries]
    return "[\n" + ",\n".join(texts) + "\n]" if texts else "[]"


def described(node_type: type[NodeType]) -> Described:
    return Described.of(node_type.describe(), node_type.synonyms)


@dataclass(frozen=True)
class Searchable(Generic[Subject]):
    """A node type's texts, lower-cased once (an index keeps these for the catalog it serves), and what a search
    gives back for it: its class or its `Described`."""

    subject: Subject
    key: str
    fields: tuple[tuple[str, int], ...]
    pins: str
    name: str
    """The friendly name, lower case: what breaks ties, with whether the pack is std and its section."""
    std: bool
    section: str
    """The category when it has one part ("logging"), else ""."""


def friendly_name(node_type: type[NodeType]) -> str:
    return node_type.friendly_name or node_type.name


def searchable(node_type: type[NodeType]) -> Searchable[type[NodeType]]:
    pins = " ".join(f"{spec.name} {type_label(spec.data_type.value, spec.value_type.value)}"
                    for spec in node_type.pin_specs())
    return _searchable(node_type, node_type.name, friendly_name(node_type), node_type.synonyms,
                       {"category": node_type.category, "pack": node_type.pack, "description": node_type.description},
                       pins)


def searchable_description(entry: Described) -> Searchable[Described]:
    """The same texts, as a description has them."""
    return _searchable(entry, entry.name, entry.friendly_name, entry.synonyms,
                       {"category": entry.category, "pack": entry.pack, "description": entry.about}, entry.pins)


def _searchable(subject: Subject, key: str, name: str, synonyms: Iterable[str], texts: dict[str, str],
                pins: str) -> Searchable[Subject]:
    texts = {**texts, "friendly_name": name, "name": key}
    weights = dict(FIELDS)
    if not any(c.isalnum() for c in name):
        weights["name"] = weights["friendly_name"]
    fields = tuple((text.lower(), weights[field]) for field, _ in FIELDS
                   for text in (synonyms if field == "synonyms" else (texts[field],)))
    category = texts["category"].lower()
    return Searchable(subject, key, fields, pins.lower(), name.lower(), texts["pack"] == STD_PACK,
                      "" if "/" in category else category)


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


def score(item: Searchable[Any], words: list[str]) -> int:
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


def ranked(items: Iterable[Searchable[Subject]], query: str,
           fits: dict[str, int] | None = None) -> list[Subject]:
    """What the node types that match `query` (and fit, given `fits`: node key -> how well) are searched for,
    best first."""
    words = query.lower().split()
    scored: list[tuple[int, int, bool, int, bool, str, Subject]] = []
    for item in items:
        fit = 1 if fits is None else fits.get(item.key, 0)
        points = score(item, words) if words else 1
        if fit and points:
            scored.append((-fit, -points, not _at_home(item, words), len(item.name), not item.std, item.name,
                           item.subject))
    scored.sort(key=(lambda s: s[:6]) if words else (lambda s: s[0]))
    return [s[6] for s in scored]


def _at_home(item: Searchable[Any], words: list[str]) -> bool:
    """Whether a std type is the words' own: its name starts with the first and its section starts with one."""
    return bool(words) and item.std and item.name.startswith(words[0]) and \
        any(_match(item.section, word, 1) > 1 for word in words)
