"""The engine's wiring rules, asked on the editor's behalf: the front end never re-implements them.

`fitting_types` tells the palette which node types can take a dropped wire, `pin_fits` tells the canvas
which pins light up while a wire is dragged; both call `flowlike_core.wiring` on the real board. `refusal`
rewrites the engine's reasons with names as the canvas shows them (no hex ids).
"""

from __future__ import annotations

from flowlike_core import wiring
from flowlike_core.board import Board, Connection, Node, Pin
from flowlike_core.errors import ConnectionRefused
from flowlike_core.registry import Registry

SAME_TYPE, GENERIC_FIT = 2, 1


def _quality(out: Pin, inp: Pin) -> int:
    same = out.data_type is inp.data_type and out.value_type is inp.value_type
    return SAME_TYPE if same else GENERIC_FIT


def fitting_types(board: Board, registry: Registry, node_id: str, pin_id: str) -> dict[str, int]:
    """Node key -> how well a fresh node of that type can be wired to the pin (only keys that can)."""
    pin = board.node(node_id).pin(pin_id)
    fits: dict[str, int] = {}
    for node_type in registry:
        for index, spec in enumerate(node_type.pin_specs()):
            if spec.direction is pin.direction:
                continue
            other = spec.to_pin(index)
            out, inp = (other, pin) if pin.is_input else (pin, other)
            if wiring.mismatch(out, inp) is None:
                fits[node_type.name] = max(fits.get(node_type.name, 0), _quality(out, inp))
    return fits


def pin_fits(board: Board, node_id: str, pin_id: str) -> dict[str, list[str]]:
    """Node id -> ids of its pins that a wire dragged from this pin may end on (every rule, cycles included)."""
    pin = board.node(node_id).pin(pin_id)
    fits: dict[str, list[str]] = {}
    for other_node in board.nodes.values():
        for other in other_node.pins.values():
            if other.direction is pin.direction:
                continue
            ends = (other_node.id, other.id, node_id, pin.id) if pin.is_input else (node_id, pin.id,
                                                                                      other_node.id, other.id)
            out, inp = (other, pin) if pin.is_input else (pin, other)
            if wiring.mismatch(out, inp) is not None:
                continue
            try:
                wiring.check(board, Connection(from_node=ends[0], from_pin=ends[1], to_node=ends[2], to_pin=ends[3]))
            except ConnectionRefused:
                continue
            fits.setdefault(other_node.id, []).append(other.id)
    return fits


def shown_name(node: Node) -> str:
    return node.friendly_name or node.name


def refusal(board: Board, error: ConnectionRefused) -> str:
    """The engine's reason with node labels ('Name' (id)) and pins named as the canvas shows them."""
    text = str(error)
    for node in board.nodes.values():
        if node.label() not in text:
            continue
        for pin in node.pins.values():
            label = (pin.friendly_name or "").strip() or pin.name
            text = text.replace(f"{node.label()}.{pin.name} ", f"{shown_name(node)}.{label} ")
        text = text.replace(node.label(), shown_name(node))
    return text
