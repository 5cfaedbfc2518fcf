"""Placeholder nodes: nodes whose key no installed pack provides (Flow-Like nodes we do not have yet).

A placeholder is an ordinary board Node whose type key is unknown here: it keeps its pins, position,
defaults and wires, saves and exports unchanged, and `validate()` names it with the Flow-Like pack that
would provide it. A run may start on a board with placeholders as long as it cannot reach one: the run is
refused before anything runs when it could.
"""

from __future__ import annotations

import functools
from importlib import resources

from flowlike_core.board import Board
from flowlike_core.errors import BoardError
from flowlike_core.registry import Registry
from flowlike_core.wording import counted


@functools.cache
def flowlike_catalog() -> dict[str, tuple[str, int | None]]:
    """Flow-Like node key -> (the Flow-Like pack that registers it, its node schema version if it has one)."""
    text = resources.files(__package__).joinpath("flowlike_packs.txt").read_text(encoding="utf-8")
    catalog: dict[str, tuple[str, int | None]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            pack, _, keys = line.partition("\t")
            for entry in keys.split():
                key, _, version = entry.partition("@")
                catalog[key] = (pack, int(version) if version else None)
    return catalog


def pack_of(key: str) -> str:
    """The Flow-Like pack of a node key, or `unknown pack` for keys Flow-Like's catalog does not list."""
    pack = flowlike_catalog().get(key, ("", None))[0]
    return f"Flow-Like pack {pack!r}" if pack else "unknown pack"


def provider_of(key: str, registry: Registry) -> str:
    """`pack_of(key)`, and for a key Flow-Like does not know either, what may have been meant (a typo, a type
    defined in code that has not run here)."""
    pack = pack_of(key)
    return pack if pack != "unknown pack" else f"{pack}; {registry.hint(key)}"


def placeholders(board: Board, registry: Registry) -> list[str]:
    """Ids of the nodes no installed pack provides."""
    return [node_id for node_id, node in board.nodes.items() if node.name not in registry]


def reachable(board: Board, start: str) -> set[str]:
    """Nodes a run from `start` may touch: exec wires forward, and whatever feeds a touched node's inputs."""
    exec_next: dict[str, set[str]] = {}
    feeds: dict[str, set[str]] = {}
    for wire in board.connections:
        source = board.nodes.get(wire.from_node)
        pin = source.pins.get(wire.from_pin) if source else None
        if pin is not None and pin.is_exec:
            exec_next.setdefault(wire.from_node, set()).add(wire.to_node)
        else:
            feeds.setdefault(wire.to_node, set()).add(wire.from_node)
    seen, todo = {start}, [start]
    while todo:
        node_id = todo.pop()
        for nxt in exec_next.get(node_id, set()) | feeds.get(node_id, set()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def refuse_reached(board: Board, registry: Registry, start: str, touched: set[str]) -> None:
    """Raise, naming them, when a run from `start` could reach (`touched`: see `reachable`) a placeholder; before
    anything runs."""
    missing = set(placeholders(board, registry))
    if not missing:
        return
    hit = sorted(missing & touched)
    if hit:
        names = "; ".join(f"{board.nodes[n].label()}: missing {board.nodes[n].name} "
                          f"({provider_of(board.nodes[n].name, registry)})" for n in hit)
        raise BoardError(f"board {board.name!r}: the run from {board.nodes[start].label()} would reach "
                         f"{counted(len(hit), 'node')} no installed pack provides: {names}")
