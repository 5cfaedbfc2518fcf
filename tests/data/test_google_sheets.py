"""Google Sheets nodes against a local server speaking Sheets v4's wire format (A1 ranges, values as rows)."""

from __future__ import annotations

import pytest
from data_boards import one
from fake_google import google_flow
from flowlike_catalog.data.google_sheets import rows


def test_rows_accepts_lists_dicts_and_one_flat_row() -> None:
    assert rows([[1, 2], ("a", "b")]) == [[1, 2], ["a", "b"]]
    assert rows([{"name": "Ada", "age": 36}]) == [["Ada", 36]]
    assert rows(["x", 1]) == [["x", 1]]
    with pytest.raises(ValueError, match="non-empty list of rows"):
        rows([])


def test_create_write_append_read_clear(gs) -> None:
    board = google_flow(gs.url)
    created = board.step("data_google_sheets_create", title="Budget")
    write = board.step("data_google_sheets_write_range", range="Sheet1!A1",
                       values=[["Item", "Cost"], ["Rent", 900]])
    append = board.step("data_google_sheets_append_rows", range="Sheet1!A1:B1", values=[["Food", 250], ["Bus", 40]])
    read = board.step("data_google_sheets_read_range", range="Sheet1!A1:B10", value_render="UNFORMATTED_VALUE")
    for step in (write, append, read):
        board.flow.wire(created, "spreadsheet_id", step, "spreadsheet_id")
    run = board.run()
    ident = board.outputs(run, created)["spreadsheet_id"]
    assert board.outputs(run, created)["spreadsheet"]["sheets"][0] == {
        "sheet_id": 0, "title": "Sheet1", "index": 0, "row_count": 1000, "column_count": 26}
    assert board.outputs(run, write)["updated_cells"] == 4
    assert board.outputs(run, append) == {"updated_range": "Sheet1!A3:B4", "updated_rows": 2}
    assert board.outputs(run, read) == {"values": [["Item", "Cost"], ["Rent", 900], ["Food", 250], ["Bus", 40]],
                                        "row_count": 4}
    sent = {r["path"]: r for r in gs.state.requests}
    assert sent["/v4/spreadsheets"]["json"] == {"properties": {"title": "Budget"}}
    put = sent[f"/v4/spreadsheets/{ident}/values/Sheet1!A1"]
    assert put["method"] == "PUT" and put["query"] == {"valueInputOption": "USER_ENTERED"}
    assert put["json"] == {"range": "Sheet1!A1", "majorDimension": "ROWS", "values": [["Item", "Cost"], ["Rent", 900]]}
    assert sent[f"/v4/spreadsheets/{ident}/values/Sheet1!A1:B1:append"]["query"] == {
        "valueInputOption": "USER_ENTERED", "insertDataOption": "INSERT_ROWS"}

    formatted = one(google_flow(gs.url), "data_google_sheets_read_range", spreadsheet_id=ident, range="Sheet1!B2:B3")
    assert formatted["values"] == [["900"], ["250"]]
    cleared = one(google_flow(gs.url), "data_google_sheets_clear_range", spreadsheet_id=ident, range="Sheet1!A2:B4")
    assert cleared["cleared_range"] == "Sheet1!A2:B4"
    assert one(google_flow(gs.url), "data_google_sheets_read_range", spreadsheet_id=ident,
               range="Sheet1")["values"] == [["Item", "Cost"]]


def test_sheets_add_get_delete(gs) -> None:
    ident = one(google_flow(gs.url), "data_google_sheets_create", title="Book")["spreadsheet_id"]
    added = one(google_flow(gs.url), "data_google_sheets_add_sheet", spreadsheet_id=ident, title="Q1")
    assert added["sheet_id"] == 1001
    assert gs.state.requests[-1]["json"] == {"requests": [{"addSheet": {"properties": {"title": "Q1"}}}]}
    got = one(google_flow(gs.url), "data_google_sheets_get", spreadsheet_id=ident)
    assert [s["title"] for s in got["sheets"]] == ["Sheet1", "Q1"] and got["spreadsheet"]["title"] == "Book"
    one(google_flow(gs.url), "data_google_sheets_delete_sheet", spreadsheet_id=ident, sheet_id=1001)
    assert gs.state.requests[-1]["json"] == {"requests": [{"deleteSheet": {"sheetId": 1001}}]}
    assert len(gs.state.spreadsheets[ident]["sheets"]) == 1

    board = google_flow(gs.url)
    board.step("data_google_sheets_add_sheet", spreadsheet_id=ident, title="Sheet1")
    assert 'A sheet with the name "Sheet1" already exists' in board.flow.failure()
