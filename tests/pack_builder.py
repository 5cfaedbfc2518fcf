"""Boards of a pack's nodes (and std's) built through commands, as the pack tests write them: a module of its own
beside the root conftest, so every test folder imports the same one."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.std import PACK as STD

from flowlike_core import Board, DataType, Node, Registry, Run, RunStatus, Variable, commands


class Builder:
    """`b.add(key, **defaults)`, `b.wire(a, "out", c, "in")`, `b.chain(...)`, `b.run(payload=table)`."""

    def __init__(self, *packs: Any) -> None:
        self.packs = packs
        self.registry = Registry([STD, *packs])
        self.board = Board(name="test")
        self.values: dict[str, Any] = {}

    def fresh(self) -> Builder:
        """A new empty board with the same packs."""
        return Builder(*self.packs)

    def add(self, key: str, /, **defaults: Any) -> Node:
        return self.board.apply(commands.AddNode(self.registry.get(key).create(**defaults)))

    def wire(self, source: Node, out: str, target: Node, inp: str) -> None:
        self.board.apply(commands.Connect(source.id, out, target.id, inp))

    def chain(self, *nodes: Node) -> None:
        for source, target in zip(nodes, nodes[1:], strict=False):
            self.wire(source, "exec_out", target, "exec_in")

    def value(self, name: str, value: Any) -> Node:
        """A Get Variable node giving `value` (an exposed Generic variable set when the board runs)."""
        self.values[name] = value
        self.board.apply(commands.UpsertVariable(Variable(name=name, data_type=DataType.GENERIC, exposed=True)))
        return self.add("variable_get", var_ref=name)

    def feed(self, target: Node, **values: Any) -> None:
        """Wire each keyword's value into the input pin of that name."""
        for pin, value in values.items():
            self.wire(self.value(f"{target.id}_{pin}", value), "value_ref", target, pin)

    def steps(self, *nodes: Node) -> Run:
        """Run Start -> nodes in a chain; fails the test if the run fails."""
        self.chain(self.add("events_simple"), *nodes)
        return self.run()

    def run(self) -> Run:
        run = self.board.run(registry=self.registry, variables=self.values)
        run.raise_for_status()
        return run

    def one(self, key: str, /, inputs: dict[str, Any] | None = None, **defaults: Any) -> tuple[Run, Node]:
        """Run a single node with these wired inputs and defaults."""
        node = self.add(key, **defaults)
        self.feed(node, **(inputs or {}))
        return self.steps(node), node

    def failure(self, key: str, /, inputs: dict[str, Any] | None = None, **defaults: Any) -> str:
        """Run a single node with these wired inputs and defaults, which must fail: the run's error."""
        node = self.add(key, **defaults)
        self.feed(node, **(inputs or {}))
        return self.failed_at(node)

    def failed_at(self, node: Node) -> str:
        """Run Start -> node, which must fail with an error of its own words: no traceback, no pydantic page."""
        self.chain(self.add("events_simple"), node)
        run = self.board.run(registry=self.registry, variables=self.values)
        assert run.status is RunStatus.FAILED, run.logs()
        assert "Traceback" not in run.error and "validation error for" not in run.error, run.error
        assert "pydantic" not in run.error, run.error
        return run.error
