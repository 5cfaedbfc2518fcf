"""Boards of data nodes built through commands, as a cell or the editor would (imported by the tests by this
module's unique name, so that the whole suite collects beside other folders' helpers)."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data import PACK
from flowlike_catalog.std import PACK as STD_PACK

from flowlike_core import Board, DataType, Node, Registry, Run, Variable, commands

REGISTRY = Registry([PACK, STD_PACK])


class Flow:
    """A line of exec nodes after a start event: `flow.step(key, **defaults)` appends one.

    A step with a `session` (or `database`) input is wired to the last node that gave one, so SQL boards
    read like the list of what they do. An input given as `(node, "output")` is wired from that output."""

    def __init__(self) -> None:
        self.board = Board(name="data-test")
        self.last = self.add("events_simple")
        self.sources: dict[str, tuple[Node, str]] = {}

    def add(self, key: str, /, **defaults: Any) -> Node:
        wired = {name: value for name, value in defaults.items()
                 if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Node)}
        node = self.board.apply(commands.AddNode(REGISTRY.get(key).create(
            **{name: value for name, value in defaults.items() if name not in wired})))
        for name, (source, out) in wired.items():
            self.wire(source, out, node, name)
        return node

    def wire(self, source: Node, out: str, target: Node, inp: str) -> None:
        self.board.apply(commands.Connect(source.id, out, target.id, inp))

    def step(self, key: str, /, **defaults: Any) -> Node:
        node = self.add(key, **defaults)
        pins = {(p.direction.value, p.name) for p in node.pins.values()}
        if ("Input", "exec_in") in pins:
            self.wire(self.last, "exec_out", node, "exec_in")
            self.last = node
        for handle in ("session", "database"):
            if ("Input", handle) in pins and handle in self.sources and handle not in defaults:
                self.wire(*self.sources[handle], node, handle)
            for out in (handle, f"{handle}_out"):
                if ("Output", out) in pins:
                    self.sources[handle] = (node, out)
        return node

    def feed(self, name: str) -> Node:
        """A Get Variable node for a Generic board variable, whose value `run(name=...)` gives (a notebook
        value such as a pyarrow Table or a DataFrame)."""
        self.board.apply(commands.UpsertVariable(Variable(name=name, data_type=DataType.GENERIC, exposed=True)))
        return self.add("variable_get", var_ref=name)

    def run(self, **variables: Any) -> Run:
        run = self.board.run(registry=REGISTRY, variables=variables)
        run.raise_for_status()
        return run

    def failure(self, **variables: Any) -> str:
        """The error message of a run that must fail."""
        run = self.board.run(registry=REGISTRY, variables=variables)
        assert run.status.value == "Failed", run.status
        return str(run.error)


def output(key: str, name: str, /, **defaults: Any) -> Any:
    """One output of a single node run on a board of its own (a return node pulls pure nodes)."""
    flow = Flow()
    node = flow.step(key, **defaults)
    back = flow.step("events_generic_return_result")
    flow.wire(node, name, back, "response")
    return flow.run().result


def outputs(run: Run, node: Node) -> dict[str, Any]:
    """The data outputs `node` set in `run`, by name."""
    found = {}
    for pin in node.pins.values():
        if pin.direction.value == "Output" and pin.data_type.value != "Execution":
            try:
                found[pin.name] = run.output(node.id, pin.name)
            except KeyError:
                continue
    return found


class ServiceFlow:
    """Start → the steps added with `step`, each after the last, all fed by one provider node (the boards of the
    hosted services' tests)."""

    def __init__(self, provider: str, **settings: Any) -> None:
        self.flow = Flow()
        self.provider = self.flow.add(provider, **settings)

    def step(self, key: str, /, **defaults: Any) -> Node:
        return self.flow.step(key, provider=(self.provider, "provider"), **defaults)

    def run(self) -> Run:
        return self.flow.run()

    def outputs(self, run: Run, node: Node) -> dict[str, Any]:
        return outputs(run, node)


def one(board: ServiceFlow, key: str, /, **defaults: Any) -> dict[str, Any]:
    """The outputs of one more step, run on the board (which must succeed)."""
    node = board.step(key, **defaults)
    return outputs(board.run(), node)
