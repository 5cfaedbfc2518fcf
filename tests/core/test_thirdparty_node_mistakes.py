"""A pack author's mistakes in a node fail when the pack is built (`Pack(...)`, as its module is imported), each
naming the node type, the file and line it is defined at, and what is wrong: not later, in a board, as a default
quietly saved as its repr or a pin the run overwrites."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

HEADER = """\
import datetime
import sys
from typing import Annotated, NamedTuple

from flowlike_core import DataType, NodeType, Pack, Pin, data_in, exec_in, node

"""
FOOTER = "\nPACK = Pack('mistakes', modules=[sys.modules[__name__]])\n"

MISTAKES = {
    "a default with no JSON form": ("""
@node
def when_due(due: object = object()) -> str:
    "Says when."
    return str(due)
""", "node type 'when_due' of pack 'mistakes' (FILE:8): pin 'due': its default <object object at",
        "cannot be saved in a board file"),
    "a default of another type": ("""
@node
def scaled(factor: float = "two") -> float:
    "Scales."
    return 1.0
""", "node type 'scaled' of pack 'mistakes' (FILE:8): pin 'factor': its default 'two' does not fit its type Float"),
    "a default outside its range": ("""
@node
def percent(value: Annotated[int, Pin(range=(0, 100))] = 150) -> int:
    "A percentage."
    return value
""", "(FILE:8): pin 'value': its default 150 is outside its range (0.0, 100.0)"),
    "a default that is not a valid value": ("""
@node
def unit(name: Annotated[str, Pin(valid_values=["mg", "g"])] = "kg") -> str:
    "A unit."
    return name
""", "(FILE:8): pin 'name': its default 'kg' is not one of its valid values ['mg', 'g']"),
    "a range on text": ("""
@node
def label(text: Annotated[str, Pin(range=(0, 5))] = "") -> str:
    "A label."
    return text
""", "(FILE:8): pin 'text': range and step are for Integer and Float pins, not String"),
    "Pin's arguments in the wrong places": ("""
@node
def bounded(n: Annotated[int, Pin(0, 100)] = 1) -> int:
    "Bounded."
    return n
""", "(FILE:8): pin 'n': its friendly name 0 and description 100 must be text (Pin's first argument is the friendly "
     "name; a range is Pin(range=(0, 100)))"),
    "two outputs of one name": ("""
class Pair(NamedTuple):
    low: int
    high: Annotated[int, Pin(name="low")]

@node
def pair() -> Pair:
    "A pair."
    return Pair(1, 2)
""", "node type 'pair' of pack 'mistakes' (FILE:12): two outputs are named 'low'; rename one"),
    "a parameter named as the exec input": ("""
@node(exec_pins=True)
def step(exec_in: int = 0) -> int:
    "A step."
    return exec_in
""", "(FILE:8): two inputs are named 'exec_in' (Execution and Integer); rename one"),
    "a key that is not a word": ("""
@node(name="Read CSV!")
def read_csv() -> int:
    "Reads."
    return 1
""", "node type 'Read CSV!' of pack 'mistakes' (FILE:8): its key 'Read CSV!' is not a word"),
    "a class with pins and no name": ("""
class Forgot(NodeType):
    pins = (exec_in(), data_in("x", DataType.INTEGER))
""", "FILE:8: class Forgot declares pins but no name (its catalog key)"),
    "one key twice": ("""
@node
def twice() -> int:
    "One."
    return 1

@node(name="twice")
def again() -> int:
    "Two."
    return 2
""", "pack 'mistakes' defines node type 'twice' twice: in FILE:8 and in FILE:13; give one another key"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_in_a_node_fails_the_pack_naming_what_and_where(mistake, tmp_path: Path, monkeypatch):
    source, *expected = MISTAKES[mistake]
    path = tmp_path / "mistakes.py"
    path.write_text(HEADER + textwrap.dedent(source) + FOOTER)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "mistakes", raising=False)
    with pytest.raises(TypeError) as failure:
        importlib.import_module("mistakes")
    for text in expected:
        assert text.replace("FILE", str(path)) in str(failure.value)


def test_the_same_nodes_done_right_build_a_pack(tmp_path: Path, monkeypatch):
    path = tmp_path / "done_right.py"
    path.write_text(HEADER + textwrap.dedent('''
        @node
        def percent(value: Annotated[int, Pin("Value", range=(0, 100))] = 50,
                    unit: Annotated[str, Pin(valid_values=["mg", "g"])] = "g",
                    due: datetime.date = datetime.date(2026, 1, 1)) -> int:
            "A percentage."
            return value
    ''') + FOOTER)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "done_right", raising=False)
    assert [t.name for t in importlib.import_module("done_right").PACK.nodes] == ["percent"]


def test_registering_a_node_checks_it_too():
    """`@fnb.node` and code that registers types itself get the same refusal as a pack (a default saved as its
    repr in the board file was the old outcome)."""
    from flowlike_core import Registry, node

    @node
    def due_date(due: object = object()) -> str:
        "Says when."
        return str(due)

    with pytest.raises(TypeError, match=rf"node type 'due_date' \({__file__}:\d+\): pin 'due': its default <object"):
        Registry().register(due_date)
