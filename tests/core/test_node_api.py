"""The node API: typed functions and classes become node types; packs collect modules and are found through
entry points."""

from __future__ import annotations

import dataclasses
import sys
import textwrap
import types
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

import pytest
from pydantic import BaseModel

from flowlike_core import (
    Board,
    Context,
    DataType,
    NodeType,
    Pack,
    Pin,
    Registry,
    ValueType,
    commands,
    data_in,
    data_out,
    default_registry,
    exec_in,
    exec_out,
    node,
)
from flowlike_core.registry import installed_packs

T = TypeVar("T")


class Point(BaseModel):
    x: int
    y: int = 0


class Shift(NamedTuple):
    dx: int
    dy: Annotated[int, Pin("Delta Y", description="How far down")]


@dataclasses.dataclass
class Parts:
    first: T
    rest: list[T]


def pins_of(node_type: type[NodeType]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in node_type.describe()["pins"]}


def test_type_hints_become_pins_and_docstring_the_description():
    @node(category="Geometry")
    def shift(point: Point, by: list[float], tags: set[str], scale: dict[str, int], factor: float = 2.0) -> Shift:
        """Shift a point
        by one.

        Used by the tests."""
        return Shift(point["x"] + 1, point["y"] + 1)

    entry, pins = shift.describe(), pins_of(shift)
    assert entry["name"] == "shift" and entry["friendly_name"] == "Shift" and entry["category"] == "Geometry"
    assert entry["description"] == "Shift a point by one.\n\nUsed by the tests." and entry["pure"]
    assert pins["point"]["data_type"] == "Struct" and pins["point"]["schema"]["required"] == ["x"]
    assert (pins["by"]["data_type"], pins["by"]["value_type"]) == ("Float", "Array")
    assert (pins["tags"]["data_type"], pins["tags"]["value_type"]) == ("String", "HashSet")
    assert (pins["scale"]["data_type"], pins["scale"]["value_type"]) == ("Integer", "HashMap")
    assert pins["factor"]["default_value"] == 2.0 and pins["factor"]["options"] is None
    assert pins["point"]["options"]["required"] and pins["by"]["options"]["required"]
    assert pins["dx"]["direction"] == "Output" and pins["dy"]["data_type"] == "Integer"
    assert (pins["dy"]["friendly_name"], pins["dy"]["description"]) == ("Delta Y", "How far down")
    assert shift.func({"x": 1, "y": 1}, [], set(), {}) == (2, 2)


def test_a_literal_hint_is_a_pin_of_its_values_type_offering_them():
    @node
    def pick(mode: Literal["fast", "exact"] = "fast", level: Literal[1, 2] = 1, mixed: Literal["a", 1] = "a") -> str:
        """Choose."""
        return f"{mode}{level}{mixed}"

    pins = pins_of(pick)
    assert [pins[name]["data_type"] for name in ("mode", "level", "mixed")] == ["String", "Integer", "Generic"]
    assert [pins[name]["options"]["valid_values"] for name in ("mode", "level")] == [["fast", "exact"], [1, 2]]


def test_pin_metadata_rides_on_annotated():
    @node(name="pick", friendly_name="Pick One")
    def choose(
        level: Annotated[int, Pin("Level", range=(0, 10), step=2)] = 4,
        mode: Annotated[str, Pin(valid_values=("fast", "slow"))] = "fast",
        token: Annotated[str, Pin(sensitive=True)] = "",
        from_: Annotated[str, Pin(name="from", required=True)] = "",
        maybe: Annotated[list[int], Pin(required=False)] = None,
    ) -> Annotated[str, Pin("Chosen", name="choice")]:
        return f"{level}{mode}{token}{from_}{maybe}"

    pins = pins_of(choose)
    assert choose.name == "pick" and choose.friendly_name == "Pick One"
    assert pins["level"]["options"]["range"] == [0, 10] and pins["level"]["options"]["step"] == 2
    assert pins["level"]["friendly_name"] == "Level" and pins["level"]["default_value"] == 4
    assert pins["mode"]["options"]["valid_values"] == ["fast", "slow"]
    assert pins["token"]["options"]["sensitive"]
    assert "from_" not in pins and pins["from"]["options"]["required"]
    assert pins["maybe"]["options"] is None and pins["maybe"]["default_value"] is None
    assert pins["choice"]["direction"] == "Output" and pins["choice"]["friendly_name"] == "Chosen"


def test_type_variables_variadic_groups_and_dataclass_outputs():
    @node
    def split_first(*item: Annotated[T, Pin(default=None, count=3)]) -> Parts:
        return Parts(item[0], list(item[1:]))

    specs = split_first.pin_specs()
    assert [s.name for s in specs] == ["item", "item", "item", "first", "rest"]
    assert {s.generic for s in specs} == {"T"} and specs[4].value_type is ValueType.ARRAY
    assert specs[0].data_type is DataType.GENERIC


def test_decorating_defines_a_type_and_registers_nothing():
    before = len(default_registry())

    @node
    def not_in_the_catalog(x: int = 0) -> int:
        return x

    assert len(default_registry()) == before and "not_in_the_catalog" not in default_registry()


def test_function_node_runs_in_a_board_with_its_context_and_redefinition_replaces_it(registry):
    @node(name="emit", exec_pins=True)
    def emit(ctx: Context, value: int = 1) -> int:
        ctx.info(f"emitting {value}")
        return value * 10

    registry.register(emit)
    assert [s.name for s in emit.pin_specs()][:4] == ["exec_in", "value", "exec_out", "result"]
    assert "auto_handle_error" in pins_of(emit)
    board = Board()
    start = board.apply(commands.AddNode(registry.get("t_start").create()))
    emitter = board.apply(commands.AddNode(registry.get("emit").create(value=4)))
    board.apply(commands.Connect(start.id, "exec_out", emitter.id, "exec_in"))
    run = board.run(registry=registry)
    assert run.output(emitter.id, "result") == 40
    assert any("emitting 4" in line.message for line in run.logs())

    @node(name="emit", exec_pins=True)
    def emit_again(value: int = 1) -> int:
        return value * 100

    registry.register(emit_again, replace=True)
    assert board.run(registry=registry).output(emitter.id, "result") == 400


def test_a_keyword_parameter_takes_the_pins_of_keys_each_node_carries(registry):
    @node(name="t_keyed", exec_pins=True)
    def keyed(ctx: Context, sep: str = ",", **fields: Annotated[int, Pin(description="A field")]) -> str:
        ctx.info("joining")
        return sep.join(f"{key}={value}" for key, value in fields.items())

    registry.register(keyed)
    assert keyed.keyed_input.data_type is DataType.INTEGER and [s.name for s in keyed.pins] == [
        "exec_in", "sep", "exec_out", "result"]
    assert keyed.describe()["keyed_input"]["description"] == "A field"
    board = Board()
    start = board.apply(commands.AddNode(registry.get("t_start").create()))
    joined = board.apply(commands.AddNode(keyed.create(sep=";", width=3, depth=None)))
    assert [(p.name, p.friendly_name, p.default_value) for p in joined.ordered_pins("Input")][-2:] == [
        ("width", "width", 3), ("depth", "depth", None)]
    assert "depth" in str(board.validate(registry))  # required: neither wire nor value

    @node(name="t_two")
    def two() -> int:
        return 2

    registry.register(two)
    pulled = board.apply(commands.AddNode(two.create()))
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", joined.id, "exec_in"),
                                commands.Connect(pulled.id, "result", joined.id, "depth")]))
    run = board.run(registry=registry)
    assert run.output(joined.id, "result") == "width=3;depth=2" and run.logs()[0].message == "joining"


def test_class_form_receives_its_inputs_as_keyword_arguments(registry):
    class Describe(NodeType):
        name = "t_describe"
        pins = (exec_in(), data_in("word", DataType.STRING, default="hi"), data_in("n", DataType.INTEGER, default=2),
                data_in("n", DataType.INTEGER, default=3), exec_out(), data_out("text", DataType.STRING))

        async def run(self, ctx: Context, *, word: str, n: list[int]) -> None:
            ctx.set_output("text", f"{word}{sum(n)}")
            ctx.activate("exec_out")

    registry.register(Describe)
    board = Board()
    start = board.apply(commands.AddNode(registry.get("t_start").create()))
    described = board.apply(commands.AddNode(Describe.create(word="yo")))
    board.apply(commands.Connect(start.id, "exec_out", described.id, "exec_in"))
    assert board.run(registry=registry).output(described.id, "text") == "yo5"

    with pytest.raises(TypeError, match="no input pin for keyword argument"):
        class Wrong(NodeType):
            name = "t_wrong"
            pins = (data_in("a", DataType.INTEGER),)

            def run(self, ctx: Context, *, b: int) -> None: ...


def test_decorator_refuses_what_cannot_be_a_pin():
    def positional(a: int, /) -> int:
        return a

    with pytest.raises(TypeError, match="positional-only"):
        node(positional)

    def twice(a: Annotated[int, Pin(default=1)] = 2) -> int:
        return a

    with pytest.raises(TypeError, match="keep one"):
        node(twice)


def test_unknown_default_name_is_refused():
    @node
    def inc(x: int) -> int:
        return x + 1

    from flowlike_core import UnknownPinError

    with pytest.raises(UnknownPinError, match="no input y"):
        inc.create(y=1)


def test_pack_collects_the_node_types_of_its_modules_with_a_default_category():
    module = types.ModuleType("t_pack_module")
    exec(textwrap.dedent('''
        from flowlike_core import DataType, NodeType, data_out, node

        CATEGORY = "Things"

        class Base(NodeType):  # no key: a base class, not a node type
            pass

        class Answer(Base):
            name = "t_answer"
            pins = (data_out("answer", DataType.INTEGER),)

            def run(self, ctx):
                ctx.set_output("answer", 42)

        @node(category="Other")
        def t_other() -> int:
            return 1

        Alias = Answer
    '''), module.__dict__)
    pack = Pack("things", modules=[module], category="Fallback")
    assert [t.name for t in pack.nodes] == ["t_answer", "t_other"]
    assert [t.category for t in pack.nodes] == ["Things", "Other"]


def test_packs_are_found_through_entry_points(tmp_path, monkeypatch):
    (tmp_path / "third_party_pack.py").write_text(
        textwrap.dedent("""
        import sys

        from flowlike_core import Pack, node

        @node
        def third_party_answer() -> int:
            "The answer."
            return 42

        PACK = Pack("third-party", modules=[sys.modules[__name__]], category="Answers")
    """)
    )
    dist = tmp_path / "third_party_pack-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: third-party-pack\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[flowlike.packs]\nthird = third_party_pack:PACK\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    packs = {pack.name: pack for pack in installed_packs()}
    assert "std" in packs and "third-party" in packs
    registry = Registry(packs.values())
    assert registry.get("third_party_answer").pack == "third-party"
    assert registry.get("third_party_answer").category == "Answers"
    assert "third_party_answer" in {t.name for t in registry.search("answer integer")}
    sys.modules.pop("third_party_pack", None)


def test_value_type_helpers_round_trip_defaults():
    from flowlike_core.types import fits, to_json_native, to_runtime

    assert to_runtime(["a", "b"], DataType.STRING, ValueType.HASHSET) == {"a", "b"}
    assert to_json_native({"b", "a"}) == ["a", "b"]
    assert fits([1, 2], DataType.INTEGER, ValueType.ARRAY) and not fits([1, "x"], DataType.INTEGER, ValueType.ARRAY)
    assert not fits(True, DataType.INTEGER, ValueType.NORMAL) and fits(3, DataType.FLOAT, ValueType.NORMAL)


def test_entry_point_packs_load_when_first_needed(one_node_packs):
    alpha, beta = one_node_packs("lazy_alpha", "lazy_beta")
    registry = Registry(entries=[beta, alpha])
    assert "lazy_alpha" not in sys.modules and "lazy_beta" not in sys.modules
    assert registry.get("lazy_alpha_node").pack == "lazy_alpha"
    assert "lazy_alpha" in sys.modules and "lazy_beta" not in sys.modules  # stopped at the pack that had it
    assert len(registry) == 2 and "lazy_beta" in sys.modules                # listing loads the rest


def test_a_std_board_loads_no_domain_pack():
    import subprocess

    code = ("import sys; from flowlike_core import default_registry; default_registry().get('log_info'); "
            "print(sorted(m for m in sys.modules if m.startswith('flowlike_catalog.') and m.count('.') == 1))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['flowlike_catalog.std']"


def test_a_node_saved_before_its_type_gained_pins_still_runs(registry):
    @node(name="t_grow", exec_pins=True)
    def before(a: int = 1) -> int:
        return a

    @node(name="t_grow", exec_pins=True)
    def after(a: int = 1, b: Annotated[int, Pin(range=(0, 9))] = 5, tags: list[str] = None) -> int:
        return a + b + len(tags)

    registry.register(before)
    board = Board()
    start = board.apply(commands.AddNode(registry.get("t_start").create()))
    grown = board.apply(commands.AddNode(before.create(a=2)))   # saved with the old pins
    board.apply(commands.Connect(start.id, "exec_out", grown.id, "exec_in"))
    registry.register(after, replace=True)
    run = board.run(registry=registry)
    assert run.status.value == "Success", run.error
    assert run.output(grown.id, "result") == 7


def test_resources_registered_with_close_at_end_are_closed_when_the_run_ends(registry):
    closed: list[str] = []

    class Resource:
        def __init__(self, name: str) -> None:
            self.name = name

        async def aclose(self) -> None:
            closed.append(self.name)

    @node(name="t_open", exec_pins=True)
    def opener(ctx: Context, name: str = "a", fail: bool = False) -> None:
        resource = ctx.cache.setdefault(name, Resource(name))
        ctx.close_at_end(resource.aclose)
        ctx.close_at_end(lambda: closed.append(f"sync {name}"))
        if fail:
            raise RuntimeError("after opening")

    registry.register(opener)
    for fail in (False, True):
        closed.clear()
        board = Board()
        start = board.apply(commands.AddNode(registry.get("t_start").create()))
        opened = board.apply(commands.AddNode(opener.create(name="db", fail=fail)))
        board.apply(commands.Connect(start.id, "exec_out", opened.id, "exec_in"))
        run = board.run(registry=registry)
        assert run.status.value == ("Failed" if fail else "Success")
        assert closed == ["sync db", "db"]  # newest first, on success and on failure alike
