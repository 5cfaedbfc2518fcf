"""A table given to a variable: a run does not list its rows when it starts (1.2 s at 100,000 rows, every run), its
record lists them when asked, and the run history keeps the table as an Arrow file, as it keeps a table result, so
that reading the run back, or running it again with its parameters, gives the table."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

import flowlike_nb as fnb
from flowlike_core.storage import Storage
from flowlike_core.storage.history import TABLE_RESULT

TABLE = pa.table({"x": list(range(1000)), "name": [f"row {i}" for i in range(1000)]})


def table_board() -> fnb.Board:
    board = fnb.Board("table variable")
    board.variable("data", object, None, exposed=True)
    start = board.add("events_simple", "start")
    say = board.add("log_info", "say", message="hi")
    start.outputs.exec_out >> say.inputs.exec_in
    return board


def test_a_table_variable_starts_a_run_as_it_is_and_its_record_lists_it() -> None:
    run = table_board().run({"data": TABLE}).core
    assert run.start_variables["data"] is TABLE
    assert run.record().variables["data"] == TABLE.to_pylist()
    assert run.record(tables=False).variables["data"] == repr(TABLE)


def test_a_pandas_frame_changed_by_the_run_is_recorded_as_it_started() -> None:
    frame = pd.DataFrame({"x": [1, 2, 3]})
    run = table_board().run({"data": frame}).core
    frame.loc[0, "x"] = 99  # what a node changing the frame in place would do
    assert run.record().variables["data"] == [{"x": 1}, {"x": 2}, {"x": 3}]


def test_the_history_keeps_a_table_variable_as_an_arrow_file(store: Storage) -> None:
    board = table_board()
    run = board.run({"data": TABLE}).core
    store.record(run)
    kept = store.runs.get(run.id, tables=False).variables["data"]
    assert TABLE_RESULT in kept and kept["rows"] == 1000, kept
    assert store.runs.get(run.id).variables["data"].equals(TABLE)
    again = board.run(store.runs.parameters(run.id, board)).core
    assert again.start_variables["data"].equals(TABLE)
