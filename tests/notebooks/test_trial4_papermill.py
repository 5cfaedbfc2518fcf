"""`papermill notebooks/parameterized.ipynb out.ipynb -p board_path X`: the board file runs with its own defaults and
the values given with -p, never with the values the notebook's `parameters` cell holds for its demo board."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import flowlike_nb as fnb
from flowlike_nb.kernel.papermill import last_run_record

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "parameterized.ipynb"


def above_board(path: Path) -> Path:
    """A board whose result is its `threshold` variable (default 5; the notebook's demo board has 50)."""
    board = fnb.Board("above")
    board.variable("threshold", int, 5, exposed=True)
    board.variable("rows", int, 10, exposed=True)
    start = board.add("events_simple", "start")
    threshold = board.add("variable_get", "threshold", var_ref="threshold")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    threshold.outputs.value_ref >> done.inputs.response
    return board.save(path)


def papermill(out: Path, *parameters: str) -> None:
    """The `papermill` command line, as a user types it."""
    papermill_cli = str(Path(sys.executable).with_name("papermill"))
    subprocess.run([papermill_cli, str(NOTEBOOK), str(out), "--cwd", str(NOTEBOOK.parent), "--no-progress-bar",
                    "-k", "python3", *parameters], check=True, capture_output=True, timeout=600)


def test_a_board_path_runs_with_the_boards_defaults_and_the_given_values(tmp_path: Path) -> None:
    board = above_board(tmp_path / "above.board.json")
    papermill(tmp_path / "defaults.ipynb", "-p", "board_path", str(board))
    record = last_run_record(tmp_path / "defaults.ipynb")
    assert record is not None and record.board_name == "above"
    assert record.result == 5 and record.variables.get("rows", 10) == 10
    papermill(tmp_path / "given.ipynb", "-p", "board_path", str(board), "-p", "threshold", "7")
    record = last_run_record(tmp_path / "given.ipynb")
    assert record is not None and record.result == 7 and record.variables["threshold"] == 7
