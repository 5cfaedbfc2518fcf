"""Excel workbooks in OneDrive (by path) through Microsoft Graph's workbook API: worksheets, ranges and tables, read
and written in place without downloading the file. Values are rows of cells (lists of lists), as Graph gives them."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flowlike_catalog.data.microsoft import Graph, GraphNode, drive_path, odata_string, segment, struct_out
from flowlike_catalog.web.service_pins import text_in

from flowlike_core import DataType, ValueType, data_in, data_out

CATEGORY = "Data/Microsoft/Excel"
CAPABILITIES = ("network",)

FILE = text_in("file_path", description="The workbook in OneDrive, like /Documents/budget.xlsx")
ROWS_OUT = data_out("values", DataType.GENERIC, ValueType.ARRAY, description="Rows of cell values")
ROW_COUNT = data_out("row_count", DataType.INTEGER)


def workbook(file_path: str, rest: str) -> str:
    if not file_path.strip("/"):
        raise ValueError("file_path names no workbook")
    return drive_path(file_path, "workbook/" + rest)


def range_of(file_path: str, worksheet: str, address: str) -> str:
    if not address:
        raise ValueError("range is required (like A1:C10)")
    return workbook(file_path, f"worksheets/{segment(worksheet, 'worksheet')}/range"
                               f"(address={quote(odata_string(address), safe=chr(39) + ':$!')})")


def rows(values: Any, what: str) -> list[list[Any]]:
    """Rows of cells: a list of lists, or one flat list taken as a single row."""
    if not isinstance(values, list | tuple) or not values:
        raise ValueError(f"{what} must be a non-empty list of rows (lists of cell values)")
    if not any(isinstance(row, list | tuple) for row in values):
        return [list(values)]
    if not all(isinstance(row, list | tuple) for row in values):
        raise ValueError(f"{what} mixes rows (lists) and single cells")
    return [list(row) for row in values]


class ListWorksheets(GraphNode):
    name = "data_microsoft_excel_list_worksheets"
    friendly_name = "List Excel Worksheets"
    description = "A workbook's worksheets (id, name, position, visibility)."
    inputs = (FILE,)
    outputs = (struct_out("worksheets", array=True, description="Graph's workbookWorksheets"),)

    async def call(self, graph: Graph, *, file_path: str) -> dict[str, Any]:
        return {"worksheets": await graph.list(workbook(file_path, "worksheets"))}


class ReadRange(GraphNode):
    name = "data_microsoft_excel_read_range"
    friendly_name = "Read Excel Range"
    description = "The cell values of a range (like A1:C10) of a worksheet."
    inputs = (FILE, text_in("worksheet", description="Worksheet name or id"), text_in("range"))
    outputs = (ROWS_OUT, ROW_COUNT)

    async def call(self, graph: Graph, *, file_path: str, worksheet: str, range: str) -> dict[str, Any]:
        found = await graph.call("GET", range_of(file_path, worksheet, range))
        return {"values": found["values"], "row_count": len(found["values"])}


class UsedRange(GraphNode):
    name = "data_microsoft_excel_used_range"
    friendly_name = "Get Excel Used Range"
    description = "All the cells of a worksheet that hold something: their values and address."
    inputs = (FILE, text_in("worksheet"))
    outputs = (ROWS_OUT, data_out("address", DataType.STRING, description="Like Sheet1!A1:C3"), ROW_COUNT)

    async def call(self, graph: Graph, *, file_path: str, worksheet: str) -> dict[str, Any]:
        found = await graph.call("GET", workbook(file_path, f"worksheets/{segment(worksheet, 'worksheet')}/usedRange"))
        return {"values": found["values"], "address": found["address"], "row_count": found["rowCount"]}


class WriteRange(GraphNode):
    name = "data_microsoft_excel_write_range"
    friendly_name = "Write Excel Range"
    description = "Writes rows of values into a range; the range's size must match the rows'."
    inputs = (FILE, text_in("worksheet"), text_in("range"),
              data_in("values", DataType.GENERIC, ValueType.ARRAY, required=True, description="Rows of cell values"))

    async def call(self, graph: Graph, *, file_path: str, worksheet: str, range: str, values: Any) -> dict[str, Any]:
        await graph.call("PATCH", range_of(file_path, worksheet, range), body={"values": rows(values, "values")})
        return {}


class GetTable(GraphNode):
    name = "data_microsoft_excel_get_table"
    friendly_name = "Get Excel Table"
    description = "A table's rows as objects keyed by its header names, and the headers."
    inputs = (FILE, text_in("table_name"))
    outputs = (data_out("rows", DataType.GENERIC, ValueType.ARRAY, description="One object per row"),
               data_out("headers", DataType.STRING, ValueType.ARRAY), ROW_COUNT)

    async def call(self, graph: Graph, *, file_path: str, table_name: str) -> dict[str, Any]:
        table = f"tables/{segment(table_name, 'table_name')}"
        header = await graph.call("GET", workbook(file_path, f"{table}/headerRowRange"))
        body = await graph.call("GET", workbook(file_path, f"{table}/dataBodyRange"))
        headers = [str(name) for name in header["values"][0]]
        records = [dict(zip(headers, row, strict=False)) for row in body["values"]]
        return {"rows": records, "headers": headers, "row_count": len(records)}


class AddTableRow(GraphNode):
    name = "data_microsoft_excel_add_table_row"
    friendly_name = "Add Excel Table Row"
    description = "Appends a row (its cell values in column order) to a table; several rows when given a list of rows."
    inputs = (FILE, text_in("table_name"),
              data_in("values", DataType.GENERIC, ValueType.ARRAY, required=True, description="The row's cells"))
    outputs = (data_out("row_index", DataType.INTEGER, description="The index of the (first) added row"),)

    async def call(self, graph: Graph, *, file_path: str, table_name: str, values: Any) -> dict[str, Any]:
        added = await graph.call("POST", workbook(file_path, f"tables/{segment(table_name, 'table_name')}/rows/add"),
                                 body={"values": rows(values, "values")})
        return {"row_index": added["index"]}
