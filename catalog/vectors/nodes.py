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
from typing import Any

from flowlike_catalog.data.local_db import TableRef
from flowlike_catalog.data.local_db import lance_database as _database
from flowlike_catalog.data.local_db import lance_table as _table
from flowlike_catalog.data.local_db import off_loop as _off_loop

from flowlike_core import Context, DataType, NodeType, PinOptions, ValueType, data_in, data_out, exec_in, exec_out

TABLE_SCHEMA = TableRef.model_json_schema()
CATEGORY = "Vectors"
CAPABILITIES = ("files",)  # what its nodes reach (flowlike_core.policy)


def _table_in() -> Any:
    return data_in("table", DataType.STRUCT, schema=TABLE_SCHEMA, required=True,
                   description="The table, from Open Table")


def _table_out() -> Any:
    return data_out("table_out", DataType.STRUCT, schema=TABLE_SCHEMA, friendly_name="Table")


def _results_out() -> Any:
    return data_out("results", DataType.STRUCT, ValueType.ARRAY,
                    description="Matching rows as dicts; searches add _distance, _score or _relevance_score")


def _filter_in(required: bool = False) -> Any:
    return data_in("filter", DataType.STRING, default="", required=required,
                   description="SQL predicate on the table's columns, e.g. \"category = 'news' AND year > 2020\"")


def _rows(records: Any) -> list[dict[str, Any]]:
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise TypeError(f"records must be a list of dicts, got {type(records).__name__}")
    return records


class OpenTable(NodeType):
    name = "vectors_open_table"
    friendly_name = "Open Table"
    description = "A table of the app's vector database (created by its first insert)."
    category = CATEGORY
    pins = (
        exec_in(),
        data_in("app", DataType.STRING, default="default", description="App whose vector database to use"),
        data_in("name", DataType.STRING, required=True, description="Table name"),
        exec_out(),
        data_out("table", DataType.STRUCT, schema=TABLE_SCHEMA),
        data_out("exists", DataType.BOOLEAN),
    )

    async def run(self, ctx: Context) -> None:
        from flowlike_core.storage import check_name, current

        name = check_name(ctx.get_input("name"), "table name")
        ref = TableRef(database=current().app(ctx.get_input("app")).vectors_uri, table=name)
        db = _database(ctx, ref.database)
        exists = await _off_loop(lambda: name in db.list_tables().tables)
        ctx.set_output("table", ref.model_dump())
        ctx.set_output("exists", exists)
        ctx.activate("exec_out")


class Insert(NodeType):
    name = "vectors_insert"
    friendly_name = "Insert Rows"
    description = "Append rows (dicts with a 'vector' list of floats and any other columns); creates the table."
    category = CATEGORY
    pins = (exec_in(), _table_in(), data_in("records", DataType.STRUCT, ValueType.ARRAY, required=True),
            exec_out(), _table_out(), data_out("inserted", DataType.INTEGER))

    async def run(self, ctx: Context) -> None:
        ref = TableRef.model_validate(ctx.get_input("table"))
        rows = _rows(ctx.get_input("records"))
        db = _database(ctx, ref.database)
        key = ("lancedb-table", ref.database, ref.table)

        def insert() -> None:
            if key in ctx.cache or ref.table in db.list_tables().tables:
                _table(ctx, ref).add(rows)
            else:
                ctx.cache[key] = db.create_table(ref.table, data=rows)

        await _off_loop(insert)
        ctx.set_output("table_out", ref.model_dump())
        ctx.set_output("inserted", len(rows))
        ctx.activate("exec_out")


class Upsert(NodeType):
    name = "vectors_upsert"
    friendly_name = "Upsert Rows"
    description = "Update rows whose key column matches, insert the others."
    category = CATEGORY
    pins = (exec_in(), _table_in(), data_in("records", DataType.STRUCT, ValueType.ARRAY, required=True),
            data_in("key", DataType.STRING, default="id", description="Column that identifies a row"),
            exec_out(), _table_out(), data_out("updated", DataType.INTEGER), data_out("inserted", DataType.INTEGER))

    async def run(self, ctx: Context) -> None:
        table = _table(ctx, ctx.get_input("table"))
        rows, key = _rows(ctx.get_input("records")), ctx.get_input("key")
        result = await _off_loop(lambda: table.merge_insert(key).when_matched_update_all()
                                 .when_not_matched_insert_all().execute(rows))
        ctx.set_output("table_out", ctx.get_input("table"))
        ctx.set_output("updated", int(result.num_updated_rows))
        ctx.set_output("inserted", int(result.num_inserted_rows))
        ctx.activate("exec_out")


class Delete(NodeType):
    name = "vectors_delete"
    friendly_name = "Delete Rows"
    description = "Delete the rows matching a SQL predicate."
    category = CATEGORY
    pins = (exec_in(), _table_in(), _filter_in(required=True), exec_out(), _table_out(),
            data_out("deleted", DataType.INTEGER))

    async def run(self, ctx: Context) -> None:
        table, predicate = _table(ctx, ctx.get_input("table")), ctx.get_input("filter")
        if not predicate:
            raise ValueError("Delete Rows needs a filter; use 'true' to delete every row")
        result = await _off_loop(lambda: table.delete(predicate))
        ctx.set_output("table_out", ctx.get_input("table"))
        ctx.set_output("deleted", int(result.num_deleted_rows))
        ctx.activate("exec_out")


def _search_pins(*extra: Any) -> tuple[Any, ...]:
    return (exec_in(), _table_in(), *extra,
            data_in("limit", DataType.INTEGER, default=10), _filter_in(), exec_out(), _results_out())


async def _run_search(ctx: Context, build: Callable[[Any], Any]) -> None:
    table, limit, predicate = _table(ctx, ctx.get_input("table")), ctx.get_input("limit"), ctx.get_input("filter")

    def search() -> list[dict[str, Any]]:
        query = build(table).limit(limit)
        if predicate:
            query = query.where(predicate, prefilter=True)
        return query.to_list()

    ctx.set_output("results", await _off_loop(search))
    ctx.activate("exec_out")


class VectorSearch(NodeType):
    name = "vectors_search"
    friendly_name = "Vector Search"
    description = "Nearest rows to a query vector (smallest _distance first)."
    category = CATEGORY
    pins = _search_pins(
        data_in("vector", DataType.FLOAT, ValueType.ARRAY, required=True),
        data_in("column", DataType.STRING, default="vector"),
        data_in("metric", DataType.STRING, default="l2", options=PinOptions(valid_values=["l2", "cosine", "dot"])),
    )

    async def run(self, ctx: Context) -> None:
        vector, column, metric = ctx.get_input("vector"), ctx.get_input("column"), ctx.get_input("metric")
        await _run_search(ctx, lambda t: t.search(vector, vector_column_name=column).distance_type(metric))


class FullTextSearch(NodeType):
    name = "vectors_fts_search"
    friendly_name = "Full-Text Search"
    description = "Rows whose indexed text matches a query, best _score first (needs an fts index)."
    category = CATEGORY
    pins = _search_pins(data_in("query", DataType.STRING, required=True))

    async def run(self, ctx: Context) -> None:
        text = ctx.get_input("query")
        await _run_search(ctx, lambda t: t.search(text, query_type="fts"))


class HybridSearch(NodeType):
    name = "vectors_hybrid_search"
    friendly_name = "Hybrid Search"
    description = "Vector and full-text search fused by reciprocal rank fusion (score = sum of 1/(k + rank))."
    category = CATEGORY
    pins = _search_pins(
        data_in("vector", DataType.FLOAT, ValueType.ARRAY, required=True),
        data_in("query", DataType.STRING, required=True),
        data_in("k", DataType.INTEGER, default=60, description="RRF constant: larger flattens rank differences"),
    )

    async def run(self, ctx: Context) -> None:
        from lancedb.rerankers import RRFReranker

        vector, text, k = ctx.get_input("vector"), ctx.get_input("query"), ctx.get_input("k")
        await _run_search(ctx, lambda t: t.search(query_type="hybrid").vector(vector).text(text)
                          .rerank(RRFReranker(K=k)))


class Filter(NodeType):
    name = "vectors_filter"
    friendly_name = "Filter Rows"
    description = "Rows matching a SQL predicate (all rows when it is empty), up to a limit."
    category = CATEGORY
    pins = (exec_in(), _table_in(), _filter_in(), data_in("limit", DataType.INTEGER, default=100),
            data_in("columns", DataType.STRING, ValueType.ARRAY, default=[], description="Columns to return (all)"),
            exec_out(), _results_out())

    async def run(self, ctx: Context) -> None:
        columns = ctx.get_input("columns")
        await _run_search(ctx, lambda t: t.search().select(columns) if columns else t.search())


class Count(NodeType):
    name = "vectors_count"
    friendly_name = "Count Rows"
    description = "How many rows match a SQL predicate (all rows when it is empty)."
    category = CATEGORY
    pins = (exec_in(), _table_in(), _filter_in(), exec_out(), data_out("count", DataType.INTEGER))

    async def run(self, ctx: Context) -> None:
        table, predicate = _table(ctx, ctx.get_input("table")), ctx.get_input("filter")
        ctx.set_output("count", await _off_loop(lambda: table.count_rows(predicate or None)))
        ctx.activate("exec_out")


class CreateIndex(NodeType):
    name = "vectors_create_index"
    friendly_name = "Create Index"
    description = ("Index a column: 'vector' (IVF, for vector search), 'fts' (full-text search) or "
                   "'scalar' (B-tree, for filters).")
    category = CATEGORY
    pins = (exec_in(), _table_in(), data_in("column", DataType.STRING, required=True),
            data_in("kind", DataType.STRING, default="vector",
                    options=PinOptions(valid_values=["vector", "fts", "scalar"])),
            data_in("metric", DataType.STRING, default="l2", options=PinOptions(valid_values=["l2", "cosine", "dot"])),
            exec_out(), _table_out())

    async def run(self, ctx: Context) -> None:
        from lancedb.index import FTS, BTree, IvfFlat

        table, column = _table(ctx, ctx.get_input("table")), ctx.get_input("column")
        kind, metric = ctx.get_input("kind"), ctx.get_input("metric")

        def create() -> None:
            if kind == "vector":
                partitions = max(1, min(256, int(math.sqrt(table.count_rows()))))
                config: Any = IvfFlat(distance_type=metric, num_partitions=partitions)
            elif kind == "fts":
                config = FTS()
            elif kind == "scalar":
                config = BTree()
            else:
                raise ValueError(f"unknown index kind {kind!r}: use 'vector', 'fts' or 'scalar'")
            table.create_index(column, config=config, replace=True)

        await _off_loop(create)
        ctx.set_output("table_out", ctx.get_input("table"))
        ctx.activate("exec_out")

