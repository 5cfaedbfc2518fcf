"""Spreadsheets (Flow-Like's `Data/Excel`) with openpyxl: sheets, cells, rows and columns, tables in a sheet.

Each node opens the workbook from its path (local or fsspec URL), makes its change and saves it back.
Inserting or removing rows and columns moves the cells below or to the right; with Adjust References
the formulas of the workbook that point at moved cells are rewritten to follow them (openpyxl alone
leaves them pointing at the old places). Formulas are stored, not evaluated.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.handles import FlowPath, filesystem, readable_file
from flowlike_catalog.data.tables import distinct_names, sheet_table
from pydantic import BaseModel, ConfigDict

from flowlike_core import Context, Pin, node

CATEGORY = "Data/Excel"
CAPABILITIES = ("files",)  # what its nodes reach (flowlike_core.policy)

File = Annotated[FlowPath, Pin(description="An .xlsx file: local path or fsspec URL")]
FileOut = Annotated[FlowPath, Pin(name="file_out")]
IF_EXISTS = ("error", "replace", "rename", "skip")


def load(ctx: Context, file: Any, create: bool = False) -> Any:
    """The workbook at a path (a new one when it does not exist and `create`)."""
    import openpyxl

    path = FlowPath.of(file, "file")
    fs, inner = filesystem(ctx, path)
    if not fs.exists(inner):
        if create:
            book = openpyxl.Workbook()
            book.active.title = "Sheet1"
            return book
        raise FileNotFoundError(f"no workbook at {path.path}")
    readable_file(fs, inner, path, "workbook")
    try:
        return openpyxl.load_workbook(io.BytesIO(fs.cat_file(inner)), rich_text=True)
    except Exception as exc:  # openpyxl raises several kinds for files that are not xlsx
        raise ValueError(f"{path.path} is not an .xlsx workbook: {exc}") from exc


def save(ctx: Context, file: Any, book: Any) -> FlowPath:
    path = FlowPath.of(file, "file")
    fs, inner = filesystem(ctx, path)
    buffer = io.BytesIO()
    book.save(buffer)
    if "file" in fs.protocol:
        fs.makedirs(fs._parent(inner), exist_ok=True)
    fs.pipe_file(inner, buffer.getvalue())
    return path


def sheet_of(book: Any, name: str, file: Any) -> Any:
    """A worksheet by name, or by position when the name is a number that is not a sheet name."""
    if name in book.sheetnames:
        return book[name]
    if name.strip().lstrip("-").isdigit() and -len(book.worksheets) <= int(name) < len(book.worksheets):
        return book.worksheets[int(name)]
    raise KeyError(f"no sheet {name!r} in {FlowPath.of(file).path} (sheets: {', '.join(book.sheetnames)})")


def row_number(text: str | int) -> int:
    try:
        number = int(str(text).strip())
    except ValueError:
        raise ValueError(f"row {text!r} is not a row number (1 is the first row)") from None
    if number < 1:
        raise ValueError(f"row {number} is not valid: 1 is the first row")
    return number


def column_number(text: str | int) -> int:
    from openpyxl.utils import column_index_from_string

    text = str(text).strip()
    if text.isdigit() and int(text) >= 1:
        return int(text)
    try:
        return column_index_from_string(text.upper())
    except ValueError:
        raise ValueError(f"column {text!r} is not a column letter (A, B, ... XFD) or number") from None


PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")


def cell_value(text: str) -> Any:
    """A number when the text is a plain one (`12`, `-3.5`, `1e3`), else the text: Python would also read 'Nan',
    'Infinity', '1_000' and ' 7' as numbers, and an id's leading zeros ('0012') would be lost. A leading '='
    makes a formula."""
    found = PLAIN_NUMBER.fullmatch(text)
    if not found:
        return text
    return float(text) if found.group(1) or found.group(2) else int(text)


class SheetNames(NamedTuple):
    sheet_names: list[str]
    count: int


@node(friendly_name="Get Sheet Names")
def files_spreadsheet_get_sheet_names(ctx: Context, file: File) -> SheetNames:
    """The workbook's sheet names, in order."""
    names = load(ctx, file).sheetnames
    return SheetNames(names, len(names))


class CellRead(NamedTuple):
    file_out: FlowPath
    value: Annotated[str, Pin(description="The cell's value as text (a formula's text, not its result)")]
    found: Annotated[bool, Pin(description="Whether the cell holds a value")]


@node(exec_pins=True)
def excel_read_cell(ctx: Context, file: File, sheet: str = "Sheet1", row: str = "1", col: str = "A") -> CellRead:
    """Reads one cell."""
    value = sheet_of(load(ctx, file), sheet, file).cell(row_number(row), column_number(col)).value
    return CellRead(FlowPath.of(file), "" if value is None else str(value), value is not None)


@node(exec_pins=True)
def excel_write_cell(ctx: Context, file: File, sheet: str = "Sheet1", row: str = "1", col: str = "A",
                     value: Annotated[str, Pin(description="Numbers are stored as numbers; '=...' is a formula")
                                      ] = "") -> FileOut:
    """Writes one cell (creating the workbook or the sheet when missing)."""
    book = load(ctx, file, create=True)
    worksheet = book[sheet] if sheet in book.sheetnames else book.create_sheet(sheet)
    worksheet.cell(row_number(row), column_number(col)).value = cell_value(value) if value != "" else None
    return save(ctx, file, book)


class RichText(HTMLParser):
    """HTML inline markup (b, strong, i, em, u, s, strike, font/span colour, br) as openpyxl rich text."""

    STYLES = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "s": "strike", "strike": "strike"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[dict[str, Any]] = [{}]
        self.parts: list[Any] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_data("\n")
            return
        style = dict(self.stack[-1])
        if tag in self.STYLES:
            style[self.STYLES[tag]] = "single" if tag == "u" else True
        colour = dict(attrs).get("color") or re.search(r"color\s*:\s*#?([0-9a-fA-F]{6})", dict(attrs).get("style")
                                                         or "")
        if colour:
            style["color"] = (colour if isinstance(colour, str) else colour.group(1)).lstrip("#").upper()
        self.stack.append(style)

    def handle_endtag(self, tag: str) -> None:
        if tag != "br" and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        from openpyxl.cell.rich_text import TextBlock
        from openpyxl.cell.text import InlineFont

        style = self.stack[-1]
        self.parts.append(TextBlock(InlineFont(**style), data) if style else data)


@node(friendly_name="Excel Write Cell (HTML)", exec_pins=True)
def excel_write_cell_html(ctx: Context, file: File, sheet: str = "Sheet1", row: str = "1", col: str = "A",
                          value: Annotated[str, Pin(description="Inline HTML: <b>, <i>, <u>, <s>, <br>, "
                                                                "<span style='color:#rrggbb'>")] = "") -> FileOut:
    """Writes one cell as rich text from inline HTML (bold, italic, underline, strike, colours, line breaks)."""
    from openpyxl.cell.rich_text import CellRichText

    parser = RichText()
    parser.feed(value)
    parser.close()
    book = load(ctx, file, create=True)
    worksheet = book[sheet] if sheet in book.sheetnames else book.create_sheet(sheet)
    worksheet.cell(row_number(row), column_number(col)).value = CellRichText(parser.parts)
    return save(ctx, file, book)


CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")


def shift_references(book: Any, sheet: str, axis: str, at: int, by: int) -> None:
    """Rewrite every formula's references to cells of `sheet` at or after row/column `at` by `by` (negative
    for removals; references into removed cells become #REF!)."""
    from openpyxl.formula.tokenizer import Token, Tokenizer
    from openpyxl.utils import column_index_from_string, get_column_letter

    def moved(match: re.Match[str]) -> str:
        dollar_col, col, dollar_row, row = match.groups()
        index = int(row) if axis == "row" else column_index_from_string(col.upper())
        if index < at:
            return match.group(0)
        if by < 0 and index < at - by:
            return "#REF!"
        index += by
        if axis == "row":
            return f"{dollar_col}{col}{dollar_row}{index}"
        return f"{dollar_col}{get_column_letter(index)}{dollar_row}{row}"

    for worksheet in book.worksheets:
        for cells in worksheet.iter_rows():
            for cell in cells:
                if cell.data_type != "f" or not isinstance(cell.value, str):
                    continue
                tokens = Tokenizer(cell.value)
                for token in tokens.items:
                    if token.type != Token.OPERAND or token.subtype != Token.RANGE:
                        continue
                    prefix, bang, ranges = token.value.rpartition("!")
                    target = prefix.strip("'") if bang else worksheet.title
                    if target == sheet:
                        token.value = f"{prefix}{bang}{CELL.sub(moved, ranges)}"
                cell.value = tokens.render()


def move_cells(ctx: Context, file: Any, sheet: str, axis: str, first: int, by: int, adjust: bool = True) -> FlowPath:
    """Inserts (`by` > 0) or removes (`by` < 0) rows or columns (`axis`) at `first`, moving the cells after them
    and, with `adjust`, the formulas that point at them; the saved file."""
    book = load(ctx, file)
    worksheet = sheet_of(book, sheet, file)
    if by > 0:
        (worksheet.insert_rows if axis == "row" else worksheet.insert_cols)(first, by)
    else:
        (worksheet.delete_rows if axis == "row" else worksheet.delete_cols)(first, -by)
    if adjust:
        shift_references(book, worksheet.title, axis, first, by)
    return save(ctx, file, book)


class RowsRemoved(NamedTuple):
    file_out: FlowPath
    ok: bool


@node(exec_pins=True)
def excel_remove_row(ctx: Context, file: File, sheet: str = "Sheet1", row: str = "1", count: str = "1"
                     ) -> RowsRemoved:
    """Removes rows, moving the rows below up (formulas follow)."""
    return RowsRemoved(move_cells(ctx, file, sheet, "row", row_number(row), -row_number(count)), True)


@node(exec_pins=True)
def excel_remove_column(ctx: Context, file: File, sheet: str = "Sheet1", col: str = "B", count: str = "1"
                        ) -> RowsRemoved:
    """Removes columns, moving the columns to the right left (formulas follow)."""
    return RowsRemoved(move_cells(ctx, file, sheet, "column", column_number(col), -row_number(count)), True)


Position = Annotated[str, Pin(valid_values=("before", "after"))]


def insert_offset(position: str, count: int, axis: str) -> int:
    """Where `count` rows or columns go from the one named: 0 before it, 1 after it."""
    if position not in ("before", "after") or count < 1:
        raise ValueError(f"insert {count} {axis}s {position!r}: need at least 1 {axis}, before or after")
    return int(position == "after")


class RowsInserted(NamedTuple):
    inserted: bool
    final_row_index: Annotated[int, Pin(description="The first inserted row")]
    total_rows_inserted: int


@node(friendly_name="Insert Row(s)", exec_pins=True)
def files_spreadsheet_insert_row(
    ctx: Context, file: File, sheet_name: str = "Sheet1", row: int = 1,
    position: Position = "before", num_rows: int = 1, adjust_references: bool = True,
) -> RowsInserted:
    """Inserts empty rows before or after a row, moving the rows below down."""
    first = insert_offset(position, num_rows, "row") + row_number(row)
    move_cells(ctx, file, sheet_name, "row", first, num_rows, adjust_references)
    return RowsInserted(True, first, num_rows)


class ColumnsInserted(NamedTuple):
    inserted: bool
    final_column_index: Annotated[int, Pin(description="The first inserted column (1 is A)")]
    final_column_letter: str
    total_columns_inserted: int


@node(friendly_name="Insert Column(s)", exec_pins=True)
def files_spreadsheet_insert_column(
    ctx: Context, file: File, sheet_name: str = "Sheet1", column: str = "A",
    position: Position = "before", num_columns: int = 1, adjust_references: bool = True,
) -> ColumnsInserted:
    """Inserts empty columns before or after a column, moving the columns to the right."""
    from openpyxl.utils import get_column_letter

    first = insert_offset(position, num_columns, "column") + column_number(column)
    move_cells(ctx, file, sheet_name, "column", first, num_columns, adjust_references)
    return ColumnsInserted(True, first, get_column_letter(first), num_columns)


def free_name(book: Any, name: str, if_exists: str) -> tuple[str, bool]:
    """The sheet name to use and whether to go on, by the If Exists rule."""
    if if_exists not in IF_EXISTS:
        raise ValueError(f"if_exists {if_exists!r}: use {', '.join(IF_EXISTS)}")
    if name not in book.sheetnames:
        return name, True
    if if_exists == "error":
        raise FileExistsError(f"sheet {name!r} exists already (if_exists: replace, rename or skip)")
    if if_exists == "skip":
        return name, False
    if if_exists == "replace":
        book.remove(book[name])
        return name, True
    number = 2
    while f"{name} ({number})" in book.sheetnames:
        number += 1
    return f"{name} ({number})", True


class Copied(NamedTuple):
    copied: bool
    source_name: str
    final_name: str


@node(friendly_name="Copy Worksheet", exec_pins=True)
def files_spreadsheet_copy_worksheet(
    ctx: Context, file: File, source_sheet: Annotated[str, Pin(description="Name, or position (0 is the first)")
                                                      ] = "0",
    new_name: Annotated[str, Pin(description="Empty: '<source> (copy)'")] = "",
    if_exists: Annotated[str, Pin(valid_values=IF_EXISTS)] = "error",
) -> Copied:
    """Copies a worksheet (values, styles, merged cells) into a new sheet at the end of the workbook."""
    book = load(ctx, file)
    source = sheet_of(book, source_sheet, file)
    name, go = free_name(book, new_name or f"{source.title} (copy)", if_exists)
    if go:
        book.copy_worksheet(source).title = name
        save(ctx, file, book)
    return Copied(go, source.title, name)


class Created(NamedTuple):
    created: bool
    final_name: str


@node(friendly_name="New Worksheet", exec_pins=True)
def files_spreadsheet_new_worksheet(ctx: Context, file: File, sheet_name: str = "Sheet1",
                                    if_exists: Annotated[str, Pin(valid_values=IF_EXISTS)] = "error") -> Created:
    """Adds an empty worksheet (a new workbook holding only this sheet when the file does not exist)."""
    fs, inner = filesystem(ctx, FlowPath.of(file, "file"))
    if not fs.exists(inner):
        book = load(ctx, file, create=True)
        book.active.title = sheet_name
        save(ctx, file, book)
        return Created(True, sheet_name)
    book = load(ctx, file)
    name, go = free_name(book, sheet_name, if_exists)
    if go:
        book.create_sheet(name)
        save(ctx, file, book)
    return Created(go, name)


class ExtractConfig(BaseModel):
    """How Extract Tables finds tables: blocks of filled cells separated by empty rows and columns."""

    model_config = ConfigDict(extra="forbid")
    header: bool = True
    """The first row of a block names its columns."""
    min_rows: int = 2
    """Blocks with fewer rows (header included) are not tables."""
    min_columns: int = 1


class Extracted(NamedTuple):
    tables: Annotated[list[Any], Pin(description="One pyarrow Table per block, top to bottom, left to right")]
    ranges: Annotated[list[str], Pin(description="Where each table was, e.g. 'B2:D10'")]


@node(friendly_name="Extract Tables (Excel)", exec_pins=True)
def data_excel_extract_tables(ctx: Context, file: File, sheet: Annotated[str, Pin(
        description="Sheet name (the first sheet when empty)")] = "", extract_config: ExtractConfig = None
                              ) -> Extracted:
    """Finds the tables in a sheet (blocks of filled cells with empty rows and columns around them)."""
    from openpyxl.utils import get_column_letter

    config = ExtractConfig.model_validate(extract_config or {})
    book = load(ctx, file)
    worksheet = sheet_of(book, sheet, file) if sheet else book.worksheets[0]
    filled = {(cell.row, cell.column) for cells in worksheet.iter_rows() for cell in cells
              if cell.value is not None and str(cell.value).strip() != ""}
    tables, ranges = [], []
    for top, left, bottom, right in blocks(filled):
        if bottom - top + 1 < config.min_rows or right - left + 1 < config.min_columns:
            continue
        grid = [[worksheet.cell(r, c).value for c in range(left, right + 1)] for r in range(top, bottom + 1)]
        header = [str(h) if h is not None else f"column_{i + 1}" for i, h in enumerate(grid[0])] \
            if config.header else [f"column_{i + 1}" for i in range(right - left + 1)]
        tables.append(sheet_table(distinct_names(header), grid[1:] if config.header else grid))
        ranges.append(f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}")
    return Extracted(tables, ranges)


def blocks(filled: set[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (top, left, bottom, right) of groups of filled cells that touch (diagonals too)."""
    seen: set[tuple[int, int]] = set()
    boxes = []
    for start in sorted(filled):
        if start in seen:
            continue
        seen.add(start)
        stack, members = [start], []
        while stack:
            row, col = stack.pop()
            members.append((row, col))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    near = (row + dr, col + dc)
                    if near in filled and near not in seen:
                        seen.add(near)
                        stack.append(near)
        rows, cols = [m[0] for m in members], [m[1] for m in members]
        boxes.append((min(rows), min(cols), max(rows), max(cols)))
    return sorted(boxes)
