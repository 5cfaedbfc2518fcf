"""The Board document: nodes with typed pins, wires, variables, comments and layers.

A Board is plain data (a pydantic model) and its file format is canonical JSON: stable key order,
JSON-native values and no runtime state, so that load, save, load is the identity and diffs stay small.
Edits go through `flowlike_core.commands` so that they can be undone; reading is free.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from flowlike_core.errors import BoardError, BoardFileError, UnknownNodeError, UnknownPinError
from flowlike_core.files import atomic_write, is_temporary, refuse_to_replace
from flowlike_core.plain_json import check_value, loads, read_file
from flowlike_core.types import DataType, ValueType, type_label

if TYPE_CHECKING:
    from flowlike_core.commands import Command, History
    from flowlike_core.events import Listener as RunListener
    from flowlike_core.policy import Policy
    from flowlike_core.registry import Registry
    from flowlike_core.run import Run
    from flowlike_core.validate import Problem

FORMAT = "flowlike-nb/board@1"
SUFFIX = ".board.json"


def new_id() -> str:
    """A short random id; long enough to never collide inside one board."""
    return uuid.uuid4().hex[:12]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True, allow_inf_nan=False)


def _keyed_by_id(table: str, items: Any) -> None:
    """Items are stored by id: an item without one takes its key, a different one is an error."""
    if not isinstance(items, dict):
        return
    for key, item in items.items():
        if isinstance(item, dict):
            if item.setdefault("id", key) != key:
                raise ValueError(f"{table}.{key}: its id {item['id']!r} differs from its key {key!r}")
        elif getattr(item, "id", key) != key:
            raise ValueError(f"{table}.{key}: its id {item.id!r} differs from its key {key!r}")


class PinDirection(StrEnum):
    INPUT = "Input"
    OUTPUT = "Output"


class LogLevel(StrEnum):
    DEBUG = "Debug"
    INFO = "Info"
    WARN = "Warn"
    ERROR = "Error"
    FATAL = "Fatal"


class PinOptions(_Model):
    valid_values: list[Any] | None = None
    range: tuple[float, float] | None = None
    step: float | None = None
    sensitive: bool = False
    required: bool = False

    _plain = field_validator("valid_values")(check_value)

    def outside(self, value: Any) -> bool:
        """Whether `value` is a number beyond `range` (the editor's slider keeps to it; a typed value must too)."""
        return self.range is not None and isinstance(value, int | float) and not isinstance(value, bool) \
            and not self.range[0] <= value <= self.range[1]

    def range_text(self) -> str:
        """`range` as a message says it: "0 to 10"."""
        low, high = (int(end) if float(end).is_integer() else end for end in self.range or ())
        return f"{low} to {high}"


class Pin(_Model):
    id: str = Field(default_factory=new_id)
    name: str
    friendly_name: str = ""
    description: str = ""
    direction: PinDirection
    data_type: DataType
    value_type: ValueType = ValueType.NORMAL
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    default_value: Any = None
    index: int = 0
    options: PinOptions | None = None
    generic: str | None = None
    """Type variable of a pin declared Generic: pins of one node sharing it take one concrete type."""

    _plain = field_validator("default_value", "schema_")(check_value)

    @property
    def is_exec(self) -> bool:
        return self.data_type is DataType.EXECUTION

    @property
    def is_input(self) -> bool:
        return self.direction is PinDirection.INPUT

    def type_label(self) -> str:
        return type_label(self.data_type, self.value_type)


class Node(_Model):
    id: str = Field(default_factory=new_id)
    name: str
    """Catalog type key, e.g. `control_branch`."""
    friendly_name: str = ""
    description: str = ""
    category: str = ""
    coordinates: tuple[float, float, float] = (0.0, 0.0, 0.0)
    comment: str | None = None
    layer: str | None = None
    breakpoint: bool = Field(default=False, exclude_if=lambda on: not on)
    """A debug run pauses before this node (`flowlike_core.debugger`); written to the file only when set."""
    flowlike: dict[str, Any] | None = Field(default=None, exclude_if=lambda kept: kept is None)
    """Flow-Like's own fields that have no place here (icon, scores, a comment's author...), kept as read so
    that export writes them back (`flowlike_core.interop`); written to the file only when set."""
    pins: dict[str, Pin] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _pins_keyed_by_id(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _keyed_by_id("pins", data.get("pins"))
        return data

    def ordered_pins(self, direction: PinDirection | str | None = None) -> list[Pin]:
        direction = PinDirection(direction) if direction else None
        pins = (p for p in self.pins.values() if direction is None or p.direction is direction)
        return sorted(pins, key=lambda p: (p.direction.value != "Input", p.index))

    @property
    def inputs(self) -> list[Pin]:
        return self.ordered_pins(PinDirection.INPUT)

    @property
    def outputs(self) -> list[Pin]:
        return self.ordered_pins(PinDirection.OUTPUT)

    @property
    def is_pure(self) -> bool:
        """A node without exec pins computes a value on demand instead of taking part in control flow."""
        return not any(p.is_exec for p in self.pins.values())

    def pin(self, key: str, direction: PinDirection | str | None = None) -> Pin:
        """Find a pin by id, or by name (inputs first unless a direction is given)."""
        direction = PinDirection(direction) if direction else None
        if key in self.pins and (direction is None or self.pins[key].direction is direction):
            return self.pins[key]
        for pin in self.ordered_pins(direction):
            if pin.name == key:
                return pin
        where = f" {direction.value.lower()}" if direction else ""
        names = ", ".join(p.name for p in self.ordered_pins(direction))
        raise UnknownPinError(f"node {self.label()} has no{where} pin {key!r} (pins: {names})")

    def label(self) -> str:
        return f"{self.friendly_name or self.name!r} ({self.id})"


class Connection(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True)
    from_node: str
    from_pin: str
    to_node: str
    to_pin: str

    def key(self) -> tuple[str, str, str, str]:
        return (self.from_node, self.from_pin, self.to_node, self.to_pin)

    def __eq__(self, other: object) -> bool:
        """By the four ids only: wires are compared constantly while editing, pydantic's general __eq__ is slow."""
        return isinstance(other, Connection) and (
            self.from_pin == other.from_pin and self.to_pin == other.to_pin
            and self.from_node == other.from_node and self.to_node == other.to_node
        )

    def __hash__(self) -> int:
        return hash(self.key())


class Variable(_Model):
    id: str = Field(default_factory=new_id)
    name: str
    description: str = ""
    data_type: DataType = DataType.STRING
    value_type: ValueType = ValueType.NORMAL
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    default_value: Any = None
    exposed: bool = False
    secret: bool = False
    editable: bool = True
    flowlike: dict[str, Any] | None = Field(default=None, exclude_if=lambda kept: kept is None)
    """Flow-Like's own fields that have no place here (icon, scores, a comment's author...), kept as read so
    that export writes them back (`flowlike_core.interop`); written to the file only when set."""

    _plain = field_validator("default_value", "schema_")(check_value)


class Comment(_Model):
    id: str = Field(default_factory=new_id)
    content: str = ""
    coordinates: tuple[float, float, float] = (0.0, 0.0, 0.0)
    width: float = 240.0
    height: float = 120.0
    color: str | None = None
    flowlike: dict[str, Any] | None = Field(default=None, exclude_if=lambda kept: kept is None)
    """Flow-Like's own fields that have no place here (icon, scores, a comment's author...), kept as read so
    that export writes them back (`flowlike_core.interop`); written to the file only when set."""


class Layer(_Model):
    """A collapsed sub-graph: its nodes are drawn as one box whose pins are the wires crossing its edge.

    A layer may sit inside another (`parent_id`, as in Flow-Like's layers); `nodes` lists the nodes directly in it
    (each with `layer` set to it), while the layers inside it name it as their parent."""

    id: str = Field(default_factory=new_id)
    name: str
    parent_id: str | None = None
    coordinates: tuple[float, float, float] = (0.0, 0.0, 0.0)
    nodes: list[str] = Field(default_factory=list)
    comment: str | None = None
    flowlike: dict[str, Any] | None = Field(default=None, exclude_if=lambda kept: kept is None)
    """Flow-Like's own fields that have no place here (icon, scores, a comment's author...), kept as read so
    that export writes them back (`flowlike_core.interop`); written to the file only when set."""


def _nested_layers_by_parent(layers: Any) -> None:
    """Files written before layers had a parent listed a nested layer among its parent's nodes: name it as parent."""
    if not isinstance(layers, dict) or not all(isinstance(layer, dict) for layer in layers.values()):
        return
    for layer_id, layer in layers.items():
        members = layer.get("nodes")
        if isinstance(members, list) and any(member in layers for member in members):
            for member in members:
                if member in layers and member != layer_id:
                    layers[member].setdefault("parent_id", layer_id)
            layer["nodes"] = [member for member in members if member not in layers]


@dataclass(frozen=True)
class WireChange:
    """One wire added to or removed from a board's list, where it was put or taken from and its rank in the index:
    what undo reverses (see `Board.add_wire`)."""

    wire: Connection
    position: int
    added: bool
    rank: int


class _WireIndex:
    """A board's wires by the node and pin at each end, so that finding a pin's wires costs what is found, not a
    scan of every wire. Each wire is held with its rank, which keeps the list's order (a wire appended gets a larger
    one, a wire put back by undo its own), so that what is found is returned in the order of `Board.connections`.

    Kept up to date by `Board.add_wire` and `Board.remove_wires`; `fits` tells when the list was replaced, or changed
    in place by other code (in its length or its last wire), and the index is then built again."""

    def __init__(self, wires: list[Connection]) -> None:
        self.wires = wires
        self.into: dict[str, dict[str, list[tuple[int, Connection]]]] = {}
        self.out: dict[str, dict[str, list[tuple[int, Connection]]]] = {}
        self.next_rank = 0
        for rank, wire in enumerate(wires):
            self.add(wire, rank)
        self.seen()

    def fits(self, wires: list[Connection]) -> bool:
        return wires is self.wires and len(wires) == self.length and (wires[-1] if wires else None) is self.last

    def seen(self) -> None:
        """Note the list as it now is (what `fits` compares)."""
        self.length, self.last = len(self.wires), self.wires[-1] if self.wires else None

    def add(self, wire: Connection, rank: int) -> None:
        self.into.setdefault(wire.to_node, {}).setdefault(wire.to_pin, []).append((rank, wire))
        self.out.setdefault(wire.from_node, {}).setdefault(wire.from_pin, []).append((rank, wire))
        self.next_rank = max(self.next_rank, rank + 1)

    def drop(self, wire: Connection) -> int:
        """Forget `wire` (the very object); returns its rank."""
        for table, node, pin in ((self.into, wire.to_node, wire.to_pin), (self.out, wire.from_node, wire.from_pin)):
            held = table[node][pin]
            place = next(i for i, (_, other) in enumerate(held) if other is wire)
            rank = held.pop(place)[0]
            if not held:
                del table[node][pin]
                if not table[node]:
                    del table[node]
        return rank

    @staticmethod
    def ordered(held: Iterable[tuple[int, Connection]]) -> list[Connection]:
        return [wire for _, wire in sorted(held, key=itemgetter(0))]


Listener = Callable[["Board", "Command | None"], None]


class Board(_Model):
    """A graph of nodes with typed pins. Build one in code, load one from a file, or edit one in the editor."""

    format: str = FORMAT
    id: str = Field(default_factory=new_id)
    name: str = "board"
    description: str = ""
    version: tuple[int, int, int] = (0, 1, 0)
    log_level: LogLevel = LogLevel.INFO
    nodes: dict[str, Node] = Field(default_factory=dict)
    connections: list[Connection] = Field(default_factory=list)
    variables: dict[str, Variable] = Field(default_factory=dict)
    comments: dict[str, Comment] = Field(default_factory=dict)
    layers: dict[str, Layer] = Field(default_factory=dict)
    flowlike: dict[str, Any] | None = Field(default=None, exclude_if=lambda kept: kept is None)
    """Flow-Like's own fields that have no place here (icon, scores, a comment's author...), kept as read so
    that export writes them back (`flowlike_core.interop`); written to the file only when set."""

    _revision: int = PrivateAttr(default=0)
    _history: History | None = PrivateAttr(default=None)
    _listeners: list[Listener] = PrivateAttr(default_factory=list)
    _path: Path | None = PrivateAttr(default=None)
    _wire_index: _WireIndex | None = PrivateAttr(default=None)
    _wire_log: list[WireChange] | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _ids_are_keys(cls, data: Any, info: ValidationInfo) -> Any:
        """Items are stored by id: an item without one takes its key, a different one is an error. Assigning one
        field (`info.field_name`) checks that field only: the others were checked, and a whole-board check on
        each assignment made editing a large board slow."""
        if isinstance(data, dict):
            for table in ("nodes", "variables", "comments", "layers"):
                if info.field_name in (None, table):
                    _keyed_by_id(table, data.get(table))
            if info.field_name in (None, "layers"):
                _nested_layers_by_parent(data.get("layers"))
        return data

    @model_validator(mode="after")
    def _layers_nest(self, info: ValidationInfo) -> Board:
        """Every layer's parent is a layer of the board, and no layer sits (however deep) inside itself."""
        if info.field_name not in (None, "layers"):
            return self
        for layer in self.layers.values():
            seen = {layer.id}
            parent = layer.parent_id
            while parent is not None:
                if parent not in self.layers:
                    raise ValueError(f"layer {layer.name!r} ({layer.id}) sits in layer {parent!r}, "
                                     f"which the board does not have")
                if parent in seen:
                    raise ValueError(f"layer {layer.name!r} ({layer.id}) sits inside itself")
                seen.add(parent)
                parent = self.layers[parent].parent_id
        return self

    # ---- reading -------------------------------------------------------------------------------------

    def node(self, key: str) -> Node:
        """A node by id, or by friendly name or type key when that is unique."""
        if key in self.nodes:
            return self.nodes[key]
        found = [n for n in self.nodes.values() if key in (n.friendly_name, n.name)]
        if len(found) == 1:
            return found[0]
        if found:
            ids = ", ".join(n.id for n in found)
            raise UnknownNodeError(f"{len(found)} nodes are called {key!r} (ids {ids}); use an id")
        raise UnknownNodeError(f"board {self.name!r} has no node {key!r}")

    def lookup_variable(self, name: str) -> Variable:
        """A variable by name or id (the notebook handle's `variable()` declares one instead)."""
        for variable in self.variables.values():
            if name in (variable.name, variable.id):
                return variable
        from flowlike_core.errors import UnknownVariableError

        known = ", ".join(sorted(v.name for v in self.variables.values())) or "none"
        raise UnknownVariableError(f"board {self.name!r} has no variable {name!r} (variables: {known})")

    def wires_into(self, node_id: str, pin_id: str) -> list[Connection]:
        return _WireIndex.ordered(self._wires().into.get(node_id, {}).get(pin_id, ()))

    def wires_from(self, node_id: str, pin_id: str) -> list[Connection]:
        return _WireIndex.ordered(self._wires().out.get(node_id, {}).get(pin_id, ()))

    def wires_of(self, node_id: str) -> list[Connection]:
        """Every wire to or from the node, in the order of `connections`."""
        index = self._wires()
        found = {id(wire): (rank, wire) for table in (index.into, index.out)
                 for held in table.get(node_id, {}).values() for rank, wire in held}  # (a wire to itself: once)
        return _WireIndex.ordered(found.values())

    def _wires(self) -> _WireIndex:
        index = self._wire_index  # (read once: a private attribute of a pydantic model is slow to reach)
        if index is None or not index.fits(self.connections):
            index = self._wire_index = _WireIndex(self.connections)
        return index

    def endpoints(self, connection: Connection) -> tuple[Node, Pin, Node, Pin]:
        source, target = self.nodes[connection.from_node], self.nodes[connection.to_node]
        return source, source.pins[connection.from_pin], target, target.pins[connection.to_pin]

    def layer_path(self, layer_id: str | None) -> list[Layer]:
        """The layers from the board down to `layer_id` (outermost first; [] for the board itself)."""
        path: list[Layer] = []
        while layer_id is not None and layer_id in self.layers:
            path.append(self.layers[layer_id])
            layer_id = self.layers[layer_id].parent_id
        return path[::-1]

    def layers_in(self, parent_id: str | None) -> list[Layer]:
        """The layers directly inside `parent_id` (None: those drawn on the board itself)."""
        return [layer for layer in self.layers.values() if layer.parent_id == parent_id]

    def layer_contents(self, layer_id: str) -> set[str]:
        """Ids of the nodes inside a layer, in the layers nested in it too."""
        subtree = [layer for layer in self.layers.values() if any(step.id == layer_id for step in
                                                                   self.layer_path(layer.id))]
        return {node_id for layer in subtree for node_id in layer.nodes if node_id in self.nodes}

    def layer_pins(self, layer_id: str) -> list[tuple[Node, Pin]]:
        """The boundary pins of a layer: the pins of the nodes inside it (nested ones too) that wires cross its
        edge with."""
        inside = self.layer_contents(layer_id)
        crossing = set()
        for wire in self.connections:
            if (wire.from_node in inside) != (wire.to_node in inside):
                outgoing = wire.from_node in inside
                crossing.add((wire.from_node, wire.from_pin) if outgoing else (wire.to_node, wire.to_pin))
        return [(self.nodes[n], self.nodes[n].pins[p]) for n, p in sorted(crossing)]

    def iter_pins(self) -> Iterator[tuple[Node, Pin]]:
        for node in self.nodes.values():
            for pin in node.pins.values():
                yield node, pin

    def validate(self, registry: Registry | None = None) -> list[Problem]:  # type: ignore[override]
        """Every problem of the board (dangling wires, unknown types, mismatches, pure cycles, empty inputs);
        a convenience over `flowlike_core.validate.validate_board`."""
        from flowlike_core.validate import validate_board

        return validate_board(self, registry)

    def run(self, variables: Mapping[str, Any] | None = None, *, start: str | None = None, payload: Any = None,
            max_steps: int | None = None, listeners: Iterable[RunListener] = (), registry: Registry | None = None,
            policy: Policy | None = None, backend: Any = "thread") -> Run:
        """Run from the event node to the end; a convenience over `flowlike_core.executor.run_board`, which
        explains the options (`max_steps=None`: its default)."""
        from flowlike_core.executor import run_board

        limit = {"max_steps": max_steps} if max_steps is not None else {}
        return run_board(self, variables=variables, start=start, payload=payload, listeners=listeners,
                         registry=registry, policy=policy, backend=backend, **limit)

    @property
    def revision(self) -> int:
        """Counts edits; anything derived from the board (a run plan, a drawing) is valid for one revision."""
        return self._revision

    # ---- editing -------------------------------------------------------------------------------------

    @property
    def history(self) -> History:
        if self._history is None:
            from flowlike_core.commands import History

            self._history = History(self)
        return self._history

    def apply(self, command: Command) -> Any:
        """Apply an edit through the undo history; returns what the command returns (e.g. the new node)."""
        return self.history.apply(command)

    def undo(self) -> None:
        self.history.undo()

    def redo(self) -> None:
        self.history.redo()

    # Wires are added and removed in place, never by assigning `connections` (which would validate it all): the
    # index stays right, and each change is logged for undo (`recording_wires`), so that an edit costs what it
    # changes, not the board's size. For commands: other code edits through them, to be undone.

    def add_wire(self, wire: Connection) -> None:
        """Append `wire` to `connections`."""
        index = self._wires()
        rank = index.next_rank
        self.connections.append(wire)
        index.add(wire, rank)
        index.seen()
        self._log(WireChange(wire, len(self.connections) - 1, added=True, rank=rank))

    def remove_wires(self, wires: Iterable[Connection]) -> None:
        """Remove wires the board holds (the objects found by `wires_into`, `wires_from`, `wires_of`). Each is looked
        for from the end of the list: edits are mostly to recent wires."""
        index = self._wires()
        for wire in wires:
            position = _position(self.connections, wire)
            del self.connections[position]
            rank = index.drop(wire)
            self._log(WireChange(wire, position, added=False, rank=rank))
        index.seen()

    def unwind_wires(self, changes: list[WireChange]) -> None:
        """Reverse `changes` (the latest first): the list is as it was before them, in its order."""
        index = self._wires()
        for change in reversed(changes):
            if change.added:
                del self.connections[_position(self.connections, change.wire)]
                index.drop(change.wire)
            else:
                self.connections.insert(change.position, change.wire)
                index.add(change.wire, change.rank)
        index.seen()

    @contextmanager
    def recording_wires(self, log: list[WireChange]) -> Iterator[None]:
        """Append to `log` every wire change made inside the block."""
        outer, self._wire_log = self._wire_log, log
        try:
            yield
        finally:
            self._wire_log = outer

    def _log(self, change: WireChange) -> None:
        if self._wire_log is not None:
            self._wire_log.append(change)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(board, command)` after every edit; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def touch(self, command: Command | None = None) -> None:
        """Record that the board changed: bumps the revision and tells the listeners."""
        self._revision += 1
        for listener in list(self._listeners):
            listener(self, command)

    # ---- file format ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-native document; secret variables never carry their value into it."""
        data = self.model_dump(mode="json", by_alias=True)
        data["connections"] = sorted(data["connections"], key=lambda c: tuple(c.values()))
        for variable in data["variables"].values():
            if variable["secret"]:
                variable["default_value"] = None
        return data

    def to_json(self) -> str:
        """Canonical text: keys sorted, two-space indent, UTF-8, a final newline (orjson: the stdlib's
        indented encoder is pure Python and ~30x slower on large boards)."""
        data = self.to_dict()
        try:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
                                ).decode()
        except TypeError:  # an integer beyond 64 bits: the stdlib writes it the same way, only slower
            return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "<string>") -> Board:
        """Parse a board document; a good one takes pydantic's fast path, a bad one gets a precise error."""
        try:
            board = cls.model_validate_json(text)
            if board.format == FORMAT:
                return board
        except ValidationError:
            pass
        return cls.from_dict(loads(text, source), source)

    @classmethod
    def from_dict(cls, data: Any, source: str = "<dict>") -> Board:
        if not isinstance(data, dict) or data.get("format", FORMAT) != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise BoardFileError(f"{source}: not a board document (format {found!r}, expected {FORMAT!r})")
        if data and not set(data) & set(cls.model_fields):  # a notebook, a package.json...: nothing of a board
            raise BoardFileError(f"{source}: not a board document: none of its keys ({', '.join(sorted(data)[:8])}) "
                                 f"is a board's (nodes, connections, variables...)")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(_invalid(err) for err in exc.errors()[:10])
            raise BoardFileError(f"{source}: invalid board: {problems}") from exc

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Board:
        return cls.from_json(read_file(path), os.fspath(path)).read_from(path)

    def read_from(self, path: str | os.PathLike[str]) -> Board:
        """This board as read from the file `path`: `save()` writes back there, and a file that names no id gives
        the board one derived from the file's resolved path, so that every load of it is the same board (its runs
        one history; a random id per load split them). Saving writes the id into the file, which then keeps it."""
        self._path = Path(path)
        if "id" not in self.model_fields_set:
            self.id = hashlib.sha256(os.fsencode(self._path.resolve())).hexdigest()[:12]
        return self

    @property
    def path(self) -> Path | None:
        """The board file this board was read from or last saved to: where `save()` writes when given no path."""
        return self._path

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write atomically: the old file stays whole unless the new one was written completely. Without a path,
        to the file the board was read from or last saved to. A name without a suffix gets `.board.json`; a folder
        is refused (which file was meant, inside it or beside it, is the user's to say)."""
        if path is None and self._path is None:
            raise BoardFileError(f"board {self.name!r} has no file yet: name one, board.save('name.board.json')")
        path = Path(path) if path is not None else self._path
        if path.is_dir():
            raise BoardFileError(self._folder_given(path))
        if not path.name.endswith(SUFFIX) and not path.suffix:
            path = path.with_name(path.name + SUFFIX)
        if path != self._path:
            refuse_to_replace(path, "a board", f"saving board {self.name!r}", _not_a_board)
        try:
            atomic_write_text(path, self.to_json())
        except OSError as exc:
            raise BoardFileError(f"cannot save board {self.name!r} to {path}: {_unwritable(path, exc)}") from exc
        self._path = path
        return path

    def _folder_given(self, folder: Path) -> str:
        inside = folder / ((re.sub(r"[^\w.-]+", "_", self.name).strip("._") or "board") + SUFFIX)
        beside = "" if folder.name.endswith(SUFFIX) else f", '{folder}{SUFFIX}' beside it"
        return (f"cannot save board {self.name!r} to {folder}: it is a folder; give a file name: '{inside}' saves "
                f"into it{beside}")

    def copy_board(self) -> Board:
        """A deep copy with no history or listeners."""
        return Board.model_validate(self.model_dump(by_alias=True))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Board) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]


def _position(wires: list[Connection], wire: Connection) -> int:
    """Where the very object `wire` is in `wires`, searching from the end: the one step of an edit that grows with
    the board (about 15 ns a wire, and nothing for the recent wires that most edits and every undo change)."""
    for position in range(len(wires) - 1, -1, -1):
        if wires[position] is wire:
            return position
    raise BoardError(f"the board holds no wire {wire.from_node}.{wire.from_pin} -> {wire.to_node}.{wire.to_pin}")


def _not_a_board(data: bytes) -> str | None:
    """What a file that is not a board document is (None for a board: a save as may replace it)."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        return "not JSON"
    if isinstance(document, dict) and document.get("format", FORMAT) == FORMAT and "nodes" in document:
        return None
    return "JSON, not a board document"


def _invalid(error: Any) -> str:
    """One problem of a board file as its user edits it: where, then what (pydantic's "Value error, " and "Extra
    inputs are not permitted" are its own words)."""
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown field {where!r}"
    message = error["msg"].removeprefix("Value error, ")
    return f"at {where}: {message}" if where else message


def _unwritable(path: Path, exc: OSError) -> str:
    """Why a board file cannot be written, in the user's terms: the file standing where a folder must be, or the
    system's reason and the path it is about."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if exc.filename is None or is_temporary(Path(exc.filename).name):  # the writer's own file: the user's is `path`
        return str(exc.strerror or exc)
    return f"{exc.strerror or exc}: {exc.filename}"


def atomic_write_text(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it (see `flowlike_core.files`)."""
    atomic_write(path, text.encode("utf-8"))
