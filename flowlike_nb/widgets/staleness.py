"""Which node statuses of the run shown on the canvas an edit makes out of date (the canvas marks them stale).

An edit of the picture only (moving, comments, layers, breakpoints, a node's name or comment) changes no result.
Any other edit makes stale the nodes it changes and every node after them along wires, exec and data alike: what
they compute, or whether they run, may differ now. A node changes when a wire into it comes or goes (a wire added,
removed, replaced by another, or gone with a removed node: the patch sent to the canvas names them all), when its
input defaults or its pins (Format String's placeholders) change, when it comes back (an undone removal), and, for
a variable edit, when it names that variable. The nodes before a change keep their statuses: what feeds a removed
or changed node computes what it did. An edit that cannot be told apart (`None`: the board was replaced, a variable
removed) makes every status stale."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from flowlike_core import commands
from flowlike_core.board import Board, Variable

PICTURE_ONLY = (commands.MoveNode, commands.UpsertComment, commands.RemoveComment, commands.UpdateLayer,
                commands.ToggleBreakpoint, commands.CreateLayer, commands.RemoveLayer)


def parts(command: commands.Command) -> list[commands.Command]:
    """The commands an edit is made of (a Batch opened, at any depth)."""
    if isinstance(command, commands.Batch):
        return [part for inner in command.commands for part in parts(inner)]
    return [command]


def stale_nodes(board: Board, command: commands.Command | None,
                rewired: Iterable[Mapping[str, str]]) -> set[str] | None:
    """Ids of the nodes whose last results `command` (just applied or undone) may have changed; None: all.
    `rewired`: the wires the edit added or removed (`to_node` is the end that changes)."""
    if command is None:
        return None
    changed = {wire["to_node"] for wire in rewired}
    for part in parts(command):
        if isinstance(part, PICTURE_ONLY) or (isinstance(part, commands.UpdateNode) and not part.defaults):
            continue
        if isinstance(part, commands.Connect | commands.Disconnect):
            continue  # its wires (and any it replaced) are in `rewired`
        if isinstance(part, commands.AddNode):
            changed.add(part.node.id)
        elif isinstance(part, commands.RemoveNode | commands.UpdateNode | commands.SetKeys):
            changed.add(part.node_id)  # (what fed it is as it was: the wires that went are in `rewired`)
        elif isinstance(part, commands.UpsertVariable):
            changed |= _readers(board, part.variable)
        elif isinstance(part, commands.RemoveVariable):  # its name is gone with it: any node may have read it
            return None
        else:
            try:
                changed |= part.touches_nodes(board)
            except Exception:  # the command no longer fits the board (undone): say every result may be out of date
                return None
    return downstream(board, changed & board.nodes.keys())


def _readers(board: Board, variable: Variable) -> set[str]:
    """Nodes that name the variable (by id or name, before or after the edit) in an input, as Get and Set do."""
    now = board.variables.get(variable.id)
    names = {variable.id, variable.name, *([now.name] if now is not None else [])}
    return {node.id for node in board.nodes.values()
            if any(pin.is_input and isinstance(pin.default_value, str) and pin.default_value in names
                   for pin in node.pins.values())}


def downstream(board: Board, nodes: set[str]) -> set[str]:
    """`nodes` and every node a wire leads to from them, directly or through others."""
    after: dict[str, set[str]] = defaultdict(set)
    for wire in board.connections:
        after[wire.from_node].add(wire.to_node)
    found, todo = set(nodes), list(nodes)
    while todo:
        for node_id in after[todo.pop()] - found:
            found.add(node_id)
            todo.append(node_id)
    return found
