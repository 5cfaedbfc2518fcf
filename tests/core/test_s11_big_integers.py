"""Flow-Like's Integer is a signed 64-bit integer: a value beyond it given for a variable is refused naming the variable
(`flowlike run --var`, the run API's variables), where it ran with a number no Flow-Like board can hold."""

from __future__ import annotations

import pytest

from flowlike_core import Board, DataType, Registry, ValueType, Variable, commands
from flowlike_core.cli import main
from flowlike_core.errors import BoardError
from flowlike_core.types import fits

LOWEST, HIGHEST = -(2**63), 2**63 - 1


@pytest.fixture
def registry() -> Registry:
    from flowlike_catalog.std.events import SimpleEvent

    local = Registry()
    local.register(SimpleEvent)
    return local


@pytest.fixture
def board(registry, build) -> Board:
    build.add("events_simple")
    for name, value_type, default in (("n", ValueType.NORMAL, 0), ("ns", ValueType.ARRAY, []),
                                      ("by_name", ValueType.HASHMAP, {})):
        build.board.apply(commands.UpsertVariable(Variable(name=name, data_type=DataType.INTEGER,
                                                           value_type=value_type, default_value=default, exposed=True)))
    return build.board


@pytest.mark.parametrize("value", [LOWEST, HIGHEST, 0])
def test_the_ends_of_the_range_fit(value):
    assert fits(value, DataType.INTEGER, ValueType.NORMAL)
    assert fits([1, value], DataType.INTEGER, ValueType.ARRAY)


@pytest.mark.parametrize("value", [HIGHEST + 1, LOWEST - 1, 10**30])
def test_beyond_the_range_does_not_fit(value):
    assert not fits(value, DataType.INTEGER, ValueType.NORMAL)
    assert not fits({"a": value}, DataType.INTEGER, ValueType.HASHMAP)


@pytest.mark.parametrize(("name", "value", "big"), [("n", HIGHEST + 1, HIGHEST + 1), ("n", LOWEST - 1, LOWEST - 1),
                                                     ("ns", [1, 2**64], 2**64), ("by_name", {"a": 2**64}, 2**64)])
def test_the_run_api_refuses_a_variable_beyond_the_range(board, registry, name, value, big):
    with pytest.raises(BoardError, match=rf"for variable '{name}' does not fit its type \S+ \({big} is beyond it: a "
                                         rf"signed 64-bit integer, {LOWEST} to {HIGHEST}\)"):
        board.run(registry=registry, variables={name: value})


def test_the_run_api_takes_the_ends_of_the_range(board, registry):
    run = board.run(registry=registry, variables={"n": HIGHEST, "ns": [LOWEST, HIGHEST], "by_name": {"low": LOWEST}})
    assert run.ok and run.variables["n"] == HIGHEST


@pytest.mark.parametrize(("var", "message"), [
    ("n=9223372036854775808", "n=9223372036854775808: 9223372036854775808 is beyond an Integer (a signed 64-bit "
                              "integer: -9223372036854775808 to 9223372036854775807)"),
    ("n=-9223372036854775809", "n=-9223372036854775809: -9223372036854775809 is beyond an Integer"),
    ("ns=[1, 100000000000000000000]", "ns=[1, 100000000000000000000]: 100000000000000000000 is beyond an Integer"),
    ('by_name={"a": 18446744073709551616}', "18446744073709551616 is beyond an Integer"),
])
def test_flowlike_run_refuses_a_var_beyond_the_range(board, tmp_path, capsys, var, message):
    path = board.save(tmp_path / "big.board.json")
    assert main(["run", str(path), "--var", var]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("flowlike: error: ") and message in captured.err, \
        captured.err
