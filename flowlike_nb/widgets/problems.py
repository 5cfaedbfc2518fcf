"""The engine's problems with a board as the editor shows them, checked again after each edit where it can change them.

They are `flowlike_core.validate.Problem`s as JSON (code, message, node_id, pin_id, severity): the canvas draws an
error and a warning apart (a warning names a board that runs, but likely not as meant) and judges nothing itself.
Neither stops the toolbar's Run, as neither stops `start_run`: a run fails where an error bites, naming it.
An edit of the picture only (moving, comments, layers, breakpoints) cannot change them and is not checked again.

Checking the whole board after every edit cost 50 ms at 1,000 nodes. `ProblemTracker` checks what an edit can
change and keeps the rest: a node's own problems (`validate_board` on the node, its neighbours and the nodes sharing
a pin id with it), the problems that follow wires (`WIRED_CODES`) on the wired parts the edit touched, and pure
cycles, which are counted over the whole board, only when a wire between pure nodes came or went. It finds the
very problems `validate_board` finds (a test compares them along random edits), in a fixed order."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from flowlike_core import commands
from flowlike_core.board import Board, Connection, Node
from flowlike_core.registry import Registry
from flowlike_core.types import DataType
from flowlike_core.validate import VAR_REF, WIRED_CODES, validate_board, wired_problems
from flowlike_nb.widgets.staleness import PICTURE_ONLY, parts

log = logging.getLogger(__name__)
JSON = dict[str, Any]
CYCLE = "pure-cycle"


def board_problems(board: Board, registry: Registry) -> list[JSON]:
    """Every problem `validate_board` finds, as JSON; a check that breaks is itself shown as an error."""
    try:
        return [problem.model_dump() for problem in validate_board(board, registry)]
    except Exception as exc:  # a bug in a check must not stop the editor's edits
        log.exception("validating board %r failed", board.name)
        return [{"code": "validate-failed", "message": f"the board could not be checked: {type(exc).__name__}: {exc}",
                 "node_id": None, "pin_id": None, "severity": "error"}]


def may_change_problems(command: commands.Command | None) -> bool:
    """Whether an edit (None: one that cannot be told apart) may change the board's problems."""
    return command is None or not all(isinstance(part, PICTURE_ONLY) for part in parts(command))


def _shape(node: Node) -> tuple:
    """What the wired checks read of a node besides its name: its type and pins (purity, exec outputs, messages)."""
    return node.name, tuple((p.id, p.name, p.direction, p.data_type, p.value_type) for p in node.pins.values())


class ProblemTracker:
    """The problems of `board`, kept current from the patches the editor sends (`flowlike_nb.widgets.sync`)."""

    def __init__(self, board: Board, registry: Registry) -> None:
        self.board, self.registry = board, registry
        self.problems: list[JSON] = []
        self.refresh()

    def refresh(self) -> list[JSON]:
        """Check the whole board: on opening, after an edit that cannot be told apart, after the catalog changed."""
        board = self.board
        self._wires: dict[str, set[Connection]] = defaultdict(set)  # node id -> the wires at it
        for wire in board.connections:
            self._wires[wire.from_node].add(wire)
            self._wires[wire.to_node].add(wire)
        self._holders: dict[str, set[str]] = defaultdict(set)  # pin id -> the nodes with a pin of that id
        self._pins: dict[str, frozenset[str]] = {}
        self._shapes: dict[str, tuple] = {}
        self._pure: dict[str, bool] = {}
        self._labels: dict[str, str] = {}
        self._order: dict[str, int] = {}
        self._naming: set[str] = set()  # the nodes that name a variable (`VAR_REF`): the variables' edits touch them
        for node in board.nodes.values():
            self._remember(node)
        self._own: dict[str | None, list[JSON]] = defaultdict(list)  # node id (None: the variables) -> problems
        self._wired: dict[str | None, list[JSON]] = defaultdict(list)  # node id -> read-before-run and the like
        self._cycles: list[JSON] = []
        for problem in board_problems(board, self.registry):
            if problem["code"] == CYCLE:
                self._cycles.append(problem)
            else:
                (self._wired if problem["code"] in WIRED_CODES else self._own)[problem["node_id"]].append(problem)
        return self._collect()

    def update(self, command: commands.Command | None, patch: JSON) -> list[JSON]:
        """The problems after an edit whose patch (what it changed: nodes, wires, variables) the editor just sent."""
        if command is None:
            return self.refresh()
        try:
            self._update(patch)
        except Exception:  # the tracker must never show other problems than a whole check: check the whole board
            log.exception("checking an edit of board %r failed; checking the whole board", self.board.name)
            return self.refresh()
        return self._collect()

    # ---- what an edit touched ----------------------------------------------------------------------

    def _remember(self, node: Node) -> None:
        pins = frozenset(node.pins)
        for pin_id in pins:
            self._holders[pin_id].add(node.id)
        self._pins[node.id], self._shapes[node.id], self._labels[node.id] = pins, _shape(node), node.label()
        self._pure[node.id] = node.is_pure
        if any(pin.name == VAR_REF for pin in node.pins.values()):
            self._naming.add(node.id)
        self._order.setdefault(node.id, len(self._order))

    def _forget(self, node_id: str) -> None:
        for pin_id in self._pins.pop(node_id, ()):
            self._holders[pin_id].discard(node_id)
        self._shapes.pop(node_id, None)
        self._labels.pop(node_id, None)
        self._pure.pop(node_id, None)
        self._naming.discard(node_id)

    def _update(self, patch: JSON) -> None:
        board = self.board
        added = [Connection.model_construct(**wire) for wire in patch["wires_added"]]
        dropped = [Connection.model_construct(**wire) for wire in patch["wires_removed"]]
        for wire in dropped:
            self._wires[wire.from_node].discard(wire)
            self._wires[wire.to_node].discard(wire)
        for wire in added:
            self._wires[wire.from_node].add(wire)
            self._wires[wire.to_node].add(wire)
        rewired = {end for wire in added + dropped for end in (wire.from_node, wire.to_node)}

        own = set(rewired)  # nodes whose own problems may have changed
        wired = set(rewired)  # nodes whose wired part must be checked again
        relabelled, reshaped = set(), set()
        was_pure = {n: self._pure.get(n, False) for n in [*patch["nodes"], *patch["removed_nodes"]]}
        for node_id in [*patch["nodes"], *patch["removed_nodes"]]:
            node = board.nodes.get(node_id)
            before_pins, before_shape = self._pins.get(node_id, frozenset()), self._shapes.get(node_id)
            before_label = self._labels.get(node_id)
            self._forget(node_id)
            if node is not None:
                self._remember(node)
            now_pins = self._pins.get(node_id, frozenset())
            own.add(node_id)
            for pin_id in before_pins ^ now_pins:  # a pin id shared, or no longer shared, with other nodes
                own |= self._holders[pin_id]
            if self._shapes.get(node_id) != before_shape:
                reshaped.add(node_id)
            elif self._labels.get(node_id) != before_label:
                relabelled.add(node_id)
        for node_id in reshaped | relabelled:  # their neighbours' wires name them and read their pins
            own |= {end for wire in self._wires.get(node_id, ()) for end in (wire.from_node, wire.to_node)}
        named = {n for n in relabelled if self._named(n, self._wired)}
        if patch["variables"] is not None:  # a variable came, went or was renamed: the nodes naming one see it
            own |= self._naming

        self._check_own(own, with_variables=patch["variables"] is not None)
        clear = None if reshaped or named else self._reads_clear(added + dropped)
        if clear is None:
            self._check_wired(wired | reshaped | named)
        else:  # none of the reads the rewiring changed comes too early: their warnings go, the others stay
            for node_id in {node_id for node_id, _ in clear}:
                kept = [p for p in self._wired.pop(node_id, []) if (node_id, p["pin_id"]) not in clear]
                if kept:
                    self._wired[node_id] = kept

        def pure(node_id: str) -> bool:  # before or after the edit
            return was_pure.get(node_id, False) or self._pure.get(node_id, False)

        if (any(pure(w.from_node) and pure(w.to_node) for w in added + dropped) or any(pure(n) for n in reshaped)
                or any(self._named(n, {None: self._cycles}) for n in relabelled)):
            self._check_cycles()

    def _named(self, node_id: str, problems: dict[str | None, list[JSON]]) -> bool:
        """Whether any of `problems` belongs to or names the node (their messages carry node labels)."""
        mark = f"({node_id})"
        return node_id in problems or any(mark in p["message"] for group in problems.values() for p in group)

    # ---- the reads of data wires (read-before-run), told cheaply when they are fine ------------------

    def _good(self, wire: Connection) -> bool:
        """Whether the checks follow a wire: both its nodes and pins exist, and it is no loop on one node."""
        nodes = self.board.nodes
        source, target = nodes.get(wire.from_node), nodes.get(wire.to_node)
        return (source is not None and target is not None and wire.from_node != wire.to_node
                and wire.from_pin in source.pins and wire.to_pin in target.pins)

    def _is_exec(self, wire: Connection) -> bool:
        return self.board.nodes[wire.from_node].pins[wire.from_pin].data_type is DataType.EXECUTION

    def _wires_into(self, node_id: str) -> list[Connection]:
        return [w for w in self._wires.get(node_id, ()) if w.to_node == node_id and self._good(w)]

    def _reads_clear(self, rewired: list[Connection]) -> set[tuple[str, str]] | None:
        """The inputs (node id, pin id) whose reads these added or removed data wires change, when none of them now
        reads before its node runs; None when that cannot be told cheaply (an exec wire, a read that may be early):
        then the wired parts are checked again. A wire from an exec node is one read; one from a pure node changes
        which exec nodes pull the pure nodes before it, and so the reads into those."""
        inputs: set[tuple[str, str]] = set()
        for wire in rewired:
            if not self._good(wire) or self._is_exec(wire):
                return None
            if not self._pure[wire.from_node]:
                inputs.add((wire.to_node, wire.to_pin))
                continue
            for node_id in self._pure_upstream(wire.from_node):
                inputs |= {(node_id, w.to_pin) for w in self._wires_into(node_id) if not self._pure[w.from_node]}
        for node_id, pin_id in inputs:
            reads = [w for w in self._wires_into(node_id) if w.to_pin == pin_id]
            if len(reads) > 1:
                return None
            if reads and not self._pure[reads[0].from_node] and not self._follows(reads[0].from_node,
                                                                                  self._pullers(node_id)):
                return None
        return inputs

    def _pure_upstream(self, node_id: str) -> set[str]:
        """The pure node and the pure nodes that feed it, directly or through others."""
        found, todo = {node_id}, [node_id]
        while todo:
            for wire in self._wires_into(todo.pop()):
                if self._pure[wire.from_node] and wire.from_node not in found:
                    found.add(wire.from_node)
                    todo.append(wire.from_node)
        return found

    def _pullers(self, node_id: str) -> set[str]:
        """The exec nodes that read a node's inputs: itself, or for a pure node those its value reaches."""
        if not self._pure[node_id]:
            return {node_id}
        pullers, seen, todo = set(), {node_id}, [node_id]
        while todo:
            current = todo.pop()
            for wire in self._wires.get(current, ()):
                if wire.from_node == current and wire.to_node not in seen and self._good(wire):
                    seen.add(wire.to_node)
                    if self._pure[wire.to_node]:
                        todo.append(wire.to_node)
                    else:
                        pullers.add(wire.to_node)
        return pullers

    def _follows(self, writer: str, readers: set[str]) -> bool:
        """Whether exec wires lead from `writer` to every one of `readers` (then it may run before each reads)."""
        left, seen, todo = set(readers), {writer}, [writer]
        while todo and left:
            current = todo.pop()
            for wire in self._wires.get(current, ()):
                if (wire.from_node == current and wire.to_node not in seen and self._good(wire)
                        and self._is_exec(wire)):
                    seen.add(wire.to_node)
                    left.discard(wire.to_node)
                    todo.append(wire.to_node)
        return not left

    # ---- checking again ----------------------------------------------------------------------------

    def _part(self, node_ids: set[str], wires: list[Connection]) -> Board:
        """A board of some of the nodes and wires (shared, not copied), with the board's variables (the nodes that
        name one are checked against them), for `validate_board` to look at."""
        nodes = {n: self.board.nodes[n] for n in node_ids if n in self.board.nodes}
        return Board.model_construct(name=self.board.name, nodes=nodes, connections=wires,
                                     variables=self.board.variables)

    def _check_own(self, node_ids: set[str], with_variables: bool) -> None:
        wires = {key for node_id in node_ids for key in self._wires.get(node_id, ())}
        around = {end for wire in wires for end in (wire.from_node, wire.to_node)}
        sharing = {other for node_id in node_ids for pin_id in self._pins.get(node_id, ())
                   for other in self._holders[pin_id]}
        keys = (node_ids | ({None} if with_variables else set()))
        for key in keys:
            self._own.pop(key, None)
        part = self._part(node_ids | around | sharing, list(wires))
        for problem in board_problems(part, self.registry):
            if problem["code"] not in WIRED_CODES and problem["node_id"] in keys:
                self._own[problem["node_id"]].append(problem)

    def _check_wired(self, seeds: set[str]) -> None:
        """Check the wired problems again on the wired parts of the board that hold `seeds` (they reach no further)."""
        reached, wires, todo = set(seeds), set(), list(seeds)
        while todo:
            for wire in self._wires.get(todo.pop(), ()):
                wires.add(wire)
                for end in (wire.from_node, wire.to_node):
                    if end not in reached:
                        reached.add(end)
                        todo.append(end)
        for node_id in reached:
            self._wired.pop(node_id, None)
        if not reached & self.board.nodes.keys():
            return
        for problem in wired_problems(self._part(reached, list(wires)), self.registry):
            if problem.code != CYCLE:
                self._wired[problem.node_id].append(problem.model_dump())

    def _check_cycles(self) -> None:
        """Pure cycles over the whole board (how many are named, and which, depends on all of them): its pure
        nodes and the wires between them, in the board's order."""
        pure = {node_id for node_id, is_pure in self._pure.items() if is_pure}
        wires = [w for w in self.board.connections if w.from_node in pure and w.to_node in pure]
        self._cycles = [p.model_dump() for p in wired_problems(self._part(pure, wires), self.registry)
                        if p.code == CYCLE]

    def _collect(self) -> list[JSON]:
        """All problems, node by node in the board's order (the variables' first), then the pure cycles."""
        order = self._order
        found = [p for group in (*self._own.values(), *self._wired.values()) for p in group]
        found.sort(key=lambda p: (order.get(p["node_id"], -1), p["pin_id"] or "", p["code"], p["message"]))
        self.problems = found + self._cycles
        return self.problems
