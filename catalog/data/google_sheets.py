"""Google Sheets (REST v4): spreadsheets and their sheets, and cell values by A1 range (read, write, append,
clear). Values travel as rows: a list of lists of cells."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data.google import Google, GoogleNode, segment, struct_out
from flowlike_catalog.web.service_pins import int_in, int_out, text_in, text_out

from flowlike_core import DataType, ValueType, data_in, data_out

CATEGORY = "Data/Google/Sheets"
CAPABILITIES = ("network",)


def sheet(properties: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's GoogleSheet from a sheet's SheetProperties."""
    grid = properties.get("gridProperties", {})
    return {"sheet_id": properties.get("sheetId", 0), "title": properties.get("title", ""),
            "index": properties.get("index", 0), "row_count": grid.get("rowCount"),
            "column_count": grid.get("columnCount")}


def spreadsheet(found: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's GoogleSpreadsheet from the Spreadsheet resource."""
    properties = found.get("properties", {})
    return {"spreadsheet_id": found.get("spreadsheetId", ""), "title": properties.get("title", ""),
            "locale": properties.get("locale"), "time_zone": properties.get("timeZone"),
            "sheets": [sheet(s.get("properties", {})) for s in found.get("sheets", [])]}


def rows(values: Any) -> list[list[Any]]:
    """Rows of cells from a list of rows (lists, or dicts whose values are the cells); a flat list of cells
    is one row."""
    if not isinstance(values, list | tuple) or not values:
        raise ValueError("values must be a non-empty list of rows (lists of cells)")
    if not any(isinstance(row, list | tuple | dict) for row in values):
        return [list(values)]
    return [list(row.values()) if isinstance(row, dict) else list(row) if isinstance(row, list | tuple) else [row]
            for row in values]


def values_path(spreadsheet_id: str, cells: str, action: str = "") -> str:
    return f"/spreadsheets/{segment(spreadsheet_id, 'spreadsheet_id')}/values/{segment(cells, 'range')}{action}"


async def batch_update(google: Google, spreadsheet_id: str, request: dict[str, Any]) -> dict[str, Any]:
    return await google.call("sheets", "POST", f"/spreadsheets/{segment(spreadsheet_id, 'spreadsheet_id')}"
                             ":batchUpdate", body={"requests": [request]})


SPREADSHEET_ID = text_in("spreadsheet_id", description="From the sheet's URL: /spreadsheets/d/<id>/")
RANGE = text_in("range", description="A1 notation, e.g. Sheet1!A1:C10 or Sheet1")
VALUES = data_in("values", DataType.GENERIC, ValueType.ARRAY, required=True,
                 description="Rows: a list of lists of cells")
SPREADSHEET = struct_out("spreadsheet", description="GoogleSpreadsheet: spreadsheet_id, title, locale, time_zone, "
                         "sheets")


class Create(GoogleNode):
    name = "data_google_sheets_create"
    friendly_name = "Create Spreadsheet"
    description = "A new spreadsheet with one sheet."
    inputs = (text_in("title"),)
    outputs = (text_out("spreadsheet_id"), SPREADSHEET)

    async def call(self, google: Google, *, title: str) -> dict[str, Any]:
        found = await google.call("sheets", "POST", "/spreadsheets", body={"properties": {"title": title}})
        return {"spreadsheet_id": found["spreadsheetId"], "spreadsheet": spreadsheet(found)}


class Get(GoogleNode):
    name = "data_google_sheets_get"
    friendly_name = "Get Spreadsheet"
    description = "A spreadsheet's title, locale and sheets (no cell data)."
    inputs = (SPREADSHEET_ID,)
    outputs = (SPREADSHEET, struct_out("sheets", array=True, description="GoogleSheet: sheet_id, title, index, "
                                       "row_count, column_count"))

    async def call(self, google: Google, *, spreadsheet_id: str) -> dict[str, Any]:
        found = await google.call("sheets", "GET", f"/spreadsheets/{segment(spreadsheet_id, 'spreadsheet_id')}",
                                  params={"includeGridData": False})
        shaped = spreadsheet(found)
        return {"spreadsheet": shaped, "sheets": shaped["sheets"]}


class ReadRange(GoogleNode):
    name = "data_google_sheets_read_range"
    friendly_name = "Read Range"
    description = "The cells of a range as rows (trailing empty rows and cells left out, as Sheets sends them)."
    inputs = (SPREADSHEET_ID, RANGE, text_in("value_render", "FORMATTED_VALUE", "FORMATTED_VALUE, "
                                             "UNFORMATTED_VALUE or FORMULA"))
    outputs = (data_out("values", DataType.GENERIC, ValueType.ARRAY, description="Rows: lists of cells"),
               int_out("row_count"))

    async def call(self, google: Google, *, spreadsheet_id: str, range: str, value_render: str) -> dict[str, Any]:
        found = await google.call("sheets", "GET", values_path(spreadsheet_id, range),
                                  params={"valueRenderOption": value_render})
        values = found.get("values", [])
        return {"values": values, "row_count": len(values)}


class WriteRange(GoogleNode):
    name = "data_google_sheets_write_range"
    friendly_name = "Write Range"
    description = "Overwrites the cells of a range with the rows given."
    inputs = (SPREADSHEET_ID, RANGE, VALUES, text_in("value_input", "USER_ENTERED", "USER_ENTERED (parsed as if "
                                                     "typed: formulas, dates) or RAW"))
    outputs = (int_out("updated_cells"),)

    async def call(self, google: Google, *, spreadsheet_id: str, range: str, values: Any,
                   value_input: str) -> dict[str, Any]:
        found = await google.call("sheets", "PUT", values_path(spreadsheet_id, range),
                                  params={"valueInputOption": value_input},
                                  body={"range": range, "majorDimension": "ROWS", "values": rows(values)})
        return {"updated_cells": found.get("updatedCells", 0)}


class AppendRows(GoogleNode):
    name = "data_google_sheets_append_rows"
    friendly_name = "Append Rows"
    description = "Adds rows after the table found in the range (inserting rows, values parsed as if typed)."
    inputs = (SPREADSHEET_ID, RANGE, VALUES)
    outputs = (text_out("updated_range"), int_out("updated_rows"))

    async def call(self, google: Google, *, spreadsheet_id: str, range: str, values: Any) -> dict[str, Any]:
        found = await google.call("sheets", "POST", values_path(spreadsheet_id, range, ":append"),
                                  params={"valueInputOption": "USER_ENTERED", "insertDataOption": "INSERT_ROWS"},
                                  body={"range": range, "majorDimension": "ROWS", "values": rows(values)})
        updates = found.get("updates", {})
        return {"updated_range": updates.get("updatedRange", ""), "updated_rows": updates.get("updatedRows", 0)}


class ClearRange(GoogleNode):
    name = "data_google_sheets_clear_range"
    friendly_name = "Clear Range"
    description = "Empties the cells of a range (formatting stays)."
    inputs = (SPREADSHEET_ID, RANGE)
    outputs = (text_out("cleared_range"),)

    async def call(self, google: Google, *, spreadsheet_id: str, range: str) -> dict[str, Any]:
        found = await google.call("sheets", "POST", values_path(spreadsheet_id, range, ":clear"), body={})
        return {"cleared_range": found.get("clearedRange", "")}


class AddSheet(GoogleNode):
    name = "data_google_sheets_add_sheet"
    friendly_name = "Add Sheet"
    description = "Adds a sheet (tab) to a spreadsheet."
    inputs = (SPREADSHEET_ID, text_in("title"))
    outputs = (int_out("sheet_id"),)

    async def call(self, google: Google, *, spreadsheet_id: str, title: str) -> dict[str, Any]:
        found = await batch_update(google, spreadsheet_id, {"addSheet": {"properties": {"title": title}}})
        return {"sheet_id": found["replies"][0]["addSheet"]["properties"]["sheetId"]}


class DeleteSheet(GoogleNode):
    name = "data_google_sheets_delete_sheet"
    friendly_name = "Delete Sheet"
    description = "Removes a sheet (tab) by its numeric sheet id (not its title)."
    inputs = (SPREADSHEET_ID, int_in("sheet_id"))

    async def call(self, google: Google, *, spreadsheet_id: str, sheet_id: int) -> dict[str, Any]:
        await batch_update(google, spreadsheet_id, {"deleteSheet": {"sheetId": sheet_id}})
        return {}
