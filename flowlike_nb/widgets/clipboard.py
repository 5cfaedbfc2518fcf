"""What a selection on the canvas holds, and the commands that delete or copy it.

A collapsed layer's box stands for everything inside it: deleting the box deletes its nodes and the layers nested
in it, copying it copies them, and a paste makes new layers around the copies, nested as the originals were. The
front end only names what is selected; the board decides what that holds (`Board.layer_contents`), and every edit
is made of `flowlike_core.commands`, so a delete or a paste is one undo step.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from flowlike_core import commands
from flowlike_core.board import Board, Layer, Node, new_id
from flowlike_nb.widgets import protocol


def nested_layers(board: Board, layer_ids: list[str]) -> list[Layer]:
    """The layers `layer_ids` and every layer inside them, at any depth (board order)."""
    chosen = set(layer_ids)
    return [layer for layer in board.layers.values()
            if any(step.id in chosen for step in board.layer_path(layer.id))]


def held_nodes(board: Board, node_ids: list[str], layer_ids: list[str]) -> list[str]:
    """The nodes `node_ids` and the nodes inside the layers `layer_ids` (at any depth), each once, board order."""
    held = set(node_ids).union(*(board.layer_contents(layer_id) for layer_id in layer_ids if layer_id in board.layers))
    return [node_id for node_id in board.nodes if node_id in held]


def copied(board: Board, node_ids: list[str], layer_ids: list[str], comment_ids: list[str]) -> dict[str, Any]:
    """A selection as the clipboard keeps it: nodes (those inside the selected layers too), the wires between them,
    the layers (nested ones too) and comments, as JSON that a `paste` message takes back."""
    nodes = held_nodes(board, node_ids, layer_ids)
    inside = set(nodes)
    return {
        "nodes": [board.nodes[node_id].model_dump(mode="json", by_alias=True) for node_id in nodes],
        "wires": [wire.model_dump(mode="json") for wire in board.connections
                  if wire.from_node in inside and wire.to_node in inside],
        "layers": [layer.model_dump(mode="json") for layer in nested_layers(board, layer_ids)],
        "comments": [board.comments[c].model_dump(mode="json") for c in comment_ids if c in board.comments],
    }


def remove_commands(board: Board, message: protocol.Remove) -> list[commands.Command]:
    """Wires, nodes, comments and layer boxes with everything inside them; the innermost layers go first."""
    parts: list[commands.Command] = [commands.Disconnect(**w.model_dump()) for w in message.wires]
    parts += [commands.RemoveNode(n) for n in held_nodes(board, message.nodes, message.layers)]
    inner_first = sorted(nested_layers(board, message.layers), key=lambda layer: -len(board.layer_path(layer.id)))
    parts += [commands.RemoveLayer(layer.id) for layer in inner_first]
    parts += [commands.RemoveComment(c) for c in message.comments]
    return parts


def paste_commands(message: protocol.Paste) -> list[commands.Command]:
    """Copies of the pasted nodes (new node and pin ids, shifted by dx, dy), their inner wires, comments, and new
    layers around the copies of the nodes the pasted layers held; all land in `message.layer`."""
    pin_ids: dict[tuple[str, str], tuple[str, str]] = {}
    node_ids: dict[str, str] = {}
    copies: list[tuple[Node, dict[str, str]]] = []  # each copy, with its pins' new ids by their old ones
    for node in message.nodes:
        fresh = node.model_copy(deep=True)
        fresh.id = node_ids[node.id] = new_id()
        fresh.pins, own = {}, {}
        for old_id, pin in node.pins.items():
            copy = pin.model_copy(update={"id": new_id()})
            fresh.pins[copy.id] = own[old_id] = copy
            pin_ids[(node.id, old_id)] = (fresh.id, copy.id)
        x, y, z = node.coordinates
        fresh.coordinates = (x + message.dx, y + message.dy, z)
        fresh.layer = message.layer
        copies.append((fresh, {old: pin.id for old, pin in own.items()}))
    renamed = {old: new for (_, old), (_, new) in pin_ids.items()}
    renamed.update({pin_id: new_id() for node in message.nodes
                    for pin_id in ((node.flowlike or {}).get("dropped_pins") or {})})
    parts: list[commands.Command] = []
    for fresh, own in copies:
        fresh.flowlike = pasted_extras(fresh.flowlike, own, renamed)
        parts.append(commands.AddNode(fresh))
    for wire in message.wires:
        source, target = pin_ids.get((wire.from_node, wire.from_pin)), pin_ids.get((wire.to_node, wire.to_pin))
        if source and target:
            parts.append(commands.Connect(*source, *target))
    parts += _layer_commands(message, node_ids)
    for comment in message.comments:
        x, y, z = comment.coordinates
        parts.append(commands.UpsertComment(comment.model_copy(update={
            "id": new_id(), "coordinates": (x + message.dx, y + message.dy, z),
            "flowlike": pasted_extras(comment.flowlike, {}, renamed)})))
    return parts


def pasted_extras(extras: dict[str, Any] | None, own: dict[str, str], renamed: dict[str, str]
                  ) -> dict[str, Any] | None:
    """A pasted copy's Flow-Like fields (`flowlike`, kept by an import): what describes it (icon, docs, scores...)
    as it is, not the original's `hash` (Flow-Like's fingerprint of that one element), the kept options of its pins
    and the pins import added (`ADDED_PINS`, left out of the export while unused) under the copy's pin ids (`own`:
    old pin id -> new), and the pins Flow-Like's node had that ours lacks under new ids, wired only to other pasted
    pins (`renamed`, every pasted pin's; the copy's own wires are those too): else export would write a second pin
    with the original's id, and Flow-Like would take the copy for the original."""
    if not extras:
        return extras
    from flowlike_core.interop.mapping import ADDED_PINS  # (only imported boards have them; the module is heavy)

    copy = {key: value for key, value in deepcopy(extras).items() if key != "hash"}
    for key in ("pins", ADDED_PINS):
        if key in copy:
            copy[key] = {own.get(pin_id, pin_id): kept for pin_id, kept in copy[key].items()}
    if "dropped_pins" in copy:
        copy["dropped_pins"] = {renamed[pin_id]: {
            **pin, "id": renamed[pin_id],
            **{end: [renamed[other] for other in pin.get(end) or [] if other in renamed]
               for end in ("connected_to", "depends_on")}} for pin_id, pin in copy["dropped_pins"].items()}
    return copy or None


def _layer_commands(message: protocol.Paste, node_ids: dict[str, str]) -> list[commands.Command]:
    """New layers for the pasted ones, innermost first: each collapses its nodes' copies and the new layers directly
    inside it (all still at the paste's level) into itself. A layer that holds nothing pasted is left out."""
    pasted = {layer.id: layer for layer in message.layers}

    def depth(layer: Layer) -> int:
        steps, parent = 0, layer.parent_id
        while parent in pasted and steps <= len(pasted):
            steps, parent = steps + 1, pasted[parent].parent_id
        return steps

    layer_ids: dict[str, str] = {}
    parts: list[commands.Command] = []
    for layer in sorted(pasted.values(), key=depth, reverse=True):
        nodes = [node_ids[n] for n in layer.nodes if n in node_ids]
        inner = [layer_ids[inner.id] for inner in pasted.values()
                 if inner.parent_id == layer.id and inner.id in layer_ids]
        if not nodes and not inner:
            continue
        layer_ids[layer.id] = new_id()
        x, y, z = layer.coordinates
        parts.append(commands.CreateLayer(Layer(id=layer_ids[layer.id], name=layer.name, nodes=nodes,
                                                parent_id=message.layer, comment=layer.comment,
                                                coordinates=(x + message.dx, y + message.dy, z)), inner=inner))
    return parts
