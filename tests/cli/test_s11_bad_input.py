"""Bad input given to the commands says what and where (an audit of session 11): a folder given as the board said
only "not a regular file", as a FIFO does."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowlike_core.cli import main


@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_folder_given_as_the_board_is_named_as_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          command: str) -> None:
    folder = tmp_path / "boards"
    folder.mkdir()
    assert main([command, str(folder)]) == 2
    assert capsys.readouterr().err == f"flowlike: error: {folder}: not a regular file: a folder (give a board file " \
                                      f"in it)\n"


def test_flowlike_notebook_refuses_a_folder_as_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It ran the notebook, then papermill's write ended in a traceback: IsADirectoryError: [Errno 21]."""
    notebooks = Path(__file__).parents[2] / "notebooks"
    out = tmp_path / "executed"
    out.mkdir()
    assert main(["notebook", str(notebooks / "boards" / "loop_and_branch.board.json"),
                 str(notebooks / "parameterized.ipynb"), str(out), "-p", "threshold", "1"]) == 2
    assert capsys.readouterr().err == f"flowlike: error: {out}: a folder; give the executed notebook's file name, " \
                                      f"e.g. {out}/parameterized.ipynb\n"
    assert not any(out.iterdir())


def test_a_catalog_search_that_finds_nothing_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    """It printed the table's header over no rows and "0 node types"; `%flowlike catalog` says this already."""
    assert main(["catalog", "--search", "zzzz qqqq"]) == 0
    assert capsys.readouterr().out == "no node type matches 'zzzz qqqq'\n"
