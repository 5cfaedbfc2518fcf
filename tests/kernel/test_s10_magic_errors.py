"""A board or value `%flowlike` cannot use shows as one line (the error's type and what is wrong, naming the file, the
variable or the pin), not a traceback through the engine's modules (or json's, for `--var n=abc`); it stays the
engine's error, so a cell (and papermill) stops there and `except BoardError` still catches it."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core.errors import BoardError, BoardFileError, UnknownVariableError

LINES = [
    ("load {missing}", BoardFileError, "BoardFileError: {missing}: no such board file"),
    ("run counter --var n=abc", BoardError, "BadInput: n=abc: not an Integer value (read as JSON: Expecting value)"),
    ("run counter --var nosuch=1", UnknownVariableError,
     "UnknownVariableError: board 'counter' has no variable 'nosuch' (variables: n)"),
    ("show nosuch", BoardError,
     "BoardError: %flowlike: 'nosuch' is neither a notebook variable holding a board nor a board file"),
]


@pytest.mark.parametrize(("line", "kind", "shown"), LINES)
def test_a_bad_board_or_value_is_one_line_without_a_traceback(
        shell: InteractiveShell, counter: fnb.Board, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        line: str, kind: type[Exception], shown: str) -> None:
    missing = tmp_path / "missing.board.json"
    shell.user_ns["counter"] = counter
    result = shell.run_cell(f"%flowlike {line.format(missing=missing)}")
    assert isinstance(result.error_in_exec, kind), result.error_in_exec
    output = capsys.readouterr()
    assert (output.out + output.err).strip() == shown.format(missing=missing), output
