"""`flowlike notebook` passed papermill every exposed variable of the board, so running a board through a notebook
whose parameters cell names only some of them (notebooks/parameterized.ipynb with the shipped loop board) printed
papermill's "Passed unknown parameter: numbers" on every run. Only the variables the cell names, and those given
with -p, are passed; the others keep the board's default as before."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from flowlike_core.cli import main

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


@pytest.fixture
def notebook_variables() -> str:
    return "threshold = 99"  # no `numbers`, and a threshold of the notebook's own that the board's default replaces


@pytest.mark.timeout(120)
def test_only_the_variables_the_notebook_names_reach_papermill(notebook, tmp_path, capsys, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="papermill"):
        assert main(["notebook", str(LOOP), str(notebook), str(tmp_path / "out.ipynb")]) == 0
    assert [r.getMessage() for r in caplog.records if "unknown parameter" in r.getMessage()] == []
    assert "result: 17" in capsys.readouterr().out  # threshold 5 and numbers [3, 8, 1, 9, 4]: the board's own
