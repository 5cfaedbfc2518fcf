"""Connection rules, enforced by the engine so that every editor and every cell gets the same answers."""

from __future__ import annotations

from typing import Any

from flowlike_core.board import Board, Connection, Node, Pin
from flowlike_core.errors import ConnectionRefused
from flowlike_core.types import DataType


def schema_satisfies(source: dict[str, Any] | None, target: dict[str, Any] | None) -> bool:
    """Whether every value valid under `source` has what `target` requires (structural, not exhaustive).

    A target without a schema takes any struct; an object target needs each of its required properties
    to be required by the source too, with a satisfying type; arrays compare their items.
    """
    if not target:
        return True
    if not source:
        return False
    target_type, source_type = target.get("type"), source.get("type")
    widening = target_type == "number" and source_type == "integer"
    if target_type and source_type and target_type != source_type and not widening:
        return False
    if "enum" in target and not set(map(repr, source.get("enum", [None]))) <= set(map(repr, target["enum"])):
        return False
    if target_type == "array" or "items" in target:
        return schema_satisfies(source.get("items"), target.get("items"))
    source_props, target_props = source.get("properties", {}), target.get("properties", {})
    source_required = set(source.get("required", []))
    for name in target.get("required", []):
        if name not in source_required or not schema_satisfies(source_props.get(name), target_props.get(name)):
            return False
    for name, target_prop in target_props.items():
        if name in source_props and not schema_satisfies(source_props[name], target_prop):
            return False
    return True


def _refuse(source: Node, out: Pin, target: Node, inp: Pin, why: str) -> ConnectionRefused:
    return ConnectionRefused(
        f"cannot connect {source.label()}.{out.name} [{out.type_label()}] -> "
        f"{target.label()}.{inp.name} [{inp.type_label()}]: {why}"
    )


def _is_wildcard(pin: Pin) -> bool:
    """A Generic pin without a type variable takes anything, whatever its shape."""
    return pin.data_type is DataType.GENERIC and pin.generic is None


def check(board: Board, connection: Connection) -> None:
    """Raise ConnectionRefused, naming both pins and the rule, if `connection` breaks a rule."""
    source, target = board.nodes.get(connection.from_node), board.nodes.get(connection.to_node)
    if source is None or target is None:
        missing = connection.from_node if source is None else connection.to_node
        raise ConnectionRefused(f"cannot connect: board has no node {missing!r}")
    out, inp = source.pins.get(connection.from_pin), target.pins.get(connection.to_pin)
    if out is None or inp is None:
        node, pin_id = (source, connection.from_pin) if out is None else (target, connection.to_pin)
        raise ConnectionRefused(f"cannot connect: node {node.label()} has no pin {pin_id!r}")
    if out.is_input or not inp.is_input:
        raise _refuse(source, out, target, inp, "wires go from an output pin to an input pin")
    if source.id == target.id:
        raise _refuse(source, out, target, inp, "a node cannot be wired to itself")
    if out.is_exec != inp.is_exec:
        raise _refuse(source, out, target, inp, "execution pins connect only to execution pins")
    if out.is_exec:
        return
    if not (_is_wildcard(out) or _is_wildcard(inp)):
        if out.value_type is not inp.value_type:
            raise _refuse(source, out, target, inp,
                          f"value types differ ({out.value_type.value} vs {inp.value_type.value})")
        generic = DataType.GENERIC in (out.data_type, inp.data_type)
        if not generic and out.data_type is not inp.data_type:
            raise _refuse(source, out, target, inp,
                          f"data types differ ({out.data_type.value} vs {inp.data_type.value})")
        if out.data_type is DataType.STRUCT and inp.data_type is DataType.STRUCT and not schema_satisfies(
            out.schema_, inp.schema_
        ):
            raise _refuse(source, out, target, inp, "the source's schema does not satisfy the target's schema")
    if source.is_pure and target.is_pure and _reaches(board, target.id, source.id):
        raise _refuse(source, out, target, inp, "it would close a cycle among pure nodes")


def _reaches(board: Board, start: str, goal: str) -> bool:
    """Whether data flows from node `start` to node `goal` through pure nodes only."""
    seen, stack = {start}, [start]
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        for wire in board.connections:
            if wire.from_node == current and wire.to_node not in seen and board.nodes[wire.to_node].is_pure:
                seen.add(wire.to_node)
                stack.append(wire.to_node)
    return False


def displaced(board: Board, connection: Connection) -> list[Connection]:
    """Wires that `connection` replaces: the old source of a data input, the old target of an exec output."""
    target_pin = board.nodes[connection.to_node].pins[connection.to_pin]
    if target_pin.is_exec:
        return [c for c in board.wires_from(connection.from_node, connection.from_pin) if c != connection]
    return [c for c in board.wires_into(connection.to_node, connection.to_pin) if c != connection]


def bind_generics(board: Board, connection: Connection) -> None:
    """Give Generic pins with a type variable the concrete type of what they were wired to."""
    source, out, target, inp = board.endpoints(connection)
    for node, pin, other in ((source, out, inp), (target, inp, out)):
        if pin.generic and pin.data_type is DataType.GENERIC and other.data_type is not DataType.GENERIC:
            _set_group(node, pin.generic, other.data_type, other.schema_)


def release_generics(board: Board, node_ids: set[str]) -> None:
    """Return a type variable to Generic once no wire touches any pin that shares it."""
    for node_id in node_ids:
        node = board.nodes.get(node_id)
        if node is None:
            continue
        wired = {c.from_pin for c in board.wires_of(node_id)} | {c.to_pin for c in board.wires_of(node_id)}
        for var in {p.generic for p in node.pins.values() if p.generic}:
            group = [p for p in node.pins.values() if p.generic == var]
            if not any(p.id in wired for p in group):
                _set_group(node, var, DataType.GENERIC, None)


def _set_group(node: Node, var: str, data_type: DataType, schema: dict[str, Any] | None) -> None:
    for pin in node.pins.values():
        if pin.generic == var:
            pin.data_type = data_type
            pin.schema_ = schema
