"""DataFrame nodes: read and write tables, and the everyday operations on them, with Arrow tables on the pins.

Files are read with pyarrow (CSV, JSON Lines, Parquet) or openpyxl (Excel), from local paths or any fsspec
URL. Operations run in DuckDB over the Arrow data in place, so a SQL condition or aggregate is all one
writes; results are new Arrow tables (columns a node does not change are shared, not copied).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from flowlike_catalog.data.handles import (
    ENCODING_HINT,
    FlowPath,
    arrow_result,
    as_arrow,
    duckdb_connect,
    filesystem,
    holds_nul,
    not_csv_text,
    python_rows,
    quote,
    readable_file,
    sql_confined,
    transcoding,
    writable_file,
)

from flowlike_core import Context, Pin, node
from flowlike_core.policy import sql_roots

CATEGORY = "Data/Tables"

Table = Annotated[Any, Pin(description="A table: pyarrow Table, pandas or polars DataFrame, or rows")]
TableOut = Annotated[Any, Pin(name="table", description="A pyarrow Table")]
FilePath = Annotated[FlowPath, Pin(description="A file: local path or fsspec URL")]


DATABASES: dict[tuple[str, ...] | None, Any] = {}
"""One in-memory DuckDB database per set of allowed roots (a run's policy), kept for the process: opening one
costs 26 ms, a connection to it (`cursor()`) microseconds. The table nodes only register Arrow tables, which
stay in their own connection, so runs never see each other's."""
DATABASES_LOCK = threading.Lock()


def tables_connection(ctx: Context | None) -> Any:
    """This run's connection for the table nodes, to the database of the run's policy."""
    key = ("tables-duckdb",)
    cache = ctx.cache if ctx is not None else {}
    con = cache.get(key)
    if con is None:
        roots = sql_roots()
        policy = None if roots is None else tuple(roots)
        with DATABASES_LOCK:
            if policy not in DATABASES:
                DATABASES[policy] = duckdb_connect()
            con = cache[key] = DATABASES[policy].cursor()
        if ctx is not None:
            ctx.close_at_end(con.close)
    return con


def sql_over(ctx: Context | None, table: Any, query: str, **more: Any) -> Any:
    """Runs `query` with the table as `t` (and `more` tables by their names) in DuckDB, scanned in place, and
    gives the result as Arrow."""
    con = tables_connection(ctx)
    tables = {"t": table, **more}
    for name, value in tables.items():
        con.register(name, as_arrow(value))
    try:
        with sql_confined():
            return arrow_result(con.sql(query))
    finally:
        for name in tables:
            con.unregister(name)


def located(ctx: Context, path: Any) -> tuple[Any, str]:
    fs, inner = filesystem(ctx, FlowPath.of(path))
    return fs, inner


def opened(ctx: Context, path: Any, mode: str = "rb") -> Any:
    fs, inner = located(ctx, path)
    if "r" in mode:
        readable_file(fs, inner, FlowPath.of(path))
    if "w" in mode:
        writable_file(fs, inner, FlowPath.of(path))
    if "w" in mode and "file" in fs.protocol:
        fs.makedirs(fs._parent(inner), exist_ok=True)
    return fs.open(inner, mode)


@contextmanager
def reading(path: Any, kind: str) -> Iterator[None]:
    """pyarrow's parse errors (an empty file, a short row, broken JSON) name the file they are about."""
    import pyarrow as pa

    try:
        yield
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        text = isinstance(exc, UnicodeDecodeError) or "invalid UTF8" in str(exc)
        raise ValueError(f"cannot read {FlowPath.of(path).path} as {kind}: {exc}"
                         f"{ENCODING_HINT if text and kind == 'CSV' else ''}") from None


def json_text(column: Any) -> Any:
    """A column of lists or structs as their JSON text (for files whose cells hold text)."""
    import orjson
    import pyarrow as pa

    return pa.array([None if v is None else orjson.dumps(v, default=str).decode() for v in column.to_pylist()],
                    pa.string())


def flat_cells(arrow: Any, file_kind: str, wall_time: bool = False) -> Any:
    """The table with cells a CSV file or workbook can hold: lists and structs as JSON text, bytes as UTF-8 text
    (bytes that are not text fail naming their column, before any file is opened), and with `wall_time` zoned
    timestamps as the clock reads in their zone (a workbook has no time zones)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for index, field in enumerate(arrow.schema):
        kind, column = field.type, arrow.column(index)
        if pa.types.is_nested(kind):
            column = json_text(column)
        elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
            if wall_time:
                raise TypeError(f"column {field.name!r} is {kind}: a workbook cell cannot hold bytes "
                                f"(leave the column out, or make it text first)")
            try:
                column = column.cast(pa.string())
            except pa.ArrowInvalid:
                raise ValueError(f"column {field.name!r} holds bytes that are not UTF-8 text: a {file_kind} holds "
                                 f"text (leave the column out, or encode it, e.g. as base64)") from None
        elif wall_time and pa.types.is_timestamp(kind) and kind.tz:
            column = pc.local_timestamp(column)
        else:
            continue
        arrow = arrow.set_column(index, field.name, column)
    return arrow


def one_character(delimiter: str) -> None:
    """Arrow takes a single character and says only "cannot be converted to Py_UCS4" of anything else."""
    if len(delimiter) != 1:
        raise ValueError(f"delimiter must be one character, got {delimiter!r}")


@node(friendly_name="Read CSV", exec_pins=True, capabilities=["files"])
def table_read_csv(ctx: Context, path: FilePath, delimiter: str = ",", has_header: bool = True,
                   encoding: Annotated[str, Pin(description="The file's text encoding, e.g. cp1252 for a CSV "
                                                            "saved by Excel on Windows")] = "utf-8") -> TableOut:
    """Reads a CSV file into a table (types inferred, multi-threaded). An empty cell is null, a quoted empty
    one (`""`) an empty text, as DuckDB's Mount CSV reads them; a repeated column name gets _1, _2."""
    import pyarrow as pa
    from pyarrow import csv

    transcode = transcoding(encoding)
    one_character(delimiter)
    with opened(ctx, path) as handle, reading(path, "CSV"):
        if not transcode and holds_nul(handle):
            raise not_csv_text(FlowPath.of(path).path, encoding, "it holds NUL bytes, as UTF-16 text does")
        table = csv.read_csv(handle, parse_options=csv.ParseOptions(delimiter=delimiter),
                             read_options=csv.ReadOptions(autogenerate_column_names=not has_header, **transcode),
                             convert_options=csv.ConvertOptions(strings_can_be_null=True,
                                                                quoted_strings_can_be_null=False))
        names = distinct_names(table.column_names)  # a header that is not UTF-8 fails here
    undecoded = [name for name, field in zip(names, table.schema, strict=True) if pa.types.is_binary(field.type)]
    if undecoded:  # Arrow gives text it cannot decode as bytes
        raise ValueError(f"cannot read {FlowPath.of(path).path} as CSV: column {undecoded[0]!r} is not {encoding} "
                         f"text{ENCODING_HINT}")
    return table.rename_columns(names)


@node(friendly_name="Write CSV", exec_pins=True, capabilities=["files"])
def table_write_csv(ctx: Context, table: Table, path: FilePath, delimiter: str = ",") -> None:
    """Writes the table as a CSV file with a header row (lists and structs as JSON text)."""
    from pyarrow import csv

    arrow = flat_cells(as_arrow(table), "CSV file")
    one_character(delimiter)
    with opened(ctx, path, "wb") as handle:
        csv.write_csv(arrow, handle, csv.WriteOptions(delimiter=delimiter))


@node(friendly_name="Read JSON Lines", exec_pins=True, capabilities=["files"])
def table_read_json_lines(ctx: Context, path: FilePath) -> TableOut:
    """Reads a JSON Lines file (one object per line) into a table."""
    from pyarrow import json

    with opened(ctx, path) as handle, reading(path, "JSON Lines"):
        return json.read_json(handle)


@node(friendly_name="Write JSON Lines", exec_pins=True, capabilities=["files"])
def table_write_json_lines(ctx: Context, table: Table, path: FilePath) -> None:
    """Writes the table as JSON Lines, one object per row (dates and times as ISO text, with their zone's
    offset)."""
    from flowlike_catalog.data.json_lines import json_lines

    arrow = iso_text(as_arrow(table))
    con = tables_connection(ctx).cursor()  # its own: the lines stream from an open result while the file is written
    try:
        with opened(ctx, path, "wb") as handle:
            for chunk in json_lines(con, arrow):
                handle.write(chunk)
    finally:
        con.close()


def iso_text(arrow: Any) -> Any:
    """The table with its date, time and timestamp columns as ISO 8601 text, as Python's isoformat writes them but
    formatted by Arrow: a zoned timestamp made into a Python datetime costs a time-zone lookup per value (20 times
    the rest of a row). Arrow's cast to text is 40 times faster than its strftime, so the clock reading is cast and
    only the zone's offset goes through strftime."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for index, field in enumerate(arrow.schema):
        kind, column = field.type, arrow.column(index)
        if pa.types.is_timestamp(kind):
            clock = pc.local_timestamp(column) if kind.tz else column
            text = whole_seconds(pc.replace_substring(clock.cast(pa.string()), " ", "T", max_replacements=1), kind)
            if kind.tz:
                text = pc.binary_join_element_wise(text, pc.strftime(column, "%Ez"), "")
        elif pa.types.is_time(kind):
            text = whole_seconds(column.cast(pa.string()), kind)
        elif pa.types.is_date(kind):
            text = column.cast(pa.string())
        else:
            continue
        arrow = arrow.set_column(index, field.name, text)
    return arrow


def whole_seconds(text: Any, kind: Any) -> Any:
    """Arrow writes a fraction of a second in every value of a finer unit; isoformat leaves it out when zero."""
    import pyarrow.compute as pc

    digits = {"s": 0, "ms": 3, "us": 6, "ns": 9}[kind.unit]
    return pc.replace_substring(text, "." + "0" * digits, "") if digits else text


@node(friendly_name="Read Parquet", exec_pins=True, capabilities=["files"])
def table_read_parquet(ctx: Context, path: FilePath, columns: Annotated[list[str], Pin(
        description="Only these columns (all when empty)")] = None) -> TableOut:
    """Reads a Parquet file, or a folder of them (Hive partitions become columns)."""
    import pyarrow.parquet as pq

    fs, inner = located(ctx, path)
    if not fs.exists(inner):
        raise FileNotFoundError(f"no file at {FlowPath.of(path).path}")
    with reading(path, "Parquet"):
        dataset = pq.ParquetDataset(inner, filesystem=None if "file" in fs.protocol else fs)
    check_columns(dataset.schema, columns or [], FlowPath.of(path).path)
    return dataset.read(columns=columns or None)


@node(friendly_name="Write Parquet", exec_pins=True, capabilities=["files"])
def table_write_parquet(ctx: Context, table: Table, path: FilePath, compression: Annotated[str, Pin(
        valid_values=("zstd", "snappy", "gzip", "none"))] = "zstd") -> None:
    """Writes the table as a Parquet file."""
    import pyarrow.parquet as pq

    with opened(ctx, path, "wb") as handle:
        pq.write_table(as_arrow(table), handle, compression=compression)


@node(friendly_name="Read Excel", exec_pins=True, capabilities=["files"])
def table_read_excel(ctx: Context, path: FilePath, sheet: Annotated[str, Pin(
        description="Sheet name (the first sheet when empty)")] = "", has_header: bool = True) -> TableOut:
    """Reads a worksheet into a table: the first row names the columns (stored values; formulas are not
    recalculated). A repeated column name gets _1, _2 (as DuckDB reads a CSV); a column of numbers and texts
    (as sheets often are) is read as text; blank rows after the last value are left out (a sheet's formatting
    alone makes rows that a reader cannot tell from blank data)."""
    import io
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    where = FlowPath.of(path).path
    try:
        with opened(ctx, path) as handle:
            book = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException) as exc:
        raise ValueError(f"cannot read {where} as an Excel workbook (.xlsx): {exc}") from None
    if sheet and sheet not in book.sheetnames:
        raise KeyError(f"no sheet {sheet!r} in {where} (sheets: {', '.join(book.sheetnames)})")
    rows = [list(row) for row in (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)]
    while rows and all(value is None for value in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    header = [str(h) if h is not None else f"column_{i + 1}" for i, h in enumerate(rows[0])] if has_header and rows \
        else [f"column_{i + 1}" for i in range(width)]
    body = rows[1:] if has_header else rows
    return sheet_table(distinct_names(header), body)


def distinct_names(names: list[str]) -> list[str]:
    """Column names made unique as DuckDB does (the second `name` becomes `name_1`, the third `name_2`), skipping
    the names the header has already."""
    taken = set(names)
    seen: set[str] = set()
    unique = []
    for name in names:
        candidate, number = name, 0
        while candidate in seen or (number and candidate in taken):
            number += 1
            candidate = f"{name}_{number}"
        seen.add(candidate)
        unique.append(candidate)
    return unique


def sheet_table(header: list[str], body: list[list[Any]]) -> Any:
    """A table from a sheet's rows; a column whose cells Arrow cannot hold in one type is read as text."""
    import pyarrow as pa

    columns = {}
    for index, name in enumerate(header):
        values = [row[index] if index < len(row) else None for row in body]
        try:
            columns[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[name] = pa.array([None if v is None else str(v) for v in values], pa.string())
    return pa.table(columns)


@node(friendly_name="Write Excel", exec_pins=True, capabilities=["files"])
def table_write_excel(ctx: Context, table: Table, path: FilePath, sheet: str = "Sheet1") -> None:
    """Writes the table to a new workbook with one sheet: a header row, then one row per table row. Zoned
    timestamps are written as the clock reads in their zone (cells have no time zone), lists and structs as JSON
    text."""
    import openpyxl

    arrow = flat_cells(as_arrow(table), "workbook", wall_time=True)
    book = openpyxl.Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    worksheet.append(arrow.column_names)
    for batch in arrow.to_batches(65536):
        for row in python_rows(batch):
            worksheet.append(list(row.values()))
    with opened(ctx, path, "wb") as handle:
        book.save(handle)


def check_columns(arrow: Any, columns: list[str], what: str = "the table") -> None:
    """A KeyError naming the columns a table (or schema) lacks, and those it has (pyarrow's own says neither
    plainly)."""
    names = getattr(arrow, "schema", arrow).names
    missing = [c for c in columns if c not in names]
    if missing:
        raise KeyError(f"no column {', '.join(map(repr, missing))} in {what} (columns: {', '.join(names) or 'none'})")


@node(friendly_name="Select Columns")
def table_select(table: Table, columns: list[str]) -> TableOut:
    """The table with only these columns, in this order."""
    arrow = as_arrow(table)
    check_columns(arrow, columns)
    return arrow.select(columns)


@node(friendly_name="Filter Rows")
def table_filter(ctx: Context, table: Table, condition: Annotated[str, Pin(
        description="SQL condition on the columns, e.g. \"price > 10 AND city = 'Oslo'\"")]) -> TableOut:
    """The rows for which the SQL condition holds."""
    if not condition.strip():
        raise ValueError("the condition is empty: give a SQL condition such as \"amount > 10\" (true keeps every row)")
    return sql_over(ctx, table, f"SELECT * FROM t WHERE {condition}")


@node(friendly_name="Sort")
def table_sort(table: Table, by: list[str], descending: bool = False) -> TableOut:
    """The rows sorted by these columns (nulls last)."""
    order = "descending" if descending else "ascending"
    arrow = as_arrow(table)
    check_columns(arrow, by)
    return arrow.sort_by([(column, order) for column in by])


@node(friendly_name="Group and Aggregate")
def table_group_by(ctx: Context, table: Table, by: list[str], aggregations: Annotated[str, Pin(
        description="SQL aggregates, e.g. 'sum(amount) AS total, count(*) AS n'")] = "count(*) AS count"
                   ) -> TableOut:
    """One row per group of the By columns with the aggregates, sorted by the groups."""
    keys = ", ".join(map(quote, by))
    select = f"{keys}, {aggregations}" if by else aggregations
    grouping = f" GROUP BY {keys} ORDER BY {keys}" if by else ""
    return sql_over(ctx, table, f"SELECT {select} FROM t{grouping}")


PIVOT_AGGREGATES = ("sum", "count", "avg", "min", "max", "first", "last", "median")


@node(friendly_name="Pivot")
def table_pivot(ctx: Context, table: Table, index: Annotated[list[str], Pin(
        description="Columns whose values make the rows (empty: every column but Columns and Values)")],
                columns: Annotated[str, Pin(description="The column whose distinct values become columns")],
                values: Annotated[str, Pin(description="The column aggregated into the cells")],
                aggregate: Annotated[str, Pin(valid_values=PIVOT_AGGREGATES)] = "sum") -> TableOut:
    """A wide table: one row per group of the Index columns, one column per distinct value of Columns (sorted),
    each cell the aggregate of Values over the rows of that group and value (null where none; a null in Columns
    makes no column)."""
    if aggregate not in PIVOT_AGGREGATES:
        raise ValueError(f"aggregate {aggregate!r}: use one of {', '.join(PIVOT_AGGREGATES)}")
    arrow = as_arrow(table)
    check_columns(arrow, [*index, columns, values])
    keys = ", ".join(map(quote, index))
    grouping = f" GROUP BY {keys} ORDER BY {keys}" if index else ""
    return sql_over(ctx, arrow, f"PIVOT t ON {quote(columns)} USING {aggregate}({quote(values)}){grouping}")


@node(friendly_name="Join")
def table_join(ctx: Context, left: Table, right: Table, on: list[str], how: Annotated[str, Pin(
        valid_values=("inner", "left", "right", "full", "semi", "anti"))] = "inner") -> TableOut:
    """Joins two tables on equal key columns (null keys match nothing), in DuckDB. A column both tables have
    besides the keys keeps its name from the left table and gets `_right` from the right one. Rows keep their
    tables' order: left rows in order, each with its matches in the right table's order (a right join follows
    the right table; a full join puts right rows without a match last)."""
    kinds = {"inner": "JOIN", "left": "LEFT JOIN", "right": "RIGHT JOIN", "full": "FULL JOIN", "semi": "SEMI JOIN",
             "anti": "ANTI JOIN"}
    if how not in kinds:
        raise ValueError(f"join kind {how!r}: use {', '.join(kinds)}")
    if not on:
        raise ValueError("a join needs at least one key column in On")
    on = list(dict.fromkeys(on))
    left_table, right_table = as_arrow(left, "left"), as_arrow(right, "right")
    check_columns(left_table, on, "the left table")
    check_columns(right_table, on, "the right table")
    left_table, right_table = same_key_types(left_table, right_table, on)
    order = ["l.__left_row", "r.__right_row"] if how != "right" else ["r.__right_row", "l.__left_row"]
    keys = [quote(key) for key in on]  # USING gives each key once (a full join's from either side)
    if how in ("semi", "anti"):
        columns, order = [f"l.{quote(name)}" for name in left_table.column_names], order[:1]
    else:
        columns = keys + [f"l.{quote(name)}" for name in left_table.column_names if name not in on] + [
            f"r.{quote(name)}" + (f" AS {quote(name + '_right')}" if name in left_table.column_names else "")
            for name in right_table.column_names if name not in on]
    return sql_over(ctx, numbered(left_table, "__left_row"),
                    f"SELECT {', '.join(columns)} FROM t AS l {kinds[how]} joined AS r USING ({', '.join(keys)}) "
                    f"ORDER BY {' NULLS LAST, '.join(order)} NULLS LAST",
                    joined=numbered(right_table, "__right_row"))


def numbered(table: Any, name: str) -> Any:
    """The table with a column of its row numbers (the other columns shared, not copied)."""
    import numpy as np
    import pyarrow as pa

    return table.append_column(name, pa.array(np.arange(table.num_rows, dtype=np.int64)))


def same_key_types(left: Any, right: Any, keys: list[str]) -> tuple[Any, Any]:
    """Both tables with each key column in one type where the two types widen to one (int32 and int64, the
    string that pyarrow's CSV reader gives and the large_string of a Parquet file pandas wrote); keys of types
    that do not (a number and a text) fail naming both."""
    import pyarrow as pa

    for key in keys:
        left_type, right_type = left.schema.field(key).type, right.schema.field(key).type
        if left_type == right_type:
            continue
        try:
            common = pa.unify_schemas([pa.schema([(key, left_type)]), pa.schema([(key, right_type)])],
                                      promote_options="permissive").field(key).type
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            raise TypeError(f"key column {key!r} is {left_type} in the left table and {right_type} in the right: "
                            f"make them one type first (CAST one in SQL)") from None
        left = left.set_column(left.schema.get_field_index(key), key, left.column(key).cast(common))
        right = right.set_column(right.schema.get_field_index(key), key, right.column(key).cast(common))
    return left, right


@node(friendly_name="Head")
def table_head(table: Table, n: int = 5) -> TableOut:
    """The first N rows (a view on the same data, no copy)."""
    return as_arrow(table).slice(0, max(0, n))


@node(friendly_name="Sample")
def table_sample(table: Table, n: int = 10, seed: Annotated[int, Pin(
        description="The same seed gives the same rows")] = 0) -> TableOut:
    """N rows drawn at random without replacement, in table order."""
    import numpy as np

    arrow = as_arrow(table)
    picks = np.random.default_rng(seed).choice(arrow.num_rows, size=min(max(0, n), arrow.num_rows), replace=False)
    return arrow.take(np.sort(picks))


@node(friendly_name="Describe")
def table_describe(ctx: Context, table: Table) -> TableOut:
    """Per column: type, count of non-null values, nulls, distinct values (approximate), min, max, mean, std."""
    return sql_over(ctx, table, "SELECT column_name, column_type, count, null_percentage, approx_unique, min, max, "
                                "avg, std FROM (SUMMARIZE t)")


@node(friendly_name="To Records")
def table_to_records(table: Table) -> Annotated[list[dict], Pin(name="records")]:
    """The rows as a list of dicts."""
    return python_rows(as_arrow(table))


@node(friendly_name="From Records")
def table_from_records(records: list[dict]) -> TableOut:
    """A table from a list of dicts (columns from the keys, types inferred)."""
    return as_arrow(records, "records")


@node(friendly_name="Row Count")
def table_row_count(table: Table) -> Annotated[int, Pin(name="rows")]:
    """How many rows the table has."""
    return as_arrow(table).num_rows
