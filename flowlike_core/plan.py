"""Compile a Board into a run plan once; runs reuse it until the board changes (its revision moves on).

The plan is plain data indexed by node id: for every input where its value comes from, for every exec
output which exec inputs it starts. The executor never looks at wires again. Compiling is linear in the
board's size and recursion-free, so a chain of 100,000 pure nodes plans like a short one.
"""

from __future__ import annotations

import copy
import datetime
import functools
import graphlib
import inspect
import pathlib
import sys
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flowlike_core.board import Board, Node, PinDirection, Variable
from flowlike_core.errors import BoardError
from flowlike_core.node import ERROR_EXEC, NodeType
from flowlike_core.output_types import Check, output_checks
from flowlike_core.registry import Registry
from flowlike_core.run import value_key
from flowlike_core.shapes import Shaper, input_shaper
from flowlike_core.types import DataType, to_json_native, to_runtime, zero_value

CONST, VALUE, PURE = 0, 1, 2
VAR_REF = "var_ref"
"""The input by which variable nodes name their variable (Flow-Like's pin name)."""

Target = tuple["NodePlan", str]
"""An exec input to start: (its node's plan, pin id). Plans hold each other, so going on costs no lookup; what
leaves the process (a loop body for another worker) names nodes by id instead (`targets_by_id`)."""
Targets = Sequence[Target]
"""Exec inputs to start together. The plan's own are tuples (a tuple is one block of memory, a list two: a long
chain of nodes, bound by memory, loads one less per node)."""


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


@dataclass(slots=True, kw_only=True, eq=False)
class NodePlan:
    """A node as a run needs it. The fields a fast-path execution reads come first: a long chain of distinct
    nodes is bound by memory, and neighbouring fields share cache lines."""

    run: Any = None
    """What runs the node: its type's `run`, or the equivalent the type specialized to this wiring
    (`NodeType.specialize`), looked up once here instead of once per execution."""
    bound: tuple[Any, ...] = ()
    """What the node's run reads, in one tuple: first what a specialized `run` binds (its function, constants, value
    keys), then the value key of each output and the targets of each exec output (`bind`). A specialized run is
    shared by the nodes of its shape and reads the rest here, through its Context's plan (`flowlike_core.specialize`);
    `ctx.set_output` and `ctx.activate` find their key and targets here too, by `output_at` and `exec_at`."""
    output_at: dict[str, tuple[int, type | None, Check | None]] = field(default_factory=dict)
    """Output name -> where its value key is in `bound`, and how a value set there is checked (its usual type, the
    check of any other: `flowlike_core.output_types`; None, None: it takes anything). Shared, never changed: one dict
    per layout of pins and their types."""
    exec_at: dict[str, int] = field(default_factory=dict)
    """Exec output name -> where its targets are in `bound`. Shared, never changed: one dict per layout of pins."""
    plain_outputs: bool = True
    """Setting an output only stores its value: an exec node whose outputs feed no secret (`ctx.set_output`'s
    fast path; a pure node's outputs also go to the step's cache)."""
    routes: bool = False
    """`run` returns the exec targets to go on with (a function-form step's `exec_out` targets) instead of activating
    exec pins: the fast path takes them as they come; the careful path records `exec_out` as activated."""
    blocking: bool = False
    """Nothing to await: the executor runs this node on its fast path, without a coroutine."""
    index: int = 0
    """Its position among the plan's nodes: where a run keeps its count of executions (`Executor.counts`)."""
    node_name: str = ""
    reads: dict[str, Source] = field(default_factory=dict)
    """Where each input is read from, by name (a group's first pin): what `ctx.get_input` looks up."""
    outputs: dict[str, str]
    """Output name -> its value key in the run's values."""
    exec_next: dict[str, tuple[Target, ...]]
    """Exec output name -> what is wired to it (every exec output, wired or not)."""
    node: Node
    impl: NodeType
    pure: bool
    inputs: dict[str, list[Source]]
    error_wired: bool
    is_async: bool
    exec_branches: dict[str, list[tuple[Target, ...]]] = field(default_factory=dict)
    """Targets of each pin of an exec output group (pins sharing a name), in pin order."""
    exec_inputs: dict[str, str] = field(default_factory=dict)
    """Exec input pin id -> its name (several pins may share one, as gather's do)."""
    wired_inputs: dict[str, list[str]] = field(default_factory=dict)
    """Exec input name -> the ids of its pins that have at least one wire (gather waits for them all)."""
    pure_sources: list[str] = field(default_factory=list)
    """Pure nodes wired straight into this node's inputs."""
    awaits_pure: bool = False
    """Some pure node upstream is async: its values are computed (awaited) before this node runs."""
    node_id: str = ""
    secret_outputs: frozenset[str] = frozenset()
    """Outputs wired into a sensitive input or into a node that sets a secret variable: their values are secret as
    soon as they are set (a node that logs one before the value reaches its destination shows the mask)."""
    keyed_inputs: tuple[str, ...] = ()
    """The inputs this node carries besides those its type declares, one per key (`NodeType.keyed_input`)."""
    shapers: dict[str, Shaper] = field(default_factory=dict)
    """Inputs whose value may arrive in the other Struct shape than the node declared, by name: what turns it
    into that shape (`ctx.get_shaped_input`; `flowlike_core.shapes`)."""


@dataclass
class Plan:
    board_id: str
    revision: int
    nodes: dict[str, NodePlan]
    events: list[str]
    placeholders: list[str] = field(default_factory=list)
    """Nodes whose type no installed pack provides: not planned."""
    unfilled: list[tuple[str, str]] = field(default_factory=list)
    """(node id, input name) of required inputs with neither a wire nor a value: a run that reaches one is refused."""
    sensitive: dict[str, list[str]] = field(default_factory=dict)
    """Per node, its inputs that take a wired value and are marked sensitive or feed a secret variable (the Generic
    inputs, and those of the variable's type, of a node whose `var_ref` names one): what arrives there is secret."""
    sensitive_values: list[Any] = field(default_factory=list)
    """Values typed into inputs marked sensitive: secret in every run."""
    idents: list[tuple[str, str]] = field(default_factory=list)
    """(node id, node name) of each node, by its plan's `index`: how a run's trace records name nodes (`Records`)."""


def compile_plan(board: Board, registry: Registry) -> Plan:
    """The plan of every node whose type is installed; the others (placeholders) are left out, with their
    wires, and listed: a run that could reach one is refused before it starts."""
    placeholders = [node_id for node_id, node in board.nodes.items() if node.name not in registry]
    known = {node_id: node for node_id, node in board.nodes.items() if node.name in registry} \
        if placeholders else board.nodes
    impls = {node_id: registry.get(node.name)() for node_id, node in known.items()}
    pure = {node_id: node.is_pure for node_id, node in known.items()}
    into: dict[tuple[str, str], tuple[str, str]] = {}
    out_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for wire in board.connections:
        source, target = board.nodes.get(wire.from_node), board.nodes.get(wire.to_node)
        if source is None or target is None or wire.from_pin not in source.pins or wire.to_pin not in target.pins:
            raise BoardError(f"board {board.name!r} has a dangling wire {wire.key()}; run validate()")
        if wire.from_node not in known or wire.to_node not in known:
            continue
        into[(wire.to_node, wire.to_pin)] = (wire.from_node, wire.from_pin)
        out_of.setdefault((wire.from_node, wire.from_pin), []).append((wire.to_node, wire.to_pin))

    nodes: dict[str, NodePlan] = {}
    sensitive: dict[str, list[str]] = {}
    sensitive_values: list[Any] = []
    secret_outputs: dict[str, set[str]] = {}
    secret_variables = {key: v for v in board.variables.values() if v.secret for key in (v.name, v.id)}
    for node_id, node in known.items():
        feeds = _secret_variable(node, secret_variables) if secret_variables else None
        inputs: dict[str, list[Source]] = {}
        outputs: dict[str, str] = {}
        exec_next: dict[str, list[Any]] = {}  # targets by id until every plan exists
        exec_branches: dict[str, list[list[Any]]] = {}
        exec_inputs: dict[str, str] = {}
        wired_inputs: dict[str, list[str]] = {}
        for pin in node.ordered_pins():
            # Node code names pins by literals, which are interned: so are the plan's keys, and a lookup compares
            # pointers instead of reading a string of the node's own (a board read from a file has one per pin).
            name = sys.intern(pin.name)
            if pin.direction is PinDirection.OUTPUT:
                if pin.is_exec:
                    targets = out_of.get((node_id, pin.id), [])
                    exec_next[name] = exec_next.get(name, []) + targets
                    exec_branches.setdefault(name, []).append(targets)
                else:
                    outputs.setdefault(name, value_key(node_id, pin.id))
            elif pin.is_exec:
                exec_inputs[pin.id] = name
                wired = wired_inputs.setdefault(name, [])
                if (node_id, pin.id) in into:
                    wired.append(pin.id)
            else:
                inputs.setdefault(name, []).append(_source(node, pin.id, into, pure))
                marked = pin.options is not None and pin.options.sensitive
                wired = into.get((node_id, pin.id))
                if wired is not None and (marked or feeds is not None and pin.name != VAR_REF
                                          and pin.data_type in (DataType.GENERIC, feeds.data_type)):
                    sensitive.setdefault(node_id, []).append(pin.name)
                    secret_outputs.setdefault(wired[0], set()).add(board.nodes[wired[0]].pins[wired[1]].name)
                elif marked:
                    sensitive_values.append(pin.default_value)
        impl = impls[node_id]
        keyed = _keyed_inputs(type(impl), inputs)
        _add_gained_pins(type(impl), node, inputs, outputs)
        pure_sources = list(dict.fromkeys(s.node_id for group in inputs.values() for s in group if s.kind == PURE))
        nodes[node_id] = NodePlan(
            node=node, impl=impl, pure=pure[node_id], inputs=inputs, outputs=outputs, exec_next=exec_next,
            error_wired=bool(exec_next.get(ERROR_EXEC)), is_async=inspect.iscoroutinefunction(impl.run),
            exec_branches=exec_branches, exec_inputs=exec_inputs, wired_inputs=wired_inputs,
            pure_sources=pure_sources, node_id=node_id, node_name=node.name,
            keyed_inputs=keyed,
        )
        if type(impl).input_shapes:
            nodes[node_id].shapers = _shapers(board, node, type(impl).input_shapes, into)
    for node_id, names in secret_outputs.items():
        nodes[node_id].secret_outputs = frozenset(names)
    async_upstream = _async_upstream(board, nodes)
    for plan in nodes.values():  # targets by id become targets by plan, now that every plan exists
        plan.exec_next = {pin: targets_by_plan(nodes, targets) for pin, targets in plan.exec_next.items()}
        plan.exec_branches = {pin: [targets_by_plan(nodes, targets) for targets in group]
                              for pin, group in plan.exec_branches.items()}
    for index, plan in enumerate(nodes.values()):
        plan.index = index
        plan.awaits_pure = any(async_upstream[n] for n in plan.pure_sources)
        plan.blocking = not plan.is_async and not plan.awaits_pure
        plan.reads = {name: group[0] for name, group in plan.inputs.items()}
        plan.plain_outputs = not plan.pure and not plan.secret_outputs
        specialize(plan)
    events = [n for n in known if type(impls[n]).is_event]
    wired = {(wire.to_node, wire.to_pin) for wire in board.connections}
    unfilled = [(node_id, pin.name) for node_id, node in known.items() for pin in node.pins.values()
                if pin.is_input and pin.options is not None and pin.options.required and pin.default_value is None
                and (node_id, pin.id) not in wired]
    return Plan(board_id=board.id, revision=board.revision, nodes=nodes, events=events, placeholders=placeholders,
                unfilled=unfilled, sensitive=sensitive, sensitive_values=sensitive_values,
                idents=[(plan.node_id, plan.node_name) for plan in nodes.values()])


def specialize(plan: NodePlan) -> None:
    """Make the node's run for how the plan wires it now (when planned, or when its wiring changed)."""
    bind(plan)
    plan.run = plan.impl.specialize(plan)
    plan.routes = getattr(plan.run, "routes", False)


def bind(plan: NodePlan, head: tuple[Any, ...] = ()) -> int:
    """Set `plan.bound` to `head`, then each output's value key, then each exec output's targets, and `output_at`
    and `exec_at` to where they are; returns how many follow `head`. A long chain of nodes is bound by memory: the
    keys and targets a class-form node sets and activates, read from two dicts of its own, cost it a third of its
    time; from the tuple its run loads anyway, next to nothing."""
    outputs, execs = tuple(plan.outputs), tuple(plan.exec_next)
    plan.bound = (*head, *plan.outputs.values(), *plan.exec_next.values())
    checks = output_checks(type(plan.impl))
    plan.output_at = _checked_layout(tuple((name, *checks.get(name, _UNCHECKED)) for name in outputs), len(head))
    plan.exec_at = _layout(execs, len(head) + len(outputs))
    return len(outputs) + len(execs)


_UNCHECKED = (None, None)
"""How an output that takes anything is checked: not at all."""


@functools.cache
def _checked_layout(outputs: tuple[tuple[str, type | None, Check | None], ...], offset: int
                    ) -> dict[str, tuple[int, type | None, Check | None]]:
    """`_layout` of outputs (name, usual type, check), each with its check."""
    return {name: (offset + i, usual, check) for i, (name, usual, check) in enumerate(outputs)}


@functools.cache
def _layout(names: tuple[str, ...], offset: int) -> dict[str, int]:
    """Where each name's entry is, shared by every plan with these names at this offset."""
    return {name: offset + i for i, name in enumerate(names)}


def targets_by_plan(nodes: dict[str, NodePlan], targets: Sequence[tuple[str, str]]) -> tuple[Target, ...]:
    """Targets named by node id (as a loop body arrives on a worker) as the plan's own targets."""
    return tuple((nodes[node_id], pin) for node_id, pin in targets)


def targets_by_id(targets: Targets) -> list[tuple[str, str]]:
    """Targets as they travel to another process: by node id."""
    return [(plan.node_id, pin) for plan, pin in targets]


def _secret_variable(node: Node, secret_variables: dict[str, Variable]) -> Variable | None:
    """The secret variable the node's `var_ref` input names (typed in, as variable nodes have it), if any."""
    pin = next((p for p in node.pins.values() if p.name == VAR_REF and p.direction is PinDirection.INPUT), None)
    return secret_variables.get(pin.default_value) if pin is not None and isinstance(pin.default_value, str) else None


def _shapers(board: Board, node: Node, shapes: dict[str, type], into: dict) -> dict[str, Shaper]:
    """For each input of a declared Struct shape (its group's first pin), what converts the values that can arrive
    there, if any can need it (`flowlike_core.shapes.input_shaper`)."""
    found: dict[str, Shaper] = {}
    for name, shape in shapes.items():
        pin = next((p for p in node.ordered_pins() if p.name == name and p.direction is PinDirection.INPUT), None)
        wired = into.get((node.id, pin.id)) if pin is not None else None
        source = board.nodes[wired[0]].pins[wired[1]] if wired is not None else None
        shaper = input_shaper(shape, source, node.label(), name)
        if shaper is not None:
            found[name] = shaper
    return found


def _keyed_inputs(node_type: type[NodeType], inputs: dict[str, list[Source]]) -> tuple[str, ...]:
    """The node's inputs of keys (pins its type does not declare), for a type that takes them."""
    if node_type.keyed_input is None:
        return ()
    declared = node_type.input_names()
    return tuple(name for name in inputs if name not in declared)


def _add_gained_pins(node_type: type[NodeType], node: Node, inputs: dict[str, list[Source]],
                     outputs: dict[str, str]) -> None:
    """Data pins the node's type declares but the saved node lacks (the type gained them after the board was
    saved): inputs read the declared default and outputs get a value slot, so old boards keep running as packs
    grow. Re-creating the node (the editor, or an import) adds the pins to the board itself."""
    for spec in node_type.pin_specs():
        if spec.data_type is DataType.EXECUTION:
            continue
        if spec.direction is PinDirection.INPUT and spec.name not in inputs:
            default = spec.default if spec.default is not None else zero_value(spec.data_type, spec.value_type)
            inputs[spec.name] = [_constant(to_runtime(to_json_native(default), spec.data_type, spec.value_type))]
        elif spec.direction is PinDirection.OUTPUT and spec.name not in outputs:
            outputs[spec.name] = value_key(node.id, f"{spec.name}:gained")


_IMMUTABLE = (str, int, float, bytes, datetime.date, datetime.time, datetime.timedelta, pathlib.PurePath, type(None))
"""Values a node cannot change in place: a constant of these is read as it is, any other copied per read."""


def _constant(value: Any) -> Source:
    """A typed-in value: copied per read only if a node could change it in place (a Generic or Struct holding text
    is read as it is: a Run ONNX Model in a loop deep-copied its constants on every read)."""
    return Source(CONST, value=value, mutable=not isinstance(value, _IMMUTABLE))


def _source(node: Node, pin_id: str, into: dict, pure: dict[str, bool]) -> Source:
    pin = node.pins[pin_id]
    wired = into.get((node.id, pin_id))
    if wired is None:
        default = pin.default_value
        if default is None:
            default = zero_value(pin.data_type, pin.value_type)
        return _constant(to_runtime(default, pin.data_type, pin.value_type))
    source_node, source_pin = wired
    key = value_key(source_node, source_pin)
    if pure[source_node]:
        return Source(PURE, key=key, node_id=source_node)
    return Source(VALUE, key=key)


def pure_order(board: Board, edges: dict[str, list[str]]) -> list[str]:
    """Pure nodes in dependency order (`edges`: node -> the pure nodes it reads); raises on a cycle."""
    try:
        return list(graphlib.TopologicalSorter(edges).static_order())
    except graphlib.CycleError as exc:
        cycle = exc.args[1]
        names = " -> ".join(board.nodes[n].label() for n in reversed(cycle))
        raise BoardError(f"cycle among pure nodes: {names}") from None


def _async_upstream(board: Board, nodes: dict[str, NodePlan]) -> dict[str, bool]:
    """For every pure node: whether it, or a pure node it reads (transitively), is async."""
    found: dict[str, bool] = {}
    for node_id in pure_order(board, {n: p.pure_sources for n, p in nodes.items() if p.pure}):
        plan = nodes[node_id]
        found[node_id] = plan.is_async or any(found[n] for n in plan.pure_sources)
    return found


_plans: dict[int, tuple[weakref.ref[Board], tuple[int, int, int], Plan]] = {}
"""Compiled plans by board identity; an entry goes when its board is garbage collected."""


def plan_for(board: Board, registry: Registry) -> Plan:
    """The board's plan, compiled at most once per board revision and registry state (read once compiled: compiling
    may load packs, which moves the registry's generation on)."""
    cached = _plans.get(id(board))
    if cached is not None and cached[0]() is board and cached[1] == (board.revision, id(registry),
                                                                      registry.generation):
        return cached[2]
    plan = compile_plan(board, registry)
    key = (board.revision, id(registry), registry.generation)
    board_id = id(board)
    _plans[board_id] = (weakref.ref(board, lambda _: _plans.pop(board_id, None)), key, plan)
    return plan
