"""Node types and boards for the result cache tests: counters show which nodes really ran."""

from __future__ import annotations

import random
import sys
from collections import Counter
from typing import Any

from flowlike_core import (
    Board,
    DataType,
    NodeType,
    Pack,
    Registry,
    ValueType,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
)
from flowlike_core.policy import Capability

RAN: Counter[str] = Counter()
"""Executions per node type key since the last `RAN.clear()`."""


class Start(NodeType):
    name = "c_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class Add(NodeType):
    """Pure: a + b."""

    name = "c_add"
    pins = (data_in("a", DataType.INTEGER), data_in("b", DataType.INTEGER), data_out("sum", DataType.INTEGER))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("sum", ctx.get_input("a") + ctx.get_input("b"))


class SumDifference(NodeType):
    """Pure: a + b and a - b, two outputs of one node."""

    name = "c_sum_difference"
    pins = (data_in("a", DataType.INTEGER), data_in("b", DataType.INTEGER), data_out("sum", DataType.INTEGER),
            data_out("difference", DataType.INTEGER))

    def run(self, ctx):
        RAN[self.name] += 1
        a, b = ctx.get_input("a"), ctx.get_input("b")
        ctx.set_output("sum", a + b)
        ctx.set_output("difference", a - b)


class Shout(NodeType):
    """Pure: the text, upper case, with the variable `suffix` read through the context."""

    name = "c_shout"
    pins = (data_in("text", DataType.STRING), data_out("loud", DataType.STRING))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("loud", ctx.get_input("text").upper() + ctx.get_variable("suffix"))


class Dice(NodeType):
    """Pure but random: declares that it always runs."""

    name = "c_dice"
    cacheable = False
    pins = (data_out("roll", DataType.INTEGER),)

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("roll", random.randint(1, 6))


class Wrap(NodeType):
    """Pure, over values that cannot be hashed by content: wraps its input in an opaque object."""

    name = "c_wrap"
    pins = (data_in("value", DataType.GENERIC), data_out("wrapped", DataType.GENERIC))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("wrapped", Opaque(ctx.get_input("value")))


class Unwrap(NodeType):
    name = "c_unwrap"
    pins = (data_in("wrapped", DataType.GENERIC), data_out("value", DataType.GENERIC))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("value", ctx.get_input("wrapped").value)


class Opaque:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class Emit(NodeType):
    """Exec: records its input as the run's result."""

    name = "c_emit"
    pins = (exec_in(), data_in("value", DataType.GENERIC), exec_out())

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_result(ctx.get_input("value"))
        ctx.activate("exec_out")


class Double(NodeType):
    """Exec, idempotent: doubles its input into an output and goes on."""

    name = "c_double"
    cacheable = True
    pins = (exec_in(), data_in("value", DataType.INTEGER), exec_out(), data_out("twice", DataType.INTEGER))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("twice", ctx.get_input("value") * 2)
        ctx.activate("exec_out")


class Bump(NodeType):
    """Exec, not idempotent: the same work as Double."""

    name = "c_bump"
    pins = (exec_in(), data_in("value", DataType.INTEGER), exec_out(), data_out("twice", DataType.INTEGER))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("twice", ctx.get_input("value") * 2)
        ctx.activate("exec_out")


class Fetch(NodeType):
    """Pure, reaches the network: not cached unless it says so."""

    name = "c_fetch"
    capabilities = frozenset({Capability.NETWORK})
    pins = (data_in("url", DataType.STRING), data_out("body", DataType.STRING))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("body", f"<{ctx.get_input('url')}>")


class Tell(NodeType):
    """Pure: logs `lines` lines (one a warning) and emits an event per line while it works out `lines` squared."""

    name = "c_tell"
    pins = (data_in("lines", DataType.INTEGER), data_out("square", DataType.INTEGER))

    def run(self, ctx):
        RAN[self.name] += 1
        lines = ctx.get_input("lines")
        for line in range(1, lines + 1):
            (ctx.warn if line == 1 else ctx.info)(f"line {line} of {lines}")
            ctx.emit("line", {"line": line, "of": lines})
        ctx.set_output("square", lines * lines)


class Numbers(NodeType):
    """Pure: the list 0 .. n - 1."""

    name = "c_numbers"
    pins = (data_in("n", DataType.INTEGER), data_out("items", DataType.INTEGER, value_type=ValueType.ARRAY))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("items", list(range(ctx.get_input("n"))))


class Push(NodeType):
    """Pure, but changes its input in place: appends 99 to the list and gives its new length."""

    name = "c_push"
    pins = (data_in("items", DataType.INTEGER, value_type=ValueType.ARRAY), data_out("length", DataType.INTEGER))

    def run(self, ctx):
        RAN[self.name] += 1
        items = ctx.get_input("items")
        items.append(99)
        ctx.set_output("length", len(items))


class Pair(NodeType):
    """Exec: the run's result is [first, second]."""

    name = "c_pair"
    pins = (exec_in(), data_in("first", DataType.GENERIC), data_in("second", DataType.GENERIC), exec_out())

    def run(self, ctx):
        ctx.set_result([ctx.get_input("first"), list(ctx.get_input("second"))])
        ctx.activate("exec_out")


TYPES = (Start, Add, SumDifference, Shout, Dice, Wrap, Unwrap, Emit, Double, Bump, Fetch, Tell, Numbers, Push, Pair)


def registry(version: str = "1.0") -> Registry:
    """A registry of these types as one pack, `cachetest`, at `version`."""
    registry = Registry()
    registry.add_pack(Pack("cachetest", modules=[sys.modules[__name__]], version=version))
    return registry


def add(board: Board, registry: Registry, key: str, node_id: str, **defaults: Any) -> str:
    return board.apply(commands.AddNode(registry.get(key).create(node_id=node_id, friendly_name=node_id,
                                                                 **defaults))).id


def wire(board: Board, source: str, out: str, target: str, into: str) -> None:
    board.apply(commands.Connect(source, out, target, into))


def sum_board(registry: Registry) -> Board:
    """start -> emit(total); total = left + right, left = 1 + 2, right = 3 + 4."""
    board = Board(name="sums")
    add(board, registry, "c_start", "start")
    add(board, registry, "c_add", "left", a=1, b=2)
    add(board, registry, "c_add", "right", a=3, b=4)
    add(board, registry, "c_add", "total")
    add(board, registry, "c_emit", "emit")
    wire(board, "left", "sum", "total", "a")
    wire(board, "right", "sum", "total", "b")
    wire(board, "total", "sum", "emit", "value")
    wire(board, "start", "exec_out", "emit", "exec_in")
    return board


def telling_board(registry: Registry, lines: int) -> Board:
    """start -> emit(told.square), where `told` logs `lines` lines."""
    board = Board(name="telling")
    add(board, registry, "c_start", "start")
    add(board, registry, "c_tell", "told", lines=lines)
    add(board, registry, "c_emit", "emit")
    wire(board, "told", "square", "emit", "value")
    wire(board, "start", "exec_out", "emit", "exec_in")
    return board


def set_default(board: Board, node_id: str, **defaults: Any) -> None:
    board.apply(commands.UpdateNode(node_id, defaults=defaults))
