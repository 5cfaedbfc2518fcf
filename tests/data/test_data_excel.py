"""Spreadsheet nodes on real .xlsx files written by openpyxl in a temp folder."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from data_boards import Flow, output


@pytest.fixture
def book(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for row in (["name", "qty"], ["pen", 2], ["ink", 5]):
        sheet.append(row)
    sheet["D1"] = "=SUM(B2:B3)"
    other = workbook.create_sheet("Summary")
    other["A1"] = "=Data!B3*2"
    other["C5"], other["D5"], other["C6"], other["D6"] = "k", "v", "a", 1
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    return path


def f(path: Path) -> dict:
    return {"path": str(path)}


def test_sheet_names_and_cells(book: Path) -> None:
    assert output("files_spreadsheet_get_sheet_names", "sheet_names", file=f(book)) == ["Data", "Summary"]
    flow = Flow()
    read = flow.step("excel_read_cell", file=f(book), sheet="Data", row="3", col="B")
    empty = flow.step("excel_read_cell", file=f(book), sheet="Data", row="9", col="Z")
    flow.step("excel_write_cell", file=f(book), sheet="Data", row="4", col="B", value="7.5")
    flow.step("excel_write_cell", file=f(book), sheet="New", row="1", col="1", value="hello")
    flow.step("excel_write_cell_html", file=f(book), sheet="Data", row="5", col="A",
              value="plain <b>bold</b> <span style='color:#ff0000'>red</span>")
    run = flow.run()
    assert (run.output(read.id, "value"), run.output(read.id, "found")) == ("5", True)
    assert (run.output(empty.id, "value"), run.output(empty.id, "found")) == ("", False)
    assert run.output(read.id, "file_out").path == str(book)
    saved = openpyxl.load_workbook(book, rich_text=True)
    assert saved["Data"]["B4"].value == 7.5 and saved["New"]["A1"].value == "hello"
    rich = saved["Data"]["A5"].value
    assert str(rich) == "plain bold red"
    assert [(getattr(block, "font", None) and (bool(block.font.b), block.font.color and block.font.color.rgb))
            for block in rich] == [None, (True, None), None, (False, "00FF0000")]


def test_rows_and_columns_move_and_formulas_follow(book: Path) -> None:
    flow = Flow()
    rows = flow.step("files_spreadsheet_insert_row", file=f(book), sheet_name="Data", row=1, position="after",
                     num_rows=2)
    cols = flow.step("files_spreadsheet_insert_column", file=f(book), sheet_name="Data", column="A", num_columns=1)
    run = flow.run()
    assert (run.output(rows.id, "final_row_index"), run.output(rows.id, "total_rows_inserted")) == (2, 2)
    assert (run.output(cols.id, "final_column_index"), run.output(cols.id, "final_column_letter")) == (1, "A")
    saved = openpyxl.load_workbook(book)
    assert [c.value for c in saved["Data"]["B"]][:5] == ["name", None, None, "pen", "ink"]
    assert saved["Data"]["E1"].value == "=SUM(C4:C5)"
    assert saved["Summary"]["A1"].value == "=Data!C5*2"
    flow = Flow()
    flow.step("excel_remove_row", file=f(book), sheet="Data", row="2", count="2")
    removed = flow.step("excel_remove_column", file=f(book), sheet="Data", col="A")
    assert flow.run().output(removed.id, "ok") is True
    saved = openpyxl.load_workbook(book)
    assert [[c.value for c in row] for row in saved["Data"].iter_rows(max_col=2)] == [
        ["name", "qty"], ["pen", 2], ["ink", 5]]
    assert saved["Data"]["D1"].value == "=SUM(B2:B3)" and saved["Summary"]["A1"].value == "=Data!B3*2"


def test_removing_referenced_cells_gives_ref_errors(book: Path) -> None:
    flow = Flow()
    flow.step("excel_remove_row", file=f(book), sheet="Data", row="3")
    flow.run()
    assert openpyxl.load_workbook(book)["Summary"]["A1"].value == "=Data!#REF!*2"


def test_copy_and_new_worksheets(book: Path, tmp_path: Path) -> None:
    flow = Flow()
    copy = flow.step("files_spreadsheet_copy_worksheet", file=f(book))
    again = flow.step("files_spreadsheet_copy_worksheet", file=f(book), source_sheet="Data", new_name="Summary",
                      if_exists="rename")
    new = flow.step("files_spreadsheet_new_worksheet", file=f(book), sheet_name="Empty")
    skip = flow.step("files_spreadsheet_new_worksheet", file=f(book), sheet_name="Empty", if_exists="skip")
    fresh = flow.step("files_spreadsheet_new_worksheet", file=f(tmp_path / "new.xlsx"), sheet_name="Only")
    run = flow.run()
    assert (run.output(copy.id, "source_name"), run.output(copy.id, "final_name")) == ("Data", "Data (copy)")
    assert run.output(again.id, "final_name") == "Summary (2)"
    assert (run.output(new.id, "created"), run.output(skip.id, "created")) == (True, False)
    assert run.output(fresh.id, "final_name") == "Only"
    saved = openpyxl.load_workbook(book)
    assert saved.sheetnames == ["Data", "Summary", "Data (copy)", "Summary (2)", "Empty"]
    assert saved["Summary (2)"]["B3"].value == 5
    assert openpyxl.load_workbook(tmp_path / "new.xlsx").sheetnames == ["Only"]
    flow = Flow()
    flow.step("files_spreadsheet_new_worksheet", file=f(book), sheet_name="Empty")
    assert "sheet 'Empty' exists already" in flow.failure()


def test_extract_tables(book: Path) -> None:
    flow = Flow()
    found = flow.step("data_excel_extract_tables", file=f(book), sheet="Summary")
    run = flow.run()
    assert run.output(found.id, "ranges") == ["C5:D6"]
    assert run.output(found.id, "tables")[0].to_pylist() == [{"k": "a", "v": 1}]
    everything = Flow()
    data = everything.step("data_excel_extract_tables", file=f(book), extract_config={"min_rows": 1})
    run = everything.run()
    assert run.output(data.id, "ranges") == ["A1:B3", "D1:D1"]
    assert run.output(data.id, "tables")[0].to_pylist() == [{"name": "pen", "qty": 2}, {"name": "ink", "qty": 5}]


def test_errors_name_the_file_and_sheet(book: Path, tmp_path: Path) -> None:
    cases = [
        ("excel_read_cell", {"file": f(book), "sheet": "Nope"}, "no sheet 'Nope'"),
        ("excel_read_cell", {"file": f(book), "sheet": "Data", "row": "0"}, "row 0 is not valid"),
        ("excel_read_cell", {"file": f(book), "sheet": "Data", "col": "A1!"}, "column 'A1!' is not a column"),
        ("excel_read_cell", {"file": f(tmp_path / "none.xlsx")}, "no workbook at"),
    ]
    (tmp_path / "bad.xlsx").write_text("not a zip")
    cases.append(("excel_read_cell", {"file": f(tmp_path / "bad.xlsx")}, "is not an .xlsx workbook"))
    for key, defaults, message in cases:
        flow = Flow()
        flow.step(key, **defaults)
        assert message in flow.failure(), defaults
