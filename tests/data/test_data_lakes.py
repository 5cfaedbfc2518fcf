"""Lakes on real tables written in temp folders: Delta (deltalake), Iceberg (pyiceberg SQL catalog), Hive
Parquet and partitioned JSON; Delta also on S3 (SeaweedFS)."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from data_boards import Flow
from deltalake import DeltaTable


def p(path: Path | str) -> dict:
    return {"path": str(path)}


def test_delta_write_register_info_and_time_travel(tmp_path: Path) -> None:
    lake = tmp_path / "lake" / "sales"
    flow = Flow()
    flow.step("df_create_session")
    flow.step("df_execute_sql", query="CREATE TABLE src AS SELECT * FROM (VALUES ('a', 1), ('b', 2)) v(k, n)")
    first = flow.step("df_write_delta", query="SELECT * FROM src", path=p(lake), partition_by="k")
    second = flow.step("df_write_delta", query="SELECT 'c' AS k, 3 AS n", path=p(lake))
    latest = flow.step("df_register_delta", path=p(lake), table_name="now")
    total = flow.step("df_sql_query", query="SELECT sum(n) AS s, count(*) AS c FROM now")
    old = flow.step("df_delta_time_travel", path=p(lake), table_name="before", version=0)
    before = flow.step("df_sql_query", query="SELECT k FROM before ORDER BY k")
    pinned = flow.step("df_register_delta", path=p(lake), table_name="v0", version=0)
    info = flow.step("df_delta_info", path=p(lake))
    run = flow.run()
    assert (run.output(first.id, "rows_written"), run.output(first.id, "new_version")) == (2, 0)
    assert run.output(second.id, "new_version") == 1
    assert run.output(latest.id, "table_version") == 1
    assert run.output(total.id, "rows") == [{"s": 6, "c": 3}]
    assert run.output(old.id, "loaded_version") == 0 and run.output(pinned.id, "table_version") == 0
    assert run.output(before.id, "rows") == [{"k": "a"}, {"k": "b"}]
    assert run.output(info.id, "current_version") == 1
    assert run.output(info.id, "partitions") == ["k"]
    assert [c["name"] for c in run.output(info.id, "schema")] == ["k", "n"]
    assert [h["version"] for h in run.output(info.id, "history")] == [1, 0]
    assert DeltaTable(str(lake)).version() == 1


def test_delta_time_travel_by_timestamp(tmp_path: Path) -> None:
    from deltalake import write_deltalake

    lake = tmp_path / "t"
    write_deltalake(str(lake), pa.table({"x": [1]}))
    committed = DeltaTable(str(lake)).history(1)[0]["timestamp"]  # milliseconds
    while time.time() * 1000 < committed + 2:  # the next commit must fall in a later millisecond
        pass
    write_deltalake(str(lake), pa.table({"x": [2]}), mode="append")
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(committed / 1000)) + f".{committed % 1000:03d}Z"
    flow = Flow()
    flow.step("df_create_session")
    travel = flow.step("df_delta_time_travel", path=p(lake), table_name="t", travel_mode="timestamp", timestamp=stamp)
    rows = flow.step("df_sql_query", query="SELECT x FROM t")
    run = flow.run()
    assert run.output(travel.id, "loaded_version") == 0
    assert run.output(rows.id, "rows") == [{"x": 1}]


def test_delta_errors(tmp_path: Path) -> None:
    flow = Flow()
    flow.step("df_delta_info", path=p(tmp_path / "none"))
    assert f"no Delta table at {tmp_path / 'none'}" in flow.failure()


@pytest.mark.s3
def test_delta_on_s3_through_an_external_store(seaweedfs: dict) -> None:
    flow = Flow()
    flow.step("df_create_session")
    store = flow.step("external_s3_store", bucket=seaweedfs["bucket"], endpoint=seaweedfs["endpoint"],
                      path_style=True, prefix=f"delta-{uuid.uuid4().hex[:8]}",
                      access_key_id=seaweedfs["options"]["key"], secret_access_key=seaweedfs["options"]["secret"])
    write = flow.step("df_write_delta", query="SELECT range AS i FROM range(5)", path=(store, "path"))
    flow.step("df_register_delta", table_name="remote", path=(store, "path"))
    total = flow.step("df_sql_query", query="SELECT sum(i) AS s FROM remote")
    run = flow.run()
    assert run.output(write.id, "new_version") == 0
    assert run.output(total.id, "rows") == [{"s": 10}]


@pytest.fixture
def iceberg(tmp_path: Path) -> tuple[Path, list[int]]:
    """An Iceberg table made through a local SQL catalog with two appends; its folder and snapshot ids."""
    from pyiceberg.catalog.sql import SqlCatalog

    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    catalog = SqlCatalog("local", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
    catalog.create_namespace("shop")
    first = pa.table({"id": pa.array([1, 2], pa.int64()), "item": ["pen", "ink"]})
    table = catalog.create_table("shop.orders", schema=first.schema)
    table.append(first)
    table.append(pa.table({"id": pa.array([3], pa.int64()), "item": ["pad"]}))
    table = catalog.load_table("shop.orders")
    return Path(table.location().removeprefix("file://")), [s.snapshot_id for s in table.snapshots()]


def test_iceberg_register_info_and_time_travel(iceberg: tuple[Path, list[int]]) -> None:
    folder, (first, second) = iceberg
    flow = Flow()
    flow.step("df_create_session")
    register = flow.step("df_register_iceberg", warehouse_path=p(folder), table_name="orders")
    count = flow.step("df_sql_query", query="SELECT count(*) AS n FROM orders")
    info = flow.step("df_iceberg_info", warehouse_path=p(folder))
    travel = flow.step("df_iceberg_time_travel", warehouse_path=p(folder), table_name="old", snapshot_id=str(first))
    old = flow.step("df_sql_query", query="SELECT item FROM old ORDER BY id")
    run = flow.run()
    assert run.output(register.id, "current_snapshot") == str(second)
    assert run.output(register.id, "schema_info") == 2
    assert run.output(count.id, "rows") == [{"n": 3}]
    assert [f["name"] for f in run.output(info.id, "schema")["fields"]] == ["id", "item"]
    assert list(run.output(info.id, "snapshots")) == [str(first), str(second)]
    assert run.output(info.id, "snapshots")[str(second)]["parent"] == str(first)
    assert run.output(travel.id, "loaded_snapshot") == str(first)
    assert run.output(old.id, "rows") == [{"item": "pen"}, {"item": "ink"}]
    stamp = run.output(info.id, "snapshots")[str(first)]["timestamp_ms"]
    by_time = Flow()
    by_time.step("df_create_session")
    at = by_time.step("df_iceberg_time_travel", warehouse_path=p(folder), table_name="t", travel_mode="timestamp",
                      timestamp_ms=stamp)
    assert by_time.run().output(at.id, "loaded_snapshot") == str(first)
    missing = Flow()
    missing.step("df_create_session")
    missing.step("df_iceberg_time_travel", warehouse_path=p(folder), table_name="t", snapshot_id="42")
    assert "Iceberg table has no snapshot '42'" in missing.failure()


def test_hive_parquet_and_partitioned_json(tmp_path: Path) -> None:
    for year, month, value in ((2023, 12, 1), (2024, 1, 2), (2024, 2, 4)):
        folder = tmp_path / "pq" / f"year={year}" / f"month={month}"
        folder.mkdir(parents=True)
        pq.write_table(pa.table({"value": [value]}), folder / "part.parquet")
        jfolder = tmp_path / "js" / f"year={year}"
        jfolder.mkdir(parents=True, exist_ok=True)
        (jfolder / f"{month}.json").write_text(json.dumps({"month": month, "value": value}) + "\n")
    flow = Flow()
    flow.step("df_create_session")
    flow.step("df_register_hive_parquet", path=p(tmp_path / "pq"), table_name="pq")
    flow.step("df_register_partitioned_json", path=p(tmp_path / "js"), table_name="js")
    by_year = flow.step("df_sql_query", query="SELECT year, sum(value) AS total FROM pq GROUP BY year ORDER BY year")
    js = flow.step("df_sql_query", query="SELECT year, month, value FROM js WHERE year = 2024 ORDER BY month")
    run = flow.run()
    assert run.output(by_year.id, "rows") == [{"year": 2023, "total": 1}, {"year": 2024, "total": 6}]
    assert run.output(js.id, "rows") == [{"year": 2024, "month": 1, "value": 2}, {"year": 2024, "month": 2, "value": 4}]
