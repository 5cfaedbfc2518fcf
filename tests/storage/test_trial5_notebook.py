"""Trial 5: papermill runs of a notebook, with $FLOWLIKE_STORE naming a store, are kept in its run history, so two
runs with different parameters can be compared from there. The README says the environment sets the store "for a
process" and that every run of a configured process is kept; a kernel kept none unless a cell called
`storage.configure()`."""

from __future__ import annotations

from pathlib import Path

import papermill
import pytest

from flowlike_core.cli import main
from flowlike_core.storage import Storage, StorageConfig

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "parameterized.ipynb"


def test_papermill_runs_are_kept_in_the_store_the_environment_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    monkeypatch.setenv("FLOWLIKE_STORE", str(store))
    for rows in (10, 1000):
        papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / f"rows-{rows}.ipynb"), parameters={"rows": rows},
                                   kernel_name="python3", cwd=str(NOTEBOOK.parent), progress_bar=False)
    newer, older = Storage(StorageConfig.at(str(store))).runs.query(board="numbers above a threshold")
    assert (older.variables, newer.variables) == ({"rows": 10, "threshold": 50}, {"rows": 1000, "threshold": 50})
    assert (older.result, newer.result) == (4, 495)
    assert main(["runs", "--store", str(store)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert "VARIABLES" in table[0].split(), "the parameters of each run, to compare them"
    assert [line.split()[-2:] for line in table[1:]] == [["rows=1000", "threshold=50"], ["rows=10", "threshold=50"]]


@pytest.mark.parametrize("given", [123, 7.5, True])
def test_a_number_papermill_made_of_a_text_parameter_says_how_to_pass_the_text(given: object) -> None:
    """`papermill ... -p code 123` for a String variable: papermill reads 123 as a number, and the run failed with
    "value 123 for variable 'code' does not fit its type Normal<String>" (the user had typed text)."""
    import flowlike_nb as fnb
    from flowlike_core.errors import BoardError
    from flowlike_nb.kernel.papermill import variables_from

    board = fnb.Board("codes")
    board.variable("code", str, "abc", exposed=True)
    with pytest.raises(BoardError, match=rf"variable 'code' holds text \(String\), but papermill -p read {given!r} as "
                                         rf"a number.*papermill -r code {given!r}"):
        variables_from(board, {"code": given})
    assert variables_from(board, {"code": "123"}) == {"code": "123"}


def test_a_store_configuration_that_cannot_be_read_is_a_warning_at_import(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    bad = tmp_path / "bad.toml"
    bad.write_text("meta_url = 3\n")
    done = subprocess.run([sys.executable, "-c", "import flowlike_nb; print('imported')"], capture_output=True,
                          text=True, env={**os.environ, "FLOWLIKE_STORE": str(bad)}, timeout=120)
    assert done.returncode == 0 and done.stdout == "imported\n"
    told = f"RuntimeWarning: the kernel's runs are not kept in a run history: {bad}: not a usable storage"
    assert told in done.stderr
