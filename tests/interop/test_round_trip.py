"""Property: ours -> .board -> ours is the identity on everything Flow-Like can express.

Random std boards are built through commands (nodes, defaults, wires, names, comments), with variables,
comments and nested layers. Flow-Like stores coordinates and sizes as 32-bit floats, so the boards use
values a 32-bit float holds; a node's `layer` is the innermost layer listing it, as Flow-Like has it.
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowlike_core import (
    Board,
    BoardError,
    Comment,
    ConnectionRefused,
    Layer,
    UnknownPinError,
    Variable,
    commands,
    default_registry,
)
from flowlike_core.interop import export_board, open_board
from flowlike_core.interop.formats import write_board
from flowlike_core.interop.mapping import board_to_flowlike
from flowlike_core.types import DataType, ValueType

REGISTRY = default_registry()
KEYS = sorted(t.name for t in REGISTRY if t.pack == "std")
F32 = st.floats(-1e6, 1e6, width=32)
SCALARS = {
    DataType.BOOLEAN: st.booleans(),
    DataType.INTEGER: st.integers(-(2**63), 2**63 - 1),
    DataType.FLOAT: st.floats(allow_nan=False, allow_infinity=False),
    DataType.STRING: st.text(max_size=12),
}


@st.composite
def boards(draw: st.DrawFn) -> Board:
    board = Board(name=draw(st.text(min_size=1, max_size=10)), description=draw(st.text(max_size=20)),
                  version=draw(st.tuples(*[st.integers(0, 2**32 - 1)] * 3)))
    nodes = []
    for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=8)):
        node = REGISTRY.get(key).create(coordinates=(draw(F32), draw(F32), draw(F32)))
        nodes.append(board.apply(commands.AddNode(node)))
        for pin in node.inputs:
            strategy = SCALARS.get(pin.data_type)
            if strategy is not None and pin.value_type is ValueType.NORMAL and draw(st.booleans()):
                with contextlib.suppress(BoardError):  # a value outside the pin's valid values
                    board.apply(commands.UpdateNode(node.id, defaults={pin.name: draw(strategy)}))
        if draw(st.booleans()):
            board.apply(commands.UpdateNode(node.id, friendly_name=draw(st.text(min_size=1, max_size=8)),
                                            comment=draw(st.text(min_size=1, max_size=8))))
    for _ in range(draw(st.integers(0, 10))):
        source, target = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
        out = draw(st.sampled_from([p.name for p in board.nodes[source.id].outputs] or ["-"]))
        inp = draw(st.sampled_from([p.name for p in board.nodes[target.id].inputs] or ["-"]))
        with contextlib.suppress(ConnectionRefused, UnknownPinError):  # most random pairs break a rule
            board.apply(commands.Connect(source.id, out, target.id, inp))
    for name in draw(st.lists(st.text(min_size=1, max_size=6), max_size=3, unique=True)):
        data_type = draw(st.sampled_from(sorted(SCALARS)))
        variable = Variable(name=name, data_type=data_type, default_value=draw(SCALARS[data_type]),
                            exposed=draw(st.booleans()), secret=draw(st.booleans()),
                            description=draw(st.text(max_size=8)))
        board.apply(commands.UpsertVariable(variable))
    for _ in range(draw(st.integers(0, 2))):
        board.apply(commands.UpsertComment(Comment(content=draw(st.text(max_size=20)),
                                                   coordinates=(draw(F32), draw(F32), 0.0), width=draw(F32),
                                                   height=draw(F32), color=draw(st.none() | st.just("#aabbcc")))))
    _add_layers(board, draw)
    return board


def _add_layers(board: Board, draw: st.DrawFn) -> None:
    """Up to two layers, the second maybe inside the first; members listed sorted, nodes point at theirs."""
    free = sorted(board.nodes)
    parent: Layer | None = None
    for index in range(draw(st.integers(0, 2))):
        members = sorted(draw(st.lists(st.sampled_from(free), unique=True, max_size=3))) if free else []
        free = [n for n in free if n not in members]
        layer = Layer(name=f"group {index}", coordinates=(draw(F32), draw(F32), 0.0), nodes=members,
                      comment=draw(st.none() | st.text(min_size=1, max_size=5)))
        for node_id in members:
            board.nodes[node_id].layer = layer.id
        if parent is not None and draw(st.booleans()):
            layer.parent_id = parent.id
        board.layers[layer.id] = layer
        parent = layer


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boards())
def test_board_file_round_trip_is_the_identity(board: Board) -> None:
    data = write_board(board_to_flowlike(board, REGISTRY))
    again, report = open_board(data, REGISTRY)
    assert again == board
    assert not lost(report), str(report)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(board=boards())
def test_serde_json_round_trip_is_the_identity(tmp_path_factory, board: Board) -> None:
    path = export_board(board, tmp_path_factory.mktemp("json") / "b.json", as_json=True, registry=REGISTRY)
    again, report = open_board(path, REGISTRY)
    assert again == board and not lost(report)


def lost(report) -> list:
    """What the report tells beyond the board itself (a random board may name a variable it lacks: that is said)."""
    return [entry for entry in report.entries if entry.kind != "variable-missing"]
