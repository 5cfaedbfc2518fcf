"""Trial 5: papermill runs of a notebook, with $FLOWLIKE_STORE naming a store, are kept in its run history, so two
runs with different parameters can be compared from there. The README says the environment sets the store "for a
process" and that every run of a configured process is kept; a kernel kept none unless a cell called
`storage.configure()`."""

from __future__ import annotations

from pathlib import Path

import papermill
import pytest

from flowlike_core.storage import Storage, StorageConfig

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "parameterized.ipynb"


def test_papermill_runs_are_kept_in_the_store_the_environment_names(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    monkeypatch.setenv("FLOWLIKE_STORE", str(store))
    for rows in (10, 1000):
        papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / f"rows-{rows}.ipynb"), parameters={"rows": rows},
                                   kernel_name="python3", cwd=str(NOTEBOOK.parent), progress_bar=False)
    newer, older = Storage(StorageConfig.at(str(store))).runs.query(board="numbers above a threshold")
    assert (older.variables, newer.variables) == ({"rows": 10, "threshold": 50}, {"rows": 1000, "threshold": 50})
    assert (older.result, newer.result) == (4, 495)
