"""A folder given where a node reads or writes one file is named as a folder: Read CSV said
"IsADirectoryError: [Errno 21] Is a directory: '/tmp/x'", other readers each their library's words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from data_boards import Flow


def folder_path(folder: Path) -> dict[str, str]:
    return {"path": str(folder)}


@pytest.mark.parametrize(("key", "pins"), [
    ("table_read_csv", lambda p: {"path": p}),
    ("table_read_json_lines", lambda p: {"path": p}),
    ("table_read_excel", lambda p: {"path": p}),
    ("csv_buffered_reader", lambda p: {"csv": p}),
    ("tdms_metadata", lambda p: {"tdms_path": p}),
    ("excel_read_cell", lambda p: {"file": p}),
    ("path_get_range", lambda p: {"path": p, "from": 0, "to": 3}),
    ("path_hash_file", lambda p: {"path": p}),
])
def test_reading_a_folder_names_it(tmp_path: Path, key: str, pins: Any) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    flow = Flow()
    flow.step(key, **pins(folder_path(folder)))
    failure = flow.failure()
    assert f"IsADirectoryError: {folder} is a folder, not a " in failure, failure
    assert "Errno" not in failure


@pytest.mark.parametrize("key", ["table_write_csv", "table_write_json_lines", "table_write_parquet"])
def test_writing_to_a_folder_names_it_and_leaves_it(tmp_path: Path, key: str) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "kept.csv").write_text("a\n1\n")
    flow = Flow()
    flow.step(key, path=folder_path(folder), table=[{"a": 1}])
    failure = flow.failure()
    assert f"IsADirectoryError: {folder} is a folder: give the file's name (e.g. {folder}/" in failure, failure
    assert sorted(p.name for p in folder.iterdir()) == ["kept.csv"]
