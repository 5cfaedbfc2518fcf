"""Edits as commands with undo and redo, shared by cells and the editor.

Each command changes a few nodes and maybe some wires. Before it runs, it snapshots exactly those nodes, and the
board logs the wires it adds and removes (`Board.recording_wires`); undo puts the nodes back and reverses the wire
changes: one mechanism for every command, whose cost is what the command touches, not the board's size.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from flowlike_core import wiring
from flowlike_core.board import Board, Comment, Connection, Layer, Node, PinDirection, Variable, WireChange
from flowlike_core.errors import BoardError, NothingToUndo, UnknownNodeError, UnknownPinError
from flowlike_core.types import fits, to_json_native, type_label

if TYPE_CHECKING:
    from flowlike_core.node import NodeType
    from flowlike_core.registry import Registry


@dataclass
class _Snapshot:
    nodes: dict[str, Node | None]
    variables: dict[str, Variable | None]
    comments: dict[str, Comment | None]
    layers: dict[str, Layer | None]
    wires: list[WireChange] = field(default_factory=list)
    """The wire changes the command made, filled in while it runs (`History._run`)."""

    @classmethod
    def take(cls, board: Board, command: Command) -> _Snapshot:
        def copy(items: dict[str, Any], keys: set[str]) -> dict[str, Any]:
            return {k: _copy(items[k]) if k in items else None for k in keys}

        return cls(
            nodes=copy(board.nodes, command.touches_nodes(board)),
            variables=copy(board.variables, command.touches_variables()),
            comments=copy(board.comments, command.touches_comments()),
            layers=copy(board.layers, command.touches_layers(board)),
        )

    def restore(self, board: Board) -> None:
        for target, saved in ((board.nodes, self.nodes), (board.variables, self.variables),
                              (board.comments, self.comments), (board.layers, self.layers)):
            for key, item in saved.items():
                if item is None:
                    target.pop(key, None)
                else:
                    target[key] = _copy(item)
        board.unwind_wires(self.wires)

    def holds(self, board: Board) -> bool:
        """Whether the board is still as taken here: an edit that changed nothing (a wire dragged again, a value
        typed again) is no undo step and no new revision."""
        return all(target.get(key) == item
                   for target, saved in ((board.nodes, self.nodes), (board.variables, self.variables),
                                         (board.comments, self.comments), (board.layers, self.layers))
                   for key, item in saved.items()) and not self.wires


def _copy(item: Node | Variable | Comment | Layer) -> Any:
    """Copy deep enough for undo: commands replace field values and never change them in place, so copying
    the models (a node with its pins) suffices, and is far cheaper than a deep copy of every value."""
    if isinstance(item, Node):
        return item.model_copy(update={"pins": {k: pin.model_copy() for k, pin in item.pins.items()}})
    return item.model_copy()


def json_default(value: Any, where: str) -> Any:
    """`value` as a default is kept: JSON in the board file. Refused when it has no JSON form (a DataFrame, say),
    rather than kept as its repr, which the node would later receive as text."""
    try:
        return to_json_native(value, strict=True)
    except TypeError as exc:
        raise BoardError(f"{where}: {exc}, so it cannot be a default (defaults are saved in the board file); "
                         f"bring it when the board runs: a wire from a node, or a variable set by "
                         f"board.run({{name: value}})") from None


class Command:
    """An edit. Subclasses say what they touch and implement `do`, which changes wires through `Board.add_wire` and
    `Board.remove_wires` (logged for undo), never by assigning `board.connections`."""

    label: ClassVar[str] = "edit"

    def touches_nodes(self, board: Board) -> set[str]:
        return set()

    def touches_variables(self) -> set[str]:
        return set()

    def touches_comments(self) -> set[str]:
        return set()

    def touches_layers(self, board: Board) -> set[str]:
        return set()

    def do(self, board: Board) -> Any:
        raise NotImplementedError


def _node(board: Board, node_id: str) -> Node:
    if node_id not in board.nodes:
        raise UnknownNodeError(f"board {board.name!r} has no node {node_id!r}")
    return board.nodes[node_id]


def _pin_id(node: Node, key: str, direction: PinDirection) -> str:
    """A pin by id, else by name on the expected side, else by name on either side (the rules then judge)."""
    if key in node.pins:
        return key
    try:
        return node.pin(key, direction).id
    except UnknownPinError:
        return node.pin(key).id


def _wire(board: Board, from_node: str, from_pin: str, to_node: str, to_pin: str) -> Connection:
    source, target = _node(board, from_node), _node(board, to_node)
    return Connection(from_node=source.id, from_pin=_pin_id(source, from_pin, PinDirection.OUTPUT),
                      to_node=target.id, to_pin=_pin_id(target, to_pin, PinDirection.INPUT))


@dataclass
class AddNode(Command):
    node: Node
    label: ClassVar[str] = "add node"

    def touches_nodes(self, board: Board) -> set[str]:
        return {self.node.id}

    def touches_layers(self, board: Board) -> set[str]:
        return {self.node.layer} & board.layers.keys()

    def do(self, board: Board) -> Node:
        if self.node.id in board.nodes:
            raise BoardError(f"board {board.name!r} already has a node with id {self.node.id!r}")
        if self.node.layer is not None and self.node.layer not in board.layers:
            raise BoardError(f"board {board.name!r} has no layer {self.node.layer!r} for node {self.node.label()}")
        board.nodes[self.node.id] = _copy(self.node)
        members = board.layers[self.node.layer].nodes if self.node.layer is not None else [self.node.id]
        if self.node.id not in members:  # a layer declared with its nodes (a board written as code) lists it once
            _set_members(board, self.node.layer, [*members, self.node.id])
        return board.nodes[self.node.id]


@dataclass
class RemoveNode(Command):
    node_id: str
    label: ClassVar[str] = "remove node"

    def touches_nodes(self, board: Board) -> set[str]:
        neighbours = {n for c in board.wires_of(self.node_id) for n in (c.from_node, c.to_node)}
        return {self.node_id} | neighbours | wiring.generic_reach(board, neighbours)

    def touches_layers(self, board: Board) -> set[str]:
        node = board.nodes.get(self.node_id)
        return {node.layer} & board.layers.keys() if node is not None else set()

    def do(self, board: Board) -> None:
        layer = _node(board, self.node_id).layer
        wires = board.wires_of(self.node_id)
        neighbours = {n for c in wires for n in (c.from_node, c.to_node)}
        board.remove_wires(wires)
        del board.nodes[self.node_id]
        if layer in board.layers:
            _set_members(board, layer, [n for n in board.layers[layer].nodes if n != self.node_id])
        wiring.settle_generics(board, neighbours - {self.node_id})


@dataclass
class MoveNode(Command):
    node_id: str
    coordinates: tuple[float, float, float]
    label: ClassVar[str] = "move node"

    def touches_nodes(self, board: Board) -> set[str]:
        return {self.node_id}

    def do(self, board: Board) -> None:
        x, y, *z = self.coordinates
        _node(board, self.node_id).coordinates = (float(x), float(y), float(z[0] if z else 0.0))


@dataclass
class UpdateNode(Command):
    """Change a node's friendly name, comment or input defaults (by pin name or id)."""

    node_id: str
    friendly_name: str | None = None
    comment: str | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    label: ClassVar[str] = "update node"

    def touches_nodes(self, board: Board) -> set[str]:
        return {self.node_id}

    def do(self, board: Board) -> None:
        node = _node(board, self.node_id)
        for key, value in self.defaults.items():
            pin = node.pin(key)
            native = json_default(value, f"pin {pin.name!r} of {node.label()}")
            if not pin.is_input or pin.is_exec:
                raise BoardError(f"pin {pin.name!r} of {node.label()} is not a data input; it has no default")
            if not fits(native, pin.data_type, pin.value_type):
                raise BoardError(f"value {reprlib.repr(value)} does not fit pin {pin.name!r} of {node.label()}, "
                                 f"which takes {pin.type_label()}")
            if pin.options and pin.options.valid_values is not None and native not in pin.options.valid_values:
                raise BoardError(f"value {reprlib.repr(value)} is not one of the valid values of pin {pin.name!r} of "
                                 f"{node.label()}: {pin.options.valid_values!r}")
            if pin.options and pin.options.outside(native):
                raise BoardError(f"value {reprlib.repr(value)} is outside the range of pin {pin.name!r} of "
                                 f"{node.label()}: {pin.options.range_text()}")
            pin.default_value = native
        if self.friendly_name is not None:
            node.friendly_name = self.friendly_name
        if self.comment is not None:
            node.comment = self.comment or None


@dataclass
class SetKeys(Command):
    """Make a node's pins of keys (`NodeType.keyed_input`) exactly `keys`, in order, or what its type derives from
    its typed-in values when `keys` is None (Format String's placeholders: batched after an `UpdateNode`). Pins of
    keys it keeps stay as they are (value, wires); new ones come from the type; the others go with their wires."""

    node_id: str
    node_type: type[NodeType]
    keys: list[str] | None = None
    label: ClassVar[str] = "set keys"

    def touches_nodes(self, board: Board) -> set[str]:
        sources = {c.from_node for c in board.wires_of(self.node_id) if c.to_node == self.node_id}
        return {self.node_id} | sources | wiring.generic_reach(board, {self.node_id} | sources)

    def do(self, board: Board) -> None:
        node, node_type = _node(board, self.node_id), self.node_type
        template = node_type.keyed_input
        if template is None:
            raise BoardError(f"{node.label()} takes no pins of keys (its type {node_type.name!r} declares none)")
        declared = node_type.input_names()
        keyed = {pin.name: pin for pin in node.pins.values() if pin.is_input and pin.name not in declared}
        if self.keys is None:
            values = {pin.name: pin.default_value for pin in node.pins.values() if pin.is_input}
            keys = node_type.keys_for(values)
            if keys is None:
                return
        else:
            keys = self.keys
        wrong = [key for key in keys if not re.fullmatch(r"\w+", key) or key in declared]
        if wrong or len(set(keys)) != len(keys):
            raise BoardError(f"keys {keys!r} of {node.label()}: each must be a word, once, and not a declared "
                             f"input ({', '.join(sorted(declared))})")
        gone = {pin.id for name, pin in keyed.items() if name not in keys}
        pins = {pin_id: pin for pin_id, pin in node.pins.items() if pin_id not in gone}
        index = max((pin.index for pin in node.pins.values()), default=-1) + 1
        for key in keys:
            if key not in keyed:
                pin = template.keyed(key).to_pin(index)
                pins[pin.id] = pin
                index += 1
        node.pins = pins
        cut = [c for c in board.wires_of(node.id) if c.to_node == node.id and c.to_pin in gone]
        if cut:
            board.remove_wires(cut)
            wiring.settle_generics(board, {node.id} | {c.from_node for c in cut})


def update_node(board: Board, registry: Registry, node_id: str, **changes: Any) -> Command:
    """`UpdateNode(node_id, **changes)`, its defaults as the node's type keeps them (`NodeType.typed_default`: a path
    typed as text for a path input), and after it, when the type derives its pins of keys from its values (Format
    String's placeholders), `SetKeys` following them: one undo step. A name cleared to blank gives the node its
    type's friendly name back, as a fresh node of the type has. What an editor applies."""
    node = board.nodes.get(node_id)
    node_type = registry.get(node.name) if node is not None and node.name in registry else None
    if node_type is None:
        return UpdateNode(node_id, **changes)
    if changes.get("friendly_name") is not None and not changes["friendly_name"].strip():
        changes = {**changes, "friendly_name": node_type.friendly_name or node_type.name}  # cleared: the type's name
    update = UpdateNode(node_id, **{**changes, "defaults": {
        key: node_type.typed_default(node.pins[key].name if key in node.pins else key, value)
        for key, value in changes.get("defaults", {}).items()}})
    if node_type.keyed_input is None or not update.defaults:
        return update
    return Batch([update, SetKeys(node_id, node_type)])


@dataclass
class ToggleBreakpoint(Command):
    """Set (`on=True`), clear (`on=False`) or flip (`on=None`) a node's breakpoint (see `flowlike_core.debugger`)."""

    node_id: str
    on: bool | None = None
    label: ClassVar[str] = "toggle breakpoint"

    def touches_nodes(self, board: Board) -> set[str]:
        return {self.node_id}

    def do(self, board: Board) -> bool:
        node = _node(board, self.node_id)
        node.breakpoint = not node.breakpoint if self.on is None else self.on
        return node.breakpoint


@dataclass
class Connect(Command):
    """Wire an output pin to an input pin; a data input's old wire, or an exec output's, is replaced."""

    from_node: str
    from_pin: str
    to_node: str
    to_pin: str
    label: ClassVar[str] = "connect"

    def _connection(self, board: Board) -> Connection:
        return _wire(board, self.from_node, self.from_pin, self.to_node, self.to_pin)

    def touches_nodes(self, board: Board) -> set[str]:
        connection = self._connection(board)
        ends = {connection.from_node, connection.to_node}
        others = {n for c in wiring.displaced(board, connection) for n in (c.from_node, c.to_node)}
        return ends | others | wiring.generic_reach(board, ends | others)

    def do(self, board: Board) -> Connection:
        connection = self._connection(board)
        wiring.check(board, connection)
        if connection in board.wires_into(connection.to_node, connection.to_pin):
            return connection
        old = wiring.displaced(board, connection)
        board.remove_wires(old)
        board.add_wire(connection)
        wiring.settle_generics(board, {connection.from_node, connection.to_node} |
                               {n for c in old for n in (c.from_node, c.to_node)})
        return connection


@dataclass
class Disconnect(Command):
    from_node: str
    from_pin: str
    to_node: str
    to_pin: str
    label: ClassVar[str] = "disconnect"

    def touches_nodes(self, board: Board) -> set[str]:
        ends = {self.from_node, self.to_node}
        return ends | wiring.generic_reach(board, ends)

    def do(self, board: Board) -> None:
        connection = _wire(board, self.from_node, self.from_pin, self.to_node, self.to_pin)
        source, target = board.nodes[connection.from_node], board.nodes[connection.to_node]
        held = [c for c in board.wires_into(connection.to_node, connection.to_pin) if c == connection]
        if not held:
            raise BoardError(f"no wire {source.label()}.{self.from_pin} -> {target.label()}.{self.to_pin}")
        board.remove_wires(held)
        wiring.settle_generics(board, {source.id, target.id})


@dataclass
class UpsertVariable(Command):
    variable: Variable
    label: ClassVar[str] = "set variable"

    def touches_variables(self) -> set[str]:
        return {self.variable.id}

    def do(self, board: Board) -> Variable:
        clash = [v for v in board.variables.values() if v.name == self.variable.name and v.id != self.variable.id]
        if clash:
            raise BoardError(f"board {board.name!r} already has a variable called {self.variable.name!r}")
        variable = self.variable
        native = json_default(variable.default_value, f"variable {variable.name!r}")  # (bytes as byte values)
        if not fits(native, variable.data_type, variable.value_type):
            raise BoardError(f"default {reprlib.repr(variable.default_value)} of variable {variable.name!r} "
                             f"does not fit its type {type_label(variable.data_type, variable.value_type)}")
        board.variables[variable.id] = variable.model_copy(update={"default_value": native})
        return board.variables[self.variable.id]


@dataclass
class RemoveVariable(Command):
    variable_id: str
    label: ClassVar[str] = "remove variable"

    def touches_variables(self) -> set[str]:
        return {self.variable_id}

    def do(self, board: Board) -> None:
        if self.variable_id not in board.variables:
            raise BoardError(f"board {board.name!r} has no variable with id {self.variable_id!r}")
        del board.variables[self.variable_id]


@dataclass
class UpsertComment(Command):
    comment: Comment
    label: ClassVar[str] = "set comment"

    def touches_comments(self) -> set[str]:
        return {self.comment.id}

    def do(self, board: Board) -> Comment:
        board.comments[self.comment.id] = _copy(self.comment)
        return board.comments[self.comment.id]


@dataclass
class RemoveComment(Command):
    comment_id: str
    label: ClassVar[str] = "remove comment"

    def touches_comments(self) -> set[str]:
        return {self.comment_id}

    def do(self, board: Board) -> None:
        if self.comment_id not in board.comments:
            raise BoardError(f"board {board.name!r} has no comment with id {self.comment_id!r}")
        del board.comments[self.comment_id]


def _set_members(board: Board, layer_id: str, nodes: list[str]) -> None:
    """A layer's node list, replaced (never changed in place: undo snapshots share the old list)."""
    board.layers[layer_id] = board.layers[layer_id].model_copy(update={"nodes": nodes})


def _where(board: Board, layer_id: str | None) -> str:
    return f"layer {board.layers[layer_id].name!r}" if layer_id in board.layers else "the board's top level"


@dataclass
class CreateLayer(Command):
    """Collapse nodes (and layers) into a new layer: the editor draws them as one box whose pins are the wires
    crossing its edge.

    What goes in must all be drawn at one level: the board, or the layer `layer.parent_id` (the new layer then sits
    inside it). `inner` names layers of that level that move into the new one, with everything inside them."""

    layer: Layer
    inner: list[str] = field(default_factory=list)
    label: ClassVar[str] = "create layer"

    def touches_nodes(self, board: Board) -> set[str]:
        return set(self.layer.nodes)

    def touches_layers(self, board: Board) -> set[str]:
        return {self.layer.id, *self.inner} | ({self.layer.parent_id} & board.layers.keys())

    def do(self, board: Board) -> Layer:
        parent = self.layer.parent_id
        if self.layer.id in board.layers:
            raise BoardError(f"board {board.name!r} already has a layer with id {self.layer.id!r}")
        if parent is not None and parent not in board.layers:
            raise BoardError(f"board {board.name!r} has no layer {parent!r} to put layer {self.layer.name!r} in")
        if not self.layer.nodes and not self.inner:
            raise BoardError(f"layer {self.layer.name!r} needs at least one node or layer")
        for node_id in self.layer.nodes:
            node = _node(board, node_id)
            level = node.layer if node.layer in board.layers else None
            if level != parent:
                raise BoardError(f"node {node.label()} is in {_where(board, level)}, not in {_where(board, parent)}")
        for layer_id in self.inner:
            if layer_id not in board.layers:
                raise BoardError(f"board {board.name!r} has no layer {layer_id!r} to put in {self.layer.name!r}")
            if board.layers[layer_id].parent_id != parent:
                raise BoardError(f"{_where(board, layer_id)} is in {_where(board, board.layers[layer_id].parent_id)}, "
                                 f"not in {_where(board, parent)}")
        for node_id in self.layer.nodes:
            board.nodes[node_id].layer = self.layer.id
        if parent is not None:
            moved = set(self.layer.nodes)
            _set_members(board, parent, [n for n in board.layers[parent].nodes if n not in moved])
        board.layers[self.layer.id] = _copy(self.layer)
        for layer_id in self.inner:
            board.layers[layer_id] = board.layers[layer_id].model_copy(update={"parent_id": self.layer.id})
        return board.layers[self.layer.id]


@dataclass
class RemoveLayer(Command):
    """Dissolve a layer: its nodes and the layers inside it move one level up, to where the layer was."""

    layer_id: str
    label: ClassVar[str] = "remove layer"

    def touches_nodes(self, board: Board) -> set[str]:
        layer = board.layers.get(self.layer_id)
        return set(layer.nodes) & board.nodes.keys() if layer is not None else set()

    def touches_layers(self, board: Board) -> set[str]:
        layer = board.layers.get(self.layer_id)
        parent = {layer.parent_id} & board.layers.keys() if layer is not None else set()
        return {self.layer_id} | parent | {inner.id for inner in board.layers_in(self.layer_id)}

    def do(self, board: Board) -> None:
        if self.layer_id not in board.layers:
            raise BoardError(f"board {board.name!r} has no layer with id {self.layer_id!r}")
        layer = board.layers.pop(self.layer_id)
        members = [n for n in layer.nodes if n in board.nodes]
        for node_id in members:
            board.nodes[node_id].layer = layer.parent_id
        if layer.parent_id is not None:
            _set_members(board, layer.parent_id, [*board.layers[layer.parent_id].nodes, *members])
        for inner in board.layers_in(self.layer_id):
            board.layers[inner.id] = inner.model_copy(update={"parent_id": layer.parent_id})


@dataclass
class UpdateLayer(Command):
    """Rename a layer or move its collapsed box."""

    layer_id: str
    name: str | None = None
    coordinates: tuple[float, float, float] | None = None
    label: ClassVar[str] = "update layer"

    def touches_layers(self, board: Board) -> set[str]:
        return {self.layer_id}

    def do(self, board: Board) -> Layer:
        if self.layer_id not in board.layers:
            raise BoardError(f"board {board.name!r} has no layer with id {self.layer_id!r}")
        update: dict[str, Any] = {}
        if self.name is not None:
            if not self.name.strip():
                raise BoardError(f"layer {board.layers[self.layer_id].name!r} needs a name (got an empty one)")
            update["name"] = self.name.strip()
        if self.coordinates is not None:
            x, y, *z = self.coordinates
            update["coordinates"] = (float(x), float(y), float(z[0] if z else 0.0))
        board.layers[self.layer_id] = board.layers[self.layer_id].model_copy(update=update)
        return board.layers[self.layer_id]


@dataclass
class Batch(Command):
    """Several commands as one undo step (a paste, a multi-delete); all or nothing."""

    commands: list[Command]
    label: ClassVar[str] = "batch"

    def do(self, board: Board) -> list[Any]:
        raise NotImplementedError("a Batch is applied part by part through History")


def _parts(command: Command) -> list[Command]:
    if isinstance(command, Batch):
        return [part for inner in command.commands for part in _parts(inner)]
    return [command]


class History:
    """Undo and redo stacks of one board. A failed command leaves the board as it was."""

    def __init__(self, board: Board, limit: int = 500) -> None:
        self.board = board
        self.limit = limit
        self.done: list[tuple[Command, list[_Snapshot]]] = []
        self.undone: list[Command] = []

    def _run(self, command: Command) -> tuple[Any, list[_Snapshot]]:
        parts = _parts(command)
        snapshots: list[_Snapshot] = []
        try:
            results = []
            for part in parts:
                snapshots.append(_Snapshot.take(self.board, part))
                with self.board.recording_wires(snapshots[-1].wires):
                    results.append(part.do(self.board))
        except BaseException:
            for snapshot in reversed(snapshots):
                snapshot.restore(self.board)
            raise
        return (results if isinstance(command, Batch) else results[0]), snapshots

    def apply(self, command: Command) -> Any:
        result, snapshots = self._run(command)
        if all(snapshot.holds(self.board) for snapshot in snapshots):
            return result
        self.done.append((command, snapshots))
        del self.done[: -self.limit]
        self.undone.clear()
        self.board.touch(command)
        return result

    def place(self, positions: dict[str, tuple[float, float, float]]) -> None:
        """Move nodes without an undo step (laying out a board being opened is not an edit): the undo
        snapshots of those nodes take the new place too, so that no undo moves them back."""
        for node_id, xyz in positions.items():
            if node_id in self.board.nodes:
                self.board.nodes[node_id].coordinates = xyz
        for _command, snapshots in self.done:
            for snapshot in snapshots:
                for node_id, node in snapshot.nodes.items():
                    if node is not None and node_id in positions:
                        node.coordinates = positions[node_id]
        self.board.touch(None)

    def undo(self) -> Command:
        if not self.done:
            raise NothingToUndo(f"nothing to undo on board {self.board.name!r}")
        command, snapshots = self.done.pop()
        for snapshot in reversed(snapshots):
            snapshot.restore(self.board)
        self.undone.append(command)
        self.board.touch(command)
        return command

    def redo(self) -> Command:
        if not self.undone:
            raise NothingToUndo(f"nothing to redo on board {self.board.name!r}")
        command = self.undone.pop()
        _, snapshots = self._run(command)
        self.done.append((command, snapshots))
        self.board.touch(command)
        return command

    @property
    def can_undo(self) -> bool:
        return bool(self.done)

    @property
    def can_redo(self) -> bool:
        return bool(self.undone)
