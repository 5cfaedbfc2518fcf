"""Database Query on what real databases return: an empty result keeps its column types (a daily board whose
query finds nothing writes the same Parquet schema), JSON of varying shapes and network addresses read,
a SQLite column of mixed types fails naming the column, and a large result is converted in batches."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from data_boards import Flow, output
from flowlike_catalog.data.databases import FETCH_ROWS, fetch_table, open_database

TYPED = ("SELECT 1::int AS n, 'Zürich'::text AS city, 2.5::numeric(10,2) AS price, DATE '2024-01-02' AS day, "
         "TIMESTAMPTZ '2024-01-02 03:04:05+00' AS at, gen_random_uuid() AS id, ARRAY['a','b'] AS tags, "
         "true AS ok, 1.5::float8 AS x")


def test_an_empty_postgres_result_keeps_its_column_types(postgres: str, tmp_path: Path) -> None:
    full = output("db_query", "table", url=postgres, query=TYPED)
    empty = output("db_query", "table", url=postgres, query=f"SELECT * FROM ({TYPED}) q WHERE false")
    assert empty.num_rows == 0 and full.num_rows == 1
    assert empty.schema.field("n").type == pa.int64() and empty.schema.field("city").type == pa.string()
    assert empty.schema.field("price").type == pa.decimal128(10, 2)
    assert empty.schema.field("tags").type == pa.list_(pa.string())
    assert empty.schema.field("at").type == full.schema.field("at").type
    assert empty.schema.equals(full.schema), (empty.schema, full.schema)
    flow = Flow()
    query = flow.step("db_query", url=postgres, query=f"SELECT * FROM ({TYPED}) q WHERE false")
    flow.step("table_write_parquet", table=(query, "table"), path={"path": str(tmp_path / "day.parquet")})
    flow.run()
    assert pq.read_schema(tmp_path / "day.parquet").field("day").type == pa.date32()


def test_all_null_columns_keep_their_declared_type(postgres: str) -> None:
    table = output("db_query", "table", url=postgres, query="SELECT NULL::int AS a, NULL::text AS b, 1 AS c")
    assert [field.type for field in table.schema] == [pa.int64(), pa.string(), pa.int64()]


def test_json_of_varying_shapes_and_addresses_read_as_text(postgres: str) -> None:
    table = output("db_query", "table", url=postgres, query=(
        "SELECT * FROM (VALUES ('{\"a\": 1}'::jsonb, '10.0.0.1'::inet), ('{\"a\": \"x\"}'::jsonb, NULL), "
        "(NULL, '::1'::inet)) v(doc, ip)"))
    assert table.to_pylist() == [{"doc": '{"a":1}', "ip": "10.0.0.1"}, {"doc": '{"a":"x"}', "ip": None},
                                 {"doc": None, "ip": "::1"}]


def test_a_sqlite_column_of_mixed_types_fails_naming_it(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "m.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE m (code, qty INTEGER)")
        con.execute("INSERT INTO m VALUES (1, 1), ('two', 2)")
    flow = Flow()
    query = flow.step("db_query", url=f"sqlite:///{path}", query="SELECT code, qty FROM m")
    message = flow.failure()
    assert query.id in message
    assert "column 'code' of the query result holds values of mixed types (int, str)" in message
    assert "CAST it to one type in the query" in message


def test_a_result_larger_than_a_batch_is_one_table_typed_across_batches(postgres: str) -> None:
    rows = FETCH_ROWS + 10
    table = fetch_table(open_database(None, postgres), (
        f"SELECT i, CASE WHEN i > {FETCH_ROWS} THEN i * 2 END AS late, NULL AS never "
        f"FROM generate_series(1, {rows}) i"))
    assert table.num_rows == rows and table.schema.field("late").type == pa.int64()
    assert table.column("late").null_count == FETCH_ROWS and table.column("i")[-1].as_py() == rows


def test_an_empty_mariadb_result_keeps_its_column_types(mariadb: str) -> None:
    query = ("SELECT CAST(1 AS SIGNED) AS n, 'x' AS s, CAST(2.5 AS DECIMAL(8,2)) AS d, "
             "CAST('2024-01-02' AS DATE) AS day, 1.5e0 AS f")
    table = output("db_query", "table", url=mariadb, query=f"SELECT * FROM ({query}) q WHERE 1 = 0")
    assert table.num_rows == 0
    n, s, d, day, f = (field.type for field in table.schema)
    assert (n, s, day, f) == (pa.int64(), pa.string(), pa.date32(), pa.float64())
    assert pa.types.is_decimal(d) and d.scale == 2 and d.precision >= 8
