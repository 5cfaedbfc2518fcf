"""Spreadsheet and file nodes on what people type and what files hold (trial 6): a name that reads as a number to
Python, an id with leading zeros, a found table with a repeated header and a mixed column, a byte-order mark."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from flowlike_catalog.data.excel import data_excel_extract_tables, excel_write_cell


@pytest.mark.parametrize(("typed", "stored"), [
    ("Nan", "Nan"), ("Infinity", "Infinity"), ("1_000", "1_000"), ("0012", "0012"), (" 7", " 7"),
    ("12", 12), ("-3.5", -3.5), ("0.25", 0.25), ("1e3", 1000), ("=SUM(A1:A2)", "=SUM(A1:A2)"),
])
def test_only_plain_numbers_become_numbers(tmp_path: Path, typed: str, stored: object) -> None:
    path = tmp_path / "book.xlsx"
    excel_write_cell.func(None, str(path), "Sheet1", "1", "A", typed)
    value = openpyxl.load_workbook(path)["Sheet1"]["A1"].value
    assert (type(value), value) == (type(stored), stored)


def test_a_found_table_keeps_repeated_headers_and_mixed_columns(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["name", "name", "count"], ["Åsa", "x", 1], ["Bob", "y", "zwei"]):
        sheet.append(row)
    book.save(tmp_path / "book.xlsx")
    found = data_excel_extract_tables.func(None, str(tmp_path / "book.xlsx"))
    assert found.tables[0].to_pylist() == [{"name": "Åsa", "name_1": "x", "count": "1"},
                                           {"name": "Bob", "name_1": "y", "count": "zwei"}]


def test_read_to_string_drops_a_byte_order_mark(tmp_path: Path) -> None:
    """Notepad's UTF-8 starts with one; left in, json.loads of the text fails ('Unexpected UTF-8 BOM')."""
    import json

    from flowlike_catalog.data.files import read_to_string

    (tmp_path / "settings.json").write_bytes('{"stadt": "Zürich"}'.encode("utf-8-sig"))
    assert json.loads(read_to_string.func(None, str(tmp_path / "settings.json"))) == {"stadt": "Zürich"}
