"""`flowlike notebook BOARD NOTEBOOK OUT` with a NOTEBOOK that is not one (not JSON, JSON of another shape) is bad
input, exit 2, one line naming the file: it was nbformat's traceback (NotJSONError, AttributeError, TypeError or a
jsonschema ValidationError) and exit 1, as if the run had failed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FLOWLIKE = Path(sys.executable).with_name("flowlike")
LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


@pytest.mark.parametrize("content", ["garbage\n", "[1]\n", "{}\n",
                                     '{"cells": 5, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'])
def test_a_file_that_is_not_a_notebook_is_bad_input(tmp_path: Path, content: str) -> None:
    notebook = tmp_path / "report.ipynb"
    notebook.write_text(content)
    done = subprocess.run([str(FLOWLIKE), "notebook", str(LOOP), str(notebook), str(tmp_path / "out.ipynb")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done
    [line] = done.stderr.splitlines()
    assert line.startswith(f"flowlike: error: {notebook}: not a Jupyter notebook ("), line
    assert not (tmp_path / "out.ipynb").exists()


def test_an_out_file_that_is_not_a_notebook_is_kept(tmp_path: Path) -> None:
    """OUT was replaced by the executed notebook whatever it held: `flowlike notebook B report.ipynb data.csv`."""
    notebook = Path(__file__).parents[2] / "notebooks" / "parameterized.ipynb"
    out = tmp_path / "data.csv"
    out.write_text("a,b\n1,2\n")
    done = subprocess.run([str(FLOWLIKE), "notebook", str(LOOP), str(notebook), str(out)], capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stderr) == (2, f"flowlike: error: {out} holds a file that is not a Jupyter notebook;"
                                                 " writing the executed notebook would replace it: choose another "
                                                 "name, or remove that file first\n"), done
    assert out.read_text() == "a,b\n1,2\n"
