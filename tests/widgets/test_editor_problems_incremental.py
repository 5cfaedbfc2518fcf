"""The editor checks an edit where it can change the board's problems, not the whole board, and still shows exactly
the problems a whole check (`validate_board`) finds: compared after every step of random edit sequences."""

from __future__ import annotations

import json
import random
import sys
from importlib.metadata import entry_points
from typing import Any

import pytest

from flowlike_core import (
    Board,
    DataType,
    NodeType,
    Pack,
    PinOptions,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
)
from flowlike_core import validate as core_validate
from flowlike_core.board import Variable
from flowlike_core.errors import FlowLikeError
from flowlike_core.registry import ENTRY_POINT_GROUP, Registry
from flowlike_nb.widgets import BoardEditor
from flowlike_nb.widgets import problems as editor_problems
from flowlike_nb.widgets.problems import board_problems

from . import conftest
from .conftest import Recorder


class Join(NodeType):
    """Pure: two texts into one."""

    name = "wi_join"
    pins = (data_in("first", DataType.STRING, default="a"), data_in("second", DataType.STRING, default="b"),
            data_out("text", DataType.STRING))

    def run(self, ctx):
        ctx.set_output("text", ctx.get_input("first") + ctx.get_input("second"))


class Count(NodeType):
    """An exec node with a data output: read before it runs, its output is None."""

    name = "wi_count"
    pins = (exec_in(), data_out("result", DataType.STRING), exec_out())

    def run(self, ctx):
        ctx.set_output("result", "counted")
        ctx.activate("exec_out")


class Need(NodeType):
    """A required input and a sensitive one."""

    name = "wi_need"
    pins = (exec_in(), data_in("path", DataType.STRING, options=PinOptions(required=True)),
            data_in("token", DataType.STRING, options=PinOptions(sensitive=True)), exec_out())

    def run(self, ctx):
        ctx.activate("exec_out")


REGISTRY = Registry([Pack("incremental-problem-tests", modules=[conftest, sys.modules[__name__]])],
                    entries=entry_points(group=ENTRY_POINT_GROUP))
TYPES = ["w_start", "w_say", "w_number", "w_tell", "wi_join", "wi_count", "wi_need", "events_simple", "control_branch",
         "control_sequence", "reroute_data", "control_for_each", "log_info", "variable_get"]
VALUES: list[Any] = [None, "", "x", "hunter2", 0, 5, 99, -3, True, [1, 2], {"k": 1}, "loud", "plain", "count"]


def canonical(problems: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(p, sort_keys=True) for p in problems)


def broken_board() -> Board:
    """A board file with what no edit makes: a dangling wire, a wire between mismatched types, two wires into one
    input, two nodes sharing pin ids, a cycle of pure nodes, a variable whose value does not fit it; and what edits
    make: an input read before its node runs, a typed-in secret, an empty required input."""
    board = Board(name="broken")
    for node_type, node_id in [("w_start", "start"), ("w_say", "say"), ("wi_join", "j1"), ("wi_join", "j2"),
                               ("w_number", "num"), ("wi_count", "count"), ("w_say", "later")]:
        board.apply(commands.AddNode(REGISTRY.get(node_type).create(node_id=node_id)))
    board.apply(commands.Connect("say", "exec_out", "later", "exec_in"))
    board.apply(commands.Connect("later", "exec_out", "count", "exec_in"))
    board.apply(commands.Connect("count", "result", "later", "message"))  # read before Count runs
    board.apply(commands.AddNode(Need.create(node_id="need")))
    board.apply(commands.UpdateNode("need", defaults={"token": "hunter2"}))
    data = board.to_dict()
    twin = json.loads(json.dumps(data["nodes"]["num"]))
    twin["id"] = "twin"
    data["nodes"]["twin"] = twin
    pin = {p["name"]: p["id"] for p in data["nodes"]["j1"]["pins"].values()}
    pin2 = {p["name"]: p["id"] for p in data["nodes"]["j2"]["pins"].values()}
    say = {p["name"]: p["id"] for p in data["nodes"]["say"]["pins"].values()}
    num = {p["name"]: p["id"] for p in data["nodes"]["num"]["pins"].values()}
    start = {p["name"]: p["id"] for p in data["nodes"]["start"]["pins"].values()}
    data["connections"] += [
        {"from_node": "start", "from_pin": start["exec_out"], "to_node": "say", "to_pin": say["exec_in"]},
        {"from_node": "gone", "from_pin": "p", "to_node": "say", "to_pin": say["mode"]},
        {"from_node": "num", "from_pin": num["result"], "to_node": "say", "to_pin": say["message"]},
        {"from_node": "twin", "from_pin": num["result"], "to_node": "say", "to_pin": say["times"]},
        {"from_node": "num", "from_pin": num["result"], "to_node": "say", "to_pin": say["times"]},
        {"from_node": "j1", "from_pin": pin["text"], "to_node": "j2", "to_pin": pin2["first"]},
        {"from_node": "j2", "from_pin": pin2["text"], "to_node": "j1", "to_pin": pin["first"]},
    ]
    data["variables"] = {"v": {"id": "v", "name": "limit", "data_type": "Integer", "default_value": "many"}}
    return Board.from_dict(data)


class Edits:
    """Random edits of a board, as the canvas and cells make them (refused ones are skipped)."""

    def __init__(self, board: Board, seed: int) -> None:
        self.board, self.rng, self.made = board, random.Random(seed), 0

    def node(self) -> str | None:
        return self.rng.choice(list(self.board.nodes)) if self.board.nodes else None

    def pin(self, node_id: str, direction: str) -> str | None:
        pins = [p.id for p in self.board.nodes[node_id].pins.values() if p.direction.value == direction]
        return self.rng.choice(pins) if pins else None

    def fitting(self, out: str, node: str, other: str) -> str:
        """An input of `other` of the output's kind (exec or data type) when it has one: most wires then hold."""
        source = self.board.nodes[node].pins[out]
        inputs = [p for p in self.board.nodes[other].pins.values() if p.is_input]
        alike = [p.id for p in inputs if p.data_type in (source.data_type, DataType.GENERIC)]
        return self.rng.choice(alike or [p.id for p in inputs] or [out])

    def command(self) -> commands.Command | str | None:
        rng, board = self.rng, self.board
        kind = rng.choices(["add", "connect", "drop", "disconnect", "remove", "value", "rename", "variable",
                            "unvariable", "move", "undo", "redo"], weights=[3, 8, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1])[0]
        node = self.node()
        if kind in ("undo", "redo"):
            return kind
        if kind == "add" or node is None:
            self.made += 1
            return commands.AddNode(REGISTRY.get(rng.choice(TYPES)).create(node_id=f"r{self.made}"))
        if kind in ("connect", "drop"):
            out = self.pin(node, "Output")
            other = self.node() if kind == "connect" else None
            if kind == "drop":  # a wire dropped on empty canvas: a new node, wired at once
                self.made += 1
                created = REGISTRY.get(rng.choice(TYPES)).create(node_id=f"r{self.made}")
                inputs = [p.id for p in created.pins.values() if p.is_input]
                if out is None or not inputs:
                    return commands.AddNode(created)
                return commands.Batch([commands.AddNode(created),
                                       commands.Connect(node, out, created.id, rng.choice(inputs))])
            return commands.Connect(node, out, other, self.fitting(out, node, other)) if out and other else None
        if kind == "disconnect" and board.connections:
            wire = rng.choice(board.connections)
            return commands.Disconnect(wire.from_node, wire.from_pin, wire.to_node, wire.to_pin)
        if kind == "remove":
            return commands.RemoveNode(node)
        if kind == "value":
            pin = self.pin(node, "Input")
            value = "hunter2" if pin and self.board.nodes[node].pins[pin].name == "token" else rng.choice(VALUES)
            return commands.UpdateNode(node, defaults={pin: value}) if pin else None
        if kind == "rename":
            return commands.UpdateNode(node, friendly_name=rng.choice(["", "A", "B", "count"]))
        if kind == "variable":
            value = rng.choice([3, "many", None])
            return commands.UpsertVariable(Variable(id=rng.choice(["v", "w"]), name=rng.choice(["limit", "top"]),
                                                    data_type=DataType.INTEGER, default_value=value))
        if kind == "unvariable" and board.variables:
            return commands.RemoveVariable(rng.choice(list(board.variables)))
        if kind == "move":
            return commands.MoveNode(node, (rng.randint(0, 900), rng.randint(0, 900)))
        return None

    def step(self) -> bool:
        """Make one edit; whether one was made."""
        command = self.command()
        try:
            if command == "undo":
                if not self.board.history.can_undo:
                    return False
                self.board.undo()
            elif command == "redo":
                if not self.board.history.can_redo:
                    return False
                self.board.redo()
            elif command is not None:
                self.board.apply(command)
            else:
                return False
        except FlowLikeError:
            return False
        return True


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_show_what_a_whole_check_finds(seed: int) -> None:
    board = broken_board() if seed % 2 else Board(name="random")
    editor = BoardEditor(board, registry=REGISTRY)
    Recorder(editor)
    assert canonical(editor.problems) == canonical(board_problems(board, REGISTRY))
    codes = {p["code"] for p in editor.problems}
    edits, made = Edits(board, seed), 0
    for _ in range(400):
        if not edits.step():
            continue
        made += 1
        whole = board_problems(board, REGISTRY)
        codes |= {p["code"] for p in whole}
        assert canonical(editor.problems) == canonical(whole), f"after edit {made} (seed {seed})"
    assert made > 200
    if seed % 2:  # the broken file's problems, and those edits make, were all met on the way
        assert {"dangling-connection", "type-mismatch", "duplicate-pin-id", "pure-cycle", "bad-default",
                "required-input-empty", "secret-in-file", "read-before-run", "too-many-wires"} <= codes


def chains(count: int, length: int) -> Board:
    """`count` flows side by side, each an event and `length` Say nodes in a row."""
    board = Board(name="classroom")
    parts: list[commands.Command] = []
    for flow in range(count):
        parts.append(commands.AddNode(conftest.Start.create(node_id=f"s{flow}")))
        before = f"s{flow}"
        for step in range(length):
            node = f"f{flow}n{step}"
            parts += [commands.AddNode(conftest.Say.create(node_id=node)),
                      commands.Connect(before, "exec_out", node, "exec_in")]
            before = node
    board.apply(commands.Batch(parts))
    return board


def test_an_edit_checks_what_it_touches_not_the_board(monkeypatch: pytest.MonkeyPatch) -> None:
    board = chains(100, 9)
    editor = BoardEditor(board, registry=REGISTRY)
    frontend = Recorder(editor)
    looked_at: list[int] = []

    def spy(check):
        def counted(part: Board, registry: Registry | None = None) -> list:
            looked_at.append(len(part.nodes))
            return check(part, registry)
        return counted

    monkeypatch.setattr(core_validate, "validate_board", spy(core_validate.validate_board))
    monkeypatch.setattr(editor_problems, "validate_board", spy(core_validate.validate_board), raising=False)
    monkeypatch.setattr(editor_problems, "wired_problems", spy(core_validate.wired_problems), raising=False)
    frontend("update_node", node_id="f5n3", defaults={"times": 7})
    frontend("update_node", node_id="f5n4", friendly_name="Greet")
    board.apply(commands.AddNode(Count.create(node_id="late")))  # from a cell
    board.apply(commands.AddNode(Need.create(node_id="need")))
    assert ("required-input-empty", "need") in {(p["code"], p["node_id"]) for p in editor.problems}
    frontend("update_node", node_id="need", defaults={"path": "notes.txt"})

    def pin(node: str, name: str) -> str:
        return board.nodes[node].pin(name).id

    frontend("connect", from_node="late", from_pin=pin("late", "result"), to_node="f7n2", to_pin=pin("f7n2", "message"))
    frontend("connect", from_node="f7n8", from_pin=pin("f7n8", "exec_out"), to_node="late",
             to_pin=pin("late", "exec_in"))
    assert looked_at and max(looked_at) <= 12, looked_at  # one flow has 10 nodes; the board 1,001
    shown = {(p["code"], p["node_id"]) for p in editor.problems}
    assert shown == {("read-before-run", "f7n2")}
    assert canonical(editor.problems) == canonical(board_problems(board, REGISTRY))
