"""A data scientist's round of files and tables (trial 6): a Parquet file pandas wrote joined to a CSV, empty
cells, sums of integers, time zones in a workbook, columns a CSV cannot hold, a misspelt Parquet column, and
broken files; each either works as the user meant or fails naming the file or column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from data_boards import Flow
from flowlike_catalog.data.charts import table_chart
from flowlike_catalog.data.tables import (
    table_group_by,
    table_join,
    table_pivot,
    table_read_csv,
    table_read_excel,
    table_read_json_lines,
    table_read_parquet,
    table_write_csv,
    table_write_excel,
    table_write_json_lines,
)

CSV = "id,city,amount\n1,Oslo,10\n2,,5\n3,\"\",7\n4,Zürich,\n"


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_a_csv_joins_a_parquet_file_that_pandas_wrote(tmp_path: Path, orders: Path) -> None:
    """pandas writes text as large_string, pyarrow's CSV reader gives string: the keys still match."""
    pd.DataFrame({"city": ["Oslo", "Zürich"], "country": ["NO", "CH"]}).to_parquet(tmp_path / "cities.parquet")
    flow = Flow()
    read = flow.step("table_read_csv", path={"path": str(orders)})
    cities = flow.step("table_read_parquet", path={"path": str(tmp_path / "cities.parquet")})
    join = flow.add("table_join", left=(read, "table"), right=(cities, "table"), on=["city"])
    back = flow.step("events_generic_return_result")
    flow.wire(join, "table", back, "response")
    joined = flow.run().result.sort_by("id")
    assert joined.select(["id", "country"]).to_pylist() == [{"id": 1, "country": "NO"}, {"id": 4, "country": "CH"}]


def test_join_keys_of_incompatible_types_are_named_with_both_types() -> None:
    with pytest.raises(TypeError, match=r"key column 'k' is int64 in the left table and string in the right"):
        table_join.func(None, pa.table({"k": [1]}), pa.table({"k": ["1"]}), ["k"])


def test_join_keys_of_two_integer_widths_match() -> None:
    left = pa.table({"k": pa.array([1, 2], pa.int32()), "a": ["x", "y"]})
    right = pa.table({"k": pa.array([2, 3], pa.int64()), "b": [True, False]})
    assert table_join.func(None, left, right, ["k"]).to_pylist() == [{"k": 2, "a": "y", "b": True}]


def test_an_empty_csv_cell_is_null_and_a_quoted_empty_one_is_empty_text(orders: Path) -> None:
    """As DuckDB's Mount CSV and pandas read it: an empty cell is missing, `""` is an empty text."""
    table = table_read_csv.func(None, str(orders))
    assert table.column("city").to_pylist() == ["Oslo", None, "", "Zürich"]
    assert table.column("amount").to_pylist() == [10, 5, 7, None]


def test_a_sum_of_integers_stays_an_integer_column(orders: Path) -> None:
    """DuckDB sums integers as HUGEINT, which reaches Arrow as decimal128(38, 0) and pandas as Decimal objects."""
    table = table_read_csv.func(None, str(orders))
    summed = table_group_by.func(None, table, [], "sum(amount) AS total, sum(id) * 2 AS twice, avg(amount) AS mean")
    assert summed.schema.types == [pa.int64(), pa.int64(), pa.float64()]
    assert summed.to_pylist() == [{"total": 22, "twice": 20, "mean": 22 / 3}]


def test_a_sum_beyond_int64_keeps_its_exact_value() -> None:
    big = pa.table({"n": pa.array([2**62, 2**62, 2**62], pa.int64())})
    summed = table_group_by.func(None, big, [], "sum(n) AS total")
    assert summed.column("total").to_pylist()[0] == 3 * 2**62


def test_time_zones_reach_a_workbook_as_the_wall_time_of_their_zone(tmp_path: Path) -> None:
    """Excel has no time zones: a zoned timestamp is written as the clock reads in its own zone; lists and
    structs as their JSON text."""
    oslo = pa.array([dt.datetime(2024, 3, 31, 0, 30, tzinfo=dt.UTC), None], pa.timestamp("us", "Europe/Oslo"))
    table = pa.table({"when": oslo, "tags": [["a", "ø"], None], "meta": [{"k": 1}, None], "id": [1, 2]})
    table_write_excel.func(None, table, str(tmp_path / "out.xlsx"))
    back = table_read_excel.func(None, str(tmp_path / "out.xlsx"))
    assert back.to_pylist() == [
        {"when": dt.datetime(2024, 3, 31, 1, 30), "tags": '["a","ø"]', "meta": '{"k":1}', "id": 1},
        {"when": None, "tags": None, "meta": None, "id": 2}]


def test_bytes_for_a_workbook_are_refused_naming_the_column(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"column 'blob' is binary: a workbook cell cannot hold bytes"):
        table_write_excel.func(None, pa.table({"blob": [b"\x00"]}), str(tmp_path / "out.xlsx"))
    assert not (tmp_path / "out.xlsx").exists()


def test_a_list_column_goes_into_a_csv_as_json_text(tmp_path: Path) -> None:
    table = pa.table({"id": [1, 2], "tags": [["a", "b"], None], "meta": [{"k": "ü"}, None]})
    table_write_csv.func(None, table, str(tmp_path / "out.csv"))
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == \
        '"id","tags","meta"\n1,"[""a"",""b""]","{""k"":""ü""}"\n2,,\n'


def test_bytes_that_are_not_text_are_refused_for_a_csv_naming_the_column(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"column 'blob' holds bytes that are not UTF-8 text"):
        table_write_csv.func(None, pa.table({"id": [1], "blob": [b"\xff\x00"]}), str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()


def test_a_misspelt_parquet_column_is_named_with_the_file_columns(tmp_path: Path) -> None:
    pq.write_table(pa.table({"id": [1], "city": ["Oslo"]}), tmp_path / "t.parquet")
    with pytest.raises(KeyError, match=r"no column 'cty' in .*t\.parquet \(columns: id, city\)"):
        table_read_parquet.func(None, str(tmp_path / "t.parquet"), ["id", "cty"])


@pytest.mark.parametrize(("name", "text", "reader", "what"), [
    ("empty.csv", "", table_read_csv, "Empty CSV file"),
    ("ragged.csv", "a,b\n1,2\n3\n", table_read_csv, "Expected 2 columns, got 1"),
    ("broken.jsonl", '{"a": 1}\n{"a": \n', table_read_json_lines, "JSON"),
])
def test_a_file_that_cannot_be_read_is_named(tmp_path: Path, name: str, text: str, reader: object, what: str) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(ValueError, match=rf"cannot read .*/{name} as .*: .*{what}") as error:
        reader.func(None, str(tmp_path / name))
    assert str(error.value).startswith(f"cannot read {tmp_path / name} as ")


SALES = pa.table({"day": ["d2", "d1", "d1", "d2", "d2"], "city": ["Oslo", "Oslo", "Zürich", None, "Oslo"],
                  "units": [3, 1, 2, 4, 5], "shop": ["a", "a", "b", "b", "a"]})


def test_pivot_makes_one_column_per_value_with_integer_sums() -> None:
    wide = table_pivot.func(None, SALES, ["day"], "city", "units")
    assert wide.column_names == ["day", "Oslo", "Zürich"]
    assert wide.schema.field("Oslo").type == pa.int64()
    assert wide.to_pylist() == [{"day": "d1", "Oslo": 1, "Zürich": 2}, {"day": "d2", "Oslo": 8, "Zürich": None}]
    assert table_pivot.func(None, SALES, ["day", "shop"], "city", "units", "count").to_pylist() == [
        {"day": "d1", "shop": "a", "Oslo": 1, "Zürich": 0}, {"day": "d1", "shop": "b", "Oslo": 0, "Zürich": 1},
        {"day": "d2", "shop": "a", "Oslo": 2, "Zürich": 0}, {"day": "d2", "shop": "b", "Oslo": 0, "Zürich": 0}]


def test_pivot_names_a_missing_column_and_an_unknown_aggregate() -> None:
    with pytest.raises(KeyError, match=r"no column 'town' in the table \(columns: day, city, units, shop\)"):
        table_pivot.func(None, SALES, ["day"], "town", "units")
    with pytest.raises(ValueError, match=r"aggregate 'sum\(units\); DROP': use one of sum, count"):
        table_pivot.func(None, SALES, ["day"], "city", "units", "sum(units); DROP")


def test_json_lines_write_dates_and_times_as_iso_text_with_the_offset_of_their_zone(tmp_path: Path) -> None:
    """Arrow formats them (fast); the text is what Python's isoformat gives."""
    oslo = [dt.datetime(2024, 3, 31, 0, 30, tzinfo=dt.UTC), dt.datetime(2024, 3, 31, 0, 30, 5, 120000, tzinfo=dt.UTC)]
    table = pa.table({"oslo": pa.array([*oslo, None], pa.timestamp("us", "Europe/Oslo")),
                      "naive": pa.array([dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 1, 0, 0, 0, 5), None]),
                      "seconds": pa.array([dt.datetime(2024, 1, 1)] * 2 + [None], pa.timestamp("s")),
                      "day": pa.array([dt.date(2024, 1, 1)] * 2 + [None]),
                      "time": pa.array([dt.time(1, 2, 3), dt.time(1, 2, 3, 400), None]), "x": [1.5, None, 2.0]})
    table_write_json_lines.func(None, table, str(tmp_path / "out.jsonl"))
    expected = [{name: None if value is None else value if name == "x" else value.isoformat()
                 for name, value in row.items()} for row in table.to_pylist()]
    written = (tmp_path / "out.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in written] == expected
    assert written[0].startswith('{"oslo":"2024-03-31T01:30:00+01:00","naive":"2024-01-01T00:00:00",')


def test_a_messy_sheet_reads_whole(tmp_path: Path) -> None:
    """Two columns of one name, a column of numbers and texts, blank formatted rows below the data."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["name", "name", "name_1", "count"], ["Åsa", "x", "p", 1], ["Bob", "y", "q", "zwei"],
                [None, None, None, None], ["Eve", None, None, 3], [None] * 4, [None] * 4):
        sheet.append(row)
    sheet["D12"].number_format = "0.00"  # formatting alone makes openpyxl report rows down to here
    book.save(tmp_path / "messy.xlsx")
    table = table_read_excel.func(None, str(tmp_path / "messy.xlsx"))
    assert table.column_names == ["name", "name_2", "name_1", "count"]
    assert table.to_pylist() == [
        {"name": "Åsa", "name_2": "x", "name_1": "p", "count": "1"},
        {"name": "Bob", "name_2": "y", "name_1": "q", "count": "zwei"},
        {"name": None, "name_2": None, "name_1": None, "count": None},
        {"name": "Eve", "name_2": None, "name_1": None, "count": "3"}]


def test_a_file_that_is_not_a_workbook_is_named(tmp_path: Path) -> None:
    (tmp_path / "report.xlsx").write_text("name,count\n")
    with pytest.raises(ValueError, match=r"cannot read .*/report\.xlsx as an Excel workbook \(\.xlsx\)"):
        table_read_excel.func(None, str(tmp_path / "report.xlsx"))


def test_a_pandas_group_result_keeps_its_keys_in_a_board() -> None:
    """`groupby(...).sum()` puts the keys in the index: a named index is data, an unnamed one (a filtered frame's
    row numbers) is not."""
    frame = pd.DataFrame({"city": ["Oslo", "Oslo", "Bern"], "shop": ["a", "b", "a"], "units": [1, 2, 3]})
    flow = Flow()
    rows = flow.feed("frame")
    head = flow.add("table_sort", table=(rows, "value_ref"), by=["city"])
    back = flow.step("events_generic_return_result")
    flow.wire(head, "table", back, "response")
    assert flow.run(frame=frame.groupby("city").sum(numeric_only=True)).result.to_pylist() == [
        {"city": "Bern", "units": 3}, {"city": "Oslo", "units": 3}]
    assert flow.run(frame=frame.groupby(["city", "shop"]).sum()).result.column_names == ["city", "shop", "units"]
    assert flow.run(frame=frame[frame["units"] > 1]).result.column_names == ["city", "shop", "units"]
    assert flow.run(frame=frame.set_index("city", drop=False)).result.column_names == ["city", "shop", "units"]


def test_a_streamed_csv_names_the_file_and_a_late_value_of_another_type(tmp_path: Path) -> None:
    rows = "\n".join(f"{i},{i * i}," for i in range(120_000))  # past the reader's first block of 1 MB
    (tmp_path / "big.csv").write_text(f"i,sq,note\n{rows}\n120000,unknown,x\n")
    flow = Flow()
    reader = flow.step("csv_buffered_reader", csv={"path": str(tmp_path / "big.csv")}, chunk_size=100_000)
    message = flow.failure()
    assert reader.id in message
    assert f"cannot read {tmp_path / 'big.csv'} as CSV: In CSV column #1: CSV conversion error to int64: invalid " \
           f"value 'unknown' (a streamed CSV takes each column's type from its first rows" in message


def test_a_streamed_csv_reads_empty_cells_as_null(tmp_path: Path) -> None:
    (tmp_path / "small.csv").write_text('id,city\n1,\n2,""\n')
    flow = Flow()
    reader = flow.step("csv_buffered_reader", csv={"path": str(tmp_path / "small.csv")}, chunk_size=10)
    assert flow.run().output(reader.id, "chunk") == [{"id": 1, "city": None}, {"id": 2, "city": ""}]


def test_a_chart_over_time_gives_a_json_vega_lite_spec_with_a_temporal_axis() -> None:
    when = pa.array([dt.datetime(2024, 1, d, tzinfo=dt.UTC) for d in (1, 2)], pa.timestamp("us", "UTC"))
    table = pa.table({"when": when, "total": pa.array([1, 2], pa.decimal128(38, 0)), "n": [3, None]})
    spec = table_chart.func(table, "when", ["total", "n"], "line").spec
    assert json.loads(json.dumps(spec))["data"]["values"] == [
        {"when": "2024-01-01T00:00:00+00:00", "total": 1.0, "n": 3}, {"when": "2024-01-02T00:00:00+00:00",
                                                                      "total": 2.0, "n": None}]
    assert spec["encoding"]["x"] == {"field": "when", "type": "temporal"}
    assert table_chart.func(pa.table({"city": ["Oslo"], "n": [1]}), "city", ["n"], "scatter").spec[
        "encoding"]["x"]["type"] == "nominal"


def test_a_chart_of_a_text_column_is_refused_naming_it() -> None:
    with pytest.raises(TypeError, match=r"y column 'city' is string: a chart plots numbers"):
        table_chart.func(pa.table({"day": [1, 2], "city": ["Oslo", "Bern"]}), "day", ["city"])


def test_rows_made_column_by_column_are_what_to_pylist_gives() -> None:
    """python_rows makes dates and datetimes with numpy (20 times faster); every type comes out as Arrow's own."""
    from decimal import Decimal

    from flowlike_catalog.data.handles import python_rows

    table = pa.table({
        "day": pa.array([dt.date(2024, 1, 1), None, dt.date(1, 1, 1), dt.date(9999, 12, 31)]),
        "s": pa.array([dt.datetime(2024, 1, 1, 1, 2, 3), None, dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)],
                      pa.timestamp("s")),
        "ms": pa.array([dt.datetime(2024, 1, 1, 0, 0, 0, 4000), None, dt.datetime(1970, 1, 1),
                        dt.datetime(1969, 12, 31, 23, 59, 59, 999000)], pa.timestamp("ms")),
        "us": pa.array([dt.datetime(2024, 1, 1, 1, 2, 3, 4), None, dt.datetime(1900, 1, 1), dt.datetime(2262, 1, 1)]),
        "zoned": pa.array([dt.datetime(2024, 3, 31, tzinfo=dt.UTC), None] * 2, pa.timestamp("us", "Europe/Oslo")),
        "utc": pa.array([dt.datetime(2024, 10, 27, 1, 30, tzinfo=dt.UTC), None] * 2, pa.timestamp("s", "UTC")),
        "offset": pa.array([dt.datetime(1, 1, 1, 5, tzinfo=dt.UTC), None] * 2, pa.timestamp("ms", "+01:00")),
        "autumn": pa.array([dt.datetime(2024, 10, 27, 0, 30, tzinfo=dt.UTC), dt.datetime(2024, 10, 27, 1, 30,
                            tzinfo=dt.UTC)] * 2, pa.timestamp("us", "Europe/Oslo")),  # 02:30 twice: fold 0, 1
        "ns": pa.array([1, None, 3, 4], pa.timestamp("ns")), "dec": pa.array([Decimal("1.1"), None] * 2),
        "text": ["a", None, "ü", ""], "bytes": [b"x", None, b"", b"\x00"], "list": [[1], None, [], [None]],
        "struct": [{"a": 1}, None, {"a": None}, {"a": 2}], "int": [1, None, 3, 4], "float": [1.5, None, -0.0, 2.0],
        "bool": [True, None, False, True], "time": pa.array([dt.time(1), None, dt.time(23, 59), dt.time(0)])})
    for data in (table, pa.concat_tables([table, table]), table.to_batches()[0], table.slice(0, 0), pa.table({}),
                 pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["x", "x"])):
        assert repr(python_rows(data)) == repr(data.to_pylist())
        assert [row.get("autumn") and row["autumn"].fold for row in python_rows(data)] == \
            [row.get("autumn") and row["autumn"].fold for row in data.to_pylist()]


def test_join_carries_list_and_struct_columns() -> None:
    """Tables read from JSON have them; pyarrow's hash join refused them as non-key fields."""
    left = pa.table({"k": [1, 2], "tags": [[1], [2, 3]]})
    right = pa.table({"k": [1], "meta": [{"a": 1}]})
    assert table_join.func(None, left, right, ["k"], "left").to_pylist() == [
        {"k": 1, "tags": [1], "meta": {"a": 1}}, {"k": 2, "tags": [2, 3], "meta": None}]


@pytest.mark.parametrize(("how", "expected"), [
    ("inner", [(3, "c", "x"), (1, "a", "y"), (1, "a", "z")]),
    ("left", [(3, "c", "x"), (2, "b", None), (1, "a", "y"), (1, "a", "z")]),
    ("right", [(1, "a", "y"), (3, "c", "x"), (4, None, "w"), (1, "a", "z")]),
    ("full", [(3, "c", "x"), (2, "b", None), (1, "a", "y"), (1, "a", "z"), (4, None, "w")]),
    ("semi", [(3, "c"), (1, "a")]),
    ("anti", [(2, "b")]),
])
def test_join_keeps_the_row_order_of_its_tables(how: str, expected: list[tuple]) -> None:
    """Left rows in their order, each one's matches in the right table's order (pandas' merge order); a right
    join follows the right table; a full join puts the right rows without a match last."""
    left = pa.table({"k": [3, 2, 1], "v": ["c", "b", "a"]})
    right = pa.table({"k": [1, 3, 4, 1], "w": ["y", "x", "w", "z"]})
    for _ in range(5):  # a parallel hash join gives any order; this one never does
        joined = table_join.func(None, left, right, ["k"], how)
        assert [tuple(row.values()) for row in joined.to_pylist()] == expected


def test_table_nodes_share_one_database_per_policy_and_never_each_others_tables(tmp_path: Path) -> None:
    """Opening DuckDB costs a run 26 ms; the table nodes connect to a database kept for the process instead."""
    from flowlike_catalog.data import tables

    from flowlike_core.policy import Policy, active, sql_roots

    flow = Flow()
    rows = flow.feed("rows")
    kept = flow.add("table_filter", table=(rows, "value_ref"), condition="n > 1")
    back = flow.step("events_generic_return_result")
    flow.wire(kept, "table", back, "response")
    assert flow.run(rows=[{"n": 1}, {"n": 2}]).result.to_pylist() == [{"n": 2}]
    database = tables.DATABASES[None]
    assert flow.run(rows=[{"n": 3}]).result.to_pylist() == [{"n": 3}]
    assert tables.DATABASES[None] is database
    with pytest.raises(Exception, match="Table with name t does not exist"):
        database.cursor().sql("SELECT * FROM t")
    token = active.set(Policy.of(paths=[str(tmp_path)]))
    try:
        tables.tables_connection(None)
        confined = tables.DATABASES[tuple(sql_roots())]
    finally:
        active.reset(token)
    assert confined is not database
    assert confined.sql("SELECT current_setting('allowed_directories')").fetchall()[0][0]


def test_a_csv_header_naming_a_column_twice_gets_distinct_names(tmp_path: Path) -> None:
    """pyarrow kept both `name` columns: Filter Rows renamed the second, Group and Aggregate took the first."""
    (tmp_path / "dup.csv").write_text("name,name,v,name_1\na,b,1,c\n")
    assert table_read_csv.func(None, str(tmp_path / "dup.csv")).column_names == ["name", "name_2", "v", "name_1"]


def test_a_csv_saved_by_excel_in_windows_1252_reads_with_its_encoding(tmp_path: Path) -> None:
    (tmp_path / "excel.csv").write_bytes("Stadt;Straße\nZürich;Bahnhofstraße\n".encode("cp1252"))
    with pytest.raises(ValueError, match=r"excel\.csv as CSV: .*: give its Encoding \(e\.g\. cp1252"):
        table_read_csv.func(None, str(tmp_path / "excel.csv"), ";")
    (tmp_path / "body.csv").write_bytes("Stadt;Strasse\nZürich;x\n".encode("cp1252"))  # a header in ASCII
    with pytest.raises(ValueError, match=r"body\.csv as CSV: column 'Stadt' is not utf-8 text: give its Encoding"):
        table_read_csv.func(None, str(tmp_path / "body.csv"), ";")
    table = table_read_csv.func(None, str(tmp_path / "excel.csv"), ";", True, "cp1252")
    assert table.to_pylist() == [{"Stadt": "Zürich", "Straße": "Bahnhofstraße"}]
