"""DataFrame nodes on files the tests write: read/write every format, the operations, rows, charts."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from data_boards import Flow
from flowlike_catalog.data.charts import table_chart
from flowlike_catalog.data.rows import tables_get_row_by_index
from flowlike_catalog.data.tables import (
    table_describe,
    table_from_records,
    table_group_by,
    table_head,
    table_join,
    table_sample,
    table_select,
    table_sort,
    table_to_records,
)

SALES = pa.table({"city": ["Oslo", "Rome", "Oslo", "Lima", "Rome"], "amount": [10, 20, 30, 5, 1],
                  "day": [1, 1, 2, 2, 3]})


def p(path: Path) -> dict:
    return {"path": str(path)}


@pytest.mark.parametrize("fmt", ["csv", "json_lines", "parquet", "excel"])
def test_write_then_read_round_trips(flow: Flow, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "out" / f"sales.{fmt}"
    write = flow.step(f"table_write_{fmt}", path=p(target))
    flow.wire(flow.feed("sales"), "value_ref", write, "table")
    read = flow.step(f"table_read_{fmt}", path=p(target))
    back = flow.run(sales=SALES).output(read.id, "table")
    assert back.to_pylist() == SALES.to_pylist()


def test_csv_options_and_fsspec_urls(flow: Flow, tmp_path: Path) -> None:
    (tmp_path / "semi.csv").write_text("1;x\n2;y\n")
    read = flow.step("table_read_csv", path=p(tmp_path / "semi.csv"), delimiter=";", has_header=False)
    flow.step("table_write_parquet", path={"path": "memory://tables/semi.parquet"}, table=(read, "table"))
    again = flow.step("table_read_parquet", path={"path": "memory://tables/semi.parquet"}, columns=["f1"])
    run = flow.run()
    assert run.output(read.id, "table").to_pylist() == [{"f0": 1, "f1": "x"}, {"f0": 2, "f1": "y"}]
    assert run.output(again.id, "table").to_pylist() == [{"f1": "x"}, {"f1": "y"}]


def test_jsonl_file_has_one_object_per_line(flow: Flow, tmp_path: Path) -> None:
    write = flow.step("table_write_json_lines", path=p(tmp_path / "s.jsonl"))
    flow.wire(flow.feed("sales"), "value_ref", write, "table")
    flow.run(sales=SALES.slice(0, 2))
    lines = (tmp_path / "s.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == SALES.slice(0, 2).to_pylist()


def test_a_pipeline_on_a_board(flow: Flow, tmp_path: Path) -> None:
    (tmp_path / "sales.csv").write_text("city,amount,day\nOslo,10,1\nRome,20,1\nOslo,30,2\nLima,5,2\nRome,1,3\n")
    read = flow.step("table_read_csv", path=p(tmp_path / "sales.csv"))
    keep = flow.add("table_filter", condition="amount >= 5")
    group = flow.add("table_group_by", by=["city"], aggregations="sum(amount) AS total, count(*) AS n")
    flow.wire(read, "table", keep, "table")
    flow.wire(keep, "table", group, "table")
    flow.step("table_write_parquet", path=p(tmp_path / "totals.parquet"), table=(group, "table"))
    count = flow.add("table_row_count", table=(group, "table"))
    flow.step("events_generic_return_result", response=(count, "rows"))
    run = flow.run()
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "totals.parquet").to_pylist() == [
        {"city": "Lima", "total": 5, "n": 1}, {"city": "Oslo", "total": 40, "n": 2},
        {"city": "Rome", "total": 20, "n": 1}]
    assert run.result == 3


def test_operations() -> None:
    assert table_select.func(SALES, ["day", "city"]).column_names == ["day", "city"]
    assert table_sort.func(SALES, ["amount"], True).column("amount").to_pylist() == [30, 20, 10, 5, 1]
    assert table_group_by.func(None, SALES, [], "max(amount) AS top").to_pylist() == [{"top": 30}]
    names = pa.table({"city": ["Oslo", "Rome", "Paris"], "country": ["NO", "IT", "FR"]})
    joined = table_join.func(None, SALES, names, ["city"], "left").sort_by("amount")
    assert joined.column("country").to_pylist() == ["IT", None, "NO", "IT", "NO"]
    assert table_join.func(None, names, SALES, ["city"], "anti").to_pylist() == [{"city": "Paris", "country": "FR"}]
    assert table_head.func(SALES, 2).column("amount").to_pylist() == [10, 20]
    first, again = table_sample.func(SALES, 3, 7), table_sample.func(SALES, 3, 7)
    assert first.num_rows == 3 and first.equals(again)
    assert set(first.column("amount").to_pylist()) <= {10, 20, 30, 5, 1}
    assert table_to_records.func(SALES)[1] == {"city": "Rome", "amount": 20, "day": 1}
    assert table_from_records.func([{"a": 1}, {"a": 2, "b": "x"}]).to_pylist() == [{"a": 1, "b": None},
                                                                                  {"a": 2, "b": "x"}]
    described = {row["column_name"]: row for row in table_describe.func(None, SALES).to_pylist()}
    assert (described["amount"]["min"], described["amount"]["max"], described["amount"]["avg"]) == ("1", "30", "13.2")
    assert described["city"]["count"] == 5
    import pandas as pd

    assert table_head.func(pd.DataFrame({"v": [3, 4]}), 1).to_pylist() == [{"v": 3}]


def test_bad_input_is_named() -> None:
    with pytest.raises(KeyError, match="no column 'nope'"):
        table_select.func(SALES, ["nope"])
    with pytest.raises(TypeError, match="table must be a table"):
        table_head.func(42, 1)
    with pytest.raises(ValueError, match="join kind 'cross'"):
        table_join.func(None, SALES, SALES, ["city"], "cross")


def test_rows(flow: Flow, tmp_path: Path) -> None:
    assert tables_get_row_by_index.func(SALES, 2) == ({"city": "Rome", "amount": 20, "day": 1}, 2)
    assert tables_get_row_by_index.func(SALES, 5).row == {"city": "Rome", "amount": 1, "day": 3}
    for bad in (0, 6):
        with pytest.raises(IndexError, match=f"row_index {bad} is out of range: the table has 5 rows"):
            tables_get_row_by_index.func(SALES, bad)
    loop = flow.step("control_for_each_row")
    flow.wire(flow.feed("sales"), "value_ref", loop, "table")
    flow.add("log_info", message="row", exec_in=(loop, "exec_out"))
    flow.add("log_info", message="done", exec_in=(loop, "done"))
    run = flow.run(sales=SALES)
    assert [line.message for line in run.logs()] == ["row"] * 5 + ["done"]
    assert (run.output(loop.id, "index"), run.output(loop.id, "value")) == (4, {"city": "Rome", "amount": 1, "day": 3})


def test_buffered_csv_reader_streams_chunks(flow: Flow, tmp_path: Path) -> None:
    rows = "\n".join(f"{i},{i * i}" for i in range(25))
    (tmp_path / "big.csv").write_text(f"i,sq\n{rows}\n")
    reader = flow.step("csv_buffered_reader", csv=p(tmp_path / "big.csv"), chunk_size=10)
    flow.add("log_info", message="chunk", exec_in=(reader, "for_chunk"))
    flow.add("log_info", message="end", exec_in=(reader, "exec_done"))
    run = flow.run()
    assert [line.message for line in run.logs()] == ["chunk"] * 3 + ["end"]
    assert len(run.output(reader.id, "chunk")) == 5
    assert run.output(reader.id, "chunk_index") == 2
    assert run.output(reader.id, "chunk")[-1] == {"i": 24, "sq": 576}


def test_chart_png_and_vega_lite() -> None:
    chart = table_chart.func(SALES, "day", ["amount"], "bar", "Sales")
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n") and len(chart.png) > 1000
    assert chart.spec["mark"] == "bar" and chart.spec["data"]["values"][0] == {"day": 1, "amount": 10}
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(chart.png)).size == (640, 400)
    with pytest.raises(KeyError, match="no column 'z'"):
        table_chart.func(SALES, "z", ["amount"])
