"""The vectors nodes: LanceDB tables in each app's vector database (content bucket), fully offline.

These are the first keys of the local-database nodes (`vectors_*`), kept so that boards saved with them
load and run; new boards use the data pack's Flow-Like keys (`insert_local_db`, ...; see
`flowlike_catalog.data.local_db`), which share the handles and helpers below.

Tables travel between nodes as a small `TableRef` struct (database URI and table name, no credentials);
the live connection and table objects sit in the run's cache (`ctx.cache`). LanceDB is imported on first
use, so boards without vector nodes never need it (`pip install 'flowlike-nb[vectors]'`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.local_db import TableRef, check_vector
from flowlike_catalog.data.local_db import lance_database as _database
from flowlike_catalog.data.local_db import lance_table as _table
from flowlike_catalog.data.local_db import off_loop as _off_loop

from flowlike_core import Context, Pin, node

TABLE_SCHEMA = TableRef.model_json_schema()
CATEGORY = "Vectors"
CAPABILITIES = ("files",)  # what its nodes reach (flowlike_core.policy)

TableIn = Annotated[dict, Pin(description="The table, from Open Table", schema=TABLE_SCHEMA)]
TableOut = Annotated[dict, Pin("Table", name="table_out", schema=TABLE_SCHEMA)]
Records = list[dict]
FILTER = "SQL predicate on the table's columns, e.g. \"category = 'news' AND year > 2020\""
Filter = Annotated[str, Pin(name="filter", description=FILTER)]
RequiredFilter = Annotated[str, Pin(name="filter", description=FILTER, required=True)]
Results = Annotated[list[dict], Pin(name="results", description="Matching rows as dicts; searches add _distance, "
                                                                  "_score or _relevance_score")]
Metric = Annotated[str, Pin(valid_values=["l2", "cosine", "dot"])]
Columns = Annotated[list[str], Pin(description="Columns to return (all)")]


def _rows(records: Any) -> list[dict[str, Any]]:
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise TypeError(f"records must be a list of dicts, got {type(records).__name__}")
    return records


class OpenedTable(NamedTuple):
    table: Annotated[dict, Pin(schema=TABLE_SCHEMA)]
    exists: bool


@node(friendly_name="Open Table", exec_pins=True)
async def vectors_open_table(ctx: Context, app: Annotated[str, Pin(description="App whose vector database to use")]
                             = "default", *, name: Annotated[str, Pin(description="Table name")]) -> OpenedTable:
    """A table of the app's vector database (created by its first insert)."""
    from flowlike_core.storage import check_name, current

    name = check_name(name, "table name")
    ref = TableRef(database=current().app(app).vectors_uri, table=name)
    db = _database(ctx, ref.database)
    exists = await _off_loop(lambda: name in db.list_tables().tables)
    return OpenedTable(ref.model_dump(), exists)


class Inserted(NamedTuple):
    table_out: TableOut
    inserted: int


@node(friendly_name="Insert Rows", exec_pins=True)
async def vectors_insert(ctx: Context, table: TableIn, records: Records) -> Inserted:
    """Append rows (dicts with a 'vector' list of floats and any other columns); creates the table."""
    ref = TableRef.model_validate(table)
    rows = _rows(records)
    db = _database(ctx, ref.database)
    key = ("lancedb-table", ref.database, ref.table)

    def insert() -> None:
        if key in ctx.cache or ref.table in db.list_tables().tables:
            _table(ctx, ref).add(rows)
        else:
            ctx.cache[key] = db.create_table(ref.table, data=rows)

    await _off_loop(insert)
    return Inserted(ref.model_dump(), len(rows))


class Upserted(NamedTuple):
    table_out: TableOut
    updated: int
    inserted: int


@node(friendly_name="Upsert Rows", exec_pins=True)
async def vectors_upsert(ctx: Context, table: TableIn, records: Records,
                         key: Annotated[str, Pin(description="Column that identifies a row")] = "id") -> Upserted:
    """Update rows whose key column matches, insert the others."""
    opened, rows = _table(ctx, table), _rows(records)
    result = await _off_loop(lambda: opened.merge_insert(key).when_matched_update_all()
                             .when_not_matched_insert_all().execute(rows))
    return Upserted(table, int(result.num_updated_rows), int(result.num_inserted_rows))


class Deleted(NamedTuple):
    table_out: TableOut
    deleted: int


@node(friendly_name="Delete Rows", exec_pins=True)
async def vectors_delete(ctx: Context, table: TableIn, predicate: RequiredFilter = "") -> Deleted:
    """Delete the rows matching a SQL predicate."""
    opened = _table(ctx, table)
    if not predicate:
        raise ValueError("Delete Rows needs a filter; use 'true' to delete every row")
    result = await _off_loop(lambda: opened.delete(predicate))
    return Deleted(table, int(result.num_deleted_rows))


async def _search(ctx: Context, table: Any, limit: int, predicate: str, build: Callable[[Any], Any]) -> list[dict]:
    """The rows of a LanceDB query on the table (`build` makes it), up to `limit`, prefiltered by the predicate."""
    opened = _table(ctx, table)

    def search() -> list[dict[str, Any]]:
        query = build(opened).limit(limit)
        if predicate:
            query = query.where(predicate, prefilter=True)
        return query.to_list()

    return await _off_loop(search)


@node(friendly_name="Vector Search", exec_pins=True)
async def vectors_search(ctx: Context, table: TableIn, vector: list[float], column: str = "vector",
                         metric: Metric = "l2", limit: int = 10, predicate: Filter = "") -> Results:
    """Nearest rows to a query vector (smallest _distance first)."""
    check_vector(_table(ctx, table), vector, column)
    return await _search(ctx, table, limit, predicate,
                         lambda t: t.search(vector, vector_column_name=column).distance_type(metric))


@node(friendly_name="Full-Text Search", exec_pins=True)
async def vectors_fts_search(ctx: Context, table: TableIn, query: str, limit: int = 10, predicate: Filter = "") -> \
        Results:
    """Rows whose indexed text matches a query, best _score first (needs an fts index)."""
    return await _search(ctx, table, limit, predicate, lambda t: t.search(query, query_type="fts"))


@node(friendly_name="Hybrid Search", exec_pins=True)
async def vectors_hybrid_search(ctx: Context, table: TableIn, vector: list[float], query: str,
                                k: Annotated[int, Pin(description="RRF constant: larger flattens rank differences")]
                                = 60, limit: int = 10, predicate: Filter = "") -> Results:
    """Vector and full-text search fused by reciprocal rank fusion (score = sum of 1/(k + rank))."""
    from lancedb.rerankers import RRFReranker

    check_vector(_table(ctx, table), vector)
    return await _search(ctx, table, limit, predicate, lambda t: t.search(query_type="hybrid").vector(vector)
                         .text(query).rerank(RRFReranker(K=k)))


@node(friendly_name="Filter Rows", exec_pins=True)
async def vectors_filter(ctx: Context, table: TableIn, predicate: Filter = "", limit: int = 100,
                         columns: Columns = []) -> Results:  # noqa: B006 (the pin's default: never changed)
    """Rows matching a SQL predicate (all rows when it is empty), up to a limit."""
    return await _search(ctx, table, limit, predicate, lambda t: t.search().select(columns) if columns else t.search())


@node(friendly_name="Count Rows", exec_pins=True)
async def vectors_count(ctx: Context, table: TableIn, predicate: Filter = "") -> Annotated[int, Pin(name="count")]:
    """How many rows match a SQL predicate (all rows when it is empty)."""
    opened = _table(ctx, table)
    return await _off_loop(lambda: opened.count_rows(predicate or None))


@node(friendly_name="Create Index", exec_pins=True)
async def vectors_create_index(ctx: Context, table: TableIn, column: str,
                               kind: Annotated[str, Pin(valid_values=["vector", "fts", "scalar"])] = "vector",
                               metric: Metric = "l2") -> TableOut:
    """Index a column: 'vector' (IVF, for vector search), 'fts' (full-text search) or 'scalar' (B-tree, for
    filters)."""
    from lancedb.index import FTS, BTree, IvfFlat

    opened = _table(ctx, table)

    def create() -> None:
        if kind == "vector":
            partitions = max(1, min(256, int(math.sqrt(opened.count_rows()))))
            config: Any = IvfFlat(distance_type=metric, num_partitions=partitions)
        elif kind == "fts":
            config = FTS()
        elif kind == "scalar":
            config = BTree()
        else:
            raise ValueError(f"unknown index kind {kind!r}: use 'vector', 'fts' or 'scalar'")
        opened.create_index(column, config=config, replace=True)

    await _off_loop(create)
    return table
