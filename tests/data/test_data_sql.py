"""SQL sessions on DuckDB: mounting files (local and fsspec URLs), registering tables, querying, tools."""

from __future__ import annotations

import json
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from data_boards import Flow
from flowlike_catalog.data.sql import text_table


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "people.csv").write_text("id;name;city\n1;Ada;London\n2;Grace;New York\n3;Linus;Helsinki\n")
    (tmp_path / "events.jsonl").write_text("\n".join(json.dumps({"id": i, "kind": k}) for i, k in
                                                      [(1, "login"), (2, "logout"), (1, "logout")]))
    parts = tmp_path / "scores"
    parts.mkdir()
    pq.write_table(pa.table({"id": [1, 2], "score": [9.5, 7.0]}), parts / "a.parquet")
    (parts / "more").mkdir()
    pq.write_table(pa.table({"id": [3], "score": [8.25]}), parts / "more" / "b.parquet")
    return tmp_path


def test_mount_csv_json_parquet_and_join(flow: Flow, files: Path) -> None:
    flow.step("df_create_session")
    flow.step("df_mount_csv", path={"path": str(files / "people.csv")}, table_name="people", delimiter=";")
    flow.step("df_mount_json", path={"path": str(files / "events.jsonl")}, table_name="events", file_extension="jsonl")
    flow.step("df_mount_parquet", path={"path": str(files / "scores")}, table_name="scores")
    query = flow.step("df_sql_query", query=(
        "SELECT p.name, s.score, count(e.kind) AS events FROM people p JOIN scores s USING (id) "
        "LEFT JOIN events e USING (id) GROUP BY ALL ORDER BY s.score DESC"))
    listing = flow.step("df_list_tables")
    described = flow.step("df_describe_table", table_name="people")
    run = flow.run()
    table = run.output(query.id, "table")
    assert isinstance(table, pa.Table)
    assert run.output(query.id, "rows") == [{"name": "Ada", "score": 9.5, "events": 2},
                                            {"name": "Linus", "score": 8.25, "events": 0},
                                            {"name": "Grace", "score": 7.0, "events": 1}]
    assert run.output(query.id, "row_count") == 3
    assert run.output(listing.id, "table_names") == ["events", "people", "scores"]
    assert run.output(listing.id, "tables")[1] == {"name": "people", "kind": "view", "columns": ["id", "name", "city"]}
    assert run.output(listing.id, "summary").splitlines()[2] == "scores (view): id, score"
    assert run.output(described.id, "schema") == "id: BIGINT\nname: VARCHAR\ncity: VARCHAR"


def test_mounts_read_files_as_they_are_at_query_time(flow: Flow, tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("x\n1\n")
    flow.step("df_create_session")
    flow.step("df_mount_csv", path={"path": str(data)}, table_name="d")
    first = flow.step("df_sql_query", query="SELECT sum(x) AS s FROM d")
    flow.step("write_string", path={"path": str(data)}, content="x\n1\n2\n3\n")
    second = flow.step("df_sql_query", query="SELECT sum(x) AS s FROM d")
    run = flow.run()
    assert run.output(first.id, "rows") == [{"s": 1}]
    assert run.output(second.id, "rows") == [{"s": 6}]


def test_fsspec_url_mount(flow: Flow) -> None:
    fs = fsspec.filesystem("memory")
    fs.pipe("/sqltest/folder/a.csv", b"k,v\na,1\n")
    fs.pipe("/sqltest/folder/b.csv", b"k,v\nb,2\n")
    flow.step("df_create_session", session_name="mem")
    flow.step("df_mount_csv", path={"path": "memory://sqltest/folder"}, table_name="kv")
    query = flow.step("df_sql_query", query="SELECT k, v FROM kv ORDER BY k")
    assert flow.run().output(query.id, "rows") == [{"k": "a", "v": 1}, {"k": "b", "v": 2}]


def test_register_in_memory_tables_and_execute(flow: Flow) -> None:
    import pandas as pd
    import polars as pl

    flow.step("df_create_session")
    for name in ("a", "p", "q"):
        register = flow.step("df_register_csv_table", table_name=name)
        flow.wire(flow.feed(name), "value_ref", register, "table")
    ddl = flow.step("df_execute_sql", query="CREATE TABLE t AS SELECT a.id, a.x + p.y + q.z AS total "
                                            "FROM a JOIN p USING (id) JOIN q USING (id)")
    result = flow.step("df_execute_sql", query="SELECT * FROM t ORDER BY id")
    run = flow.run(a=pa.table({"id": [1, 2, 3], "x": [10, 20, 30]}),
                   p=pd.DataFrame({"id": [1, 2, 3], "y": [1, 2, 3]}),
                   q=pl.DataFrame({"id": [1, 2], "z": [100, 200]}))
    assert run.output(ddl.id, "row_count") == 1
    assert run.output(result.id, "table").to_pylist() == [{"id": 1, "total": 111}, {"id": 2, "total": 222}]
    assert run.output(result.id, "result") == "id | total\n---+------\n1  | 111  \n2  | 222  "
    assert run.output(result.id, "row_count") == 2


def test_text_table_aligns_and_truncates() -> None:
    table = pa.table({"a": [1, 22, None], "name": ["x", "yy", "zzz"]})
    assert text_table(table, limit=2) == "a  | name\n---+-----\n1  | x   \n22 | yy  \n... 1 more rows"


def test_a_session_must_be_created_first(flow: Flow) -> None:
    flow.step("df_sql_query", session={"name": "nope"}, query="SELECT 1")
    assert "SQL session 'nope' is not open in this run" in flow.failure()


def test_mounting_a_missing_file_says_where(flow: Flow, tmp_path: Path) -> None:
    flow.step("df_create_session")
    flow.step("df_mount_parquet", path={"path": str(tmp_path / "gone")}, table_name="g")
    assert f"nothing to mount at {tmp_path / 'gone'}" in flow.failure()


@pytest.mark.s3
def test_mount_csv_and_parquet_from_the_s3_store(seaweedfs: dict) -> None:
    import uuid

    flow = Flow()
    store = flow.step("external_s3_store", bucket=seaweedfs["bucket"], endpoint=seaweedfs["endpoint"],
                      path_style=True, prefix=f"sql-{uuid.uuid4().hex[:8]}",
                      access_key_id=seaweedfs["options"]["key"], secret_access_key=seaweedfs["options"]["secret"])
    csv_path = flow.add("child", child_name="cities.csv", parent_path=(store, "path"))
    flow.step("write_string", content="id,city\n1,Oslo\n2,Rome\n", path=(csv_path, "path"))
    flow.step("df_create_session")
    flow.step("df_mount_csv", table_name="cities", path=(csv_path, "path"))
    parquet_path = flow.add("child", child_name="parts", parent_path=(store, "path"))
    flow.step("df_write_delta", query="SELECT id, city || '!' AS shout FROM cities", path=(parquet_path, "path"))
    flow.step("df_mount_parquet", table_name="shouts", path=(parquet_path, "path"))
    query = flow.step("df_sql_query", query="SELECT c.city, s.shout FROM cities c JOIN shouts s USING (id) "
                                            "ORDER BY id")
    assert flow.run().output(query.id, "rows") == [{"city": "Oslo", "shout": "Oslo!"},
                                                   {"city": "Rome", "shout": "Rome!"}]


@pytest.mark.s3
def test_one_store_per_protocol_in_a_session(seaweedfs: dict) -> None:
    keys = {"access_key_id": seaweedfs["options"]["key"], "secret_access_key": seaweedfs["options"]["secret"],
            "bucket": seaweedfs["bucket"], "endpoint": seaweedfs["endpoint"], "path_style": True}
    flow = Flow()
    first = flow.step("external_s3_store", region="us-east-1", **keys)
    second = flow.step("external_s3_store", region="eu-west-1", **keys)
    flow.step("df_create_session")
    for store in (first, second):
        csv = flow.add("child", child_name="one-store.csv", parent_path=(store, "path"))
        flow.step("write_string", content="a\n1\n", path=(csv, "path"))
        flow.step("df_mount_csv", table_name="t", path=(csv, "path"))
    assert "reads s3:// files through another store already" in flow.failure()
