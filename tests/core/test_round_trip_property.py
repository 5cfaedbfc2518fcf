"""Property: any board built through commands from the std pack survives load, save, load unchanged."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowlike_core import Board, ConnectionRefused, UnknownPinError, Variable, commands, default_registry
from flowlike_core.types import DataType, ValueType

REGISTRY = default_registry()
KEYS = sorted(t.name for t in REGISTRY if t.pack == "std")
SCALARS = {
    DataType.BOOLEAN: st.booleans(),
    DataType.INTEGER: st.integers(-(2**63), 2**63 - 1),
    DataType.FLOAT: st.floats(allow_nan=False, allow_infinity=False),
    DataType.STRING: st.text(max_size=12),
}


@st.composite
def boards(draw: st.DrawFn) -> Board:
    board = Board(name=draw(st.text(min_size=1, max_size=10)))
    nodes = []
    for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=8)):
        node = REGISTRY.get(key).create(coordinates=(draw(st.floats(-1e4, 1e4)), draw(st.floats(-1e4, 1e4)), 0))
        nodes.append(board.apply(commands.AddNode(node)))
        for pin in node.inputs:
            choices = pin.options.valid_values if pin.options else None
            strategy = st.sampled_from(choices) if choices else SCALARS.get(pin.data_type)
            if not choices and pin.options and pin.options.range:  # (a value beyond it is refused)
                low, high = pin.options.range
                strategy = (st.integers(int(low), int(high)) if pin.data_type is DataType.INTEGER
                            else st.floats(low, high) if pin.data_type is DataType.FLOAT else strategy)
            if strategy is not None and pin.value_type is ValueType.NORMAL and draw(st.booleans()):
                board.apply(commands.UpdateNode(node.id, defaults={pin.name: draw(strategy)}))
    for _ in range(draw(st.integers(0, 10))):
        source, target = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
        out = draw(st.sampled_from([p.name for p in board.nodes[source.id].outputs] or ["-"]))
        inp = draw(st.sampled_from([p.name for p in board.nodes[target.id].inputs] or ["-"]))
        with contextlib.suppress(ConnectionRefused, UnknownPinError):  # most random pairs break a rule
            board.apply(commands.Connect(source.id, out, target.id, inp))
    for name in draw(st.lists(st.text(min_size=1, max_size=6), max_size=3, unique=True)):
        data_type = draw(st.sampled_from(sorted(SCALARS)))
        variable = Variable(name=name, data_type=data_type, default_value=draw(SCALARS[data_type]),
                            exposed=draw(st.booleans()))
        board.apply(commands.UpsertVariable(variable))
    return board


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boards())
def test_load_save_load_is_the_identity(board: Board) -> None:
    text = board.to_json()
    loaded = Board.from_json(text)
    assert loaded.to_json() == text
    assert loaded == board
    assert Board.from_json(loaded.to_json()).to_json() == text
