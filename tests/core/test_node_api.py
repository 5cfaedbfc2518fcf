"""The node API: typed functions become nodes; packs are found through entry points."""

from __future__ import annotations

import sys
import textwrap

import pytest
from pydantic import BaseModel

from flowlike_core import Board, DataType, Registry, ValueType, commands, node
from flowlike_core.registry import installed_packs


class Point(BaseModel):
    x: int
    y: int = 0


def test_type_hints_become_pins_and_docstring_the_description():
    registry = Registry()

    @node(registry=registry, category="Geometry", outputs=("dx", "dy"))
    def shift(
        point: Point, by: list[float], tags: set[str], scale: dict[str, int], factor: float = 2.0
    ) -> tuple[int, int]:
        """Shift a point.

        Used by the tests."""
        return point["x"] + 1, point["y"] + 1

    entry = registry.get("shift").describe()
    pins = {p["name"]: p for p in entry["pins"]}
    assert entry["description"].startswith("Shift a point.") and entry["category"] == "Geometry" and entry["pure"]
    assert pins["point"]["data_type"] == "Struct" and pins["point"]["schema"]["required"] == ["x"]
    assert (pins["by"]["data_type"], pins["by"]["value_type"]) == ("Float", "Array")
    assert (pins["tags"]["data_type"], pins["tags"]["value_type"]) == ("String", "HashSet")
    assert (pins["scale"]["data_type"], pins["scale"]["value_type"]) == ("Integer", "HashMap")
    assert pins["factor"]["default_value"] == 2.0
    assert pins["dx"]["direction"] == "Output" and pins["dy"]["data_type"] == "Integer"
    assert shift.func({"x": 1, "y": 1}, [], set(), {}) == (2, 2)


def test_function_node_runs_in_a_board_and_redefinition_replaces_it(registry):
    @node(registry=registry, name="emit", exec_pins=True)
    def emit(value: int = 1) -> int:
        return value * 10

    board = Board()
    start = board.apply(commands.AddNode(registry.get("t_start").create()))
    emitter = board.apply(commands.AddNode(registry.get("emit").create(value=4)))
    board.apply(commands.Connect(start.id, "exec_out", emitter.id, "exec_in"))
    assert board.run(registry=registry).output(emitter.id, "result") == 40

    @node(registry=registry, name="emit", exec_pins=True)
    def emit_again(value: int = 1) -> int:
        return value * 100

    assert board.run(registry=registry).output(emitter.id, "result") == 400


def test_decorator_refuses_what_cannot_be_a_pin():
    with pytest.raises(TypeError, match="cannot become pins"):
        node(registry=Registry())(lambda *args: 0)
    with pytest.raises(TypeError, match="tuple"):

        @node(registry=Registry(), outputs=("a", "b"))
        def two() -> int:
            return 1


def test_unknown_default_name_is_refused():
    registry = Registry()

    @node(registry=registry)
    def inc(x: int) -> int:
        return x + 1

    from flowlike_core import UnknownPinError

    with pytest.raises(UnknownPinError, match="no input y"):
        registry.get("inc").create(y=1)


def test_packs_are_found_through_entry_points(tmp_path, monkeypatch):
    (tmp_path / "third_party_pack.py").write_text(
        textwrap.dedent("""
        from flowlike_core import DataType, NodeType, Pack, data_out

        class Answer(NodeType):
            name = "third_party_answer"
            pins = (data_out("answer", DataType.INTEGER),)

            def run(self, ctx):
                ctx.set_output("answer", 42)

        PACK = Pack("third-party", [Answer])
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
    assert "third_party_answer" in {t.name for t in registry.search("answer integer")}
    sys.modules.pop("third_party_pack", None)


def test_value_type_helpers_round_trip_defaults():
    from flowlike_core.types import fits, to_json_native, to_runtime

    assert to_runtime(["a", "b"], DataType.STRING, ValueType.HASHSET) == {"a", "b"}
    assert to_json_native({"b", "a"}) == ["a", "b"]
    assert fits([1, 2], DataType.INTEGER, ValueType.ARRAY) and not fits([1, "x"], DataType.INTEGER, ValueType.ARRAY)
    assert not fits(True, DataType.INTEGER, ValueType.NORMAL) and fits(3, DataType.FLOAT, ValueType.NORMAL)
