"""An edit costs what it touches, not the board: an edit on a board of 4,000 nodes never walks the board's wire list
and never checks every node (building a board through the editing API was quadratic in its size: every wire edit
scanned every wire, copied the wire list for undo, and revalidated every node on assigning the list).

Work is counted, not timed (a shared machine's load cannot make the test flaky): the walks over the wire list, seen by
a list that counts them, and the tables the board's id check goes through."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from flowlike_core import (
    Board,
    BoardError,
    Connection,
    DataType,
    Layer,
    NodeType,
    Variable,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
)
from flowlike_core import board as board_module
from flowlike_core.board import new_id

LARGE = 4_000


class Step(NodeType):
    name = "cost_step"
    pins = (exec_in(), data_in("value", DataType.INTEGER), exec_out(), data_out("value", DataType.INTEGER))


class Pass(NodeType):
    """Pure, Generic on both sides: its type settles from what is wired to it."""

    name = "cost_pass"
    pins = (data_in("value", DataType.GENERIC, generic="T"), data_out("value", DataType.GENERIC, generic="T"))


def chain(length: int) -> Board:
    """`length` steps wired exec and value, each to the next (made directly, copies of one node with the same pin
    ids: building it is not what is counted)."""
    model = Step.create()
    steps = [model.model_copy(update={"id": new_id(), "pins": {k: pin.model_copy() for k, pin in model.pins.items()}})
             for _ in range(length)]
    pins = [(model.pin(out, "Output").id, model.pin(into, "Input").id)
            for out, into in (("exec_out", "exec_in"), ("value", "value"))]
    wires = [Connection(from_node=a.id, from_pin=out, to_node=b.id, to_pin=into)
             for a, b in zip(steps, steps[1:], strict=False) for out, into in pins]
    board = Board(name=f"chain-{length}", nodes={step.id: step for step in steps}, connections=wires)
    board.wires_of(steps[0].id)  # a first read, as an editor's, before any edit is counted
    return board


class WatchedWires(list):
    """A board's wire list that counts the times code walks it (or compares it whole)."""

    walks = 0

    def __iter__(self):
        self.walks += 1
        return super().__iter__()

    def __contains__(self, item: object) -> bool:
        self.walks += 1
        return super().__contains__(item)

    def __eq__(self, other: object) -> bool:
        self.walks += 1
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]


def work(board: Board, edit: Callable[[], object], monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    """How often `edit` walks the board's wire list, and the tables the board's id check goes through meanwhile."""
    wires = board.__dict__["connections"] = WatchedWires(board.connections)  # the same wires, watched
    board.wires_of(last(board))  # a first read of the new list, as an editor's, before the edit is counted
    wires.walks, tables = 0, []
    check = board_module._keyed_by_id
    monkeypatch.setattr(board_module, "_keyed_by_id", lambda table, items: (tables.append(table), check(table, items)))
    edit()
    monkeypatch.undo()
    return wires.walks, tables


def last(board: Board) -> str:
    """The id of the chain's last step (edits at the end: the same place on both boards)."""
    return board.connections[-1].to_node


def grow(board: Board) -> Callable[[], object]:
    """One step added after the last, as `benchmarks/bench_engine.chain_board` adds it."""
    previous, step = last(board), board.apply(commands.AddNode(Step.create()))
    return lambda: board.apply(commands.Batch([commands.Connect(previous, "exec_out", step.id, "exec_in"),
                                               commands.Connect(previous, "value", step.id, "value")]))


def add_step(board: Board) -> Callable[[], object]:
    return lambda: board.apply(commands.AddNode(Step.create()))


def undo_connect(board: Board) -> Callable[[], object]:
    grow(board)()
    return board.undo


def redo_connect(board: Board) -> Callable[[], object]:
    grow(board)()
    board.undo()
    return board.redo


def displace(board: Board) -> Callable[[], object]:
    """The last step's exec output taken from the step before it: its old wire goes."""
    before = board.connections[-1].from_node
    step = board.apply(commands.AddNode(Step.create()))
    return lambda: board.apply(commands.Connect(before, "exec_out", step.id, "exec_in"))


def disconnect(board: Board) -> Callable[[], object]:
    wire = board.connections[-1]
    return lambda: board.apply(commands.Disconnect(*wire.key()))


def remove_node(board: Board) -> Callable[[], object]:
    node_id = last(board)
    return lambda: board.apply(commands.RemoveNode(node_id))


def generic_wires(board: Board) -> Callable[[], object]:
    """A value into a Generic pure node, and on into another (a pure pair: the cycle check runs)."""
    end = last(board)
    first = board.apply(commands.AddNode(Pass.create()))
    second = board.apply(commands.AddNode(Pass.create()))
    return lambda: board.apply(commands.Batch([commands.Connect(end, "value", first.id, "value"),
                                               commands.Connect(first.id, "value", second.id, "value")]))


def rename(board: Board) -> Callable[[], object]:
    def edit() -> None:
        board.name = "renamed"  # one field of the document, assigned: checks that field, not every node

    return edit


@pytest.mark.parametrize("edit", [add_step, grow, undo_connect, redo_connect, displace, disconnect, remove_node,
                                  generic_wires, rename])
def test_an_edit_on_a_large_board_walks_no_wire_list_and_checks_no_node_table(edit, monkeypatch) -> None:
    board = chain(LARGE)
    walks, tables = work(board, edit(board), monkeypatch)
    assert (walks, "nodes" in tables) == (0, False), (f"{edit.__name__} on {LARGE:,} nodes: {walks} walks over the "
                                                      f"wire list, id checks of {tables}")


def test_the_counted_edits_did_their_work() -> None:
    """The edits counted above change the board as they should (a count of nothing done would pass)."""
    board = chain(10)
    grow(board)()
    assert board.nodes[last(board)].pin("value", "Input").id == board.connections[-1].to_pin
    assert len(board.connections) == 20
    board.undo()
    assert len(board.connections) == 18
    board.redo()
    assert len(board.connections) == 20
    displace(board)()
    assert len(board.connections) == 20 and len(board.wires_from(board.connections[-1].from_node,
                                                                    board.connections[-1].from_pin)) == 1
    generic_wires(board)()
    first = board.nodes[board.connections[-2].to_node]
    assert first.pin("value", "Output").data_type is DataType.INTEGER
    gone = last(board)
    remove_node(board)()
    assert gone not in board.nodes and not board.wires_of(gone)


def state(board: Board) -> tuple[str, list[tuple[str, str, str, str]]]:
    """The document, and the wire list in its order (the document sorts it)."""
    return board.to_json(), [wire.key() for wire in board.connections]


def assert_wires_found_are_those_listed(board: Board) -> None:
    for node in board.nodes.values():
        assert board.wires_of(node.id) == [w for w in board.connections if node.id in (w.from_node, w.to_node)]
        for pin in node.pins.values():
            assert board.wires_into(node.id, pin.id) == [
                w for w in board.connections if (w.to_node, w.to_pin) == (node.id, pin.id)]
            assert board.wires_from(node.id, pin.id) == [
                w for w in board.connections if (w.from_node, w.from_pin) == (node.id, pin.id)]


def edit(board: Board, action: str, a: int, b: int) -> commands.Command | None:
    """The command `action` picks with the numbers a and b, or None when the board has nothing it could take."""
    nodes = list(board.nodes.values())
    if action == "add":
        return commands.AddNode((Step if a % 2 else Pass).create())
    if action == "disconnect" and board.connections:
        return commands.Disconnect(*board.connections[a % len(board.connections)].key())
    if not nodes:
        return None
    if action == "remove":
        return commands.RemoveNode(nodes[a % len(nodes)].id)
    source, target = nodes[a % len(nodes)], nodes[(a // len(nodes)) % len(nodes)]
    out, into = source.outputs[b % len(source.outputs)], target.inputs[(b // 7) % len(target.inputs)]
    return commands.Connect(source.id, out.id, target.id, into.id)


@pytest.mark.parametrize("seed", range(40))
def test_wires_found_are_those_listed_and_undo_gives_the_list_back_in_its_order(seed: int) -> None:
    """Whatever the edits (refused ones too), finding a pin's wires finds what the wire list holds, in its order; an
    edit that changed nothing is no undo step; undo and redo give back each state, the wire list in its order."""
    board = Board(name="random")
    for kind in (Step, Pass, Step, Pass):
        board.apply(commands.AddNode(kind.create()))
    undos: list[tuple[str, list]] = []  # the state before each undo step
    redos: list[tuple[str, list]] = []
    pick = random.Random(seed)
    for _ in range(60):
        action = pick.choice(["add", "connect", "connect", "connect", "disconnect", "remove", "undo", "redo"])
        a, b = pick.randrange(10**6), pick.randrange(10**6)
        before = state(board)
        if action == "undo" and undos:
            board.undo()
            assert state(board) == undos.pop()
            redos.append(before)
        elif action == "redo" and redos:
            board.redo()
            assert state(board) == redos.pop()
            undos.append(before)
        elif (command := edit(board, action, a, b)) is not None:
            steps_done = len(board.history.done)
            try:
                board.apply(command)
            except BoardError:
                assert state(board) == before
            if len(board.history.done) > steps_done:
                undos.append(before)
                redos.clear()
            else:
                assert state(board) == before
        assert_wires_found_are_those_listed(board)


def test_a_field_assigned_is_still_checked() -> None:
    """Assigning one field checks that field (and only it): ids against keys, layers inside layers of the board."""
    board = chain(3)
    node = next(iter(board.nodes.values()))
    with pytest.raises(ValidationError, match="its id .* differs from its key 'other'"):
        board.nodes = {"other": node}
    with pytest.raises(ValidationError, match="sits in layer 'nowhere', which the board does not have"):
        board.layers = {"inner": Layer(id="inner", name="inner", parent_id="nowhere")}
    with pytest.raises(ValidationError, match="its id .* differs from its key 'v'"):
        board.variables = {"v": Variable(id="w", name="v")}
    board.layers = {"outer": Layer(id="outer", name="outer"), "inner": Layer(id="inner", name="inner",
                                                                              parent_id="outer")}
    assert [layer.name for layer in board.layer_path("inner")] == ["outer", "inner"] and len(board.nodes) == 3
