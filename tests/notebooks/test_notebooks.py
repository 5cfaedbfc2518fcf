"""Every example notebook runs top to bottom on a fresh kernel with papermill, as `flowlike notebook` and
scripts/quickstart.sh run them.

The notebooks assert their own results inside cells, so a notebook passes when every code cell ran and none
raised. (`pytest --nbval-lax` checks nothing more on them, at the cost of executing every notebook again.)
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ["quickstart", "data_pipeline", "parameterized", "teaching_demo", "data_sql", "rag", "ml", "vision"]


def test_every_notebook_is_covered() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_papermill_runs_the_notebook(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out), kernel_name="python3",
                               cwd=str(NOTEBOOKS), progress_bar=False)
    executed = nbformat.read(out, as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
