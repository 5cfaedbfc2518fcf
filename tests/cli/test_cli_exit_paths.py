"""Exit paths of the `flowlike` command: a closed pipe ends quietly, a crashing check is not "problems found"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flowlike_core import Board
from flowlike_core.cli import EXIT_INTERNAL, main

FLOWLIKE = Path(sys.executable).with_name("flowlike")


def test_catalog_into_head_ends_without_a_traceback() -> None:
    """The reader closes the pipe after one line; the catalog is longer than a pipe buffer."""
    shell = subprocess.run(f"'{FLOWLIKE}' catalog | head -1", shell=True, capture_output=True, text=True,
                           timeout=120, executable="/bin/bash")
    assert shell.stdout.startswith("KEY")
    assert "Traceback" not in shell.stderr and "BrokenPipe" not in shell.stderr, shell.stderr


def test_an_internal_error_of_validate_exits_3(tmp_path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    path = Board(name="fine").save(tmp_path / "fine.board.json")

    def crash(board, registry=None):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("flowlike_core.validate.validate_board", crash)
    assert main(["validate", str(path)]) == EXIT_INTERNAL == 3
    assert "internal error while validating" in capsys.readouterr().err
