"""`board.to_code()`: the Python cell that rebuilds a board, equal to the original (`==`).

Nodes come out as `board.add(key, name, ...)` with the defaults that differ from the type's, wires as
`a.outputs.x >> b.inputs.y`. A node whose pins no longer match its catalog type (customised in the
editor, or a type that is not installed) is written out whole with `board.add_raw({...})`, so the
round trip never loses anything.
"""

from __future__ import annotations

import keyword
import pprint
import re
from typing import TYPE_CHECKING, Any

from flowlike_core.board import Node, Variable
from flowlike_core.errors import UnknownNodeError
from flowlike_nb.kernel.handles import Pins, stable_pin_ids, with_pin_ids

if TYPE_CHECKING:
    from flowlike_nb.kernel.handles import Board

RESERVED = {"node_id", "at", "pin_ids"}


def board_to_code(board: Board, var: str = "board") -> str:
    core = board.core
    header = [repr(core.name), f"id={core.id!r}"]
    if core.description:
        header.append(f"description={core.description!r}")
    if tuple(core.version) != (0, 1, 0):
        header.append(f"version={tuple(core.version)!r}")
    if core.log_level.value != "Info":
        header.append(f"log_level={core.log_level.value!r}")
    if core.layers:
        header.append(f"layers={_literal({k: v.model_dump(mode='json') for k, v in core.layers.items()})}")
    lines = ["import flowlike_nb", "", f"{var} = flowlike_nb.Board({', '.join(header)})"]
    lines += [_variable(var, v) for v in core.variables.values()]
    names = _handle_names(core.nodes.values(), var)
    for node in core.nodes.values():
        lines += _node(board, var, names[node.id], node)
    order = {node_id: i for i, node_id in enumerate(core.nodes)}

    def reading_order(wire: Any) -> tuple[int, int, int, int]:
        source, target = core.nodes[wire.from_node], core.nodes[wire.to_node]
        return order[source.id], source.pins[wire.from_pin].index, order[target.id], target.pins[wire.to_pin].index

    for wire in sorted(core.connections, key=reading_order):
        source, target = core.nodes[wire.from_node], core.nodes[wire.to_node]
        lines.append(f"{_pin(names[source.id], source, wire.from_pin, 'outputs')} >> "
                     f"{_pin(names[target.id], target, wire.to_pin, 'inputs')}")
    for comment in core.comments.values():
        args = [repr(comment.content), f"at={tuple(comment.coordinates)!r}", f"width={comment.width!r}",
                f"height={comment.height!r}", f"id={comment.id!r}"]
        if comment.color:
            args.insert(-1, f"color={comment.color!r}")
        lines.append(f"{var}.comment({', '.join(args)})")
    return "\n".join(lines) + "\n"


def _literal(value: Any) -> str:
    return pprint.pformat(value, width=100, sort_dicts=True)


def _variable(var: str, variable: Variable) -> str:
    default = None if variable.secret else variable.default_value
    args = [repr(variable.name), repr(variable.data_type.value), _literal(default)]
    if variable.value_type.value != "Normal":
        args.append(f"value_type={variable.value_type.value!r}")
    for flag in ("exposed", "secret"):
        if getattr(variable, flag):
            args.append(f"{flag}=True")
    if not variable.editable:
        args.append("editable=False")
    if variable.description:
        args.append(f"description={variable.description!r}")
    if variable.schema_ is not None:
        args.append(f"schema={_literal(variable.schema_)}")
    args.append(f"id={variable.id!r}")
    return f"{var}.variable({', '.join(args)})"


def _handle_names(nodes: Any, var: str) -> dict[str, str]:
    """Python names for the node handles, from the friendly names: `Log Info` -> `log_info`."""
    taken = {var, "flowlike_nb"}
    names = {}
    for node in nodes:
        base = re.sub(r"\W+", "_", (node.friendly_name or node.name).lower()).strip("_") or "node"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = f"n_{base}"
        name, count = base, 2
        while name in taken:
            name, count = f"{base}_{count}", count + 1
        taken.add(name)
        names[node.id] = name
    return names


def _node(board: Board, var: str, handle: str, node: Node) -> list[str]:
    call = _add_call(board, var, node)
    if call is None:
        return [f"{handle} = {var}.add_raw({_literal(node.model_dump(mode='json', by_alias=True))})"]
    return [f"{handle} = {call}"]


def _add_call(board: Board, var: str, node: Node) -> str | None:
    """`board.add(...)` for this node if that rebuilds it exactly, else None."""
    try:
        node_type = board.registry.get(node.name)
    except UnknownNodeError:
        return None
    inputs = [p for p in node.ordered_pins("Input") if not p.is_exec]
    if node.layer or len({p.name for p in inputs}) != len(inputs):
        return None
    try:
        fresh = node_type.create(node_id=node.id, coordinates=node.coordinates, friendly_name=node.friendly_name)
    except Exception:  # a type whose create() now refuses what the board holds: write the node whole
        return None
    pin_ids = [p.id for p in sorted(node.pins.values(), key=lambda p: p.index)]
    if len(pin_ids) != len(fresh.pins):
        return None
    fresh = with_pin_ids(fresh, pin_ids)
    defaults = {p.name: p.default_value for p in inputs if p.default_value != fresh.pins[p.id].default_value}
    if set(defaults) & RESERVED or not all(name.isidentifier() for name in defaults):
        return None
    for pin in inputs:
        fresh.pins[pin.id].default_value = pin.default_value
    fresh.comment = node.comment
    if _comparable(fresh) != _comparable(node):
        return None
    args = [repr(node.name), repr(node.friendly_name), f"node_id={node.id!r}"]
    x, y, z = node.coordinates
    if node.coordinates != (0.0, 0.0, 0.0):
        args.append(f"at={(x, y, z) if z else (x, y)!r}")
    if pin_ids != stable_pin_ids(node):
        args.append(f"pin_ids={pin_ids!r}")
    args += [f"{name}={_literal(value)}" for name, value in defaults.items()]
    call = f"{var}.add({', '.join(args)})"
    return f"{call}.set_comment({node.comment!r})" if node.comment else call


def _comparable(node: Node) -> dict[str, Any]:
    """The node as data, generic pins' types left out: wiring binds those again when the wires are made."""
    data = node.model_dump(mode="json", by_alias=True)
    for pin in data["pins"].values():
        if pin["generic"] is not None or pin["data_type"] == "Generic":
            pin.update(data_type=None, value_type=None, schema=None)
    return data


def _pin(handle: str, node: Node, pin_id: str, side: str) -> str:
    pin = node.pins[pin_id]
    group = [p for p in node.ordered_pins(pin.direction) if p.name == pin.name]
    nth = group.index(pin)
    if nth:
        return f"{handle}.{side}[{pin.name!r}, {nth}]"
    if pin.name.isidentifier() and not keyword.iskeyword(pin.name) and not hasattr(Pins, pin.name):
        return f"{handle}.{side}.{pin.name}"
    return f"{handle}.{side}[{pin.name!r}]"
