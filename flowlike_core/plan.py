"""Compile a Board into a run plan once; runs reuse it until the board changes (its revision moves on).

The plan is plain data indexed by node id: for every input where its value comes from, for every exec
output which nodes it starts. The executor never looks at wires again.
"""

from __future__ import annotations

import copy
import inspect
from dataclasses import dataclass, field
from typing import Any

from flowlike_core.board import Board, Node, PinDirection
from flowlike_core.errors import BoardError
from flowlike_core.node import ERROR_EXEC, NodeType
from flowlike_core.registry import Registry
from flowlike_core.types import DataType, ValueType, to_runtime, zero_value

CONST, VALUE, PURE = 0, 1, 2


@dataclass(slots=True)
class Source:
    """Where an input's value comes from: a constant, an exec node's output, or a pure node to pull."""

    kind: int
    value: Any = None
    key: str = ""
    node_id: str = ""
    mutable: bool = False

    def constant(self) -> Any:
        return copy.deepcopy(self.value) if self.mutable else self.value


@dataclass(slots=True)
class NodePlan:
    node: Node
    impl: NodeType
    pure: bool
    inputs: dict[str, list[Source]]
    outputs: dict[str, str]
    exec_next: dict[str, list[tuple[str, str]]]
    error_wired: bool
    is_async: bool
    exec_branches: dict[str, list[list[tuple[str, str]]]] = field(default_factory=dict)
    """Targets of each pin of an exec output group (pins sharing a name), in pin order."""
    wires_in: dict[str, int] = field(default_factory=dict)
    """How many wires lead into each exec input name (gather waits for them all)."""
    prefetch: list[str] = field(default_factory=list)
    """Async pure nodes upstream, in dependency order: awaited before this node runs."""
    node_id: str = ""
    node_name: str = ""
    run: Any = None
    """The node type's bound `run`, looked up once here instead of once per execution."""
    blocking: bool = False
    """Nothing to await: the executor runs this node on its fast path, without a coroutine."""


@dataclass
class Plan:
    board_id: str
    revision: int
    nodes: dict[str, NodePlan]
    events: list[str]


def value_key(node_id: str, pin_id: str) -> str:
    return f"{node_id}/{pin_id}"


def _is_async(impl: NodeType) -> bool:
    return inspect.iscoroutinefunction(impl.run)


def compile_plan(board: Board, registry: Registry) -> Plan:
    impls = {node_id: registry.get(node.name)() for node_id, node in board.nodes.items()}
    pure = {node_id: node.is_pure for node_id, node in board.nodes.items()}
    into: dict[tuple[str, str], tuple[str, str]] = {}
    out_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    exec_wires_in: dict[tuple[str, str], int] = {}
    for wire in board.connections:
        if wire.from_node not in board.nodes or wire.to_node not in board.nodes:
            raise BoardError(f"board {board.name!r} has a dangling wire {wire.key()}; run validate()")
        into[(wire.to_node, wire.to_pin)] = (wire.from_node, wire.from_pin)
        target_pin = board.nodes[wire.to_node].pins[wire.to_pin]
        out_of.setdefault((wire.from_node, wire.from_pin), []).append((wire.to_node, target_pin.name))
        if target_pin.is_exec:
            exec_wires_in[(wire.to_node, wire.to_pin)] = exec_wires_in.get((wire.to_node, wire.to_pin), 0) + 1

    nodes: dict[str, NodePlan] = {}
    for node_id, node in board.nodes.items():
        inputs: dict[str, list[Source]] = {}
        outputs: dict[str, str] = {}
        exec_next: dict[str, list[tuple[str, str]]] = {}
        exec_branches: dict[str, list[list[tuple[str, str]]]] = {}
        wires_in: dict[str, int] = {}
        for pin in node.ordered_pins():
            if pin.direction is PinDirection.OUTPUT:
                if pin.is_exec:
                    targets = out_of.get((node_id, pin.id), [])
                    exec_next[pin.name] = exec_next.get(pin.name, []) + targets
                    exec_branches.setdefault(pin.name, []).append(targets)
                else:
                    outputs.setdefault(pin.name, value_key(node_id, pin.id))
            elif pin.is_exec:
                wires_in[pin.name] = wires_in.get(pin.name, 0) + exec_wires_in.get((node_id, pin.id), 0)
            else:
                inputs.setdefault(pin.name, []).append(_source(board, node, pin.id, into, pure))
        nodes[node_id] = NodePlan(
            node=node, impl=impls[node_id], pure=pure[node_id], inputs=inputs, outputs=outputs,
            exec_next=exec_next, error_wired=bool(exec_next.get(ERROR_EXEC)), is_async=_is_async(impls[node_id]),
            exec_branches=exec_branches, wires_in=wires_in,
        )
    for plan in nodes.values():
        plan.prefetch = [n for n in _pure_upstream(plan, nodes) if nodes[n].is_async]
        plan.node_id, plan.node_name, plan.run = plan.node.id, plan.node.name, plan.impl.run
        plan.blocking = not plan.is_async and not plan.prefetch
    events = [n for n, node in board.nodes.items() if type(impls[n]).is_event]
    return Plan(board_id=board.id, revision=board.revision, nodes=nodes, events=events)


def _source(board: Board, node: Node, pin_id: str, into: dict, pure: dict[str, bool]) -> Source:
    pin = node.pins[pin_id]
    wired = into.get((node.id, pin_id))
    if wired is None:
        default = pin.default_value
        if default is None:
            default = zero_value(pin.data_type, pin.value_type)
        value = to_runtime(default, pin.data_type, pin.value_type)
        mutable = pin.value_type is not ValueType.NORMAL or pin.data_type in (DataType.STRUCT, DataType.GENERIC)
        return Source(CONST, value=value, mutable=mutable and value is not None)
    source_node, source_pin = wired
    key = value_key(source_node, source_pin)
    if pure[source_node]:
        return Source(PURE, key=key, node_id=source_node)
    return Source(VALUE, key=key)


def _pure_upstream(plan: NodePlan, nodes: dict[str, NodePlan]) -> list[str]:
    """Pure nodes this node may pull, dependencies first; raises on a cycle among them."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(node_id: str, path: list[str]) -> None:
        if state.get(node_id) == 2:
            return
        if state.get(node_id) == 1:
            names = " -> ".join(nodes[n].node.label() for n in [*path, node_id])
            raise BoardError(f"cycle among pure nodes: {names}")
        state[node_id] = 1
        for sources in nodes[node_id].inputs.values():
            for source in sources:
                if source.kind == PURE:
                    visit(source.node_id, [*path, node_id])
        state[node_id] = 2
        order.append(node_id)

    for sources in plan.inputs.values():
        for source in sources:
            if source.kind == PURE:
                visit(source.node_id, [])
    return order


def plan_for(board: Board, registry: Registry) -> Plan:
    """The board's plan, compiled at most once per board revision and registry state."""
    key = (board.revision, id(registry), registry.generation)
    cached = board._plan_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    plan = compile_plan(board, registry)
    board._plan_cache = (key, plan)
    return plan
