"""Every example notebook runs top to bottom on a fresh kernel: with papermill, and checked by nbval.

The notebooks assert their own results inside cells, so nbval runs in `--nbval-lax` mode (outputs hold
run ids and timings). nbval runs in a subprocess so that one `pytest tests` covers it.
"""

from __future__ import annotations

import subprocess
import sys
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


@pytest.mark.timeout(300 * len(NAMES))
def test_nbval_checks_every_notebook() -> None:
    """All the notebooks in one nbval process: a pytest start (its plugins, its collection) costs seconds, once."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-v", "-p", "no:cacheprovider", "-o", "addopts=",
         *(str(NOTEBOOKS / f"{name}.ipynb") for name in NAMES)],
        cwd=NOTEBOOKS.parent, capture_output=True, text=True, timeout=290 * len(NAMES))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    checked = {Path(line.split("::")[0]).stem for line in result.stdout.splitlines()  # notebooks/NAME::ipynb::Cell 0
               if "::Cell " in line and " PASSED" in line}
    assert checked == set(NAMES), result.stdout[-4000:]
