"""`%load_ext flowlike_nb` and the `%flowlike` line magic."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core import BoardError, RunStatus


def test_load_run_with_vars_and_bindings(shell: InteractiveShell, counter: fnb.Board, tmp_path: Path) -> None:
    path = counter.save(tmp_path / "my-counter.board.json")
    board = shell.run_line_magic("flowlike", f"load {path}")
    assert shell.user_ns["my_counter"] is board and board == counter
    run = shell.run_line_magic("flowlike", "run my_counter --var n=41 --bind 'read n.value_ref=answer'")
    assert run.status is RunStatus.SUCCESS
    assert shell.user_ns["answer"] == 41
    shell.run_line_magic("flowlike", f"load {path} --as again")
    assert "again" in shell.user_ns
    run = shell.run_line_magic("flowlike", f"run {path}")
    assert list(run.log_table()["message"]) == ["3"]


def test_show_code_and_catalog(shell: InteractiveShell, counter: fnb.Board, capsys: pytest.CaptureFixture) -> None:
    shell.user_ns["c"] = counter
    assert shell.run_line_magic("flowlike", "show c") is counter
    shell.run_line_magic("flowlike", "code c")
    assert "c = flowlike_nb.Board('counter'" in capsys.readouterr().out
    table = shell.run_line_magic("flowlike", "catalog control branch")
    assert "control_branch" in list(table["key"])
    assert shell.run_line_magic("flowlike", "catalog zzzz qqqq") is None
    assert "no node type matches 'zzzz qqqq'" in capsys.readouterr().out


def test_bad_lines_say_what_is_wrong(shell: InteractiveShell, counter: fnb.Board) -> None:
    shell.user_ns["c"] = counter
    with pytest.raises(BoardError, match="neither a notebook variable"):
        shell.run_line_magic("flowlike", "run nothing_here")
    with pytest.raises(BoardError, match="write --var key=value"):
        shell.run_line_magic("flowlike", "run c --var n")
    with pytest.raises(BoardError, match="not an Integer value"):
        shell.run_line_magic("flowlike", "run c --var n=abc")
    with pytest.raises(UsageError, match="invalid choice"):
        shell.run_line_magic("flowlike", "explode c")
    with pytest.raises(UsageError, match=r"unrecognized arguments: 2\] \(quote a value with spaces"):
        shell.run_line_magic("flowlike", "run c --var n=[1, 2]")
