"""In the notebook, every way to name a board file takes Flow-Like's too: `%flowlike load|run|show` and the papermill
helpers open it with `Board.open`, which shows what the import did in the cell; a file that is neither names itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from flowlike_files import IMPORTED
from flowlike_files import flowlike_board as make_flowlike_board
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core.errors import BoardFileError
from flowlike_nb.kernel import papermill


@pytest.fixture
def flowlike_board(tmp_path: Path) -> Path:
    return make_flowlike_board(tmp_path)


def test_load_opens_a_flowlike_board_and_shows_the_import(shell: InteractiveShell, flowlike_board: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    board = shell.run_line_magic("flowlike", f"load {flowlike_board}")
    assert shell.user_ns["counter"] is board, "named after the file, .board left out"
    assert [board.core.nodes[entry.node_id].friendly_name for entry in board.import_report.placeholders] == \
        ["elsewhere"]
    shown = capsys.readouterr().out
    assert IMPORTED in shown and "missing acme_frobnicate (unknown pack)" in shown
    assert shell.run_line_magic("flowlike", "run counter --start start --var n=5").result == 5


def test_run_and_show_take_a_flowlike_board_file(shell: InteractiveShell, flowlike_board: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    run = shell.run_line_magic("flowlike", f"run {flowlike_board} --start start --var n=7")
    assert run.status == "Success" and run.result == 7
    assert IMPORTED in capsys.readouterr().out
    assert len(shell.run_line_magic("flowlike", f"show {flowlike_board}").core.nodes) == 4


def test_papermill_parameters_of_a_flowlike_board_file(flowlike_board: Path) -> None:
    assert papermill.parameters(flowlike_board) == {"n": 3}
    assert "n = 3  # Integer" in papermill.parameters_cell(flowlike_board, str(flowlike_board))


@pytest.mark.parametrize(("content", "message"), [
    (b"\x10\x00\x00\x00garbage that is no LZ4 block", "not a Flow-Like file"),
    (b'{"cells": [], "metadata": {}}', "not a board document: none of its keys (cells, metadata)"),
])
def test_a_file_that_is_no_board_names_itself(shell: InteractiveShell, tmp_path: Path, content: bytes,
                                              message: str) -> None:
    path = tmp_path / "junk.board"
    path.write_bytes(content)
    for line in (f"load {path}", f"run {path}"):
        with pytest.raises(BoardFileError) as raised:
            shell.run_line_magic("flowlike", line)
        assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value)
    assert "junk" not in shell.user_ns
    with pytest.raises(BoardFileError, match="not a Flow-Like file|not a board document"):
        papermill.parameters(path)


def test_fnb_load_opens_a_flowlike_board_file(flowlike_board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`fnb.load(board_path)` is how parameterized.ipynb opens the board papermill names."""
    board = fnb.load(str(flowlike_board))
    assert IMPORTED in capsys.readouterr().out
    assert board.run(start="start", variables={"n": 4}).result == 4
