"""Database Write Table: a CSV read into a table, loaded into PostgreSQL, MariaDB, SQLite and DuckDB, and queried
back by Database Query; the column types, unicode, empty text against NULL, the modes, and all-or-none."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import pyarrow as pa
import pytest
from data_boards import Flow, output
from flowlike_catalog.data.databases import WRITE_ROWS, db_write_table, fetch_table, open_database

PEOPLE = pa.table({
    "id": [1, 2, 3], "name": ["Åsa 東京", "", None], "score": [1.5, None, 3.0], "ok": [True, False, None],
    "day": pa.array([dt.date(2024, 1, 2), None, dt.date(2024, 3, 4)]),
    "at": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5), None, dt.datetime(2024, 5, 6, 7, 8, 9)], pa.timestamp("us")),
    "price": pa.array([decimal.Decimal("1.25"), None, decimal.Decimal("3.50")], pa.decimal128(10, 2)),
})


def load_and_read(url: str, tmp_path: Path) -> pa.Table:
    """A board: Read CSV -> Database Write Table (replace) -> Database Query."""
    (tmp_path / "people.csv").write_text("id,name,score\n1,Åsa 東京,1.5\n2,\"\",\n3,,3.0\n", encoding="utf-8")
    flow = Flow()
    read = flow.step("table_read_csv", path={"path": str(tmp_path / "people.csv")})
    write = flow.step("db_write_table", url=url, table=(read, "table"), table_name="people", mode="replace")
    query = flow.step("db_query", url=url, query="SELECT * FROM people ORDER BY id")
    run = flow.run()
    assert run.output(write.id, "rows_written") == 3
    return run.output(query.id, "table")


@pytest.mark.parametrize("where", ["postgres", "mariadb", "sqlite", "duckdb"])
def test_a_csv_loads_into_the_database_and_reads_back(where: str, request: pytest.FixtureRequest,
                                                      tmp_path: Path) -> None:
    url = {"sqlite": f"sqlite:///{tmp_path / 'db.sqlite'}", "duckdb": f"duckdb:///{tmp_path / 'db.duckdb'}"}.get(where)
    back = load_and_read(url or request.getfixturevalue(where), tmp_path)
    assert back.column("id").to_pylist() == [1, 2, 3]
    assert back.column("name").to_pylist()[0] == "Åsa 東京"
    assert back.column("score").to_pylist() == [1.5, None, 3.0]


def test_postgres_keeps_types_and_tells_empty_text_from_null(postgres: str) -> None:
    assert db_write_table.func(None, postgres, PEOPLE, "people_typed", mode="replace") == 3
    back = fetch_table(open_database(None, postgres), "SELECT * FROM people_typed ORDER BY id")
    assert back.to_pylist() == PEOPLE.to_pylist()
    assert back.schema.field("price").type == pa.decimal128(10, 2)
    nested = pa.table({"tags": [["a", "ü"], None], "blob": [b"\x00\xff", None]})
    db_write_table.func(None, postgres, nested, "nested", mode="replace")
    assert fetch_table(open_database(None, postgres), "SELECT * FROM nested").to_pylist() == [
        {"tags": ["a", "ü"], "blob": b"\x00\xff"}, {"tags": None, "blob": None}]


def test_append_replace_and_create(postgres: str, tmp_path: Path) -> None:
    for url in (postgres, f"sqlite:///{tmp_path / 'modes.db'}"):
        db_write_table.func(None, url, PEOPLE, "modes", mode="replace")
        db_write_table.func(None, url, PEOPLE, "modes")
        count = output("db_query", "table", url=url, query="SELECT count(*) AS n FROM modes")
        assert count.to_pylist() == [{"n": 6}]
        with pytest.raises(RuntimeError, match="writing 3 rows into 'modes' of the .* database failed: .*already"):
            db_write_table.func(None, url, PEOPLE, "modes", mode="create")
        db_write_table.func(None, url, PEOPLE.slice(0, 1), "modes", mode="replace")
        assert output("db_query", "table", url=url, query="SELECT count(*) AS n FROM modes").to_pylist() == [{"n": 1}]


def test_a_failing_append_leaves_the_table_as_it_was(postgres: str, tmp_path: Path) -> None:
    rows = WRITE_ROWS + 5  # more than one batch: the first batch must not stay
    good = pa.table({"id": list(range(rows))})
    bad = pa.table({"id": [str(i) for i in range(rows - 1)] + ["not a number"]})
    for url in (postgres, f"sqlite:///{tmp_path / 'strict.db'}"):
        if url.startswith("sqlite"):  # SQLite stores any value in any column unless the table is STRICT
            con = open_database(None, url)
            con.execute("CREATE TABLE strict (id INTEGER) STRICT")
            con.execute("INSERT INTO strict VALUES (1)")
        else:
            db_write_table.func(None, url, pa.table({"id": [1]}), "strict", mode="replace")
        with pytest.raises(RuntimeError, match="writing 10005 rows into 'strict'"):
            db_write_table.func(None, url, bad, "strict")
        assert output("db_query", "table", url=url, query="SELECT count(*) AS n FROM strict").to_pylist() == [{"n": 1}]
        db_write_table.func(None, url, good, "strict")
        assert output("db_query", "table", url=url, query="SELECT count(*) AS n FROM strict").to_pylist() == [
            {"n": rows + 1}]


def test_bad_input_says_what() -> None:
    with pytest.raises(ValueError, match="mode 'upsert': use append, replace or create"):
        db_write_table.func(None, "sqlite:///:memory:", PEOPLE, "t", mode="upsert")
    with pytest.raises(ValueError, match="Table Name is needed"):
        db_write_table.func(None, "sqlite:///:memory:", PEOPLE, " ")
    with pytest.raises(TypeError, match="column 'span' is duration"):
        db_write_table.func(None, "sqlite:///:memory:", pa.table({"span": pa.array([1], pa.duration("s"))}), "t")
    with pytest.raises(TypeError, match="table must be a table"):
        db_write_table.func(None, "sqlite:///:memory:", "people.csv", "t")
