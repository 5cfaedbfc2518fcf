"""Time-series SQL (Flow-Like's DataFusion time nodes): time bins, date truncation, rolling windows, ranges.

The aggregation nodes build one SQL statement from their pins, run it in the session and also give the SQL,
so a board can show or reuse what it ran.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.handles import SqlSession, connection, literal, python_rows, quote
from flowlike_catalog.data.sql import Session, run_query

from flowlike_core import Context, Pin, node

CATEGORY = "Data/DataFusion/Aggregation"
TIME = "Data/DataFusion/Time"

UNITS = {"s": "second", "sec": "second", "second": "second", "m": "minute", "min": "minute", "minute": "minute",
         "h": "hour", "hour": "hour", "d": "day", "day": "day", "w": "week", "week": "week", "month": "month",
         "y": "year", "year": "year", "quarter": "quarter", "millisecond": "millisecond", "ms": "millisecond"}
AGGREGATES = {"count", "sum", "avg", "min", "max", "median", "stddev", "variance", "first", "last"}
WINDOWS = AGGREGATES | {"row_number", "rank", "dense_rank", "lag", "lead"}


def interval_literal(text: str) -> str:
    """A DuckDB interval from '15 minutes', '1h', 'hour' or '2 days'."""
    found = re.fullmatch(r"\s*(\d+)?\s*([a-zA-Z]+?)s?\s*", text or "")
    if not found or found.group(2).lower() not in UNITS:
        raise ValueError(f"interval {text!r} is not understood: use e.g. '15 minutes', '1h', 'hour', '2 days'")
    return f"INTERVAL '{int(found.group(1) or 1)} {UNITS[found.group(2).lower()]}'"


def columns(text: str) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def where(filter_sql: str) -> str:
    return f" WHERE {filter_sql}" if filter_sql and filter_sql.strip() else ""


class Aggregated(NamedTuple):
    session_out: SqlSession
    results: Annotated[Any, Pin(description="The result rows as dicts")]
    sql: Annotated[str, Pin(description="The statement that ran")]
    row_count: int


@node(friendly_name="Time Bin Aggregation", exec_pins=True)
def df_time_bin_aggregation(
    ctx: Context,
    session: Session,
    source_table: str,
    timestamp_column: str,
    interval: Annotated[str, Pin(description="Bin width: '15 minutes', '1h', 'hour', '2 days'...")] = "hour",
    value_columns: Annotated[str, Pin(description="Comma-separated columns to aggregate")] = "",
    aggregations: Annotated[str, Pin(description=f"Comma-separated: {', '.join(sorted(AGGREGATES))}")
                            ] = "count,sum,avg",
    group_by: Annotated[str, Pin(description="Comma-separated extra grouping columns")] = "",
    filter: Annotated[str, Pin(description="SQL condition on the source rows")] = "",  # noqa: A002
    output_table: Annotated[str, Pin(description="Also keep the result as this session table")] = "",
) -> Aggregated:
    """Groups rows into fixed time bins (column `time_bin`) and aggregates values per bin.

    Each value column gets one column per aggregation, named `<aggregation>_<column>`; count adds `count`."""
    functions = columns(aggregations)
    unknown = [f for f in functions if f not in AGGREGATES]
    if unknown or not functions:
        raise ValueError(f"aggregations {unknown or aggregations!r}: use {', '.join(sorted(AGGREGATES))}")
    selected = [f"time_bucket({interval_literal(interval)}, {quote(timestamp_column)}) AS time_bin",
                *map(quote, columns(group_by))]
    if "count" in functions:
        selected.append("count(*) AS count")
    selected += [f"{f}({quote(c)}) AS {quote(f'{f}_{c}')}" for c in columns(value_columns) for f in functions
                 if f != "count"]
    groups = ", ".join(str(i + 1) for i in range(1 + len(columns(group_by))))
    sql = (f"SELECT {', '.join(selected)} FROM {quote(source_table)}{where(filter)} "
           f"GROUP BY {groups} ORDER BY {groups}")
    return aggregate(ctx, session, sql, output_table)


def aggregate(ctx: Context, session: Any, sql: str, output_table: str = "") -> Aggregated:
    con = connection(ctx, session)
    if output_table:
        con.execute(f"CREATE OR REPLACE TABLE {quote(output_table)} AS {sql}")
        table = run_query(con, f"SELECT * FROM {quote(output_table)}")
    else:
        table = run_query(con, sql)
    return Aggregated(SqlSession.model_validate(session), python_rows(table), sql, table.num_rows)


class Truncated(NamedTuple):
    session_out: SqlSession
    results: Annotated[Any, Pin(description="The result rows as dicts")]
    sql: str


@node(friendly_name="Date Truncate Aggregation", exec_pins=True)
def df_date_trunc_aggregation(
    ctx: Context,
    session: Session,
    source_table: str,
    timestamp_column: str,
    precision: Annotated[str, Pin(valid_values=("second", "minute", "hour", "day", "week", "month", "quarter",
                                                "year"))] = "hour",
    aggregation_sql: Annotated[str, Pin(description="Aggregate expressions, e.g. 'count(*) AS n, avg(x) AS x'")
                               ] = "count(*) AS count",
    filter: str = "",  # noqa: A002
) -> Truncated:
    """Aggregates rows per calendar period (column `period`, the timestamp truncated to the precision)."""
    if precision not in UNITS.values():
        raise ValueError(f"precision {precision!r}: use second, minute, hour, day, week, month, quarter or year")
    sql = (f"SELECT date_trunc({literal(precision)}, {quote(timestamp_column)}) AS period, {aggregation_sql} "
           f"FROM {quote(source_table)}{where(filter)} GROUP BY 1 ORDER BY 1")
    result = aggregate(ctx, session, sql)
    return Truncated(result.session_out, result.results, sql)


@node(friendly_name="Window Aggregation", exec_pins=True)
def df_window_aggregation(
    ctx: Context,
    session: Session,
    source_table: str,
    timestamp_column: str,
    value_column: str,
    window_function: Annotated[str, Pin(description=f"One of {', '.join(sorted(WINDOWS))}")] = "avg",
    window_size: Annotated[int, Pin(description="Rows in the window: this one and the ones before it")] = 10,
    partition_by: Annotated[str, Pin(description="Comma-separated columns: one window per group")] = "",
    select_columns: str = "*",
) -> Truncated:
    """Adds a rolling window column `<function>_<value column>` over rows ordered by time (a moving average...)."""
    if window_function not in WINDOWS:
        raise ValueError(f"window function {window_function!r}: use one of {', '.join(sorted(WINDOWS))}")
    if window_size < 1:
        raise ValueError(f"window size must be at least 1, got {window_size}")
    partition = f"PARTITION BY {', '.join(map(quote, columns(partition_by)))} " if columns(partition_by) else ""
    order = f"ORDER BY {quote(timestamp_column)}"
    if window_function in ("row_number", "rank", "dense_rank"):
        call, frame = f"{window_function}()", ""
    elif window_function in ("lag", "lead"):
        call, frame = f"{window_function}({quote(value_column)}, {int(window_size)})", ""
    else:
        call = f"{window_function}({quote(value_column)})"
        frame = f" ROWS BETWEEN {window_size - 1} PRECEDING AND CURRENT ROW"
    name = quote(f"{window_function}_{value_column}")
    sql = (f"SELECT {select_columns}, {call} OVER ({partition}{order}{frame}) AS {name} "
           f"FROM {quote(source_table)} ORDER BY {', '.join(map(quote, [*columns(partition_by), timestamp_column]))}")
    result = aggregate(ctx, session, sql)
    return Truncated(result.session_out, result.results, sql)


class TimestampLiteral(NamedTuple):
    timestamp_literal: Annotated[str, Pin(description="e.g. TIMESTAMP '2024-05-01 12:00:00.000000'")]
    epoch_micros: int


@node(friendly_name="DateTime to SQL Timestamp", category=TIME)
def df_datetime_to_timestamp(datetime: dt.datetime) -> TimestampLiteral:
    """A SQL timestamp literal (UTC) and microseconds since 1970 for a date-time."""
    moment = datetime if isinstance(datetime, dt.datetime) else dt.datetime.fromisoformat(str(datetime))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    micros = (moment - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)
    return TimestampLiteral(f"TIMESTAMP '{moment:%Y-%m-%d %H:%M:%S.%f}'", micros)


RELATIVE = re.compile(r"^-\s*(\d+(?:\.\d+)?)\s*([a-z]+)$")
SECONDS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def moment(text: str, now: dt.datetime) -> dt.datetime:
    """'now', a relative time ('-24h', '-30m', '-7d', '-2w') or an ISO date-time, as naive UTC."""
    text = (text or "").strip().lower()
    if text == "now":
        return now
    found = RELATIVE.match(text)
    if found and found.group(2) in SECONDS:
        return now - dt.timedelta(seconds=float(found.group(1)) * SECONDS[found.group(2)])
    try:
        parsed = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"time {text!r} is not understood: use 'now', '-24h', '-30m', '-7d' or an ISO "
                         f"date-time") from None
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


class TimeRange(NamedTuple):
    where_clause: str
    start_timestamp: str
    end_timestamp: str


@node(friendly_name="Time Range Filter", category=TIME, cacheable=False)  # relative to now
def df_time_range_filter(timestamp_column: str, start_time: str = "-24h", end_time: str = "now") -> TimeRange:
    """A SQL condition keeping rows whose timestamp lies in [start, end) (times in UTC)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    start, end = moment(start_time, now), moment(end_time, now)
    if end < start:
        raise ValueError(f"the time range ends ({end}) before it starts ({start})")
    first, last = (f"TIMESTAMP '{t:%Y-%m-%d %H:%M:%S.%f}'" for t in (start, end))
    return TimeRange(f"{quote(timestamp_column)} >= {first} AND {quote(timestamp_column)} < {last}",
                     start.isoformat(), end.isoformat())
