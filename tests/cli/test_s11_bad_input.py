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
