"""Check a whole board and list every problem with its node and pin, instead of stopping at the first."""

from __future__ import annotations

import graphlib
import reprlib
from collections import Counter, deque
from typing import Literal

from pydantic import BaseModel

from flowlike_core import wiring
from flowlike_core.board import Board, PinDirection
from flowlike_core.node import ERROR_EXEC
from flowlike_core.plan import VAR_REF
from flowlike_core.registry import Registry, default_registry
from flowlike_core.types import DataType, ValueType, fits, to_runtime, type_label

WIRED_CODES = frozenset({"pure-cycle", "read-before-run"})
"""Problems that follow wires beyond a node's neighbours (over its whole wired part of the board). Every other
problem is a node's own: it depends on the node, its pins, the wires at it and their other ends, the nodes that
share a pin id with it, the board's variables (a node naming one), and for a variable (no node) on the variables
alone. An editor that checks again only what an edit touched relies on this (`flowlike_nb.widgets.problems`): a
new check that looks further adds its code here."""


class Problem(BaseModel):
    code: str
    message: str
    node_id: str | None = None
    pin_id: str | None = None
    severity: Literal["error", "warning"] = "error"
    """A warning names a board that runs, but likely not as meant; only errors stop a run."""

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}" if self.severity == "error" else f"[{self.code}] warning: {self.message}"


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
    good, data_in, exec_out, exec_wires, data_wires = [], [], [], [], []
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
            exec_wires.append(wire)
        else:
            data_in.append((wire.to_node, wire.to_pin))
            data_wires.append(wire)
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
        if pin.options is None or not pin.is_input:
            continue
        if pin.options.required and pin.default_value is None and (node.id, pin.id) not in wired_inputs:
            problems.append(Problem(code="required-input-empty", node_id=node.id, pin_id=pin.id,
                                    message=f"input {pin.name!r} of {node.label()} is required but has neither "
                                            f"a wire nor a value"))
        if pin.options.sensitive and pin.default_value not in (None, ""):
            problems.append(Problem(code="secret-in-file", severity="warning", node_id=node.id, pin_id=pin.id,
                                    message=f"input {pin.name!r} of {node.label()} holds a typed-in secret, which "
                                            f"the board file keeps as it is (runs mask it): wire a secret variable "
                                            f"into it instead"))
    problems.extend(_empty_placeholders(board, wired_inputs, registry))
    problems.extend(_undeclared_pins(board, registry))
    problems.extend(_unknown_variables(board, wired_inputs))
    pure = _pure_nodes(board)
    problems.extend(_pure_cycles(board, good, pure))
    problems.extend(_defaults_that_do_not_fit(board))
    problems.extend(_duplicate_variable_names(board))
    problems.extend(_reads_before_writes(board, exec_wires, data_wires, registry, pure))
    return problems


KEYS_MAP = "values"
"""The map input of the types whose keys their typed-in values derive (Format String, Render Template): a key it holds,
or may hold when wired, needs no pin of its own."""


def _empty_placeholders(board: Board, wired: set[tuple[str, str]], registry: Registry) -> list[Problem]:
    """The placeholders of a typed-in template (the keys its node type derives, `NodeType.keys_for`) that neither a
    wire, a typed-in value nor the values map fills: the run fails at the node, as Flow-Like's does."""
    problems = []
    for node in board.nodes.values():
        node_type = registry.get(node.name) if node.name in registry else None
        if node_type is None or node_type.keyed_input is None:
            continue
        inputs = {pin.name: pin for pin in node.pins.values() if pin.is_input}
        keys = node_type.keys_for({name: pin.default_value for name, pin in inputs.items()})
        given = inputs.get(KEYS_MAP)
        if not keys or given is not None and (node.id, given.id) in wired:
            continue
        in_map = given.default_value if given is not None and isinstance(given.default_value, dict) else {}
        for key in keys:
            pin = inputs.get(key)
            if key in in_map or pin is not None and (pin.default_value is not None or (node.id, pin.id) in wired):
                continue
            fix = f"wire or fill its pin {key!r}" if pin is not None else \
                f"the node has no pin {key!r} (commands.SetKeys makes the pins follow the template), nor the key " \
                f"in Values"
            problems.append(Problem(code="placeholder-empty", severity="warning", node_id=node.id,
                                    pin_id=pin.id if pin is not None else None,
                                    message=f"placeholder {{{key}}} of {node.label()} has no value: {fix}, or the "
                                            f"run fails there"))
    return problems


def _undeclared_pins(board: Board, registry: Registry) -> list[Problem]:
    """Pins a board file holds that the node's type no longer declares (renamed or removed in a newer version of its
    pack): the run neither fills nor reads them, so what was typed or wired there is lost. A type's input of the same
    type that the node lacks is named: likely the pin's new name."""
    problems = []
    declared_by_type: dict[str, set[tuple[str, PinDirection]]] = {}
    for node in board.nodes.values():
        node_type = registry.get(node.name) if node.name in registry else None
        if node_type is None:
            continue
        specs = node_type.pin_specs()
        declared = declared_by_type.get(node.name)
        if declared is None:
            declared = declared_by_type[node.name] = {(spec.name, spec.direction) for spec in specs}
        if all((pin.name, pin.direction) in declared for pin in node.pins.values()):
            continue  # (most nodes: checked without sorting their pins)
        present = {(pin.name, pin.direction) for pin in node.pins.values()}
        for pin in node.ordered_pins():
            if (pin.name, pin.direction) in declared or pin.is_input and node_type.keyed_input is not None:
                continue
            alike = [spec.name for spec in specs if spec.direction is pin.direction and spec.data_type is pin.data_type
                     and spec.value_type is pin.value_type and (spec.name, spec.direction) not in present]
            hint = f"; its type has {' or '.join(map(repr, alike))} of the same type, which the node lacks " \
                   f"(likely its new name)" if alike else ""
            kind = "input" if pin.is_input else "output"
            version = f" {node_type.pack_version}" if node_type.pack_version else ""
            problems.append(Problem(code="unknown-pin", severity="warning", node_id=node.id, pin_id=pin.id,
                                    message=f"{kind} {pin.name!r} of {node.label()} is not a pin of its type "
                                            f"{node.name!r} (pack {node_type.pack!r}{version}): the run ignores it"
                                            f"{hint}"))
    return problems


def _unknown_variables(board: Board, wired: set[tuple[str, str]]) -> list[Problem]:
    """Variable nodes whose typed-in `var_ref` names no variable of the board (by id or name): the run fails there."""
    known = {key for variable in board.variables.values() for key in (variable.id, variable.name)}
    problems = []
    for node in board.nodes.values():
        for pin in node.pins.values():
            if (pin.name != VAR_REF or not pin.is_input or not isinstance(pin.default_value, str)
                    or not pin.default_value or pin.default_value in known or (node.id, pin.id) in wired):
                continue
            names = ", ".join(sorted(repr(v.name) for v in board.variables.values())) or "none"
            problems.append(Problem(code="unknown-variable", node_id=node.id, pin_id=pin.id,
                                    message=f"{node.label()} names variable {pin.default_value!r}, which the board "
                                            f"does not hold (its variables: {names})"))
    return problems


def _pure_nodes(board: Board) -> set[str]:
    """The ids of the board's pure nodes (asked once: two checks need them, and each asks every pin of a node)."""
    return {node_id for node_id, node in board.nodes.items() if node.is_pure}


def _pure_cycles(board: Board, wires: list, pure: set[str], limit: int = 20) -> list[Problem]:
    """Cycles among the `pure` nodes, found by graphlib (linear, no recursion); each found cycle is cut at one wire
    and the search goes on, so that several are named (up to `limit`)."""
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


def wired_problems(board: Board, registry: Registry | None = None) -> list[Problem]:
    """The problems of `WIRED_CODES` alone, as `validate_board` finds them: an editor checks them again on the wired
    part of a board an edit touched, without the checks of every node there."""
    registry = registry if registry is not None else default_registry()
    nodes = board.nodes
    good = [wire for wire in board.connections if wire.from_node in nodes and wire.to_node in nodes
            and wire.from_pin in nodes[wire.from_node].pins and wire.to_pin in nodes[wire.to_node].pins]
    exec_wires, data_wires = [], []
    for wire in good:
        is_exec = nodes[wire.from_node].pins[wire.from_pin].data_type is DataType.EXECUTION
        (exec_wires if is_exec else data_wires).append(wire)
    pure = _pure_nodes(board)
    return _pure_cycles(board, good, pure) + _reads_before_writes(board, exec_wires, data_wires, registry, pure)


ONCE_SPLITS = frozenset({"control_branch", "control_sequence", "control_par_execution", "control_flip_flop",
                         "control_timeout"})
"""Node types with several exec outputs that fire each of them at most once per execution of the node. Any other
node with several (a loop's body and done, a stream's chunk and end) may fire one again after another."""
EXCLUSIVE = {"control_branch": frozenset({"true", "false"})}
"""Exec outputs of which one execution fires only one: what runs after the one cannot have run after the other."""


class _ExecFlow:
    """The exec wires of a board, to answer "can node W have run before node R in one run?" without false alarms:
    yes when R follows W, when both follow a node that may run or fire more than once, or when they follow two
    different exec wires out of one node, unless those are the exclusive outputs of a node that runs once."""

    def __init__(self, board: Board, exec_wires: list, registry: Registry) -> None:
        self.board = board
        self.out: dict[str, list[tuple[str, str]]] = {}  # node -> [(exec output pin name, target node)]
        self.into: dict[str, list[str]] = {}
        for wire in exec_wires:
            if wire.from_node != wire.to_node:
                name = board.nodes[wire.from_node].pins[wire.from_pin].name
                self.out.setdefault(wire.from_node, []).append((name, wire.to_node))
                self.into.setdefault(wire.to_node, []).append(wire.from_node)
        events = [n for n, node in board.nodes.items() if node.name in registry and registry.get(node.name).is_event]
        self.from_events = self.closure(events)
        self.repeats = self.closure([n for n in self.out if self._may_repeat(n)])  # (one that leads nowhere: moot)

    def _may_repeat(self, node_id: str) -> bool:
        node = self.board.nodes[node_id]
        if len(self.into.get(node_id, ())) > 1:  # reached by several wires (or on an exec cycle): it may run again
            return True
        names = {p.name for p in node.pins.values()
                 if p.data_type is DataType.EXECUTION and not p.is_input and p.name != ERROR_EXEC}
        return len(names) > 1 and node.name not in ONCE_SPLITS

    def closure(self, starts: list[str], edges: dict[str, list] | None = None) -> set[str]:
        """The nodes reached from `starts` (themselves included), downstream or, with `self.into`, upstream."""
        edges = self.out if edges is None else edges
        seen, queue = set(starts), deque(starts)
        while queue:
            for item in edges.get(queue.popleft(), ()):
                target = item[1] if isinstance(item, tuple) else item
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        return seen

    def follows(self, writer: str, reader: str) -> bool:
        """Whether exec wires lead from `writer` to `reader`; stops there (a chain reading its neighbour costs one
        step, so a long chain stays linear)."""
        seen, queue = {writer}, deque([writer])
        while queue:
            for _, target in self.out.get(queue.popleft(), ()):
                if target == reader:
                    return True
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        return False

    def may_precede(self, writer: str, reader: str) -> bool:
        if self.follows(writer, reader):
            return True
        before_writer, before_reader = self.closure([writer], self.into), self.closure([reader], self.into)
        for split in before_writer & before_reader:
            if split in self.repeats:
                return True
            to_writer = [(name, target) for name, target in self.out.get(split, ()) if target in before_writer]
            to_reader = [(name, target) for name, target in self.out.get(split, ()) if target in before_reader]
            exclusive = EXCLUSIVE.get(self.board.nodes[split].name, frozenset())
            if any(w != r and not (w[0] != r[0] and {w[0], r[0]} <= exclusive) for w in to_writer for r in to_reader):
                return True
        return False


def _reads_before_writes(board: Board, exec_wires: list, data_wires: list, registry: Registry,
                         pure_nodes: set[str]) -> list[Problem]:
    """Data inputs wired to an exec node's output that no run can have set yet when they are read: the run gives
    them None. A pure reader counts as read by the exec nodes that pull it; readers no event reaches are left out."""
    flow = _ExecFlow(board, exec_wires, registry)
    pure = {node_id for node_id in pure_nodes if node_id not in flow.into and node_id not in flow.out}
    readers: dict[str, list[str]] = {}  # pure node -> the pure nodes and exec nodes it feeds
    reads: list = []
    for wire in data_wires:
        if wire.from_node == wire.to_node:
            continue
        if wire.from_node in pure:
            readers.setdefault(wire.from_node, []).append(wire.to_node)
        else:
            reads.append(wire)
    problems = []
    for wire in reads:
        target = board.nodes[wire.to_node]
        pullers = [n for n in flow.closure([target.id], readers) if n not in pure] if target.id in pure \
            else [target.id]
        pullers = [n for n in pullers if n in flow.from_events]
        if not pullers or any(flow.may_precede(wire.from_node, n) for n in pullers):
            continue
        source = board.nodes[wire.from_node]
        problems.append(Problem(
            code="read-before-run", severity="warning", node_id=target.id, pin_id=wire.to_pin,
            message=f"input {target.pins[wire.to_pin].name!r} of {target.label()} reads "
                    f"{source.label()}.{source.pins[wire.from_pin].name}, which the run cannot have executed by then "
                    f"(it is not upstream in the exec flow): it will read None unless {source.label()} runs first"))
    return problems


def _defaults_that_do_not_fit(board: Board) -> list[Problem]:
    """Stored values a run could not turn into their pin's or variable's type (Array=5, Date="yesterday"), and
    numbers beyond their pin's range, which an edit refuses (a warning: a file may hold one, and its node decides)."""
    problems = []
    for node, pin in board.iter_pins():
        if pin.is_input and not _usable(pin.default_value, pin.data_type, pin.value_type):
            value = reprlib.repr(pin.default_value)
            problems.append(Problem(code="bad-default", node_id=node.id, pin_id=pin.id,
                                    message=f"input {pin.name!r} of {node.label()} holds {value}, "
                                            f"which does not fit its type {pin.type_label()}"))
        elif pin.options is not None and pin.is_input and pin.options.outside(pin.default_value):
            problems.append(Problem(code="default-out-of-range", severity="warning", node_id=node.id, pin_id=pin.id,
                                    message=f"input {pin.name!r} of {node.label()} holds {pin.default_value!r}, "
                                            f"outside its range {pin.options.range_text()}"))
    for variable in board.variables.values():
        if not _usable(variable.default_value, variable.data_type, variable.value_type):
            value = reprlib.repr(variable.default_value)
            kind = type_label(variable.data_type, variable.value_type)
            problems.append(Problem(code="bad-default",
                                    message=f"variable {variable.name!r} holds {value}, which does not fit its "
                                            f"type {kind}"))
    return problems


def _duplicate_variable_names(board: Board) -> list[Problem]:
    """Variables are set and read by name (`--var`, a run's values): two of one name (a hand edit, a merge) shadow
    each other, and a run read the wrong one."""
    ids: dict[str, list[str]] = {}
    for variable in board.variables.values():
        ids.setdefault(variable.name, []).append(variable.id)
    return [Problem(code="duplicate-variable-name", message=f"{len(same)} variables are called {name!r} (ids "
                                                            f"{', '.join(same)}): a run cannot tell them apart; "
                                                            f"rename or remove one")
            for name, same in ids.items() if len(same) > 1]


def _usable(value: object, data_type: DataType, value_type: ValueType) -> bool:
    if not fits(value, data_type, value_type):
        return False
    try:
        to_runtime(value, data_type, value_type)
    except (TypeError, ValueError):
        return False
    return True
