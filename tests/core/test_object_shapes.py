"""A handle of a live object (a model, a session, an image: a struct naming an object kept in memory) arriving at
an input typed as the object's own class gives the object (`__live_object__`), so a node of one's own can take
what a pack's node made; anything else arrives as it was sent."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from flowlike_core import Board, DataType, NodeType, Registry, commands, data_in, exec_in, exec_out
from flowlike_core import node as node_type
from flowlike_core.executor import run_board


class Kettle:
    """A live object no pin type names."""

    def __init__(self, litres: float) -> None:
        self.litres = litres


KETTLES: dict[str, Kettle] = {}


class KettleRef(BaseModel):
    """A handle as packs make them: a struct naming the object."""

    id: str

    def __live_object__(self) -> Kettle:
        return KETTLES[self.id]


class Start(NodeType):
    name = "objects_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx: Any) -> None:
        ctx.activate("exec_out")


class Finish(NodeType):
    name = "objects_finish"
    pins = (exec_in(), data_in("value", DataType.GENERIC))

    def run(self, ctx: Any) -> None:
        ctx.set_result(ctx.get_input("value"))


@node_type
def make_kettle(litres: float = 1.5) -> KettleRef:
    KETTLES["k1"] = Kettle(litres)
    return KettleRef(id="k1")


@node_type
def anything(value: Any = None) -> Any:
    return value


@node_type
def capacity(kettle: Kettle | None = None) -> str:
    return f"{type(kettle).__name__}: {getattr(kettle, 'litres', kettle)}"


def result(source: str, **defaults: Any) -> Any:
    registry = Registry()
    for kind in (Start, Finish, make_kettle, anything, capacity):
        registry.register(kind, pack="objects")
    board = Board(name="objects")
    add = lambda name, **values: board.apply(commands.AddNode(registry.get(name).create(**values)))  # noqa: E731
    start, finish, read, made = add("objects_start"), add("objects_finish"), add("capacity"), add(source, **defaults)
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", finish.id, "exec_in"),
                                commands.Connect(read.id, "result", finish.id, "value"),
                                commands.Connect(made.id, "result", read.id, "kettle")]))
    return run_board(board, registry=registry).raise_for_status().result


def test_a_handle_gives_its_object_to_an_input_typed_as_the_objects_class():
    assert result("make_kettle", litres=1.7) == "Kettle: 1.7"


def test_anything_else_arrives_as_it_was_sent():
    assert result("anything", value="2 litres") == "str: 2 litres"
    assert result("anything") == "NoneType: None"
