"""SQL sessions (Flow-Like's DataFusion nodes, `df_*`) on DuckDB: mount files, register tables, query.

A session is a DuckDB connection kept in the run's cache; its pin carries only its name. Mounted files
are views over DuckDB's readers, so every query sees the files as they are now; registered Arrow tables
are scanned in place, without a copy. Results come back as pyarrow Tables.
"""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.handles import (
    SESSION,
    FlowPath,
    SqlSession,
    arrow_result,
    as_arrow,
    connection,
    duckdb_connect,
    filesystem,
    literal,
    mount_filesystem,
    python_rows,
    quote,
    sql_confined,
)
from flowlike_catalog.data.local_db import TableRef, lance_table

from flowlike_core import Context, Pin, node

CATEGORY = "Data/DataFusion"
TOOLS = "Data/DataFusion/Tools"

Session = Annotated[SqlSession, Pin(description="The SQL session, from Create Session")]
TableName = Annotated[str, Pin(description="Name the table gets in the session's SQL")]
SourcePath = Annotated[FlowPath, Pin(description="A file, or a folder whose files (and subfolders') are read")]


def run_query(con: Any, query: str) -> Any:
    """The result of one SQL query as an Arrow table (an empty table for statements that return nothing)."""
    import pyarrow as pa

    if not isinstance(query, str) or not query.strip():
        raise ValueError("the SQL query is empty")
    with sql_confined():
        relation = con.sql(query)
        return pa.table({}) if relation is None else arrow_result(relation)


def open_session(ctx: Context, name: str, threads: int = 0) -> SqlSession:
    """A new DuckDB connection under `name` in this run (replacing one of that name)."""
    key = (SESSION, name)
    if key in ctx.cache:
        ctx.cache.pop(key).close()
    con = ctx.cache[key] = duckdb_connect(threads=threads)
    ctx.close_at_end(con.close)
    return SqlSession(name=name)


def source(ctx: Context, con: Any, path: Any, extension: str) -> str:
    """What DuckDB reads for a mount: the file itself, or every `*.extension` file under a folder (the mounts read
    a folder's files by column name, so a file that gained or lost a column joins the others)."""
    flow_path = FlowPath.of(path)
    fs, inner = filesystem(ctx, flow_path)
    if not fs.exists(inner):
        raise FileNotFoundError(f"nothing to mount at {flow_path.path}")
    location = mount_filesystem(ctx, con, flow_path)
    if fs.isdir(inner):
        suffix = extension.lstrip(".")
        if not fs.glob(f"{inner.rstrip('/')}/**/*.{suffix}"):  # (DuckDB's error shows the view's SQL, a caret under it)
            raise FileNotFoundError(f"no .{suffix} files in {flow_path.path} or its subfolders (File Extension is "
                                    f"{extension!r})")
        return f"{location.rstrip('/')}/**/*.{suffix}"
    return location


def create_view(con: Any, table_name: str, select: str) -> None:
    con.execute(f"CREATE OR REPLACE VIEW {quote(table_name)} AS {select}")


@node(friendly_name="Create DataFusion Session", exec_pins=True)
def df_create_session(
    ctx: Context,
    session_name: str = "default",
    target_partitions: Annotated[int, Pin(description="Threads DuckDB may use (0: all cores)")] = 0,
    batch_size: int = 8192,
    repartition_joins: bool = True,
    repartition_aggregations: bool = True,
    repartition_sorts: bool = True,
    coalesce_batches: bool = True,
    parquet_pruning: bool = True,
    collect_statistics: bool = True,
) -> Annotated[SqlSession, Pin(name="session")]:
    """Opens a SQL session (a DuckDB connection) for this run.

    Differs from Flow-Like: the engine is DuckDB, which plans batches, repartitioning, pruning and statistics
    itself; only Target Partitions (threads) applies, the other tuning pins are kept so that boards load."""
    return open_session(ctx, session_name, target_partitions)


@node(friendly_name="Mount CSV", exec_pins=True, capabilities=["files"])
def df_mount_csv(ctx: Context, session: Session, path: SourcePath, table_name: TableName, has_header: bool = True,
                 delimiter: str = ",", file_extension: str = "csv") -> None:
    """Makes CSV files a table of the session (a view: queries read the files as they are then)."""
    con = connection(ctx, session)
    location = source(ctx, con, path, file_extension)
    create_view(con, table_name, f"SELECT * FROM read_csv({literal(location)}, header = {bool(has_header)}, "
                                 f"delim = {literal(delimiter)}, union_by_name = true)")


@node(friendly_name="Mount JSON", exec_pins=True, capabilities=["files"])
def df_mount_json(ctx: Context, session: Session, path: SourcePath, table_name: TableName,
                  file_extension: str = "json") -> None:
    """Makes JSON files (one array or one object per line) a table of the session."""
    con = connection(ctx, session)
    create_view(con, table_name, f"SELECT * FROM read_json_auto({literal(source(ctx, con, path, file_extension))}, "
                                 f"union_by_name = true)")


@node(friendly_name="Mount Parquet", exec_pins=True, capabilities=["files"])
def df_mount_parquet(ctx: Context, session: Session, path: SourcePath, table_name: TableName,
                     file_extension: str = "parquet") -> None:
    """Makes Parquet files a table of the session."""
    con = connection(ctx, session)
    create_view(con, table_name, f"SELECT * FROM read_parquet({literal(source(ctx, con, path, file_extension))}, "
                                 f"union_by_name = true)")


@node(friendly_name="Register Table", exec_pins=True)
def df_register_csv_table(ctx: Context, session: Session, table: Annotated[Any, Pin(
        description="A pyarrow Table, pandas or polars DataFrame, or rows")], table_name: TableName = "data") -> None:
    """Registers an in-memory table with the session; DuckDB scans the Arrow data in place (no copy)."""
    connection(ctx, session).register(table_name, as_arrow(table))


@node(friendly_name="Register Lance Table", exec_pins=True, capabilities=["files"])
def df_register_lance(ctx: Context, session: Session, database: Annotated[TableRef, Pin(
        description="A local database table, from Open Database")], table_name: str = "") -> None:
    """Copies a local (LanceDB) database table into the session, as it is when the node runs.

    The SQL name is Table Name, else the database table's own name."""
    lance = lance_table(ctx, database)
    connection(ctx, session).register(table_name or lance.name, lance.to_arrow())


class QueryResult(NamedTuple):
    table: Annotated[Any, Pin(description="The result as a pyarrow Table")]
    rows: Annotated[Any, Pin(description="The result rows as dicts")]
    row_count: int


@node(friendly_name="SQL Query", exec_pins=True)
def df_sql_query(ctx: Context, session: Session, query: str = "SELECT * FROM data LIMIT 100") -> QueryResult:
    """Runs a SQL query in the session."""
    table = run_query(connection(ctx, session), query)
    return QueryResult(table, python_rows(table), table.num_rows)


class ExecuteResult(NamedTuple):
    result: Annotated[str, Pin(description="The result as a text table (first 100 rows)")]
    table: Annotated[Any, Pin(description="The result as a pyarrow Table")]
    row_count: int


@node(friendly_name="Execute SQL", category=TOOLS, exec_pins=True)
def df_execute_sql(ctx: Context, session: Session, query: str = "SELECT * FROM data LIMIT 10") -> ExecuteResult:
    """Runs any SQL statement in the session (DDL too) and gives its result as text and as a table."""
    table = run_query(connection(ctx, session), query)
    return ExecuteResult(text_table(table), table, table.num_rows)


def text_table(table: Any, limit: int = 100) -> str:
    """An aligned plain-text rendering of the first rows of a table."""
    head = table.slice(0, limit).to_pylist()
    header = [str(name) for name in table.column_names]
    cells = [["" if row[name] is None else str(row[name]) for name in table.column_names] for row in head]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    if table.num_rows > limit:
        lines.append(f"... {table.num_rows - limit} more rows")
    return "\n".join(lines)


class TableList(NamedTuple):
    tables: Annotated[Any, Pin(description="One dict per table: name, kind (table or view), columns")]
    table_names: Annotated[Any, Pin(description="The table names")]
    summary: str


@node(friendly_name="List Tables", category=TOOLS, exec_pins=True)
def df_list_tables(ctx: Context, session: Session) -> TableList:
    """The tables and views of the session, with their columns."""
    con = connection(ctx, session)
    rows = con.sql("SELECT t.table_name, t.table_type, list(c.column_name ORDER BY c.ordinal_position) "
                   "FROM information_schema.tables t JOIN information_schema.columns c "
                   "USING (table_catalog, table_schema, table_name) "
                   "WHERE t.table_catalog IN (current_database(), 'temp') AND t.table_schema = 'main' "
                   "GROUP BY ALL ORDER BY 1").fetchall()
    tables = [{"name": name, "kind": "view" if kind == "VIEW" else "table", "columns": list(columns)}
              for name, kind, columns in rows]
    summary = "\n".join(f"{t['name']} ({t['kind']}): {', '.join(t['columns'])}" for t in tables)
    return TableList(tables, [t["name"] for t in tables], summary or "no tables")


@node(friendly_name="Describe Table", category=TOOLS, exec_pins=True)
def df_describe_table(ctx: Context, session: Session, table_name: str = "data") -> Annotated[str, Pin(
        name="schema", description="One 'column: TYPE' line per column")]:
    """The columns of a session table and their SQL types."""
    con = connection(ctx, session)
    rows = con.sql(f"DESCRIBE {quote(table_name)}").fetchall()
    return "\n".join(f"{name}: {kind}" for name, kind, *_ in rows)
