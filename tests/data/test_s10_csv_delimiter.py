"""A CSV delimiter that is not one character fails naming the pin and what it holds, before the file is touched:
pyarrow said "only single character unicode strings can be converted to Py_UCS4, got length 2"."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_boards import Flow


@pytest.mark.parametrize("delimiter", ["ab", ""])
def test_reading_names_the_delimiter(tmp_path: Path, delimiter: str) -> None:
    (tmp_path / "in.csv").write_text("a,b\n1,2\n")
    flow = Flow()
    flow.step("table_read_csv", path={"path": str(tmp_path / "in.csv")}, delimiter=delimiter)
    assert f"ValueError: delimiter must be one character, got {delimiter!r}" in flow.failure()


def test_writing_names_the_delimiter_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("a,b\n1,2\n")
    flow = Flow()
    read = flow.step("table_read_csv", path={"path": str(tmp_path / "in.csv")})
    flow.step("table_write_csv", path={"path": str(tmp_path / "out.csv")}, table=(read, "table"), delimiter=";;")
    assert "ValueError: delimiter must be one character, got ';;'" in flow.failure()
    assert not (tmp_path / "out.csv").exists()
