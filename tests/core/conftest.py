"""Small node types of our own, so the engine's tests do not depend on any pack."""

from __future__ import annotations

import asyncio

import pytest

from flowlike_core import Board, DataType, NodeType, Registry, ValueType, commands, data_in, data_out, exec_in, exec_out


class Start(NodeType):
    name = "t_start"
    is_event = True
    pins = (exec_out(), data_out("payload", DataType.GENERIC))

    def run(self, ctx):
        ctx.set_output("payload", ctx.payload)
        ctx.activate("exec_out")


class AddOne(NodeType):
    name = "t_add_one"
    pins = (exec_in(), data_in("value", DataType.INTEGER), exec_out(), data_out("value", DataType.INTEGER))

    def run(self, ctx):
        ctx.set_output("value", ctx.get_input("value") + 1)
        ctx.activate("exec_out")


class Record(NodeType):
    """Appends its input to the run's `seen` variable and logs it."""

    name = "t_record"
    pins = (exec_in(), data_in("value", DataType.GENERIC), exec_out())

    def run(self, ctx):
        value = ctx.get_input("value")
        ctx.get_variable("seen").append(value)
        ctx.info(f"saw {value!r}")
        ctx.activate("exec_out")


class Fail(NodeType):
    name = "t_fail"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.warn("about to fail")
        raise ValueError("kaboom")


class Counter(NodeType):
    """A pure node that counts how often it is computed."""

    name = "t_counter"
    pins = (data_out("count", DataType.INTEGER),)
    calls = 0

    def run(self, ctx):
        type(self).calls += 1
        ctx.set_output("count", type(self).calls)


class Loop(NodeType):
    """Fires `body` for each item, to completion, then `done`."""

    name = "t_loop"
    pins = (
        exec_in(),
        data_in("items", DataType.GENERIC, ValueType.ARRAY, generic="T"),
        exec_out("body"),
        data_out("item", DataType.GENERIC, generic="T"),
        exec_out("done"),
    )

    async def run(self, ctx):
        for item in ctx.get_input("items"):
            ctx.set_output("item", item)
            await ctx.fire("body")
        ctx.activate("done")


class Forever(NodeType):
    """Re-fires its body forever: only the step limit or a cancel stops it."""

    name = "t_forever"
    pins = (exec_in(), exec_out("body"))

    async def run(self, ctx):
        while True:
            await ctx.fire("body")


class Sleep(NodeType):
    name = "t_sleep"
    pins = (exec_in(), data_in("seconds", DataType.FLOAT, default=0.01), exec_out())

    async def run(self, ctx):
        await ctx.sleep(ctx.get_input("seconds"))
        ctx.activate("exec_out")


class Fork(NodeType):
    name = "t_fork"
    pins = (exec_in(), exec_out("a"), exec_out("b"))

    def run(self, ctx):
        ctx.activate("a")
        ctx.activate("b")


class Numbers(NodeType):
    name = "t_numbers"
    pins = (data_out("numbers", DataType.INTEGER, ValueType.ARRAY),)

    def run(self, ctx):
        ctx.set_output("numbers", [1, 2, 3])


class Passthrough(NodeType):
    """Pure, Generic with a type variable on both sides."""

    name = "t_pass"
    pins = (data_in("value", DataType.GENERIC, generic="T"), data_out("value", DataType.GENERIC, generic="T"))

    def run(self, ctx):
        ctx.set_output("value", ctx.get_input("value"))


class AsyncDouble(NodeType):
    name = "t_async_double"
    pins = (data_in("value", DataType.INTEGER), data_out("value", DataType.INTEGER))

    async def run(self, ctx):
        await asyncio.sleep(0)
        ctx.set_output("value", ctx.get_input("value") * 2)


class Point(NodeType):
    name = "t_point"
    pins = (
        data_out(
            "point",
            DataType.STRUCT,
            schema={
                "type": "object",
                "required": ["x", "y"],
                "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}},
            },
        ),
    )

    def run(self, ctx):
        ctx.set_output("point", {"x": 1, "y": 2})


class NeedsX(NodeType):
    name = "t_needs_x"
    pins = (
        exec_in(),
        data_in(
            "point",
            DataType.STRUCT,
            schema={"type": "object", "required": ["x"], "properties": {"x": {"type": "number"}}},
        ),
        data_in("label", DataType.STRING, required=True),
        exec_out(),
    )

    def run(self, ctx):
        ctx.set_result(ctx.get_input("point")["x"])
        ctx.activate("exec_out")


class NeedsZ(NodeType):
    name = "t_needs_z"
    pins = (
        exec_in(),
        data_in("point", DataType.STRUCT, schema={"type": "object", "required": ["z"]}),
        exec_out(),
    )

    def run(self, ctx):
        ctx.activate("exec_out")


TYPES = [
    Start,
    AddOne,
    Record,
    Fail,
    Counter,
    Loop,
    Forever,
    Sleep,
    Fork,
    Numbers,
    Passthrough,
    AsyncDouble,
    Point,
    NeedsX,
    NeedsZ,
]


@pytest.fixture
def registry() -> Registry:
    reg = Registry()
    for node_type in TYPES:
        reg.register(node_type, pack="test")
    return reg


class Builder:
    """Terse board building for tests: `b.add("t_add_one")`, `b.wire(a, "exec_out", c, "exec_in")`."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.board = Board(name="test")

    def add(self, key: str, **defaults):
        return self.board.apply(commands.AddNode(self.registry.get(key).create(**defaults)))

    def wire(self, source, out: str, target, inp: str):
        return self.board.apply(commands.Connect(source.id, out, target.id, inp))

    def chain(self, *nodes):
        for source, target in zip(nodes, nodes[1:], strict=False):
            self.wire(source, "exec_out", target, "exec_in")

    def run(self, **options):
        return self.board.run(registry=self.registry, **options)


@pytest.fixture
def build(registry) -> Builder:
    return Builder(registry)


@pytest.fixture
def one_node_packs(tmp_path, monkeypatch):
    """`one_node_packs(*names)`: entry points of packs of one node each (`NAME_node`), in modules nothing has
    imported yet (forgotten again after the test); pack indexes go to a cache of the test's own."""
    import sys
    import textwrap
    from importlib.metadata import EntryPoint

    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made: list[str] = []

    def packs(*names: str) -> list[EntryPoint]:
        for name in names:
            (tmp_path / f"{name}.py").write_text(textwrap.dedent(f"""
                import sys
                from flowlike_core import Pack, node

                @node
                def {name}_node() -> int:
                    '''Answers one.'''
                    return 1

                PACK = Pack("{name}", modules=[sys.modules[__name__]])
            """))
            made.append(name)
        return [EntryPoint(name, f"{name}:PACK", "flowlike.packs") for name in names]

    yield packs
    for name in made:
        sys.modules.pop(name, None)
