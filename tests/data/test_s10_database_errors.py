"""A SQLite or DuckDB file that cannot be opened is named as the node opened it: `sqlite:///tmp/x.db` (three
slashes: a path relative to the working folder) said "cannot connect to the sqlite database /tmp/x.db: unable to
open database file" while /tmp/x.db was there to open; the folder that is missing and the slash rule say why."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from data_boards import Flow


@pytest.mark.parametrize("kind", ["sqlite", "duckdb"])
def test_a_file_in_a_missing_folder_is_named_with_that_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               kind: str) -> None:
    there = tmp_path / "x.db"
    sqlite3.connect(there).close()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    flow = Flow()
    flow.step("db_query", url=f"{kind}://{there}", query="SELECT 1")
    opened = work / str(there).lstrip("/")
    assert f"cannot connect to the {kind} database {opened}: no folder {opened.parent} ({kind}:///PATH is relative " \
           f"to the working folder, {kind}:////PATH absolute)" in flow.failure(), flow.failure()
