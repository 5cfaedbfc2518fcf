"""Time-series SQL: bins, truncation, rolling windows, timestamp literals and time ranges."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from data_boards import Flow, output
from flowlike_catalog.data.time import df_datetime_to_timestamp, df_time_range_filter, interval_literal, moment

READINGS = pa.table({
    "ts": [dt.datetime(2024, 5, 1, 10, m) for m in (0, 10, 20, 40)] + [dt.datetime(2024, 5, 1, 11, 5)],
    "sensor": ["a", "b", "a", "a", "b"],
    "value": [1.0, 2.0, 3.0, 5.0, 10.0],
})


def readings(flow: Flow) -> None:
    flow.step("df_create_session")
    register = flow.step("df_register_csv_table", table_name="readings")
    flow.wire(flow.feed("readings"), "value_ref", register, "table")


def test_time_bins_with_groups_and_an_output_table(flow: Flow) -> None:
    readings(flow)
    bins = flow.step("df_time_bin_aggregation", source_table="readings", timestamp_column="ts",
                     interval="30 minutes", value_columns="value", aggregations="count,sum,max",
                     filter="sensor = 'a'", output_table="binned")
    again = flow.step("df_sql_query", query="SELECT count(*) AS n FROM binned")
    run = flow.run(readings=READINGS)
    assert run.output(bins.id, "results") == [
        {"time_bin": dt.datetime(2024, 5, 1, 10, 0), "count": 2, "sum_value": 4.0, "max_value": 3.0},
        {"time_bin": dt.datetime(2024, 5, 1, 10, 30), "count": 1, "sum_value": 5.0, "max_value": 5.0}]
    assert run.output(bins.id, "row_count") == 2
    assert run.output(bins.id, "sql").startswith("SELECT time_bucket(INTERVAL '30 minute', \"ts\") AS time_bin")
    assert run.output(again.id, "rows") == [{"n": 2}]


def test_date_trunc_and_window(flow: Flow) -> None:
    readings(flow)
    hours = flow.step("df_date_trunc_aggregation", source_table="readings", timestamp_column="ts",
                      aggregation_sql="count(*) AS n, avg(value) AS mean")
    window = flow.step("df_window_aggregation", source_table="readings", timestamp_column="ts",
                       value_column="value", window_function="sum", window_size=2, partition_by="sensor",
                       select_columns="sensor, value")
    run = flow.run(readings=READINGS)
    assert run.output(hours.id, "results") == [{"period": dt.datetime(2024, 5, 1, 10), "n": 4, "mean": 2.75},
                                               {"period": dt.datetime(2024, 5, 1, 11), "n": 1, "mean": 10.0}]
    assert [(r["sensor"], r["sum_value"]) for r in run.output(window.id, "results")] == [
        ("a", 1.0), ("a", 4.0), ("a", 8.0), ("b", 2.0), ("b", 12.0)]


def test_bad_parameters_say_what_is_wrong(flow: Flow) -> None:
    with pytest.raises(ValueError, match="interval 'fortnights' is not understood"):
        interval_literal("fortnights")
    assert interval_literal("2h") == "INTERVAL '2 hour'"
    readings(flow)
    flow.step("df_window_aggregation", source_table="readings", timestamp_column="ts", value_column="value",
              window_function="explode")
    assert "window function 'explode'" in flow.failure(readings=READINGS)


def test_timestamp_literal() -> None:
    local = dt.datetime(2024, 5, 1, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    result = df_datetime_to_timestamp.func(local)
    assert result.timestamp_literal == "TIMESTAMP '2024-05-01 12:30:00.000000'"
    assert result.epoch_micros == 1714566600_000000
    assert output("df_datetime_to_timestamp", "epoch_micros", datetime="1970-01-01T00:00:01") == 1_000_000


def test_time_range_filter() -> None:
    now = dt.datetime(2024, 5, 2, 12, 0)
    assert moment("-24h", now) == dt.datetime(2024, 5, 1, 12, 0)
    assert moment("-30m", now) == dt.datetime(2024, 5, 2, 11, 30)
    assert moment("2024-05-01T00:00:00Z", now) == dt.datetime(2024, 5, 1)
    fixed = df_time_range_filter.func("ts", "2024-05-01T10:00:00", "2024-05-01T11:00:00")
    assert fixed.where_clause == ("\"ts\" >= TIMESTAMP '2024-05-01 10:00:00.000000' AND "
                                  "\"ts\" < TIMESTAMP '2024-05-01 11:00:00.000000'")
    relative = df_time_range_filter.func("ts", "-7d", "now")
    span = dt.datetime.fromisoformat(relative.end_timestamp) - dt.datetime.fromisoformat(relative.start_timestamp)
    assert span == dt.timedelta(days=7)
    with pytest.raises(ValueError, match="ends .* before it starts"):
        df_time_range_filter.func("ts", "now", "-1h")


def test_time_range_filter_feeds_an_aggregation(flow: Flow) -> None:
    readings(flow)
    where = flow.add("df_time_range_filter", timestamp_column="ts", start_time="2024-05-01T10:15:00",
                     end_time="2024-05-01T11:00:00")
    days = flow.step("df_date_trunc_aggregation", source_table="readings", timestamp_column="ts",
                     precision="day", aggregation_sql="sum(value) AS total")
    flow.wire(where, "where_clause", days, "filter")
    assert flow.run(readings=READINGS).output(days.id, "results") == [
        {"period": dt.datetime(2024, 5, 1), "total": 8.0}]
