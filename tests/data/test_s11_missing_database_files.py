"""A database or data file that is not there is named as missing, in the node's terms: Register DuckDB said
DuckDB's `IOException: IO Error: Cannot open database "..." in read-only mode: database does not exist`, a read-only
SQLite file "unable to open database file", and a mount of a folder without such files DuckDB's "No files found
that match the pattern" with the SQL of the view it was making and a caret under it."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_boards import Flow


@pytest.mark.parametrize(("key", "kind"), [("df_register_duckdb", "DuckDB"), ("df_register_sqlite", "SQLite")])
def test_a_missing_database_file_opened_read_only_is_named(tmp_path: Path, key: str, kind: str) -> None:
    missing = tmp_path / "sales.db"
    flow = Flow()
    flow.step("df_create_session")
    flow.step(key, file_path=str(missing), source_table="orders", table_name="orders")
    failure = flow.failure()
    assert f"no {kind} database file at {missing} (opened read-only, so not made: turn Readonly off to start " \
           f"a new one)" in failure, failure
    assert not missing.exists()


def test_database_query_read_only_on_a_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "sales.duckdb"
    flow = Flow()
    flow.step("db_query", url=f"duckdb:///{missing}", query="SELECT 1", readonly=True)
    assert f"no DuckDB database file at {missing} (opened read-only" in flow.failure(), flow.failure()


@pytest.mark.parametrize(("key", "extension"), [("df_mount_csv", "csv"), ("df_mount_parquet", "parquet"),
                                                ("df_mount_json", "json")])
def test_mounting_a_folder_without_such_files_names_folder_and_extension(tmp_path: Path, key: str,
                                                                         extension: str) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "notes.txt").write_text("not data")
    flow = Flow()
    flow.step("df_create_session")
    flow.step(key, path={"path": str(folder)}, table_name="t")
    failure = flow.failure()
    assert f"FileNotFoundError: no .{extension} files in {folder} or its subfolders (File Extension " \
           f"is {extension!r})" in failure, failure
    assert "LINE 1" not in failure
