"""Write JSON Lines writes what orjson gives for each row (Python's isoformat for dates and times, null for NaN),
byte for byte, whichever way it takes: DuckDB's to_json for plain columns, rows in Python for the rest."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import orjson
import pyarrow as pa
import pytest
from flowlike_catalog.data.tables import table_write_json_lines

OSLO = [dt.datetime(2024, 3, 31, 0, 30, tzinfo=dt.UTC), dt.datetime(2024, 3, 31, 0, 30, 5, 120, tzinfo=dt.UTC), None]
TABLES = {
    "plain": pa.table({
        "id": [1, -2**62, None], "big": pa.array([2**64 - 1, 0, None], pa.uint64()), "ok": [True, False, None],
        "text": ['a"b\\c', "Zürich 東京\n\t\x01/", None], "city": pa.array(["x", "y", None]).dictionary_encode(),
        "x": [0.1, float("nan"), -0.0], "y": pa.array([1.5, float("inf"), None], pa.float32()), "z": [2.0, 1e15, 1e-4],
        "ints": [[1, 2], None, []], "pair": [{"a": 1, "b": ["x"]}, None, {"a": None, "b": []}],
        "t": [1, 2, 3], "odd \"name\"": ["q", "r", "s"],
        "when": pa.array(OSLO, pa.timestamp("us", "Europe/Oslo")), "naive": pa.array(
            [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 1, 0, 0, 0, 5), None]),
        "seconds": pa.array([dt.datetime(2024, 1, 1)] * 2 + [None], pa.timestamp("s", "America/St_Johns")),
        "day": pa.array([dt.date(2024, 1, 1)] * 2 + [None]),
        "clock": pa.array([dt.time(1, 2, 3), dt.time(1, 2, 3, 400), None]),
    }),
    "far floats": pa.table({"x": [1e20, 5.0, 1e-7, 9.999999747378752e-06, 1e-5, 2.5, -1e16],
                            "y": pa.array([0.5, 1.5, 2.5, 3.5, 4.5, 9.999999747378752e-06, 7.0], pa.float32()),
                            "n": [1, 2, 3, 4, 5, 6, 7]}),
    "python only": pa.table({
        "dec": pa.array([decimal.Decimal("1.50"), None, decimal.Decimal("-3.00")], pa.decimal128(5, 2)),
        "raw": [b"\x00ab", None, b"\xff"], "span": pa.array([1_000_000, None, 5], pa.duration("us")),
        "map": pa.array([[("k", 1)], None, []], pa.map_(pa.string(), pa.int64())),
        "vec": [[0.5, float("nan")], None, []],
    }),
    "empty": pa.table({"id": pa.array([], pa.int64()), "text": pa.array([], pa.string())}),
}


@pytest.mark.parametrize("name", TABLES)
def test_lines_are_orjsons_rows(tmp_path: Path, name: str) -> None:
    table = TABLES[name]
    target = tmp_path / "out.jsonl"
    table_write_json_lines.func(None, table, str(target))
    assert target.read_bytes() == b"".join(orjson.dumps(row, default=str) + b"\n" for row in table.to_pylist())


def test_many_rows_keep_their_order(tmp_path: Path) -> None:
    """Over several batches, with rows whose floats orjson writes in exponent form here and there."""
    tiny = [1e-9 if i % 50_001 == 7 else i + 0.5 for i in range(200_000)]
    table = pa.table({"id": range(200_000), "text": [f"row {i}" for i in range(200_000)], "x": tiny})
    target = tmp_path / "out.jsonl"
    table_write_json_lines.func(None, table, str(target))
    assert target.read_bytes() == b"".join(orjson.dumps(row) + b"\n" for row in table.to_pylist())


def test_writes_to_an_fsspec_url() -> None:
    import fsspec

    table_write_json_lines.func(None, TABLES["far floats"], "memory://s7/out.jsonl")
    assert fsspec.filesystem("memory").cat("/s7/out.jsonl").splitlines()[0] == b'{"x":1e+20,"y":0.5,"n":1}'
