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


def mismatch(out: Pin, inp: Pin, pure_pair: bool = False) -> str | None:
    """Why a wire from `out` to `inp` breaks a rule of the two pins alone, or None: the per-wire rules that
    `check` applies when connecting and `validate` applies to every wire of a board."""
    if out.is_input or not inp.is_input:
        return "wires go from an output pin to an input pin"
    if out.is_exec != inp.is_exec:
        return "execution pins connect only to execution pins"
    if out.is_exec or _is_wildcard(out) or _is_wildcard(inp):
        return None
    if out.value_type is not inp.value_type:
        return f"value types differ ({out.value_type.value} vs {inp.value_type.value})"
    generic = DataType.GENERIC in (out.data_type, inp.data_type)
    if not generic and out.data_type is not inp.data_type:
        return f"data types differ ({out.data_type.value} vs {inp.data_type.value})"
    if out.data_type is DataType.STRUCT and inp.data_type is DataType.STRUCT and not schema_satisfies(
        out.schema_, inp.schema_
    ):
        return "the source's schema does not satisfy the target's schema"
    return None


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
    if source.id == target.id:
        raise _refuse(source, out, target, inp, "a node cannot be wired to itself")
    why = mismatch(out, inp)
    if why:
        raise _refuse(source, out, target, inp, why)
    if not out.is_exec:
        why = _generic_conflict(board, connection)
        if why:
            raise _refuse(source, out, target, inp, why)
    if source.is_pure and target.is_pure and _reaches(board, target.id, source.id):
        raise _refuse(source, out, target, inp, "it would close a cycle among pure nodes")


def _reaches(board: Board, start: str, goal: str) -> bool:
    """Whether data flows from node `start` to node `goal` through pure nodes only (a walk along the wires out of
    each node reached: what it costs is the pure nodes downstream, not the board)."""
    seen, stack = {start}, [start]
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        for wire in board.wires_of(current):
            nxt = wire.to_node
            if wire.from_node == current and nxt not in seen and board.nodes[nxt].is_pure:
                seen.add(nxt)
                stack.append(nxt)
    return False


def displaced(board: Board, connection: Connection) -> list[Connection]:
    """Wires that `connection` replaces: the old source of a data input, the old target of an exec output."""
    target_pin = board.nodes[connection.to_node].pins[connection.to_pin]
    if target_pin.is_exec:
        return [c for c in board.wires_from(connection.from_node, connection.from_pin) if c != connection]
    return [c for c in board.wires_into(connection.to_node, connection.to_pin) if c != connection]


# ---- Generic type variables ------------------------------------------------------------------------------
#
# Pins of one node declared with the same type variable (`generic="T"`) form a group. Data wires join groups
# into components: a reroute chain is one component. A component takes the one concrete data type wired to
# it from outside (any end of the chain), and returns to Generic when none is left; two different ones
# cannot meet, so the wire that would join them is refused.

Group = tuple[str, str]
"""A type variable of one node: (node id, variable)."""


def _components(board: Board, start: set[Group],
                extra: Connection | None = None) -> list[tuple[set[Group], list[tuple[Node, Pin]]]]:
    """The components holding the `start` groups (with `extra` counted as a wire): each with the concrete
    pins wired to it from outside. A walk from group to group along their wires: it costs the components, not
    the board."""
    found, seen = [], set()
    for first in start:
        if first in seen:
            continue
        groups, concrete, todo = {first}, [], [first]
        while todo:
            for node, pin in _touching(board, todo.pop(), extra):
                if pin.generic:
                    group = (node.id, pin.generic)
                    if group not in groups:
                        groups.add(group)
                        todo.append(group)
                elif pin.data_type is not DataType.GENERIC:
                    concrete.append((node, pin))
        seen |= groups
        found.append((groups, concrete))
    return found


def _touching(board: Board, group: Group, extra: Connection | None) -> list[tuple[Node, Pin]]:
    """The pins at the far end of the data wires of a group's pins, in the order of the board's wires (`extra`
    last)."""
    node_id, var = group
    ends: list[tuple[Node, Pin]] = []
    for wire in [*board.wires_of(node_id), *([extra] if extra is not None else [])]:
        source, target = board.nodes.get(wire.from_node), board.nodes.get(wire.to_node)
        if source is None or target is None:
            continue
        out, inp = source.pins.get(wire.from_pin), target.pins.get(wire.to_pin)
        if out is None or inp is None or out.is_exec:
            continue
        if wire.from_node == node_id and out.generic == var:
            ends.append((target, inp))
        if wire.to_node == node_id and inp.generic == var:
            ends.append((source, out))
    return ends


def _groups_of(board: Board, node_ids: set[str]) -> set[Group]:
    return {(n, p.generic) for n in node_ids if n in board.nodes for p in board.nodes[n].pins.values() if p.generic}


def generic_reach(board: Board, node_ids: set[str]) -> set[str]:
    """Nodes whose Generic pins may change when wires of `node_ids` change: what an edit must snapshot."""
    return {node_id for groups, _ in _components(board, _groups_of(board, node_ids)) for node_id, _ in groups}


def _generic_conflict(board: Board, connection: Connection) -> str | None:
    ends = _groups_of(board, {connection.from_node, connection.to_node})
    if not ends:
        return None
    for _, concrete in _components(board, ends, extra=connection):
        kinds = {pin.data_type for _, pin in concrete}
        if len(kinds) > 1:
            names = ", ".join(f"{pin.data_type.value} from {node.label()}.{pin.name}" for node, pin in concrete)
            return f"it would join Generic pins bound to different types ({names})"
    return None


def settle_generics(board: Board, node_ids: set[str]) -> None:
    """Give every Generic group around `node_ids` the concrete type its component is wired to, or Generic."""
    for groups, concrete in _components(board, _groups_of(board, node_ids)):
        kinds = {pin.data_type for _, pin in concrete}
        if len(kinds) > 1:
            continue  # a conflict that validate() reports; connecting refuses to make one
        data_type, schema = (concrete[0][1].data_type, concrete[0][1].schema_) if kinds else (DataType.GENERIC, None)
        for node_id, var in groups:
            _set_group(board.nodes[node_id], var, data_type, schema)


def _set_group(node: Node, var: str, data_type: DataType, schema: dict[str, Any] | None) -> None:
    for pin in node.pins.values():
        if pin.generic == var and (pin.data_type is not data_type or pin.schema_ != schema):
            pin.data_type = data_type
            pin.schema_ = schema
