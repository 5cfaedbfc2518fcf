"""Tables in messy sheets, found by a language model (Flow-Like's Extract Tables AI).

Extract Tables finds blocks of cells; sheets with title rows, multi-row headers, subtotals or tables side by
side need judgement. The model sees a sample of each sheet (the first rows and columns, with column kinds and
merged ranges) and answers with a tool call naming, per table, its header row, data rows, columns and rows to
skip; the node then cuts the tables out of the whole sheet itself, so every value comes from the file.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.excel import File, load, sheet_of
from pydantic import BaseModel, ConfigDict

from flowlike_core import Context, Pin, node

CATEGORY = "Data/Excel"
CAPABILITIES = ("files", "network")  # what its nodes reach (flowlike_core.policy)

TOOL = "submit_extraction_strategy"
PREVIEW = 50  # characters of a cell shown in the sample

SYSTEM = """You find the tables in a spreadsheet sheet from a sample of its first rows and columns.
A sheet may hold several tables: stacked with empty rows between, side by side with empty columns between,
or split by section headers. Watch for title and metadata rows above a table, headers over several rows,
subtotal and total rows inside the data, and tables that do not start at the first row or column.
Rows and columns are numbered from 0 as in the sample. Call submit_extraction_strategy once with every table
and a short reasoning."""

STRATEGY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "tables": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "properties": {
                "table_name": {"type": ["string", "null"], "description": "A name for the table"},
                "header_row": {"type": "integer", "description": "Row of the column names"},
                "data_start_row": {"type": "integer", "description": "First data row"},
                "data_end_row": {"type": ["integer", "null"], "description": "Row after the last (null: sheet end)"},
                "start_column": {"type": "integer"},
                "end_column": {"type": ["integer", "null"], "description": "Column after the last (null: last)"},
                "skip_rows": {"type": "array", "items": {"type": "integer"},
                              "description": "Rows inside the data to leave out (totals, section headers)"},
                "header_names": {"type": ["array", "null"], "items": {"type": "string"},
                                 "description": "Column names to use when the sheet's are unclear"},
            },
            "required": ["header_row", "data_start_row", "start_column", "skip_rows"],
        }},
        "reasoning": {"type": "string"},
    },
    "required": ["tables", "reasoning"],
}


class AIExtractionConfig(BaseModel):
    """How much of each sheet the model sees."""

    model_config = ConfigDict(extra="forbid")
    sample_rows: int = 15
    sample_cols: int = 20
    include_statistics: bool = True
    """Add each sampled column's kind (numbers, text, empty) and the empty rows."""
    detect_merged_regions: bool = True
    """Add the sheet's merged cell ranges."""


class TableSpec(BaseModel):
    table_name: str | None = None
    header_row: int
    data_start_row: int
    data_end_row: int | None = None
    start_column: int
    end_column: int | None = None
    skip_rows: list[int] = []
    header_names: list[str] | None = None


class Strategy(BaseModel):
    tables: list[TableSpec]
    reasoning: str = ""


def text(value: Any) -> str:
    """A cell as text: whole floats without '.0', booleans as Excel writes them, empty cells as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def numeric(cell: str) -> bool:
    try:
        float(cell.replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def sample(grid: list[list[str]], merged: list[str], config: AIExtractionConfig) -> str:
    """What the model reads about a sheet: its size, the first rows and columns, and optional hints."""
    rows = [row[:config.sample_cols] for row in grid[:config.sample_rows]]
    width = max((len(row) for row in grid), default=0)
    lines = [f"The sheet has {len(grid)} rows and {width} columns; the first {len(rows)} rows and "
             f"{min(width, config.sample_cols)} columns:"]
    lines += [f"row {i}: " + " | ".join(cell[:PREVIEW] for cell in row) for i, row in enumerate(rows)]
    if config.include_statistics:
        kinds = []
        for column in range(min(width, config.sample_cols)):
            cells = [row[column] for row in rows if column < len(row) and row[column].strip()]
            kind = "empty" if not cells else "numbers" if sum(map(numeric, cells)) * 2 > len(cells) else "text"
            kinds.append(f"{column}: {kind}")
        lines.append("Column kinds in the sample: " + ", ".join(kinds))
        empty = [str(i) for i, row in enumerate(rows) if not any(cell.strip() for cell in row)]
        lines.append("Empty rows in the sample: " + (", ".join(empty) or "none"))
    if config.detect_merged_regions and merged:
        lines.append("Merged ranges: " + ", ".join(merged))
    return "\n".join(lines)


def cut(grid: list[list[str]], spec: TableSpec, width: int) -> tuple[list[str], list[list[str]]]:
    """The headers and rows a table spec names (rows with no text left out, short rows padded)."""
    end_col = min(spec.end_column if spec.end_column is not None else width, width)
    start_col = min(max(spec.start_column, 0), max(end_col - 1, 0))
    end_row = min(spec.data_end_row if spec.data_end_row is not None else len(grid), len(grid))
    header = grid[spec.header_row][start_col:end_col] if 0 <= spec.header_row < len(grid) else []
    headers = spec.header_names or (header if any(h.strip() for h in header)
                                    else [f"Column_{i + 1}" for i in range(start_col, end_col)])
    skip = set(spec.skip_rows)
    rows = []
    for index in range(max(spec.data_start_row, 0), end_row):
        if index in skip:
            continue
        row = grid[index][start_col:end_col]
        if any(cell.strip() for cell in row):
            rows.append(row + [""] * (len(headers) - len(row)))
    return headers, rows


def unique_columns(headers: list[str]) -> list[str]:
    """Column names a table accepts: blanks named by position, repeats numbered."""
    seen: dict[str, int] = {}
    names = []
    for i, header in enumerate(headers):
        name = header.strip() or f"Column_{i + 1}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names


class ExtractedAI(NamedTuple):
    tables: Annotated[list[Any], Pin(description="One pyarrow Table of text columns per table found, named "
                                                 "'<sheet>_<table>' in its schema metadata")]
    reasoning: Annotated[str, Pin(description="The model's reasons, per sheet")]


@node(friendly_name="Extract Tables AI (Excel)", exec_pins=True)
async def data_excel_extract_tables_ai(
    ctx: Context,
    model: Annotated[dict, Pin(description="A chat model that calls tools (a provider node's model)")],
    file: File,
    sheet: Annotated[str, Pin(description="Sheet name; empty: every sheet")] = "",
    user_hint: Annotated[str, Pin(description="What you know about the layout, passed to the model")] = "",
    config: AIExtractionConfig = None,
) -> ExtractedAI:
    """Finds the tables of messy sheets with a language model's help and cuts them out of the whole sheet."""
    import pyarrow as pa
    from flowlike_catalog.llm.structs import History, HistoryMessage, as_model
    from flowlike_catalog.llm.wire import complete

    handle = as_model(model)
    config = AIExtractionConfig.model_validate(config or {})
    book = load(ctx, file)
    worksheets = [sheet_of(book, sheet, file)] if sheet.strip() else list(book.worksheets)
    system = SYSTEM + (f"\n\nUser guidance: {user_hint.strip()}" if user_hint.strip() else "")
    tables, reasons = [], []
    for worksheet in worksheets:
        grid = [[text(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
        width = max((len(row) for row in grid), default=0)
        merged = [str(cells) for cells in worksheet.merged_cells.ranges]
        prompt = f"Sheet '{worksheet.title}':\n\n{sample(grid, merged, config)}"
        history = History(messages=[HistoryMessage(role="system", content=system),
                                    HistoryMessage(role="user", content=prompt)],
                          tools=[{"type": "function", "function": {
                              "name": TOOL, "description": "Submit where the sheet's tables are",
                              "parameters": STRATEGY_SCHEMA}}],
                          tool_choice="required")
        response = await complete(handle, history)
        call = next((c for c in response.tool_calls() if c.function.name == TOOL), None)
        if call is None:
            raise ValueError(f"Extract Tables AI: {handle.label} did not call {TOOL} for sheet "
                             f"'{worksheet.title}' (answer: {response.content()[:200]!r})")
        try:
            strategy = Strategy.model_validate(call.parsed_arguments())
        except ValueError as error:
            raise ValueError(f"Extract Tables AI: sheet '{worksheet.title}': the model's strategy is not valid: "
                             f"{error}") from None
        reasons.append(f"Sheet '{worksheet.title}': {strategy.reasoning}")
        for index, spec in enumerate(strategy.tables):
            headers, rows = cut(grid, spec, width)
            names = unique_columns(headers)
            table = pa.table({name: pa.array([row[i] if i < len(row) else "" for row in rows], pa.string())
                              for i, name in enumerate(names)})
            label = f"{worksheet.title}_{spec.table_name or index + 1}"
            tables.append(table.replace_schema_metadata({"name": label, "source": json.dumps(spec.model_dump())}))
    return ExtractedAI(tables, "\n\n".join(reasons))
