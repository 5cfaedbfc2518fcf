"""Databases against real engines: SQLite and DuckDB files, PostgreSQL and MariaDB servers on 127.0.0.1."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pytest
from data_boards import Flow
from flowlike_catalog.data.databases import db_execute, db_query


def crud(url: str, placeholder: str, password: str = "") -> None:
    """Create, fill, query and drop a table through the nodes' functions (no run cache: fresh connections)."""
    assert db_execute.func(None, url, "DROP TABLE IF EXISTS items", password) in (-1, 0)
    db_execute.func(None, url, "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(20), price DECIMAL(6,2), "
                               "added DATE)", password)
    for row in ([1, "pen", 1.5, "2024-05-01"], [2, "ink", 7.25, "2024-05-02"]):
        db_execute.func(None, url, f"INSERT INTO items VALUES ({', '.join([placeholder] * 4)})", password, row)
    changed = db_execute.func(None, url, f"UPDATE items SET price = price * 2 WHERE id > {placeholder}", password, [0])
    table = db_query.func(None, url, f"SELECT id, name, price, added FROM items WHERE name <> {placeholder} "
                                     "ORDER BY id", password, ["none"])
    assert table.column_names == ["id", "name", "price", "added"]
    prices = [float(p) for p in table.column("price").to_pylist()]
    assert (table.column("name").to_pylist(), prices) == (["pen", "ink"], [3.0, 14.5])
    assert [str(day) for day in table.column("added").to_pylist()] == ["2024-05-01", "2024-05-02"]
    assert changed in (2, -1)


def test_sqlite_and_duckdb_files(tmp_path: Path) -> None:
    crud(f"sqlite:///{tmp_path / 'a.db'}", "?")
    crud(f"duckdb:///{tmp_path / 'a.duckdb'}", "?")


def test_postgres(postgres: str) -> None:
    crud(postgres, "%s")


def test_mariadb(mariadb: str) -> None:
    crud(mariadb, "%s")


def test_register_every_database_in_one_session(tmp_path: Path, postgres: str, mariadb: str) -> None:
    lite = tmp_path / "lite.db"
    with sqlite3.connect(lite) as con:
        con.execute("CREATE TABLE people (id INTEGER, name TEXT)")
        con.executemany("INSERT INTO people VALUES (?, ?)", [(1, "Ada"), (2, "Grace")])
    duck = tmp_path / "duck.duckdb"
    with duckdb.connect(str(duck)) as con:
        con.execute("CREATE TABLE visits AS SELECT * FROM (VALUES (1, 3), (2, 5)) v(id, n)")
    db_execute.func(None, postgres, "DROP TABLE IF EXISTS cities")
    db_execute.func(None, postgres, "CREATE TABLE cities (id int, city text)")
    db_execute.func(None, postgres, "INSERT INTO cities VALUES (1, 'London'), (2, 'New York')")
    db_execute.func(None, mariadb, "CREATE DATABASE IF NOT EXISTS shop")
    db_execute.func(None, mariadb, "DROP TABLE IF EXISTS shop.spend")
    db_execute.func(None, mariadb, "CREATE TABLE shop.spend (id int, amount int)")
    db_execute.func(None, mariadb, "INSERT INTO shop.spend VALUES (1, 10), (2, 20), (2, 1)")
    pg_port = int(postgres.rsplit(":", 1)[1].split("/")[0])
    my_port = int(mariadb.rsplit(":", 1)[1].split("/")[0])
    flow = Flow()
    flow.step("df_create_session")
    flow.step("df_register_sqlite", file_path=str(lite), source_table="people", table_name="people")
    flow.step("df_register_duckdb", file_path=str(duck), source_table="visits", table_name="visits")
    pg = flow.step("df_register_postgres", host="127.0.0.1", port=pg_port, source_table="cities",
                   table_name="cities", ssl_mode="disable")
    my = flow.step("df_register_mysql", host="127.0.0.1", port=my_port, database="shop",
                   source_table="SELECT id, sum(amount) AS total FROM spend GROUP BY id", table_name="spend")
    query = flow.step("df_sql_query", query="SELECT name, city, n, CAST(total AS INTEGER) AS total FROM people "
                                            "JOIN cities USING (id) JOIN visits USING (id) JOIN spend USING (id) "
                                            "ORDER BY id")
    run = flow.run()
    assert run.output(query.id, "rows") == [{"name": "Ada", "city": "London", "n": 3, "total": 10},
                                            {"name": "Grace", "city": "New York", "n": 5, "total": 21}]
    assert run.output(pg.id, "connection_url") == f"postgresql://postgres@127.0.0.1:{pg_port}/postgres?sslmode=disable"
    assert run.output(my.id, "connection_url") == f"mysql://root@127.0.0.1:{my_port}/shop?ssl_mode=preferred"


def test_readonly_connections_refuse_writes(tmp_path: Path, postgres: str) -> None:
    lite = tmp_path / "ro.db"
    sqlite3.connect(lite).execute("CREATE TABLE t (x int)")
    for url in (f"sqlite:///{lite}", postgres):
        flow = Flow()
        flow.step("db_query", url=url, query="CREATE TABLE nope (x int)", readonly=True)
        assert "readonly" in flow.failure().lower().replace("-", "").replace(" ", ""), url


def test_errors_name_the_database() -> None:
    flow = Flow()
    flow.step("db_query", url="postgresql://postgres@127.0.0.1:1/postgres", query="SELECT 1")
    assert "cannot connect to the postgres database 127.0.0.1:1/postgres" in flow.failure()
    with pytest.raises(ValueError, match="database URL 'oracle://x'"):
        db_query.func(None, "oracle://x", "SELECT 1")


def test_password_comes_from_its_pin_and_stays_out_of_errors(mariadb: str) -> None:
    db_execute.func(None, mariadb, "CREATE USER IF NOT EXISTS 'bob'@'%' IDENTIFIED BY 's3cret'")
    url = mariadb.replace("root@", "bob@").replace("/mysql", "/")
    flow = Flow()
    query = flow.step("db_query", url=url, query="SELECT current_user() AS u", password="s3cret")
    assert flow.run().output(query.id, "table").to_pylist() == [{"u": "bob@%"}]
    wrong = Flow()
    wrong.step("db_query", url=url, query="SELECT 1", password="guess")
    message = wrong.failure()
    assert "cannot connect to the mysql database 127.0.0.1" in message and "Access denied" in message
    assert "guess" not in message


def clickhouse_sql(port: int, statement: str) -> str:
    import httpx

    response = httpx.post(f"http://127.0.0.1:{port}/", content=statement.encode(), timeout=30)
    assert response.status_code == 200, response.text
    return response.text


def test_register_clickhouse(clickhouse: int) -> None:
    clickhouse_sql(clickhouse, "DROP TABLE IF EXISTS visits")
    clickhouse_sql(clickhouse, "CREATE TABLE visits (id UInt64, page String, at DateTime, day Date, "
                               "score Nullable(Float64)) ENGINE = Memory")
    clickhouse_sql(clickhouse, "INSERT INTO visits VALUES (1, 'home', '2024-05-01 10:00:00', '2024-05-01', 1.5), "
                               "(2, 'docs', '2024-05-02 11:30:00', '2024-05-02', NULL), "
                               "(18446744073709551, 'home', '2024-05-02 12:00:00', '2024-05-02', 3)")
    flow = Flow()
    flow.step("df_create_session")
    table = flow.step("df_register_clickhouse", host="127.0.0.1", port=clickhouse, source_table="visits",
                      table_name="visits")
    flow.step("df_register_clickhouse", host="127.0.0.1", port=clickhouse, table_name="pages",
                        source_table="SELECT page, count() AS n FROM visits GROUP BY page")
    query = flow.step("df_sql_query", query="SELECT v.id, v.page, v.at, v.day, v.score, p.n FROM visits v "
                                            "JOIN pages p USING (page) ORDER BY v.id")
    run = flow.run()
    import datetime as dt

    assert run.output(query.id, "rows") == [
        {"id": 1, "page": "home", "at": dt.datetime(2024, 5, 1, 10), "day": dt.date(2024, 5, 1), "score": 1.5,
         "n": 2},
        {"id": 2, "page": "docs", "at": dt.datetime(2024, 5, 2, 11, 30), "day": dt.date(2024, 5, 2), "score": None,
         "n": 1},
        {"id": 18446744073709551, "page": "home", "at": dt.datetime(2024, 5, 2, 12), "day": dt.date(2024, 5, 2),
         "score": 3.0, "n": 2}]
    assert run.output(table.id, "connection_url") == f"clickhouse://default@127.0.0.1:{clickhouse}/default"
    bad = Flow()
    bad.step("df_create_session")
    bad.step("df_register_clickhouse", host="127.0.0.1", port=clickhouse, source_table="nope", table_name="x")
    assert "refused the query" in bad.failure() and "nope" in bad.failure()
