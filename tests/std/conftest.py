"""Build little boards from std nodes only, through commands, as a cell or the editor would."""

from __future__ import annotations

from typing import Any

import pytest
from flowlike_catalog.std import PACK

from flowlike_core import Board, DataType, Node, Registry, Run, ValueType, Variable, commands, start_run
from flowlike_core.executor import RunHandle


class Builder:
    """`b.add("control_branch")`, `b.wire(a, "true", c, "exec_in")`, `b.chain(start, x, y)`, `b.run()`."""

    def __init__(self) -> None:
        self.registry = Registry([PACK])
        self.board = Board(name="std-test")

    def add(self, key: str, /, **defaults: Any) -> Node:
        return self.board.apply(commands.AddNode(self.registry.get(key).create(**defaults)))

    def start(self) -> Node:
        return self.add("events_simple")

    def log(self, message: Any = "") -> Node:
        return self.add("log_info", message=message)

    def wire(self, source: Node, out: str, target: Node, inp: str) -> None:
        self.board.apply(commands.Connect(source.id, out, target.id, inp))

    def chain(self, *nodes: Node) -> None:
        for source, target in zip(nodes, nodes[1:], strict=False):
            self.wire(source, "exec_out", target, "exec_in")

    def loop(self, key: str, body: Node, /, done: Node | None = None, **defaults: Any) -> Node:
        """start -> a loop node `key` whose Loop Body runs `body` (and Completed runs `done`)."""
        start, loop = self.start(), self.add(key, **defaults)
        self.chain(start, loop)
        self.wire(loop, "exec_out", body, "exec_in")
        if done is not None:
            self.wire(loop, "done", done, "exec_in")
        return loop

    def variable(self, name: str, data_type: DataType, default: Any = None,
                 value_type: ValueType = ValueType.NORMAL, exposed: bool = False) -> Variable:
        return self.board.apply(commands.UpsertVariable(Variable(
            name=name, data_type=data_type, value_type=value_type, default_value=default, exposed=exposed)))

    def pin_ids(self, node: Node, name: str) -> list[str]:
        """Ids of every pin called `name` (variadic groups repeat a name), in pin order."""
        node = self.board.nodes[node.id]
        return [p.id for p in node.ordered_pins() if p.name == name]

    def pin(self, node: Node, name: str, direction: str = "Output") -> Any:
        return next(p for p in self.board.nodes[node.id].pins.values()
                    if p.name == name and p.direction.value == direction)

    def run(self, **options: Any) -> Run:
        return self.board.run(registry=self.registry, **options)

    def start_run(self, **options: Any) -> RunHandle:
        return start_run(self.board, registry=self.registry, **options)

    def value(self, node: Node, output: str) -> Any:
        """Run the board with `node`'s output returned as the result; an exec node runs first in line."""
        start, back = self.start(), self.add("events_generic_return_result")
        if self.board.nodes[node.id].is_pure:
            self.chain(start, back)
        else:
            self.chain(start, node, back)
        self.wire(node, output, back, "response")
        run = self.run()
        run.raise_for_status()
        return run.result

    def compute(self, key: str, output: str, /, **defaults: Any) -> Any:
        """The value of one output of a `key` node with these input defaults, on a board of its own."""
        board = Builder()
        return board.value(board.add(key, **defaults), output)

    @staticmethod
    def messages(run: Run) -> list[str]:
        """Every log line of a run, in the order it was written."""
        return [line.message for line in run.logs()]


@pytest.fixture
def b() -> Builder:
    return Builder()
