"""Which node statuses of the run shown on the canvas an edit makes out of date (the canvas marks them stale).

An edit of the picture only (moving, comments, layers, breakpoints, a node's name or comment) changes no result.
Any other edit makes stale the nodes it changes (for a wire: the node it goes into) and every node after them along
wires, exec and data alike: what they compute, or whether they run, may differ now. An edit that cannot be told
apart (`None`: the board was replaced) makes every status stale.
"""

from __future__ import annotations

from collections import defaultdict

from flowlike_core import commands
from flowlike_core.board import Board

PICTURE_ONLY = (commands.MoveNode, commands.UpsertComment, commands.RemoveComment, commands.UpdateLayer,
                commands.ToggleBreakpoint, commands.CreateLayer, commands.RemoveLayer)


def _parts(command: commands.Command) -> list[commands.Command]:
    if isinstance(command, commands.Batch):
        return [part for inner in command.commands for part in _parts(inner)]
    return [command]


def stale_nodes(board: Board, command: commands.Command | None) -> set[str] | None:
    """Ids of the nodes whose last results `command` (just applied or undone) may have changed; None: all."""
    if command is None:
        return None
    changed: set[str] = set()
    for part in _parts(command):
        if isinstance(part, PICTURE_ONLY) or (isinstance(part, commands.UpdateNode) and not part.defaults):
            continue
        if isinstance(part, commands.Connect | commands.Disconnect):
            changed.add(part.to_node)
            continue
        try:
            changed |= part.touches_nodes(board)
        except Exception:  # the command no longer fits the board (undone): say every result may be out of date
            return None
    return downstream(board, changed)


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
