"""Board edits as small patches for the editor's front end.

The front end receives the whole document once; after that every edit sends only what it changed: the
nodes it touched (as their full JSON), the wires added and removed, and the variables, comments and board
fields when those changed. Moving one node of a 1,000-node board thus sends one node, not the board.
"""

from __future__ import annotations

import json
import operator
from typing import Any

import orjson

from flowlike_core import commands
from flowlike_core.board import Board

META_FIELDS = ("format", "id", "name", "description", "version", "log_level", "layers")
"""Board fields that are neither nodes, wires, variables nor comments: sent whole when one changes."""

WireKey = tuple[str, str, str, str]


def wire_key(wire: dict[str, str]) -> WireKey:
    return (wire["from_node"], wire["from_pin"], wire["to_node"], wire["to_pin"])


def wire_dict(key: WireKey) -> dict[str, str]:
    return dict(zip(("from_node", "from_pin", "to_node", "to_pin"), key, strict=True))


def touched_nodes(board: Board, command: commands.Command | None) -> set[str] | None:
    """Ids of the nodes an edit (or its undo) may have changed; None when that cannot be told."""
    if command is None:
        return None
    parts = command.commands if isinstance(command, commands.Batch) else [command]
    found: set[str] = set()
    for part in parts:
        if isinstance(part, commands.Batch):
            inner = touched_nodes(board, part)
            if inner is None:
                return None
            found |= inner
            continue
        try:
            found |= part.touches_nodes(board)
        except Exception:  # a command asked about a board it no longer fits (its node is gone): look at all
            return None
    return found


class DocumentTracker:
    """Remembers what the front end was last sent, and turns the board's next state into a patch."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.revision = board.revision
        self._nodes: dict[str, dict[str, Any]] = {}
        self._wires: set[WireKey] = set()
        self._connections: list = []  # the board's wires as last sent (the same objects: wires are frozen)
        self._variables: dict[str, Any] = {}
        self._comments: dict[str, Any] = {}
        self._meta: dict[str, Any] = {}

    def document(self) -> dict[str, Any]:
        """The whole document (what the front end starts from); later patches are relative to it."""
        document = self.board.to_dict()
        self._nodes = dict(document["nodes"])  # patch() replaces entries, never edits one: a shallow copy will do
        self._wires = {wire_key(w) for w in document["connections"]}
        self._connections = list(self.board.connections)
        self._variables = document["variables"]
        self._comments = document["comments"]
        self._meta = {key: document[key] for key in META_FIELDS}
        self.revision = self.board.revision
        return document

    def patch(self, command: commands.Command | None = None) -> dict[str, Any]:
        """What changed since the last document or patch; sent even when empty, so revisions stay a chain."""
        board = self.board
        candidates = touched_nodes(board, command)
        live = board.nodes.keys()
        if candidates is not None:  # edits name the nodes they add and remove; a count that does not add up: look
            removed = [node_id for node_id in candidates if node_id in self._nodes and node_id not in live]
            new = [node_id for node_id in candidates if node_id in live and node_id not in self._nodes]
            if len(live) != len(self._nodes) - len(removed) + len(new):
                candidates = None
        if candidates is None:
            removed = [node_id for node_id in self._nodes if node_id not in live]
        looked_at = live if candidates is None else candidates & live
        nodes: dict[str, Any] = {}
        for node_id in looked_at:
            dumped = board.nodes[node_id].model_dump(mode="json", by_alias=True)
            if self._nodes.get(node_id) != dumped:
                nodes[node_id] = self._nodes[node_id] = dumped
        for node_id in removed:
            del self._nodes[node_id]

        added, dropped = self._rewired()
        self._wires = (self._wires - dropped) | added

        variables = self._changed("_variables", _variables(board))
        comments = self._changed("_comments", {k: c.model_dump(mode="json") for k, c in board.comments.items()})
        meta = self._changed("_meta", board.model_dump(mode="json", by_alias=True, include=set(META_FIELDS)))

        base, self.revision = self.revision, board.revision
        return {
            "type": "patch",
            "base": base,
            "revision": board.revision,
            "nodes": nodes,
            "removed_nodes": removed,
            "wires_added": [wire_dict(k) for k in sorted(added)],
            "wires_removed": [wire_dict(k) for k in sorted(dropped)],
            "variables": variables,
            "comments": comments,
            "meta": meta,
        }

    def _rewired(self) -> tuple[set[WireKey], set[WireKey]]:
        """The wires added and removed since the last patch: edits add, remove or replace a few wires of the list,
        so only the stretch between the unchanged start and end (same objects) is compared."""
        before, now = self._connections, list(self.board.connections)
        self._connections = now
        start = _same_up_to(before, now)
        end = _same_up_to(before[start:][::-1], now[start:][::-1])
        old = {c.key() for c in before[start:len(before) - end]}
        new = {c.key() for c in now[start:len(now) - end]}
        return new - old - self._wires, old - new

    def _changed(self, attribute: str, current: dict[str, Any]) -> dict[str, Any] | None:
        if getattr(self, attribute) == current:
            return None
        setattr(self, attribute, current)
        return current


def _same_up_to(first: list, second: list) -> int:
    """How many leading items of two lists are the very same objects (compared at C speed)."""
    same = list(map(operator.is_, first, second))
    return same.index(False) if False in same else len(same)


def encode(document: dict[str, Any]) -> bytes:
    """The document as UTF-8 JSON (orjson; the stdlib for integers beyond 64 bits, which orjson refuses)."""
    try:
        return orjson.dumps(document)
    except TypeError:
        return json.dumps(document, ensure_ascii=False).encode()


def _variables(board: Board) -> dict[str, Any]:
    """Variables as `Board.to_dict` writes them: a secret's value never leaves the kernel."""
    dumped = {k: v.model_dump(mode="json", by_alias=True) for k, v in board.variables.items()}
    for variable in dumped.values():
        if variable["secret"]:
            variable["default_value"] = None
    return dumped
