"""Handles for building a Board in cells: thin views over the engine Board, edits through commands.

    board = flowlike_nb.Board("hello")
    start = board.add("events_simple", "start")
    say = board.add("log_info", "say", message="hi")
    start.outputs.exec_out >> say.inputs.exec_in
    board.run()

A handle uses the document's names for what the document has (`node.name` is the type key, `node.pins` the pins
by id, `node.inputs` the input pins in order), giving handles where the document gives models.

The engine Board (`board.core`) stays the single source of truth: a handle holds only ids and reads
through to the model on every access, so the editor, undo and redo and cells never disagree.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import keyword
import numbers
import warnings
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowlike_core import commands
from flowlike_core.board import Board as CoreBoard
from flowlike_core.board import Comment, Node, Pin, PinDirection, Variable
from flowlike_core.cache import ResultCache
from flowlike_core.errors import BoardError, ConnectionRefused, FlowLikeError, UnknownNodeError, UnknownPinError
from flowlike_core.events import Listener
from flowlike_core.redaction import MASK
from flowlike_core.registry import Registry, default_registry
from flowlike_core.run import value_key
from flowlike_core.types import DataType, ValueType, pin_type_of
from flowlike_core.wording import counted
from flowlike_nb.kernel import namespace

if TYPE_CHECKING:
    from flowlike_core.debugger import Debugger
    from flowlike_core.executor import RunHandle
    from flowlike_core.interop.report import ImportReport
    from flowlike_core.policy import Policy
    from flowlike_core.run import Run
    from flowlike_core.validate import Problem
    from flowlike_nb.kernel.debugging import NotebookDebugger
    from flowlike_nb.kernel.runs import RunView
    from flowlike_nb.widgets.editor import BoardEditor

_live_boards: weakref.WeakValueDictionary[int, CoreBoard] = weakref.WeakValueDictionary()
"""Every engine Board a handle was made for: redefined `@node` types update their nodes in these."""


def live_boards() -> list[CoreBoard]:
    return list(_live_boards.values())


def stable_pin_ids(node: Node) -> list[str]:
    """Readable, reproducible pin ids (`<node>.<i|o>.<name>[.<n>]`) in pin order, so `to_code` needs none."""
    seen: dict[tuple[str, str], int] = {}
    ids = []
    for pin in sorted(node.pins.values(), key=lambda p: p.index):
        side = "i" if pin.is_input else "o"
        count = seen.get((side, pin.name), 0)
        seen[(side, pin.name)] = count + 1
        ids.append(f"{node.id}.{side}.{pin.name}" + (f".{count}" if count else ""))
    return ids


def derived_id(*parts: str, taken: Iterable[str] = ()) -> str:
    """An id made from what names an item (its board's id or name, its kind, its name), the same in every run of the
    cell that makes it: a re-run cell saves the same file, where random ids changed every line of its git diff. The
    first of `parts + (n,)`, n = 0, 1, ..., that no item in `taken` has: ids stay unique within the board. 12 hex
    digits, like `new_id`'s."""
    taken = set(taken)
    candidates = (hashlib.sha256("\0".join((*parts, str(n))).encode()).hexdigest()[:12] for n in itertools.count())
    return next(candidate for candidate in candidates if candidate not in taken)


def position(at: Any, what: str) -> tuple[float, float, float]:
    """`at=` as the board keeps it, (x, y, z) floats; anything else is refused naming it and `what` it was for."""
    fits = isinstance(at, Sequence) and not isinstance(at, str) and len(at) in (2, 3) and all(
        isinstance(n, numbers.Real) and not isinstance(n, bool) for n in at)  # (numpy's too)
    if not fits:
        raise BoardError(f"{what}: at={at!r}: a position is (x, y) or (x, y, z), in numbers")
    x, y, *z = at
    return float(x), float(y), float(z[0]) if z else 0.0


def _title(node: Node) -> str:
    """What a node is called on the canvas: its friendly name, else its type key."""
    return node.friendly_name or node.name


def with_pin_ids(node: Node, ids: list[str]) -> Node:
    pins = sorted(node.pins.values(), key=lambda p: p.index)
    if len(ids) != len(pins):
        raise BoardError(f"node {node.label()} has {len(pins)} pins, {len(ids)} pin ids were given")
    return node.model_copy(update={"pins": {i: p.model_copy(update={"id": i}) for i, p in zip(ids, pins, strict=True)}})


# ---- pins ------------------------------------------------------------------------------------------------


class PinHandle:
    """One pin of one node. `out >> in` wires it; `.value` reads or sets an input's default."""

    def __init__(self, node: NodeHandle, pin_id: str) -> None:
        self.node = node
        self.id = pin_id

    @property
    def core(self) -> Pin:
        return self.node.core.pins[self.id]

    @property
    def name(self) -> str:
        return self.core.name

    @property
    def direction(self) -> PinDirection:
        return self.core.direction

    @property
    def key(self) -> str:
        """How `inputs[...]`/`outputs[...]` reach it: its name, or for a pin of a group (pins sharing a name, as
        Parallel Execution's branches) its name and place, `exec_out, 1` (the name alone reaches the first)."""
        group = [p.id for p in self.node.core.ordered_pins(self.direction) if p.name == self.name]
        return self.name if len(group) == 1 else f"{self.name}, {group.index(self.id)}"

    @property
    def type(self) -> str:
        return self.core.type_label()

    @property
    def wires(self) -> list[PinHandle]:
        """The pins on the other end of this pin's wires."""
        board = self.node.board
        if self.core.is_input:
            return [board.node(c.from_node).pins[c.from_pin] for c in board.core.wires_into(self.node.id, self.id)]
        return [board.node(c.to_node).pins[c.to_pin] for c in board.core.wires_from(self.node.id, self.id)]

    @property
    def value(self) -> Any:
        """An input's default, or an output's value in the board's last run (None before one)."""
        pin = self.core
        if pin.is_input:
            return pin.default_value
        run = self.node.board.last_run
        return run.core.values.get(value_key(self.node.id, self.id)) if run is not None else None

    @value.setter
    def value(self, value: Any) -> None:
        board = self.node.board
        board.core.apply(commands.update_node(board.core, board.registry, self.node.id, defaults={self.id: value}))

    def connect(self, other: PinHandle) -> PinHandle:
        """Wire this pin to `other` (either direction); returns `other` so chains read left to right."""
        if not isinstance(other, PinHandle):
            raise TypeError(f"a wire joins two pins (node.inputs.NAME, node.outputs.NAME); {self!r} cannot be wired "
                            f"to {other!r}")
        if self.core.is_input == other.core.is_input:
            side = "inputs" if self.core.is_input else "outputs"
            raise ConnectionRefused(f"cannot wire {self.node.core.label()}.{self.name} to {other.node.core.label()}."
                                    f"{other.name}: both are {side}; a wire goes from an output (node.outputs.NAME) "
                                    f"to an input (node.inputs.NAME)")
        source, target = (self, other) if not self.core.is_input else (other, self)
        self.node.board.core.apply(commands.Connect(source.node.id, source.id, target.node.id, target.id))
        return other

    __rshift__ = connect

    def disconnect(self, other: PinHandle | None = None) -> None:
        """Remove the wire to `other`, or every wire of this pin."""
        others = [other] if other is not None else self.wires
        parts: list[commands.Command] = []
        for pin in others:
            source, target = (self, pin) if not self.core.is_input else (pin, self)
            parts.append(commands.Disconnect(source.node.id, source.id, target.node.id, target.id))
        if parts:
            self.node.board.core.apply(commands.Batch(parts))

    @property
    def shown(self) -> Any:
        """The value as tables and reprs show it: a sensitive pin's (a password, a token) masked, so that it never
        lands in a saved notebook's output."""
        options = self.core.options
        value = self.value
        return "***" if options is not None and options.sensitive and value not in (None, "") else value

    def describe(self) -> dict[str, Any]:
        wired = ", ".join(f"{_title(p.node.core)}.{p.name}" for p in self.wires)
        return {"node": _title(self.node.core), "pin": self.key, "direction": self.direction.value, "type": self.type,
                "value": self.shown, "wired to": wired}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PinHandle) and (other.node, other.id) == (self.node, self.id)

    def __hash__(self) -> int:
        return hash((self.node.id, self.id))

    def __repr__(self) -> str:
        arrow = "in" if self.core.is_input else "out"
        value = "" if self.core.is_exec else f" = {self.shown!r}"
        return f"<{arrow} pin {_title(self.node.core)}.{self.key}: {self.type}{value}>"


class NodePins(Mapping[str, PinHandle]):
    """The document's `pins` as handles: keyed by pin id like it (`node.inputs.message` reaches a pin by name)."""

    def __init__(self, node: NodeHandle) -> None:
        self._node = node

    def __getitem__(self, pin_id: str) -> PinHandle:
        if pin_id not in self._node.core.pins:  # a KeyError, as the document's dict raises
            raise KeyError(f"node {self._node.core.label()} has no pin with id {pin_id!r}")
        return PinHandle(self._node, pin_id)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._node.core.pins))

    def __len__(self) -> int:
        return len(self._node.core.pins)

    def __repr__(self) -> str:
        return "\n".join(repr(pin) for pin in self.values()) or "<no pins>"


class Pins:
    """A node's inputs or outputs in order, by name: `node.inputs.message`, `node.inputs["message"]`, tab completion.

    Pins sharing a name (a variadic group) are reached as `pins["name", 1]` or `pins.group("name")`.
    """

    def __init__(self, node: NodeHandle, direction: PinDirection) -> None:
        self._node = node
        self._direction = direction

    def group(self, name: str) -> list[PinHandle]:
        return [PinHandle(self._node, p.id) for p in self._node.core.ordered_pins(self._direction) if p.name == name]

    def pin_names(self) -> list[str]:
        return list(dict.fromkeys(p.name for p in self._node.core.ordered_pins(self._direction)))

    def __getitem__(self, key: str | int | tuple[str, int]) -> PinHandle:
        name, index = key if isinstance(key, tuple) else (key, 0)
        if isinstance(name, int):
            return list(self)[name]
        found = self.group(name)
        if not found:
            side = "input" if self._direction is PinDirection.INPUT else "output"
            raise UnknownPinError(f"node {self._node.core.label()} has no {side} {name!r} "
                                  f"({side}s: {', '.join(self.pin_names()) or 'none'})")
        if index >= len(found):
            raise UnknownPinError(f"node {self._node.core.label()} has {len(found)} pins called {name!r}, "
                                  f"not {index + 1}")
        return found[index]

    def __getattr__(self, name: str) -> PinHandle:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except UnknownPinError as exc:
            raise AttributeError(str(exc)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        """`node.inputs.message = 5` sets the input's value (`.value = 5`); a wire is drawn with `>>`."""
        if name.startswith("_"):
            return object.__setattr__(self, name, value)
        pin = self[name]
        if isinstance(value, PinHandle):
            ends = (value, pin) if pin.core.is_input else (pin, value)
            written = (f"{p.node.core.friendly_name}.{'inputs' if p.core.is_input else 'outputs'}.{p.name}"
                       for p in ends)
            raise BoardError(f"to wire a pin, write {' >> '.join(written)}")
        if not pin.core.is_input:
            raise BoardError(f"{self._node.core.label()}.{name}: an output's value comes from runs; set an input")
        pin.value = value

    def __dir__(self) -> list[str]:
        return [n for n in self.pin_names() if n.isidentifier()]

    def _ipython_key_completions_(self) -> list[str]:
        return self.pin_names()

    def __iter__(self) -> Iterator[PinHandle]:
        return iter(PinHandle(self._node, p.id) for p in self._node.core.ordered_pins(self._direction))

    def __len__(self) -> int:
        return len(self._node.core.ordered_pins(self._direction))

    def __contains__(self, name: object) -> bool:
        return name in self.pin_names()

    def __repr__(self) -> str:
        return "\n".join(repr(p) for p in self) or "<no pins>"

    def _repr_html_(self) -> str:
        return namespace.html_table([p.describe() for p in self])


# ---- nodes -----------------------------------------------------------------------------------------------


class NodeHandle:
    """One node of a board: its pins (`.inputs`, `.outputs`, `.pins` by id), defaults (`.set(...)`), and removal."""

    def __init__(self, board: Board, node_id: str) -> None:
        self.board = board
        self.id = node_id

    @property
    def core(self) -> Node:
        try:
            return self.board.core.nodes[self.id]
        except KeyError:
            raise UnknownNodeError(f"node {self.id!r} is no longer on board {self.board.core.name!r}") from None

    @property
    def name(self) -> str:
        """The catalog type key, e.g. `log_info` (the document's `name`)."""
        return self.core.name

    @property
    def friendly_name(self) -> str:
        """The node's own name on the board (`rename` sets it); `board.node(...)` finds a node by it."""
        return self.core.friendly_name

    @property
    def pins(self) -> NodePins:
        return NodePins(self)

    @property
    def inputs(self) -> Pins:
        return Pins(self, PinDirection.INPUT)

    @property
    def outputs(self) -> Pins:
        return Pins(self, PinDirection.OUTPUT)

    def pin_table(self) -> Any:
        """Every pin with its type, current value and wires: a DataFrame when pandas is there, else rows."""
        return namespace.table([p.describe() for p in [*self.inputs, *self.outputs]], as_is=True)

    def set(self, **defaults: Any) -> NodeHandle:
        """Set input defaults by pin name (one undo step)."""
        if defaults:
            self.board.core.apply(commands.update_node(self.board.core, self.board.registry, self.id,
                                                       defaults=defaults))
        return self

    def rename(self, friendly_name: str) -> NodeHandle:
        """A blank name gives the node its type's name back, as in the editor (`commands.update_node`)."""
        self.board.core.apply(commands.update_node(self.board.core, self.board.registry, self.id,
                                                   friendly_name=friendly_name))
        return self

    def set_comment(self, text: str) -> NodeHandle:
        self.board.core.apply(commands.UpdateNode(self.id, comment=text))
        return self

    @property
    def breakpoint(self) -> bool:
        """Whether a debug run (`board.debug()`, or the editor's Run) pauses before this node; setting it is one
        undo step, saved in the board file."""
        return self.core.breakpoint

    @breakpoint.setter
    def breakpoint(self, on: bool) -> None:
        self.board.core.apply(commands.ToggleBreakpoint(self.id, on=bool(on)))

    def move(self, x: float, y: float, z: float = 0.0) -> NodeHandle:
        self.board.core.apply(commands.MoveNode(self.id, (x, y, z)))
        return self

    def remove(self) -> None:
        self.board.core.apply(commands.RemoveNode(self.id))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NodeHandle) and other.board.core is self.board.core and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return (f"<node {_title(self.core)!r} ({self.name}, id {self.id}): in {self.inputs.pin_names()}, "
                f"out {self.outputs.pin_names()}>")

    def _repr_html_(self) -> str:
        title = (f"<b>{html.escape(_title(self.core))}</b> <code>{html.escape(self.name)}</code> "
                 f"id <code>{self.id}</code>")
        return f"<div>{title}</div>" + namespace.html_table([p.describe() for p in [*self.inputs, *self.outputs]])


class Nodes(Mapping[str, NodeHandle]):
    """The document's `nodes` as handles: keyed by id like it, and a friendly name (or a unique type key) finds
    a node too, so `board.nodes.say` and `board.nodes["say"]` work, with completion by name."""

    def __init__(self, board: Board) -> None:
        self._board = board

    def __getitem__(self, key: str) -> NodeHandle:
        return self._board.node(key)

    def __getattr__(self, name: str) -> NodeHandle:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._board.node(name)
        except UnknownNodeError as exc:
            raise AttributeError(str(exc)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._board.core.nodes))

    def __len__(self) -> int:
        return len(self._board.core.nodes)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self._board.find_exact(key))

    def _names(self) -> list[str]:
        """What completion offers: each node's friendly name, or its id where the name is not unique."""
        names = [n.friendly_name or n.id for n in self._board.core.nodes.values()]
        return [name if names.count(name) == 1 else node_id
                for name, node_id in zip(names, self._board.core.nodes, strict=True)]

    def __dir__(self) -> list[str]:
        return [k for k in self._names() if k.isidentifier()]

    def _ipython_key_completions_(self) -> list[str]:
        return self._names()

    def __repr__(self) -> str:
        return "\n".join(repr(node) for node in self.values()) or "<no nodes>"


# ---- the board -------------------------------------------------------------------------------------------


class Board:
    """A kernel handle over an engine Board: build in cells, run, bind outputs to Python variables.

    `Board("name")` starts a new board, `Board(core_board)` wraps an existing one (the editor's, a loaded
    file's), `Board.load(path)` reads a file. The handle adds notebook conveniences only; everything it
    changes goes through `flowlike_core.commands`.
    """

    def __init__(self, board: CoreBoard | str = "board", *, id: str | None = None, description: str = "",
                 version: tuple[int, int, int] = (0, 1, 0), log_level: str = "Info",
                 layers: dict[str, Any] | None = None, registry: Registry | None = None) -> None:
        if isinstance(board, str):
            fields: dict[str, Any] = {"name": board, "description": description, "version": version,
                                      "log_level": log_level, "layers": layers or {}}
            board = CoreBoard(**fields, id=id or derived_id("board", board))
        elif not isinstance(board, CoreBoard):
            hint = "; a file: fnb.load(path)" if isinstance(board, Path) else ""
            raise TypeError(f"fnb.Board({board!r}): a board is made from its name (a str) or an engine Board "
                            f"(flowlike_core.Board){hint}")
        self.core: CoreBoard = board
        self.registry = registry or default_registry()
        self.bindings: dict[str, tuple[str, str]] = {}
        """Notebook variable name -> (node id, output pin id): assigned after every run."""
        self.feeds: dict[str, str] = {}
        """Board variable name -> notebook variable name: read before every run."""
        self.import_report: ImportReport | None = None
        """What importing a Flow-Like board did to it (see `Board.open`)."""
        self.last_run: RunView | None = None
        """The latest run of this handle (from a cell or an editor it opened) to have ended."""
        self._editors: weakref.WeakSet[BoardEditor] = weakref.WeakSet()
        """Editors opened with `editor()`: runs started here show on the open, idle ones."""
        self._debugging: RunHandle | None = None
        """The run of the last `debug()`: the next one stops it if it still waits (editors show one run at a time)."""
        self.cache = ResultCache.from_env()
        """This board's result cache (`flowlike_core.cache`): a re-run after an edit recomputes only what the edit
        affects, and `run.why("node")` says why a node ran. `cache.clear()`; `cache.persist()` keeps results in
        the content store, for the next kernel or a papermill run (or FLOWLIKE_CACHE_PERSIST=1 in its
        environment); `cache.max_bytes` bounds it."""
        _remember(board)

    @classmethod
    def load(cls, path: str | Path, registry: Registry | None = None) -> Board:
        return cls(CoreBoard.load(path), registry=registry)

    @classmethod
    def open(cls, path: str | Path, registry: Registry | None = None) -> Board:
        """Any board file, the reader picked by content: ours, or Flow-Like's (`.board`, its board JSON, an
        editor export, clipboard JSON). A Flow-Like import shows its report and keeps it as `import_report`."""
        from flowlike_core.interop import open_board

        core, report = open_board(path, registry)
        handle = cls(core, registry=registry)
        handle.import_report = report
        if report.format != "flowlike-nb board":
            from IPython import get_ipython
            from IPython.display import display

            if get_ipython() is not None:
                display(report)
            else:
                print(report)
        return handle

    @property
    def name(self) -> str:
        """The board's name (the one its repr, its runs and its file show)."""
        return self.core.name

    @property
    def path(self) -> Path | None:
        """The board file this board was read from or last saved to: where `save()` and the editor's Save write."""
        return self.core.path

    def save(self, path: str | Path | None = None) -> Path:
        """Write the board file (atomically); without a path, where it was read from or last saved to. A name without
        a suffix gets `.board.json`; a folder is refused, naming the files inside or beside it one may mean."""
        return self.core.save(path)

    # ---- nodes ---------------------------------------------------------------------------------------

    def add(self, type_key: str, friendly_name: str | None = None, /, *, node_id: str | None = None,
            at: tuple[float, ...] | None = None, pin_ids: list[str] | None = None, **defaults: Any) -> NodeHandle:
        """Add a node by catalog key with input defaults as keyword arguments.

        Idempotent for re-run cells: if a node with this id, or this friendly name, is already there, its
        defaults are updated instead (and a node of another type is replaced, keeping the wires that fit).
        Without `at`, a node goes to (0, 0), where the editor lays out a board built in cells when it opens; once
        an editor of this board is open, to the free spot nearest there, clear of the nodes it shows.
        """
        existing = self._existing(node_id, friendly_name)
        node_type = self.registry.get(type_key)
        if existing is not None and existing.name == type_key:
            handle = NodeHandle(self, existing.id)
            return handle.set(**defaults)
        for pin, value in defaults.items():
            commands.json_default(value, f"input {pin!r} of a new {type_key!r} node")
        x, y, *z = position(at or (0.0, 0.0), f"node {friendly_name or type_key!r}")
        node_id = node_id or (existing.id if existing else None) or derived_id(
            self.core.id, "node", friendly_name or type_key, taken=self.core.nodes)
        node = node_type.create(node_id=node_id, coordinates=(x, y, *z), friendly_name=friendly_name, **defaults)
        node = with_pin_ids(node, pin_ids or stable_pin_ids(node))
        if at is None and existing is None and len(self._editors):
            from flowlike_nb.widgets.layout import free_spot

            node.coordinates = (*free_spot(self.core, node, (0.0, 0.0)), 0.0)
        if existing is not None:
            from flowlike_nb.kernel.functions import replace_node, warn_dropped

            dropped = replace_node(self.core, existing.id, node)
            warn_dropped(f"replacing {existing.label()} ({existing.name}) by a {type_key!r} node", self.core, dropped)
        else:
            self.core.apply(commands.AddNode(node))
        return NodeHandle(self, node.id)

    def _existing(self, node_id: str | None, friendly_name: str | None) -> Node | None:
        if node_id is not None:
            return self.core.nodes.get(node_id)
        if friendly_name is None:
            return None
        found = [n for n in self.core.nodes.values() if n.friendly_name == friendly_name]
        if len(found) > 1:
            raise UnknownNodeError(f"{len(found)} nodes are called {friendly_name!r}; pass node_id= to say which")
        return found[0] if found else None

    def add_raw(self, node: Node | dict[str, Any]) -> NodeHandle:
        """Add a node exactly as given (what `to_code` writes for nodes whose pins were customised)."""
        node = node if isinstance(node, Node) else Node.model_validate(node)
        existing = self.core.nodes.get(node.id)
        if existing is not None and existing != node:
            from flowlike_nb.kernel.functions import replace_node

            replace_node(self.core, node.id, node)
        elif existing is None:
            self.core.apply(commands.AddNode(node))
        return NodeHandle(self, node.id)

    def node(self, key: str) -> NodeHandle:
        """A node by id, friendly name or type key (when unique)."""
        return NodeHandle(self, self.core.node(key).id)

    __getitem__ = node

    @property
    def nodes(self) -> Nodes:
        return Nodes(self)

    def find(self, text: str) -> list[NodeHandle]:
        """Nodes whose friendly name, type key or comment contains `text` (case-insensitive)."""
        text = text.lower()
        return [NodeHandle(self, n.id) for n in self.core.nodes.values()
                if text in f"{n.friendly_name} {n.name} {n.comment or ''}".lower()]

    def find_exact(self, key: str) -> list[NodeHandle]:
        """Nodes with this id, friendly name or type key."""
        return [NodeHandle(self, n.id) for n in self.core.nodes.values() if key in (n.id, n.friendly_name, n.name)]

    def connect(self, source: PinHandle, target: PinHandle) -> PinHandle:
        return source.connect(target)

    def disconnect(self, source: PinHandle, target: PinHandle) -> None:
        source.disconnect(target)

    def remove(self, node: NodeHandle | str) -> None:
        node_id = node.id if isinstance(node, NodeHandle) else self.core.node(node).id
        self.core.apply(commands.RemoveNode(node_id))

    def comment(self, content: str, *, at: tuple[float, ...] = (0.0, 0.0), width: float = 240.0,
                height: float = 120.0, color: str | None = None, id: str | None = None) -> Comment:
        fields = {"content": content, "coordinates": position(at, "comment"), "width": width, "height": height,
                  "color": color}
        comment_id = id or derived_id(self.core.id, "comment", taken=self.core.comments)
        return self.core.apply(commands.UpsertComment(Comment(**fields, id=comment_id)))

    def layout(self) -> Board:
        """Arrange the nodes left to right along their wires (one undo step), as the editor's Layout does."""
        from flowlike_nb.widgets.layout import auto_layout

        moves = [commands.MoveNode(node_id, (x, y, 0.0)) for node_id, (x, y) in auto_layout(self.core).items()]
        if moves:
            self.core.apply(commands.Batch(moves))
        return self

    def undo(self) -> None:
        self.core.undo()

    def redo(self) -> None:
        self.core.redo()

    # ---- variables -----------------------------------------------------------------------------------

    def variable(self, name: str, type: Any = None, default: Any = None, *, value_type: ValueType | str | None = None,
                 exposed: bool = False, secret: bool = False, editable: bool = True, description: str = "",
                 schema: dict | None = None, id: str | None = None) -> Variable:
        """Create or update a board variable (by name, so re-running a cell changes it in place).

        `type` is a Python type (`int`, `list[str]`, a pydantic model) or a DataType; without one, the
        default's class decides.
        """
        if isinstance(type, str) and type not in {data_type.value for data_type in DataType}:
            raise BoardError(f"variable {name!r}: type {type!r} is neither a data type "
                             f"({', '.join(DataType)}) nor a Python type (int, list[str], a pydantic model)")
        if isinstance(type, DataType | str):
            data_type, values, found_schema = DataType(type), ValueType(value_type or ValueType.NORMAL), None
        else:
            hint = type if type is not None else (default.__class__ if default is not None else Any)
            data_type, values, found_schema = pin_type_of(hint)
            values = ValueType(value_type) if value_type else values
        current = next((v for v in self.core.variables.values() if v.name == name), None)
        variable_id = id or (current.id if current else None) or derived_id(
            self.core.id, "variable", name, taken=self.core.variables)
        native = commands.json_default(default, f"variable {name!r}")  # as the board keeps it (bytes: byte values)
        variable = Variable(name=name, data_type=data_type, value_type=values, default_value=native,
                            exposed=exposed, secret=secret, editable=editable, description=description,
                            schema=schema if schema is not None else found_schema, id=variable_id)
        if current is not None and current == variable:
            return current
        return self.core.apply(commands.UpsertVariable(variable))

    def exposed(self) -> dict[str, Any]:
        """Exposed variables (the board's parameters) with their defaults."""
        return {v.name: MASK if v.secret else v.default_value for v in self.core.variables.values() if v.exposed}

    # ---- notebook bindings ---------------------------------------------------------------------------

    def bind(self, pin: PinHandle | str, name: str) -> Board:
        """After every run, assign this output pin's value to the notebook variable `name`.

        `pin` is a handle or `"node.pin"`. One binding per variable name: binding again replaces it.
        """
        if not name.isidentifier() or keyword.iskeyword(name):
            raise BoardError(f"{name!r} is not a Python variable name: a bound pin's value is assigned to it")
        handle = self._pin(pin) if isinstance(pin, str) else pin
        if handle.core.is_input or handle.core.is_exec:
            raise BoardError(f"only data outputs can be bound to variables, not {handle!r}")
        self.bindings[name] = (handle.node.id, handle.id)
        return self

    def unbind(self, name: str) -> None:
        self.bindings.pop(name, None)

    def feed(self, **sources: str) -> Board:
        """Before every run, set board variables from notebook variables: `feed(rows="n_rows")`."""
        for variable in sources:
            self.core.lookup_variable(variable)
        self.feeds.update(sources)
        return self

    def _pin(self, dotted: str) -> PinHandle:
        node, _, pin = dotted.rpartition(".")
        if not node:
            raise UnknownPinError(f"{dotted!r} does not name a pin: write node.pin")
        return self.node(node).outputs[pin]

    # ---- running -------------------------------------------------------------------------------------

    def start(self, variables: Mapping[str, Any] | None = None, *, start: str | None = None, payload: Any = None,
              max_steps: int | None = None, listeners: Iterable[Listener] = (), registry: Registry | None = None,
              policy: Policy | None = None, backend: Any = "thread", debugger: Debugger | None = None,
              cache: bool = True) -> RunHandle:
        """Start a run in the background and return its handle (`wait()`, `cancel()`).

        Variables come from defaults, then `feed` sources, then `variables`. When the run ends (on its thread,
        before `wait()` returns) it becomes `last_run` and bound pins are assigned. Open editors from `editor()`
        that are not showing a run of their own show this one. Editors start their toolbar runs through here.
        `backend`: "thread" (in the kernel), "process" (a child process: a crashing node leaves the kernel
        alive), "dask", or a backend object (see `flowlike_core.backends`). A `debugger` pauses the run before
        nodes (see `debug`). `policy`: what nodes may reach
        (`flowlike_core.policy`; None: everything). `cache`: serve unchanged results from `self.cache` (on the
        thread backend, and on the others once it is persisted: `self.cache.persist()`).
        """
        from flowlike_core.executor import prepare_variables, start_run

        given = variables or {}
        values = {name: namespace.lookup(source) for name, source in self.feeds.items() if name not in given}
        for name, value in values.items():  # a value that does not fit is the notebook variable's fault: say which
            try:
                prepare_variables(self.core, {name: value})
            except BoardError as error:
                raise type(error)(f"notebook variable {self.feeds[name]!r} (fed to the board variable {name!r} by "
                                  f"board.feed): {error}") from None
        values.update(given)
        shown = [(editor, editor.new_relay()) for editor in list(self._editors)
                 if editor.comm is not None and not editor.busy]
        options: dict[str, Any] = {"start": start, "payload": payload, "registry": registry or self.registry,
                                   "policy": policy,
                                   "listeners": [_Ended(self), *listeners, *(relay for _, relay in shown)],
                                   "debugger": debugger}
        if max_steps is not None:
            options["max_steps"] = max_steps
        if backend != "thread":
            options["backend"] = backend
        if cache and (backend == "thread" or self.cache.store is not None):  # (workers share a persisted one)
            options["cache"] = self.cache
        handle = start_run(self.core, variables=values, **options)
        for editor, relay in shown:
            editor.follow(handle, relay)
        return handle

    def run(self, variables: Mapping[str, Any] | None = None, *, start: str | None = None, payload: Any = None,
            max_steps: int | None = None, listeners: Iterable[Listener] = (), registry: Registry | None = None,
            policy: Policy | None = None, backend: Any = "thread", cache: bool = True) -> RunView:
        """Run the board (see `start`) and return its Run's view: the document's `run`, with the notebook's feeds,
        bindings and editors. A failing node fails the run, it never raises here."""
        from flowlike_nb.kernel.runs import RunView

        run = self.start(variables, start=start, payload=payload, max_steps=max_steps, listeners=listeners,
                         registry=registry, policy=policy, backend=backend, cache=cache).wait()
        last = self.last_run
        return last if last is not None and last.core is run else RunView(run, self)

    def debug(self, variables: Mapping[str, Any] | None = None, *, start: str | None = None, payload: Any = None,
              step: bool | None = None) -> NotebookDebugger:
        """Start a debug run and return its debugger once it pauses (`dbg.step()`, `dbg.values`, `dbg.resume()`,
        see `flowlike_nb.kernel.debugging`). It pauses before every node whose `breakpoint` is set, and before the
        first node when `step` is true (by default: when no node has a breakpoint). Other cells run meanwhile;
        a debug run of this board still going is stopped first."""
        from flowlike_nb.kernel.debugging import NotebookDebugger

        if self._debugging is not None and not self._debugging.done():
            self._debugging.cancel()
            self._debugging.wait()
        if step is None:
            step = not any(node.breakpoint for node in self.core.nodes.values())
        debugger = NotebookDebugger(step=step)
        self._debugging = self.start(variables, start=start, payload=payload, debugger=debugger)
        debugger.wait_paused(debugger.settle)
        return debugger

    def sweep(self, grid: Mapping[str, Iterable[Any]], *, outputs: Iterable[str] = (), backend: Any = "thread",
              start: str | None = None) -> Any:
        """One run per combination of `grid` (exposed variable -> values), gathered into a pandas DataFrame: one
        row per run with its parameters, status, duration, the chosen `outputs` (a variable's final value,
        "result", or "node.pin") and error."""
        from flowlike_core.sweep import sweep

        result = sweep(self.core, {name: list(values) for name, values in grid.items()}, outputs=list(outputs),
                       backend=backend, registry=self.registry, start=start,
                       cache=self.cache if backend == "thread" or self.cache.store is not None else False)
        return result.to_dataframe()

    def run_to(self, node: str, variables: Mapping[str, Any] | None = None, *, start: str | None = None,
               policy: Policy | None = None) -> RunView:
        """Run what `node` needs and the node itself, from this board's cache where nothing changed, and stop
        there (`flowlike_core.partial`): its values are `run.outputs[node]`. The run becomes `last_run`.
        `policy` limits what its nodes reach, as `run(policy=...)`'s (None: everything)."""
        from flowlike_core.partial import run_to
        from flowlike_nb.kernel.runs import RunView

        values = {name: namespace.lookup(source) for name, source in self.feeds.items()}
        values.update(variables or {})
        run = run_to(self.core, node, cache=self.cache, registry=self.registry, variables=values, start=start,
                     listeners=[_Ended(self)], policy=policy)
        last = self.last_run
        return last if last is not None and last.core is run else RunView(run, self)

    def _ended(self, run: Run) -> None:
        """A run of this board has ended: it becomes `last_run`, and bound pins land in the notebook."""
        from flowlike_nb.kernel.runs import RunView

        self.last_run = RunView(run, self)
        for name, (node_id, pin_id) in self.bindings.items():
            key = value_key(node_id, pin_id)
            if key not in run.values and run.ok and node_id in run.board.nodes:
                try:  # a pure node no node read: computed now, as reading `run.output` would
                    self._run_output(run, node_id, run.board.nodes[node_id].pins[pin_id].name)
                except KeyError:
                    pass  # not from what the run left (an exec node, or one it reads, did not run): as unbound
                except FlowLikeError as error:
                    warnings.warn(f"board.bind: {name!r} was not assigned: {error}", stacklevel=1)
            if key in run.values:
                namespace.assign(name, run.values[key])

    def _run_output(self, run: Run, node: str, pin: str) -> Any:
        """`partial.output_after` with this board's registry and cache: what the run set, or a pure node no node
        read during the run, computed now. `run.output(...)` of a run view reads through here."""
        from flowlike_core.partial import output_after

        return output_after(run, node, pin, registry=self.registry, cache=self.cache)

    def __call__(self, **variables: Any) -> Any:
        """The board as a function: keyword arguments set exposed variables, the run's result comes back."""
        return self.run(variables).raise_for_status().result

    def as_node(self, key: str | None = None, friendly_name: str | None = None) -> type:
        """Register a node type that runs this board: one input per exposed variable, its result out."""
        from flowlike_nb.kernel.functions import board_node

        return board_node(self, key, friendly_name)

    # ---- views ---------------------------------------------------------------------------------------

    def to_code(self, var: str = "board") -> str:
        from flowlike_nb.kernel.codegen import board_to_code

        return board_to_code(self, var)

    def to_json(self) -> str:
        return self.core.to_json()

    def validate(self, registry: Registry | None = None) -> list[Problem]:
        """Every problem of the board, checked against this handle's registry unless given another."""
        return self.core.validate(registry or self.registry)

    def editor(self, **options: Any) -> BoardEditor:
        """The graph editor widget on this very board (edits there are commands here, and back).

        Its toolbar runs go through `start` (feeds and bindings apply), and runs started here show on it.
        A board built in cells (nodes left where they were added) is laid out first, outside the undo history.
        """
        from flowlike_nb.kernel.render import needs_layout
        from flowlike_nb.widgets.editor import BoardEditor
        from flowlike_nb.widgets.layout import place_unrecorded

        if needs_layout(self.core):
            place_unrecorded(self.core)
        editor = BoardEditor(self.core, **{"registry": self.registry, "starter": self._start_from_editor,
                                           "run_to": self.run_to, "path": self.path, **options})
        self._editors.add(editor)
        return editor

    def app(self, outputs: Sequence[str] = (), **options: Any) -> Any:
        """The board as a small interactive app in the cell: a control per exposed variable, a Run button and the
        `outputs` pins ("node.pin") shown below; `live=True` re-runs on change (see flowlike_nb.widgets.app)."""
        from flowlike_nb.widgets.app import BoardApp

        return BoardApp(self, outputs, **options)

    def chat(self, **options: Any) -> Any:
        """A chat panel bound to the board's `events_chat` node: each message starts a run with the history as
        payload, push and interaction nodes answer in the panel (see flowlike_nb.widgets.chat)."""
        from flowlike_nb.widgets.chat import BoardChat

        return BoardChat(self, **options)

    def _start_from_editor(self, _board: CoreBoard, **options: Any) -> RunHandle:
        """The starter of editors from `editor()`, called as `start_run` is (their board is `self.core`)."""
        return self.start(**options)

    def svg(self) -> str:
        from flowlike_nb.kernel.render import board_svg

        return board_svg(self.core)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"image/svg+xml": self.svg(), "text/plain": repr(self)}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Board):
            return self.core == other.core
        return isinstance(other, CoreBoard) and self.core == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        core = self.core
        return (f"<Board {core.name!r}: {counted(len(core.nodes), 'node')}, {counted(len(core.connections), 'wire')}, "
                f"{counted(len(core.variables), 'variable')}>")


def _remember(board: CoreBoard) -> None:
    _live_boards[id(board)] = board


class _Ended(Listener):
    """Tells the handle when one of its runs ended (on the run's thread, before `wait()` returns)."""

    def __init__(self, board: Board) -> None:
        self.board = board

    def finished(self, run: Run) -> None:
        self.board._ended(run)
