"""Node types made in cells: `@flowlike_nb.node` on a function, and a Board used as one node.

Redefining a node type (re-running its cell) updates every live board that uses it, in place and through
commands: pins whose name is still there keep their id, default and wires; new pins appear; pins that
went away leave with their wires; wires the new types refuse are dropped. A warning names the wires dropped, why, and
on which board: the next run would otherwise fail at an input left empty, with no trace of the wire it had.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import flowlike_core
from flowlike_core import commands
from flowlike_core import node as core_node
from flowlike_core.board import Board as CoreBoard
from flowlike_core.board import Node
from flowlike_core.context import Context
from flowlike_core.errors import ConnectionRefused, NodeFailed
from flowlike_core.events import Listener
from flowlike_core.executor import start_run
from flowlike_core.node import NodeType, data_in, data_out, exec_in, exec_out
from flowlike_core.registry import Registry, default_registry
from flowlike_core.run import Run, RunStatus
from flowlike_core.types import DataType, fits

if TYPE_CHECKING:
    from flowlike_nb.kernel.handles import Board


def node(fn: Callable[..., Any] | None = None, *, registry: Registry | None = None, **options: Any) -> Any:
    """`flowlike_core.node` for cells, plus registration: the type is usable at once (category "Custom"
    unless given), and redefining it updates live boards."""

    def make(func: Callable[..., Any]) -> type[NodeType]:
        node_type = core_node(func, **{"category": "Custom", **options})
        node_type.pack = func.__module__
        untyped = [p.name for p in inspect.signature(func).parameters.values() if p.annotation is p.empty]
        if untyped:
            one = len(untyped) == 1
            _warn(f"node {node_type.name!r}: {', '.join(untyped)} {'has' if one else 'have'} no type hint, so "
                  f"{'its pin takes' if one else 'their pins take'} any value (Generic); annotate "
                  f"{'it' if one else 'them'} ({untyped[0]}: int), or {untyped[0]}: Any for any value")
        return register(node_type, registry)

    return make(fn) if fn is not None else make


def register(node_type: type[NodeType], registry: Registry | None = None) -> type[NodeType]:
    """Register (or replace) a node type and bring the live boards that use it up to date. A key a pack provides
    is refused: replacing it would change every board using that pack's node, and the pack, loaded later, would
    quietly take it back."""
    registry = registry or default_registry()
    pack = node_type.pack or node_type.__module__
    if (taken := registry.provider(node_type.name)) is not None and taken != pack:
        raise ValueError(f"pack {taken!r} already has a node type {node_type.name!r}; give yours another key "
                         f"(another function name, or @fnb.node(name='my_{node_type.name}'))")
    registry.register(node_type, pack=pack, replace=True)
    return refresh_boards(node_type, registry)


def refresh_boards(node_type: type[NodeType], registry: Registry | None = None) -> type[NodeType]:
    from flowlike_nb.kernel.handles import live_boards, stable_pin_ids, with_pin_ids

    for board in live_boards():
        dropped = []
        for old in [n for n in board.nodes.values() if n.name == node_type.name]:
            fresh = node_type.create(node_id=old.id, coordinates=old.coordinates, friendly_name=old.friendly_name)
            fresh = with_pin_ids(fresh, stable_pin_ids(fresh))
            if _layout(fresh) != _layout(old) or fresh.description != old.description:
                dropped += replace_node(board, old.id, fresh)
        warn_dropped(f"redefining {node_type.name!r}", board, dropped)
    return node_type


def warn_dropped(what: str, board: CoreBoard, dropped: list[str]) -> None:
    """Say which wires `what` dropped from `board`, and why (nothing when it dropped none)."""
    if dropped:
        _warn(f"{what} dropped {len(dropped)} wire{'s' * (len(dropped) > 1)} of board {board.name!r}: "
              f"{'; '.join(dropped)}")


def _warn(message: str) -> None:
    """A UserWarning pointing at the cell: the first frame outside flowlike_nb and flowlike_core."""
    ours = (str(Path(__file__).parents[1]), str(Path(flowlike_core.__file__).parent))
    frame, level = sys._getframe(1), 2
    while frame.f_back is not None and frame.f_code.co_filename.startswith(ours):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)


def _layout(node: Node) -> list[tuple[Any, ...]]:
    return [(p.name, p.direction, p.data_type, p.value_type, p.schema_, p.generic) for p in node.ordered_pins()]


def _wire_text(board: CoreBoard, wire: Any) -> str:
    ends = [(board.nodes[node], board.nodes[node].pins[pin]) for node, pin in
            ((wire.from_node, wire.from_pin), (wire.to_node, wire.to_pin))]
    return " -> ".join(f"{node.friendly_name or node.name}.{pin.name}" for node, pin in ends)


def replace_node(board: CoreBoard, node_id: str, fresh: Node) -> list[str]:
    """Swap a node for a new version as one undo step, keeping what still fits (see the module doc); the wires
    dropped, each with why."""
    old = board.nodes[node_id]
    fresh = fresh.model_copy(deep=True)
    fresh.comment, fresh.layer = old.comment, old.layer
    seen: dict[tuple[str, str], int] = {}
    kept: set[str] = set()
    old_pins = old.ordered_pins()
    pins = {}
    for pin in fresh.ordered_pins():
        nth = seen.get((pin.direction, pin.name), 0)
        seen[(pin.direction, pin.name)] = nth + 1
        matches = [p for p in old_pins if (p.direction, p.name) == (pin.direction, pin.name)]
        if nth < len(matches):
            match = matches[nth]
            kept.add(match.id)
            if pin.is_input and match.default_value is not None and fits(match.default_value, pin.data_type,
                                                                          pin.value_type):
                pin.default_value = match.default_value
            pin = pin.model_copy(update={"id": match.id})
        pins[pin.id] = pin
    fresh.pins = pins
    label = old.friendly_name or old.name
    dropped, wires = [], []
    for wire in board.wires_of(node_id):
        gone = [old.pins[pin] for node, pin in ((wire.from_node, wire.from_pin), (wire.to_node, wire.to_pin))
                if node == node_id and pin not in kept]
        if gone:
            side = "input" if gone[0].is_input else "output"
            dropped.append(f"{_wire_text(board, wire)} ({label} has no {side} {gone[0].name!r} now)")
        else:
            wires.append(wire)
    trial = board.copy_board()
    trial.apply(commands.RemoveNode(node_id))
    trial.apply(commands.AddNode(fresh))
    surviving = []
    for wire in wires:
        step = commands.Connect(*wire.key())
        try:
            trial.apply(step)
        except ConnectionRefused as refused:
            dropped.append(f"{_wire_text(board, wire)} ({str(refused).partition(']: ')[2] or refused})")
            continue
        surviving.append(step)
    board.apply(commands.Batch([commands.RemoveNode(node_id), commands.AddNode(fresh), *surviving]))
    return dropped


# ---- boards as nodes -------------------------------------------------------------------------------------


class BoardNode(NodeType):
    """Runs a sub-board: its exposed variables are the inputs, its result the output."""

    board: CoreBoard
    sub_registry: Registry

    async def run(self, ctx: Context) -> None:
        variables = {v.name: ctx.get_input(v.name) for v in self.board.variables.values() if v.exposed}
        loop = asyncio.get_running_loop()
        finished = loop.create_future()

        class Ended(Listener):
            def finished(self, run: Run) -> None:
                loop.call_soon_threadsafe(lambda: finished.done() or finished.set_result(None))

        handle = start_run(self.board, variables=variables, registry=self.sub_registry, listeners=[Ended()])
        try:
            await finished
        except asyncio.CancelledError:
            handle.cancel()
            raise
        sub_run = handle.wait()
        for line in sub_run.logs():
            ctx.log(line.level, f"[{self.board.name}] {line.message}")
        if sub_run.status is not RunStatus.SUCCESS:
            where = sub_run.board.nodes[sub_run.error_node].label() if sub_run.error_node in sub_run.board.nodes \
                else "?"
            raise NodeFailed(f"sub-board {self.board.name!r} {sub_run.status.value.lower()} at node {where}: "
                             f"{sub_run.error}")
        ctx.set_output("result", sub_run.result)
        ctx.activate("exec_out")


def board_node(board: Board, key: str | None = None, friendly_name: str | None = None) -> type[NodeType]:
    """A node type (registered in the board's registry) whose runs run `board` with its inputs."""
    core = board.core
    inputs = tuple(data_in(v.name, v.data_type, v.value_type, default=v.default_value, description=v.description,
                           schema=v.schema_) for v in core.variables.values() if v.exposed)
    attrs = {
        "name": key or "board_" + re.sub(r"\W+", "_", core.name.lower()).strip("_"),
        "friendly_name": friendly_name or core.name,
        "description": core.description or f"Runs the board {core.name!r}",
        "category": "Boards",
        "pins": (exec_in(), *inputs, exec_out(), data_out("result", DataType.GENERIC)),
        "board": core,
        "sub_registry": board.registry,
        "pack": "__main__",
    }
    return register(type(f"Board_{core.name}", (BoardNode,), attrs), board.registry)
