"""`%flowlike run --var` refuses an Integer beyond 64 bits naming the variable, as `flowlike run --var` does (one
`parse_value`): it ran with a number no Flow-Like board can hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core.errors import BoardError


@pytest.fixture
def board_file(tmp_path: Path) -> Path:
    board = fnb.Board("big_vars")
    board.variable("n", int, 0, exposed=True)
    board.add("events_simple", "start")
    return board.save(tmp_path / "big_vars.board.json")


def test_the_magic_refuses_an_integer_beyond_64_bits(shell: InteractiveShell, board_file: Path) -> None:
    with pytest.raises(BoardError, match=r"n=9223372036854775808: 9223372036854775808 is beyond an Integer \(a signed "
                                         r"64-bit integer: -9223372036854775808 to 9223372036854775807\)"):
        shell.run_line_magic("flowlike", f"run {board_file} --var n=9223372036854775808")
    assert shell.run_line_magic("flowlike", f"run {board_file} --var n=9223372036854775807").variables["n"] == 2**63 - 1
