"""A table as JSON Lines text, one object per row, in chunks of bytes to write.

DuckDB's `to_json` makes the text of plain columns (numbers, booleans, text, and lists and structs of them) in C++,
several times faster than rows made into Python objects for orjson. The text is the same, byte for byte: NaN and
infinities become null (DuckDB writes `NaN`, which is not JSON), and the few rows with a float that orjson writes
in exponent form (below 1e-5 or from 1e16 on; DuckDB writes 0.000001 and 10000000000000000.0) are made by orjson.
A table with any other column (decimals, bytes, maps, durations, nested floats) goes row by row through orjson.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flowlike_catalog.data.handles import literal, quote

BATCH_ROWS = 65536
PLAIN_FLOATS = (1e-5, 1e16)
"""Where DuckDB and orjson both write a float as plain decimals (its shortest digits, alike)."""


def json_lines(con: Any, arrow: Any) -> Iterator[bytes | memoryview]:
    """The table's lines, a batch at a time; `con` is a DuckDB connection to scan it with."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not plain_table(arrow, pa):
        yield from python_lines(arrow)
        return
    arrow, exponent_rows = finite_floats(arrow, pa, pc)
    fields = ", ".join(f"{literal(name)}: {quote(name)}" for name in arrow.column_names)
    con.register("json_lines_table", arrow)
    try:
        start = 0
        for batch in con.sql(f"SELECT to_json({{{fields}}}) || chr(10) FROM json_lines_table").to_arrow_reader(
                BATCH_ROWS):
            lines = batch.column(0)
            if exponent_rows is not None:
                mask = exponent_rows.slice(start, len(lines))
                if pc.any(mask).as_py():
                    fixed = pa.array([line.decode() for line in python_lines(arrow.slice(start, len(lines)).filter(
                        mask), sep=False)], lines.type)
                    lines = pc.replace_with_mask(lines, mask, fixed)
            start += len(lines)
            yield text_bytes(lines, pa)
    finally:
        con.unregister("json_lines_table")


def python_lines(arrow: Any, sep: bool = True) -> Iterator[bytes]:
    """orjson's lines, a batch of rows joined (or, without `sep`, one row at a time)."""
    import orjson

    for batch in arrow.to_batches(BATCH_ROWS):
        lines = (orjson.dumps(row, default=str) + b"\n" for row in batch.to_pylist())
        yield from (b"".join(lines),) if sep else lines


def plain_table(arrow: Any, pa: Any) -> bool:
    names = arrow.column_names
    return len(set(names)) == len(names) and "" not in names and all(
        pa.types.is_floating(field.type) or plain(field.type, pa) for field in arrow.schema)


def plain(kind: Any, pa: Any) -> bool:
    """Whether DuckDB writes a value of this type as orjson does (top-level floats apart)."""
    if pa.types.is_dictionary(kind) or pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return plain(kind.value_type, pa)
    if pa.types.is_struct(kind):
        names = [kind.field(i).name for i in range(kind.num_fields)]
        return len(set(names)) == len(names) and all(plain(kind.field(i).type, pa) for i in range(kind.num_fields))
    return (pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_string(kind)
            or pa.types.is_large_string(kind) or pa.types.is_null(kind))


def finite_floats(arrow: Any, pa: Any, pc: Any) -> tuple[Any, Any]:
    """The table with NaN and infinities as null, and which rows hold a float outside PLAIN_FLOATS (None if
    none)."""
    exponent_rows = None
    for index, field in enumerate(arrow.schema):
        if not pa.types.is_floating(field.type):
            continue
        column = arrow.column(index)
        finite = pc.if_else(pc.is_finite(column), column, None)
        size = pc.abs(finite)
        outside = pc.and_kleene(pc.not_equal(size, 0), pc.or_(pc.less(size, PLAIN_FLOATS[0]),
                                                              pc.greater_equal(size, PLAIN_FLOATS[1])))
        outside = pc.fill_null(outside, False)
        exponent_rows = outside if exponent_rows is None else pc.or_(exponent_rows, outside)
        arrow = arrow.set_column(index, field.name, finite)
    if exponent_rows is None or not pc.any(exponent_rows).as_py():
        return arrow, None
    return arrow, exponent_rows.combine_chunks() if isinstance(exponent_rows, pa.ChunkedArray) else exponent_rows


def text_bytes(column: Any, pa: Any) -> bytes | memoryview:
    """The UTF-8 bytes of a text column without nulls, end to end: its values buffer, between its first and last
    offsets (no copy)."""
    import numpy as np

    _, offsets, data = column.buffers()
    if data is None:
        return b""
    width = np.int64 if pa.types.is_large_string(column.type) else np.int32
    bounds = np.frombuffer(offsets, width)[column.offset:column.offset + len(column) + 1]
    return memoryview(data)[bounds[0]:bounds[-1]]
