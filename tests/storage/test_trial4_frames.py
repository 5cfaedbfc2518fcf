"""A pandas or polars DataFrame run result is kept in the run history as a table (an Arrow file), as a pyarrow Table
is, and comes back as a pyarrow Table; it was kept as its text repr."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import flowlike_nb as fnb
from flowlike_core.storage import Storage
from flowlike_core.storage.history import TABLE_RESULT

SECRET = "sk-live-4f9a2b"


def returning(value: Any, secret: str | None = None) -> fnb.Run:
    """A run whose result is `value` (given as an exposed variable), with `secret` as a secret variable."""
    board = fnb.Board("frame")
    if secret is not None:
        board.variable("token", str, secret, secret=True)
    board.variable("frame", object, None, exposed=True)
    start = board.add("events_simple", "start")
    frame = board.add("variable_get", "frame", var_ref="frame")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    frame.outputs.value_ref >> done.inputs.response
    return board.run({"frame": value})


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_a_pandas_frame_comes_back_as_a_table(store: Storage) -> None:
    frame = pd.DataFrame({"n": [1, 2, 3], "who": ["ann", SECRET, "bob"]}, index=[10, 20, 30])
    run = returning(frame, secret=SECRET)
    store.record(run.core)
    back = store.runs.get(run.id).result
    assert isinstance(back, pa.Table)
    assert back.column("who").to_pylist() == ["ann", "***", "bob"], "secrets redacted"
    expected = frame.assign(who=["ann", "***", "bob"])
    pd.testing.assert_frame_equal(back.to_pandas(), expected)  # the index too
    stored = store.runs.get(run.id, tables=False).result
    assert stored["rows"] == 3 and stored["columns"][:2] == ["n", "who"] and TABLE_RESULT in stored


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_a_polars_frame_comes_back_as_a_table(store: Storage) -> None:
    frame = pl.DataFrame({"n": [1, 2], "x": [0.5, None], "tag": ["a", "b"]})
    run = returning(frame)
    store.record(run.core)
    back = store.runs.query(board="frame")[0].result
    assert isinstance(back, pa.Table) and pl.from_arrow(back).equals(frame)


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_a_frame_arrow_cannot_hold_is_kept_as_its_rows(store: Storage) -> None:
    frame = pd.DataFrame({"mixed": [1, "two", 3.0]})
    run = returning(frame)
    store.record(run.core)
    back = store.runs.get(run.id).result
    assert back == [{"mixed": 1}, {"mixed": "two"}, {"mixed": 3.0}]  # (`to_json_native`: a frame is its rows)


def test_recording_a_run_imports_neither_pandas_nor_polars(tmp_path) -> None:
    script = f"""
import sys
import flowlike_nb as fnb
from flowlike_core.storage import StorageConfig, configure
store = configure(StorageConfig.at({str(tmp_path)!r}), record_runs=False)
board = fnb.Board("plain")
board.add("events_simple", "start")
store.record(board.run().core)
print(sorted(name for name in ("pandas", "polars") if name in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
