"""A Byte Array variable takes Python bytes: `board.run({"payload": b"..."})` hands the node those bytes."""

from __future__ import annotations

import pytest

from flowlike_core import Board, DataType, ValueType, commands
from flowlike_core.board import Variable
from flowlike_core.errors import BoardError
from flowlike_core.types import fits, to_runtime


@pytest.mark.parametrize("value", [b"\x00\xffabc", bytearray(b"\x01\x02")])
def test_bytes_fit_a_byte_array_as_they_are(value: bytes) -> None:
    assert fits(value, DataType.BYTE, ValueType.ARRAY)
    assert to_runtime(value, DataType.BYTE, ValueType.ARRAY) is value
    assert not fits(value, DataType.STRING, ValueType.ARRAY)
    assert not fits(value, DataType.BYTE, ValueType.NORMAL)


def _board(build) -> Board:
    start, record = build.add("t_start"), build.add("t_record")
    get = build.board.apply(commands.AddNode(_get_variable().create(var_ref="payload")))
    build.chain(start, record)
    build.wire(get, "value_ref", record, "value")
    for name, data_type, value_type, default in [("payload", DataType.BYTE, ValueType.ARRAY, []),
                                                 ("seen", DataType.GENERIC, ValueType.ARRAY, [])]:
        build.board.apply(commands.UpsertVariable(Variable(name=name, data_type=data_type, value_type=value_type,
                                                           default_value=default, exposed=True)))
    build.registry.register(_get_variable(), pack="std")
    return build.board


def _get_variable():
    from flowlike_catalog.std.variables import GetVariable

    return GetVariable


def test_a_run_takes_bytes_for_a_byte_array_variable(build) -> None:
    _board(build)
    data = bytes(range(256)) * 4
    run = build.run(variables={"payload": data})
    run.raise_for_status()
    assert run.variables["seen"] == [data]


def test_a_refused_value_is_shortened_in_the_message(build) -> None:
    board = _board(build)
    board.apply(commands.UpsertVariable(Variable(id=board.lookup_variable("payload").id, name="payload",
                                                 data_type=DataType.INTEGER, exposed=True)))
    with pytest.raises(BoardError) as caught:
        build.run(variables={"payload": b"x" * 1_000_000})
    assert len(str(caught.value)) < 300, str(caught.value)[:300]
