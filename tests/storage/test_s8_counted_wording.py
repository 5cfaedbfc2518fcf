"""What `flowlike runs RUN` and `flowlike diff` print counts in real plurals: a one-node run took "1 step", a
one-row table is "1 row"."""

from __future__ import annotations

from flowlike_catalog.std import PACK as STD_PACK

from flowlike_core import Board, Registry, commands
from flowlike_core.storage.cli import format_run
from flowlike_core.storage.run_diff import shown


def test_a_one_step_run_reads_1_step() -> None:
    registry = Registry([STD_PACK])
    board = Board(name="one")
    board.apply(commands.AddNode(registry.get("events_simple").create()))
    record = board.run(registry=registry).record()
    assert record.steps == 1
    assert format_run(record).splitlines()[0].endswith(", 1 step")


def test_a_one_row_table_reads_1_row() -> None:
    assert shown({"arrow_table": "x", "rows": 1, "columns": ["a"]}) == "<table, 1 row: a>"
    assert shown({"arrow_table": "x", "rows": 1234, "columns": ["a", "b"]}) == "<table, 1,234 rows: a, b>"
