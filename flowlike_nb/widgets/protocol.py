"""The messages the editor's front end sends to the kernel, validated at the boundary.

Every message is a JSON object with an `action` and an optional `request` number; the kernel answers
each one with `{"type": "reply", "request": n, "action": ..., "ok": bool, "kind": ..., "reason": ...}`
(`kind` is "refused" for a wire the engine's rules refuse, "error" for any other failure).

Edits (each becomes one `flowlike_core.commands` command, so one undo step):
    add_node        {node_type, x, y, wire?: {node_id, pin_id}, layer?}   wire: connect the new node to that pin;
                    layer: the layer it goes into (the one the canvas shows)
    remove          {nodes: [id], comments: [id], wires: [Wire], layers: [id]}   layers: collapsed boxes, removed
                    with everything inside them
    move            {nodes: {id: [x, y]}, comments: {id: [x, y]}, layers: {id: [x, y]}}   layers: collapsed boxes
    create_layer    {name, nodes: [id], layers?: [id], x, y, parent_id?}   collapse nodes and layers into a layer
                    drawn as one box at x, y; parent_id: the layer they are in (the one the canvas shows), which
                    the new one sits in
    remove_layer    {layer_id}                    dissolve it (its nodes and inner layers move one level up)
    update_layer    {layer_id, name}              rename it
    update_node     {node_id, friendly_name?, comment?, defaults?: {pin name or id: value}}
    connect         {from_node, from_pin, to_node, to_pin}          pins by id or name
    disconnect      {from_node, from_pin, to_node, to_pin}
    upsert_variable {variable: Variable}          remove_variable {variable_id}
    upsert_comment  {comment: Comment}            (remove comments with `remove`)
    paste           {nodes: [Node], wires: [Wire], comments: [Comment], layers: [Layer], dx, dy, layer?}   new
                    ids are given; the copies go into `layer` (the one the canvas shows), whatever layer the
                    originals were in; `layers` (what `copy` answers) are made again around their nodes' copies
    paste_flowlike  {text, dx, dy}   Flow-Like clipboard JSON ({nodes, comments}): converted, then pasted
    layout          {}                            arranges every node left to right, one undo step
Actions:
    undo, redo, run {start?: node id}, run_to {node_id} (run what the node needs and it, then stop: Run to here),
    stop, save, sync (resend the whole document),
    refresh_catalog {generation}, layout_engine (reply `source`: the ELK bundle, loaded once a page lays out),
    warm_catalog (index every node type for search on a thread of the kernel, after the first view is drawn)
Questions (the reply carries the answer):
    copy            {nodes: [id], layers: [id], comments: [id]}   reply `clipboard`: {nodes, wires, layers,
                    comments} for a later `paste`: a layer box brings the nodes and layers inside it
    fitting_types   {node_id, pin_id}   reply `fits`: {node key: 2 same type | 1 generic} for the palette
    search_catalog  {query, wire?: {node_id, pin_id}, limit}   reply `entries` (short catalog entries, best
                    first; with `wire` only the node types that fit it) and `total` (how many matched)
    pin_fits        {node_id, pin_id}   reply `fits`: {node id: [pin id]} a wire dragged from it may end on
    pin_value       {node_id, pin_id}   reply `value`: a preview (flowlike_nb.widgets.values) or null
    node_values     {node_id}           reply `values`: {pin id: preview} of the last run
    bind_value      {node_id, pin_id, name}   the pin's value becomes the notebook variable `name`
Debugging (a run started with breakpoints on the board pauses at them; `run_events` bring `paused` and `resumed`):
    toggle_breakpoint {nodes: [id], on?: bool}   set, clear or (without `on`) flip them; one undo step
    debug             {command: continue | step | step_over}   drives the paused run shown on the canvas
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from flowlike_core.board import Comment, Layer, Node, Variable

Whole = Annotated[float, AfterValidator(lambda value: float(round(value)))]
"""A place on the canvas in whole units: the front end's pointer positions carry the zoom's fractions (a node double-
clicked in at 119.078125), which board files, kept in git, would carry for ever."""


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request: int | None = None


class Wire(BaseModel):
    from_node: str
    from_pin: str
    to_node: str
    to_pin: str


class PinRef(BaseModel):
    node_id: str
    pin_id: str


class AddNode(_Message):
    action: Literal["add_node"]
    node_type: str
    x: Whole = 0.0
    y: Whole = 0.0
    wire: PinRef | None = None
    layer: str | None = None


class Remove(_Message):
    action: Literal["remove"]
    nodes: list[str] = Field(default_factory=list)
    comments: list[str] = Field(default_factory=list)
    wires: list[Wire] = Field(default_factory=list)
    layers: list[str] = Field(default_factory=list)


class Move(_Message):
    action: Literal["move"]
    nodes: dict[str, tuple[Whole, Whole]] = Field(default_factory=dict)
    comments: dict[str, tuple[Whole, Whole]] = Field(default_factory=dict)
    layers: dict[str, tuple[Whole, Whole]] = Field(default_factory=dict)


class CreateLayer(_Message):
    action: Literal["create_layer"]
    name: str = "Layer"
    nodes: list[str] = Field(default_factory=list)
    layers: list[str] = Field(default_factory=list)
    x: Whole = 0.0
    y: Whole = 0.0
    parent_id: str | None = None


class RemoveLayer(_Message):
    action: Literal["remove_layer"]
    layer_id: str


class UpdateLayer(_Message):
    action: Literal["update_layer"]
    layer_id: str
    name: str


class UpdateNode(_Message):
    action: Literal["update_node"]
    node_id: str
    friendly_name: str | None = None
    comment: str | None = None
    defaults: dict[str, Any] = Field(default_factory=dict)


class Connect(_Message, Wire):
    action: Literal["connect"]


class Disconnect(_Message, Wire):
    action: Literal["disconnect"]


class UpsertVariable(_Message):
    action: Literal["upsert_variable"]
    variable: Variable


class RemoveVariable(_Message):
    action: Literal["remove_variable"]
    variable_id: str


class UpsertComment(_Message):
    action: Literal["upsert_comment"]
    comment: Comment

    @field_validator("comment")
    @classmethod
    def _whole(cls, comment: Comment) -> Comment:
        x, y, z = comment.coordinates
        return comment.model_copy(update={"coordinates": (float(round(x)), float(round(y)), z)})


class Paste(_Message):
    action: Literal["paste"]
    nodes: list[Node] = Field(default_factory=list)
    wires: list[Wire] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)
    layers: list[Layer] = Field(default_factory=list)
    dx: float = 40.0
    dy: float = 40.0
    layer: str | None = None


class Copy(_Message):
    action: Literal["copy"]
    nodes: list[str] = Field(default_factory=list)
    layers: list[str] = Field(default_factory=list)
    comments: list[str] = Field(default_factory=list)


class PasteFlowLike(_Message):
    """Text from the system clipboard that looks like what Flow-Like's editor copies: the kernel converts it."""

    action: Literal["paste_flowlike"]
    text: str
    dx: float = 40.0
    dy: float = 40.0


class Simple(_Message):
    action: Literal["undo", "redo", "layout", "stop", "save", "sync", "layout_engine", "warm_catalog", "run_state"]


class Run(_Message):
    action: Literal["run"]
    start: str | None = None


class RunTo(_Message):
    action: Literal["run_to"]
    node_id: str


class RefreshCatalog(_Message):
    action: Literal["refresh_catalog"]
    generation: int = -1


class FittingTypes(_Message, PinRef):
    action: Literal["fitting_types"]


class SearchCatalog(_Message):
    action: Literal["search_catalog"]
    query: str = ""
    wire: PinRef | None = None
    limit: int = Field(default=80, ge=1, le=500)


class PinFits(_Message, PinRef):
    action: Literal["pin_fits"]


class PinValue(_Message, PinRef):
    action: Literal["pin_value"]


class NodeValues(_Message):
    action: Literal["node_values"]
    node_id: str


class BindValue(_Message, PinRef):
    action: Literal["bind_value"]
    name: str


class ToggleBreakpoint(_Message):
    action: Literal["toggle_breakpoint"]
    nodes: list[str]
    on: bool | None = None


class Debug(_Message):
    action: Literal["debug"]
    command: Literal["continue", "step", "step_over"]


Message = Annotated[
    AddNode | Remove | Move | CreateLayer | RemoveLayer | UpdateLayer | UpdateNode | Connect | Disconnect
    | UpsertVariable | RemoveVariable | UpsertComment | Paste | Copy | PasteFlowLike | Simple | Run | RunTo
    | RefreshCatalog | FittingTypes | SearchCatalog | PinFits | PinValue | NodeValues | BindValue | ToggleBreakpoint
    | Debug,
    Field(discriminator="action"),
]

MESSAGE = TypeAdapter(Message)
