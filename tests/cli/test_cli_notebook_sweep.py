"""`flowlike notebook` with several values (-p NAME V1,V2): one papermill run per combination, one table."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from flowlike_core.cli import main

BOARDS = Path(__file__).parents[2] / "notebooks" / "boards"
LOOP = BOARDS / "loop_and_branch.board.json"


@pytest.fixture
def notebook_variables() -> str:
    """The exposed variables of both boards (the loop board's and the failing board's divisor)."""
    return "threshold = 5\nnumbers = [3, 8, 1, 9, 4]\ndivisor = 1"


@pytest.mark.timeout(300)
def test_a_list_of_values_runs_the_notebook_once_per_value(notebook, tmp_path, capsys):
    out = tmp_path / "out_{threshold}.ipynb"
    assert main(["notebook", str(LOOP), str(notebook), str(out), "-p", "threshold", "2,8", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["threshold"], r["status"], r["result"]) for r in rows] == [(2, "Success", 24), (8, "Success", 9)]
    assert [r["notebook"] for r in rows] == [str(tmp_path / "out_2.ipynb"), str(tmp_path / "out_8.ipynb")]
    executed = nbformat.read(tmp_path / "out_8.ipynb", as_version=4)
    assert "threshold = 8" in "".join(cell.source for cell in executed.cells)


@pytest.mark.timeout(300)
def test_the_python_sweep_gives_a_dataframe_with_the_failed_runs(notebook, tmp_path):
    from flowlike_nb.kernel.papermill import sweep_board_notebook

    fails = BOARDS / "fails_on_purpose.board.json"
    result = sweep_board_notebook(fails, notebook, tmp_path / "out.ipynb", {"divisor": [0, 2]})
    frame = result.to_dataframe()
    assert list(frame.columns) == ["divisor", "status", "duration", "result", "notebook", "error"]
    assert frame["status"].tolist() == ["Failed", "Success"]
    assert "ZeroDivisionError" in frame["error"][0] and result.rows[1].error is None
    assert frame["notebook"].tolist() == [str(tmp_path / "out-1.ipynb"), str(tmp_path / "out-2.ipynb")]
    assert all((tmp_path / name).is_file() for name in ("out-1.ipynb", "out-2.ipynb"))


def test_bad_sweeps_are_refused_before_any_run(notebook, tmp_path, capsys):
    out = str(tmp_path / "out_{nope}.ipynb")
    assert main(["notebook", str(LOOP), str(notebook), out, "-p", "threshold", "1,2"]) == 2
    assert "must name a parameter (threshold)" in capsys.readouterr().err
    assert main(["notebook", str(LOOP), str(notebook), out, "-p", "threshold", "1,x"]) == 2
    assert "threshold" in capsys.readouterr().err
    assert not list(tmp_path.glob("out*"))
