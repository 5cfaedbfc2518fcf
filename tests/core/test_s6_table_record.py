"""A table result is its rows in `flowlike run --json`, but the run history (which keeps the table as an Arrow file)
and a log line do not turn a million rows into JSON: the record takes its short text, the Log node its preview."""

from __future__ import annotations

import pyarrow as pa
from flowlike_catalog.std.log import as_text

from flowlike_core import Board
from flowlike_core.run import Run
from flowlike_core.storage.history import redacted_record


def _run_with(result: object) -> Run:
    run = Run("r1", Board(name="tables"), "start", {})
    run.result = result
    return run


def test_the_history_record_of_a_table_result_lists_no_rows() -> None:
    table = pa.table({"x": list(range(5))})
    record = redacted_record(_run_with(table))
    assert record.result == repr(table)


def test_the_plain_record_of_a_table_result_is_its_rows() -> None:
    assert _run_with(pa.table({"x": [1, 2]})).record().result == [{"x": 1}, {"x": 2}]


def test_a_logged_table_is_its_preview_not_a_line_per_row() -> None:
    table = pa.table({"x": list(range(100_000))})
    text = as_text(table)
    assert text == repr(table) and len(text) < 2_000
