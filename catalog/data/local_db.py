"""The local database (Flow-Like's `Data/Database` nodes): LanceDB tables in each app's vector database.

A table travels between nodes as a small `TableRef` struct (database URI and table name, no credentials);
the live connection and table objects sit in the run's cache. Tables are made by their first insert.
LanceDB calls block, so they run in a worker thread and parallel branches keep going. The vectors pack's
older keys (`vectors_*`) are the same nodes under their first names, kept so that old boards load.
"""

from __future__ import annotations

import asyncio
import getpass
import math
from collections.abc import Callable
from typing import Annotated, Any

from flowlike_catalog.data.handles import FlowPath, csv_batches
from pydantic import BaseModel, ConfigDict

from flowlike_core import Context, Pin, node
from flowlike_core.policy import allowed_path

CATEGORY = "Data/Database"
CAPABILITIES = ("files",)  # what its nodes reach (flowlike_core.policy)
INSERT, SEARCH, META, DELETE, OPTIMIZE = (f"{CATEGORY}/{part}" for part in
                                          ("Insert", "Search", "Meta", "Delete", "Optimization"))
INDEX_TYPES = ("AUTO", "BTREE", "BITMAP", "LABEL_LIST", "FTS", "IVF_FLAT", "IVF_PQ", "HNSW")


class TableRef(BaseModel):
    """Names a LanceDB table: what a Table pin carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    database: str
    table: str


Database = Annotated[TableRef, Pin(description="The table, from Open Database")]
Values = Annotated[list[dict], Pin(name="values", description="Rows as dicts; searches add _distance, _score or "
                                                            "_relevance_score")]
Filter = Annotated[str, Pin(description="SQL condition on the columns, e.g. \"category = 'news' AND year > 2020\"")]


def lance_database(ctx: Context, uri: str) -> Any:
    """The run's connection to a LanceDB database, opened once per run."""
    from flowlike_core.storage import current
    from flowlike_core.storage.lance import connect

    key = ("lancedb", uri)
    if key not in ctx.cache:
        ctx.cache[key] = connect(allowed_path(uri, "LanceDB database"), current().config.options)
    return ctx.cache[key]


def lance_table(ctx: Context, ref: Any) -> Any:
    """The run's open table for a TableRef; a clear error if it was never created."""
    ref = TableRef.model_validate(ref)
    key = ("lancedb-table", ref.database, ref.table)
    if key not in ctx.cache:
        db = lance_database(ctx, ref.database)
        if ref.table not in db.list_tables().tables:
            raise LookupError(f"table {ref.table!r} does not exist yet in {ref.database}: insert rows first")
        ctx.cache[key] = db.open_table(ref.table)
    return ctx.cache[key]


def check_vector(table: Any, vector: Any, column: str = "") -> None:
    """A query vector that cannot search the table fails saying why: LanceDB answers a vector of the wrong length
    with "there is no vector column in the data"."""
    import pyarrow as pa

    if not vector:
        raise ValueError("the query vector is empty")
    columns = {f.name: f.type.list_size for f in table.schema if pa.types.is_fixed_size_list(f.type)}
    if column and column not in columns:
        raise ValueError(f"column {column!r} of table {table.name!r} holds no vectors "
                         f"(vector columns: {', '.join(columns) or 'none'})")
    sizes = {column: columns[column]} if column else columns
    if not sizes:
        raise ValueError(f"table {table.name!r} has no vector column (a column of fixed-length lists of floats)")
    if len(vector) not in sizes.values():
        held = " or ".join(f"{size} values in {name!r}" for name, size in sizes.items())
        raise ValueError(f"the query vector has {len(vector)} values, but table {table.name!r} holds vectors of "
                         f"{held}: embed the query with the model that made the table's vectors")


async def off_loop(work: Callable[[], Any]) -> Any:
    return await asyncio.to_thread(work)


def database_uri(app: str, user_scoped: bool) -> str:
    from flowlike_core.storage import current

    uri = current().app(app).vectors_uri
    return f"{uri}/users/{getpass.getuser()}" if user_scoped else uri


def rows_of(value: Any) -> Any:
    """Rows as LanceDB takes them: a list of dicts as it is, a table (pyarrow, pandas, polars) as an Arrow table,
    never turned into Python rows (its column types stay; a million rows stay columns)."""
    if isinstance(value, list) and all(isinstance(row, dict) for row in value):
        return value
    from flowlike_catalog.data.handles import as_arrow

    return as_arrow(value, "value")


async def add_rows(ctx: Context, database: Any, rows: Any) -> int:
    """Append rows (a list of dicts or an Arrow table), creating the table with the first ones."""
    ref = TableRef.model_validate(database)
    if len(rows) == 0:  # nothing to add (a filter upstream kept no row): no table is made from no rows
        return 0
    db = lance_database(ctx, ref.database)
    key = ("lancedb-table", ref.database, ref.table)

    def insert() -> None:
        if key in ctx.cache or ref.table in db.list_tables().tables:
            lance_table(ctx, ref).add(rows)
        else:
            ctx.cache[key] = db.create_table(ref.table, data=rows)

    await off_loop(insert)
    return len(rows)


async def merge_rows(ctx: Context, database: Any, id_row: str, rows: Any) -> Any:
    if not id_row:
        raise ValueError("upsert needs the id column (id_row) that identifies a row")
    table = lance_table(ctx, database)
    return await off_loop(lambda: table.merge_insert(id_row).when_matched_update_all()
                          .when_not_matched_insert_all().execute(rows))


@node(friendly_name="Open Database", exec_pins=True)
async def open_local_db(ctx: Context, name: Annotated[str, Pin(description="Table name")],
                        user_scoped: Annotated[bool, Pin(description="The current user's own table")] = False,
                        app: Annotated[str, Pin(description="App whose database to use")] = "default"
                        ) -> Annotated[TableRef, Pin(name="database")]:
    """A table of the app's local (LanceDB) database; its first insert creates it."""
    from flowlike_core.storage import check_name

    return TableRef(database=database_uri(app, user_scoped), table=check_name(name, "table name"))


@node(friendly_name="Insert", category=INSERT, exec_pins=True)
async def insert_local_db(ctx: Context, database: Database, value: Annotated[dict, Pin(
        description="One row: a dict of columns, e.g. with a 'vector' list of floats")]) -> None:
    """Adds one row (creates the table with it when it is the first)."""
    if not isinstance(value, dict):
        raise TypeError(f"value must be one row (a dict), got {type(value).__name__}")
    await add_rows(ctx, database, [value])


@node(friendly_name="Batch Insert", category=INSERT, exec_pins=True)
async def batch_insert_local_db(ctx: Context, database: Database, value: Annotated[list[dict], Pin(
        description="Rows (dicts), or a table")]) -> Annotated[int, Pin(name="inserted")]:
    """Adds many rows at once."""
    return await add_rows(ctx, database, rows_of(value))


@node(friendly_name="Upsert", category=INSERT, exec_pins=True)
async def upsert_local_db(ctx: Context, database: Database, id_row: Annotated[str, Pin(
        description="The column that identifies a row")], value: dict) -> None:
    """Replaces the row with the same id, or adds it."""
    await merge_rows(ctx, database, id_row, [value])


@node(friendly_name="Batch Upsert", category=INSERT, exec_pins=True)
async def batch_upsert_local_db(ctx: Context, database: Database, id_row: str, value: list[dict]
                                ) -> Annotated[int, Pin(name="updated")]:
    """Replaces the rows whose id matches and adds the others; gives how many were replaced."""
    result = await merge_rows(ctx, database, id_row, rows_of(value))
    return int(result.num_updated_rows)


@node(friendly_name="Batch Insert (CSV)", category=INSERT, exec_pins=True)
async def csv_insert_local_db(ctx: Context, database: Database, csv: Annotated[FlowPath, Pin(
        description="The CSV file (header row first)")], chunk_size: int = 10_000, delimiter: str = ",",
                              encoding: Annotated[str, Pin(description="The file's text encoding, e.g. cp1252 for a "
                                                                       "CSV saved by Excel on Windows")] = "utf-8"
                              ) -> Annotated[int, Pin(name="inserted")]:
    """Streams a CSV file into the table in chunks of rows (the file never sits whole in memory)."""
    import pyarrow as pa

    total = 0
    with csv_batches(ctx, csv, chunk_size, delimiter, encoding=encoding) as reader:
        pending: list[Any] = []
        for batch in reader:
            pending.append(batch)
            if sum(b.num_rows for b in pending) >= chunk_size:
                chunk = pa.Table.from_batches(pending)
                total += await add_rows(ctx, database, chunk)
                pending = []
                ctx.check_cancelled()
        if pending:
            total += await add_rows(ctx, database, pa.Table.from_batches(pending))
    return total


def query(table: Any, build: Callable[[Any], Any], filter: str, limit: int, offset: int) -> list[dict]:  # noqa: A002
    """Run a LanceDB query with the common filter, limit and offset."""
    request = build(table).limit(limit)
    if offset:
        request = request.offset(offset)
    if filter:
        request = request.where(filter, prefilter=True)
    return request.to_list()


@node(friendly_name="Vector Search", category=SEARCH, exec_pins=True)
async def vector_search_local_db(ctx: Context, database: Database, vector: list[float], filter: Filter = "",  # noqa: A002
                                 limit: int = 10, offset: int = 0) -> Values:
    """The rows nearest to a vector (smallest _distance first)."""
    table = lance_table(ctx, database)
    check_vector(table, vector)
    return await off_loop(lambda: query(table, lambda t: t.search(vector), filter, limit, offset))


@node(friendly_name="Full-Text Search", category=SEARCH, exec_pins=True)
async def fts_search_local_db(ctx: Context, database: Database, search: str = "", fields: Annotated[list[str], Pin(
        description="Columns whose text to search (all indexed ones when empty)")] = None,
                              filter: Filter = "", limit: int = 10, offset: int = 0) -> Values:  # noqa: A002
    """Rows whose indexed text matches the search, best _score first (needs an FTS index: Build Index)."""
    table = lance_table(ctx, database)
    return await off_loop(lambda: query(
        table, lambda t: t.search(search, query_type="fts", fts_columns=fields or None), filter, limit, offset))


@node(friendly_name="Hybrid Search", category=SEARCH, exec_pins=True)
async def hybrid_search_local_db(ctx: Context, database: Database, search: str = "", vector: list[float] = None,
                                 fields: list[str] = None, filter: Filter = "", rerank: Annotated[bool, Pin(  # noqa: A002
                                     description="Fuse both rankings by reciprocal rank (1/(60 + rank)); off: "
                                                 "vector hits first, then text hits")] = True,
                                 limit: int = 10, offset: int = 0) -> Values:
    """Vector and full-text search together."""
    from lancedb.rerankers import RRFReranker

    if not vector:
        raise ValueError("hybrid search needs a vector")
    table = lance_table(ctx, database)
    check_vector(table, vector)
    if rerank:
        return await off_loop(lambda: query(
            table, lambda t: t.search(query_type="hybrid", fts_columns=fields or None).vector(vector).text(search)
            .rerank(RRFReranker(K=60)), filter, limit, offset))
    near = await off_loop(lambda: query(table, lambda t: t.search(vector), filter, limit + offset, 0))
    text = await off_loop(lambda: query(table, lambda t: t.search(search, query_type="fts",
                                                                    fts_columns=fields or None),
                                        filter, limit + offset, 0))
    seen, merged = set(), []
    for row in near + text:
        key = tuple(sorted((k, repr(v)) for k, v in row.items() if not k.startswith("_")))
        if key not in seen:
            seen.add(key)
            merged.append(row)
    return merged[offset:offset + limit]


@node(friendly_name="(SQL) Filter Database", category=SEARCH, exec_pins=True)
async def filter_local_db(ctx: Context, database: Database, filter: Filter = "", limit: int = 10,  # noqa: A002
                          offset: int = 0) -> Values:
    """Rows matching a SQL condition (all rows when empty), in table order."""
    table = lance_table(ctx, database)
    return await off_loop(lambda: query(table, lambda t: t.search(), filter, limit, offset))


@node(friendly_name="List", category=META, exec_pins=True)
async def list_local_db(ctx: Context, database: Database, limit: int = 10, offset: int = 0) -> Values:
    """A page of rows, in table order."""
    table = lance_table(ctx, database)
    return await off_loop(lambda: query(table, lambda t: t.search(), "", limit, offset))


@node(friendly_name="Count", category=META, exec_pins=True)
async def count_local_db(ctx: Context, database: Database, filter: Filter = "") -> Annotated[int, Pin(  # noqa: A002
        name="count")]:
    """How many rows match a SQL condition (all rows when empty)."""
    table = lance_table(ctx, database)
    return await off_loop(lambda: table.count_rows(filter or None))


@node(friendly_name="Get Schema", category=META, exec_pins=True)
async def schema_local_db(ctx: Context, database: Database) -> Annotated[dict, Pin(
        name="schema", description="Column name -> Arrow type")]:
    """The table's columns and their types."""
    table = lance_table(ctx, database)
    schema = await off_loop(lambda: table.schema)
    return {field.name: str(field.type) for field in schema}


@node(friendly_name="List Tables", category=META, exec_pins=True)
async def list_tables_db(ctx: Context, user_scoped: bool = False, app: str = "default") -> Annotated[
        list[str], Pin(name="tables")]:
    """The tables of the app's local database (the user's own when user scoped)."""
    db = lance_database(ctx, database_uri(app, user_scoped))
    return sorted(await off_loop(lambda: db.list_tables().tables))


def index_config(kind: str, rows: int) -> Any:
    """The LanceDB index for a kind; vector indexes get about sqrt(rows) partitions."""
    from lancedb.index import FTS, Bitmap, BTree, HnswSq, IvfFlat, IvfPq, LabelList

    partitions = max(1, min(256, int(math.sqrt(rows))))
    vector_indexes = {"IVF_FLAT": IvfFlat, "IVF_PQ": IvfPq, "HNSW": HnswSq}
    if kind in vector_indexes:
        return vector_indexes[kind](num_partitions=partitions)
    return {"BTREE": BTree, "BITMAP": Bitmap, "LABEL_LIST": LabelList, "FTS": FTS}[kind]()


@node(friendly_name="Build Index", category=OPTIMIZE, exec_pins=True)
async def index_local_db(ctx: Context, database: Database, column: Annotated[str, Pin(
        description="Empty: every vector column")] = "", type: Annotated[str, Pin(  # noqa: A002
        valid_values=INDEX_TYPES, description="AUTO: vector index for vectors, FTS for text, BTREE otherwise")
        ] = "AUTO") -> None:
    """Indexes a column for faster searches and filters."""
    import pyarrow as pa

    table = lance_table(ctx, database)
    if type not in INDEX_TYPES:
        raise ValueError(f"index type {type!r}: use {', '.join(INDEX_TYPES)}")

    def build() -> None:
        schema = table.schema
        columns = [column] if column else [f.name for f in schema if pa.types.is_fixed_size_list(f.type)]
        if not columns:
            raise ValueError("the table has no vector column: name the column to index")
        rows = table.count_rows()
        for name in columns:
            if name not in schema.names:
                raise KeyError(f"no column {name!r} in table (columns: {', '.join(schema.names)})")
            kind = type
            if kind == "AUTO":
                field = schema.field(name).type
                kind = "IVF_FLAT" if pa.types.is_fixed_size_list(field) else \
                    "FTS" if pa.types.is_string(field) or pa.types.is_large_string(field) else "BTREE"
            table.create_index(name, config=index_config(kind, rows), replace=True)

    await off_loop(build)


@node(friendly_name="Optimize and Update", category=OPTIMIZE, exec_pins=True)
async def optimize_local_db(ctx: Context, database: Database, keep_versions: Annotated[bool, Pin(
        description="Keep old versions (else they are removed)")] = False) -> None:
    """Compacts the table's files, brings indexes up to date and removes old versions."""
    import datetime as dt

    table = lance_table(ctx, database)
    await off_loop(lambda: table.optimize(cleanup_older_than=None if keep_versions else dt.timedelta(0),
                                          delete_unverified=not keep_versions))


@node(friendly_name="Delete", category=DELETE, exec_pins=True)
async def filter_delete_local_db(ctx: Context, database: Database, filter: Filter = "") -> Annotated[  # noqa: A002
        int, Pin(name="deleted")]:
    """Deletes the rows matching a SQL condition (use 'true' to delete every row)."""
    if not filter:
        raise ValueError("Delete needs a filter; use 'true' to delete every row")
    table = lance_table(ctx, database)
    result = await off_loop(lambda: table.delete(filter))
    return int(result.num_deleted_rows)


@node(friendly_name="Purge", category=DELETE, exec_pins=True)
async def purge_local_db(ctx: Context, database: Database) -> None:
    """Drops the table with all its rows, indexes and versions (the next insert starts a new one)."""
    ref = TableRef.model_validate(database)
    db = lance_database(ctx, ref.database)
    ctx.cache.pop(("lancedb-table", ref.database, ref.table), None)
    if ref.table in await off_loop(lambda: db.list_tables().tables):
        await off_loop(lambda: db.drop_table(ref.table))
