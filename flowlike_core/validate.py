"""Check a whole board and list every problem with its node and pin, instead of stopping at the first."""

from __future__ import annotations

import graphlib
import reprlib
from collections import Counter

from pydantic import BaseModel

from flowlike_core import wiring
from flowlike_core.board import Board, Pin
from flowlike_core.errors import BoardError
from flowlike_core.registry import Registry, default_registry
from flowlike_core.types import DataType, ValueType, fits, to_runtime


class Problem(BaseModel):
    code: str
    message: str
    node_id: str | None = None
    pin_id: str | None = None

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


def validate_board(board: Board, registry: Registry | None = None) -> list[Problem]:
    """Every problem, in time linear in the board's size (a 100,000-node chain validates in seconds)."""
    registry = registry if registry is not None else default_registry()
    problems: list[Problem] = []
    for node in board.nodes.values():
        if node.name not in registry:
            from flowlike_core.interop.placeholders import provider_of

            provider = provider_of(node.name, registry)
            problems.append(Problem(code="unknown-node-type", node_id=node.id,
                                    message=f"node {node.label()} has type {node.name!r}, which no installed "
                                            f"pack provides (missing: {node.name}, {provider})"))
    pin_ids = Counter(pin.id for _, pin in board.iter_pins())
    for node, pin in board.iter_pins():
        if pin_ids[pin.id] > 1:
            problems.append(Problem(code="duplicate-pin-id", node_id=node.id, pin_id=pin.id,
                                    message=f"pin id {pin.id!r} of {node.label()} is used by several pins"))
    good, data_in, exec_out = [], [], []
    for wire in board.connections:
        source, target = board.nodes.get(wire.from_node), board.nodes.get(wire.to_node)
        if source is None or target is None or wire.from_pin not in source.pins or wire.to_pin not in target.pins:
            problems.append(Problem(code="dangling-connection", node_id=wire.to_node, pin_id=wire.to_pin,
                                    message=f"wire {wire.from_node}.{wire.from_pin} -> {wire.to_node}.{wire.to_pin} "
                                            f"points at a node or pin that does not exist"))
            continue
        out, inp = source.pins[wire.from_pin], target.pins[wire.to_pin]
        why = "a node cannot be wired to itself" if source.id == target.id else wiring.mismatch(out, inp)
        if why:
            problems.append(Problem(code="type-mismatch", node_id=target.id, pin_id=wire.to_pin,
                                    message=f"{source.label()}.{out.name} [{out.type_label()}] -> "
                                            f"{target.label()}.{inp.name} [{inp.type_label()}]: {why}"))
        good.append(wire)
        if out.data_type is DataType.EXECUTION:
            exec_out.append((wire.from_node, wire.from_pin))
        else:
            data_in.append((wire.to_node, wire.to_pin))
    fan = Counter(data_in)
    fan.update(exec_out)
    for (node_id, pin_id), count in fan.items():
        if count > 1:
            node = board.nodes[node_id]
            problems.append(Problem(code="too-many-wires", node_id=node_id, pin_id=pin_id,
                                    message=f"pin {node.pins[pin_id].name!r} of {node.label()} has {count} wires; "
                                            f"it takes one"))
    wired_inputs = {(w.to_node, w.to_pin) for w in good}
    for node, pin in board.iter_pins():
        required = pin.options is not None and pin.options.required
        if required and pin.is_input and pin.default_value is None and (node.id, pin.id) not in wired_inputs:
            problems.append(Problem(code="required-input-empty", node_id=node.id, pin_id=pin.id,
                                    message=f"input {pin.name!r} of {node.label()} is required but has neither "
                                            f"a wire nor a value"))
    problems.extend(_pure_cycles(board, good))
    problems.extend(_defaults_that_do_not_fit(board))
    return problems


def _pure_cycles(board: Board, wires: list, limit: int = 20) -> list[Problem]:
    """Cycles among pure nodes, found by graphlib (linear, no recursion); each found cycle is cut at one wire
    and the search goes on, so that several are named (up to `limit`)."""
    pure = {node_id for node_id, node in board.nodes.items() if node.is_pure}
    edges: dict[str, set[str]] = {}
    for wire in wires:
        if wire.from_node in pure and wire.to_node in pure:
            edges.setdefault(wire.to_node, set()).add(wire.from_node)
    problems = []
    while len(problems) < limit:
        try:
            graphlib.TopologicalSorter(edges).prepare()
            break
        except graphlib.CycleError as exc:
            cycle = exc.args[1]
            names = " -> ".join(board.nodes[n].label() for n in cycle)
            problems.append(Problem(code="pure-cycle", node_id=cycle[0], message=f"cycle among pure nodes: {names}"))
            edges[cycle[1]].discard(cycle[0])
    return problems


def _defaults_that_do_not_fit(board: Board) -> list[Problem]:
    """Stored values a run could not turn into their pin's or variable's type (Array=5, Date="yesterday")."""
    problems = []
    for node, pin in board.iter_pins():
        if pin.is_input and not _usable(pin.default_value, pin.data_type, pin.value_type):
            value = reprlib.repr(pin.default_value)
            problems.append(Problem(code="bad-default", node_id=node.id, pin_id=pin.id,
                                    message=f"input {pin.name!r} of {node.label()} holds {value}, "
                                            f"which does not fit its type {pin.type_label()}"))
    for variable in board.variables.values():
        if not _usable(variable.default_value, variable.data_type, variable.value_type):
            value = reprlib.repr(variable.default_value)
            kind = Pin(name="", direction="Input", data_type=variable.data_type,
                       value_type=variable.value_type).type_label()
            problems.append(Problem(code="bad-default",
                                    message=f"variable {variable.name!r} holds {value}, which does not fit its "
                                            f"type {kind}"))
    return problems


def _usable(value: object, data_type: DataType, value_type: ValueType) -> bool:
    if not fits(value, data_type, value_type):
        return False
    try:
        to_runtime(value, data_type, value_type)
    except (TypeError, ValueError):
        return False
    return True


def ensure_valid(board: Board, registry: Registry | None = None) -> None:
    problems = validate_board(board, registry)
    if problems:
        raise BoardError(f"board {board.name!r} has {len(problems)} problem(s):\n" +
                         "\n".join(f"  {p}" for p in problems))
