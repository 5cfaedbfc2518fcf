"""`%flowlike load` puts a board in a variable Python can name; a Date `--var` that is no date says which variable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core import BoardError
from flowlike_core.cli import main


def dated(path: Path) -> Path:
    board = fnb.Board("dated")
    board.variable("when", dt.date, dt.date(2024, 5, 6), exposed=True)
    start = board.add("events_simple", "start")
    when = board.add("variable_get", "when", var_ref="when")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    when.outputs.value_ref >> done.inputs.response
    return board.save(path)


def test_load_names_a_variable_python_can_use(shell: InteractiveShell, tmp_path: Path) -> None:
    for file, name in [("1st trial.board.json", "board_1st_trial"), ("class.board.json", "board_class"),
                       ("my-counter.board.json", "my_counter")]:
        board = shell.run_line_magic("flowlike", f"load '{dated(tmp_path / file)}'")
        assert shell.user_ns[name] is board
    with pytest.raises(BoardError, match=r"--as 'my board': not a Python variable name"):
        shell.run_line_magic("flowlike", f"load {tmp_path / 'class.board.json'} --as 'my board'")
    assert "my board" not in shell.user_ns


def test_a_date_var_that_is_no_date_names_the_variable(shell: InteractiveShell, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = dated(tmp_path / "dated.board.json")
    shell.run_line_magic("flowlike", f"load {path} --as d")
    message = r"when=someday: not a Date value \(an ISO date or time: 2024-05-06, 2024-05-06T12:30\)"
    with pytest.raises(BoardError, match=message):
        shell.run_line_magic("flowlike", "run d --var when=someday")
    assert main(["run", str(path), "--var", "when=someday", "--no-history"]) == 2
    assert "when=someday: not a Date value" in capsys.readouterr().err
    assert shell.run_line_magic("flowlike", "run d --var when=2024-01-02T03:04").status == "Success"
