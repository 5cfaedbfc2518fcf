"""What data nodes hand each other: small handle structs that name live resources, and Arrow tables.

A `FlowPath` names a file or folder: a local path or any fsspec URL, optionally inside a store that an
External node opened in this run (its credentials stay in the run's cache, never in the board). A
`SqlSession` names a DuckDB connection that lives in the run's cache (`ctx.cache`). Tables travel as
pyarrow Tables; `as_arrow` takes what a notebook user has (pandas, polars, rows) and gives one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, model_validator

from flowlike_core import Context
from flowlike_core.policy import CapabilityRefused, allowed_path, sql_roots

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa
    from fsspec import AbstractFileSystem

STORE = "fsspec-store"
SESSION = "duckdb-session"


class FlowPath(BaseModel):
    """A file or folder: a local path or an fsspec URL (`s3://bucket/key`, `memory://x`), in `store` if named."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str
    store: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        """A path's text (a String variable, a `--var`) is the path itself, so it may be wired into a path input."""
        return {"path": os.fspath(value)} if isinstance(value, str | os.PathLike) else value

    @classmethod
    def of(cls, value: Any, what: str = "path") -> FlowPath:
        """A FlowPath from a FlowPath, its dict, a string or an `os.PathLike`."""
        if isinstance(value, FlowPath):
            return value
        if isinstance(value, str | os.PathLike):
            return cls(path=os.fspath(value))
        if isinstance(value, dict) and value.get("path"):
            return cls.model_validate(value)
        raise TypeError(f"{what} must be a path struct ({{'path': ...}}) or a string, got {value!r}")

    @property
    def is_url(self) -> bool:
        return "://" in self.path

    def child(self, name: str) -> FlowPath:
        return self.model_copy(update={"path": f"{self.path.rstrip('/')}/{name.lstrip('/')}"})


def storage_options(url: str) -> dict[str, Any]:
    """The configured store's fsspec options for URLs of its protocol (an S3 store's endpoint and keys)."""
    from flowlike_core.storage import current

    config = current().config
    protocol = url.split("://", 1)[0]
    return dict(config.options) if config.content_url.startswith(f"{protocol}://") else {}


def filesystem(ctx: Context | None, path: FlowPath) -> tuple[AbstractFileSystem, str]:
    """The fsspec filesystem a path lives on and the path within it."""
    from fsspec.core import url_to_fs
    from fsspec.implementations.local import LocalFileSystem

    if path.store:
        fs = (ctx.cache if ctx is not None else {}).get((STORE, path.store))
        if fs is None:
            raise LookupError(f"store {path.store!r} of {path.path!r} is not open in this run: "
                              f"run the External node that makes it first")
        return fs, fs._strip_protocol(path.path)
    allowed_path(path.path)  # the run's policy: the store and the allowed roots only, unless it allows files
    if not path.is_url:
        return LocalFileSystem(), os.path.abspath(os.path.expanduser(path.path))
    return url_to_fs(path.path, **storage_options(path.path))


def readable_file(fs: AbstractFileSystem, inner: str, path: FlowPath, what: str = "file") -> None:
    """What a node is about to read must be a file: a missing one or a folder is named in the user's terms (the
    system says "[Errno 21] Is a directory", a library its own words). One `info` call, as `exists` was."""
    try:
        kind = fs.info(inner).get("type")
    except FileNotFoundError:
        raise FileNotFoundError(f"no {what} at {path.path}") from None
    if kind == "directory":
        raise IsADirectoryError(f"{path.path} is a folder, not a {what}")


def writable_file(fs: AbstractFileSystem, inner: str, path: FlowPath) -> None:
    """A local folder where a node writes one file is refused, naming it, before anything is written (an object
    store has no folders to be in the way)."""
    if "file" in fs.protocol and fs.isdir(inner):
        raise IsADirectoryError(f"{path.path} is a folder: give the file's name (e.g. {path.path.rstrip('/')}/NAME)")


ENCODING_HINT = ": give its Encoding (e.g. cp1252 for a CSV saved by Excel on Windows)"


def transcoding(encoding: str) -> dict[str, str]:
    """pyarrow's ReadOptions for a text encoding: none for UTF-8 (Arrow's own, no transcoding pass), a clear
    error for a name Python does not know."""
    import codecs

    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r} (e.g. utf-8, cp1252, latin-1, utf-16)") from None
    return {} if name == "utf-8" else {"encoding": encoding}


def not_csv_text(path: str, encoding: str, why: object) -> ValueError:
    """A CSV file whose text is not in the encoding it is read with: which file, which encoding, the pin to set."""
    return ValueError(f"cannot read {path} as CSV: it is not {encoding} text ({why}){ENCODING_HINT}")


def holds_nul(handle: Any) -> bool:
    """Whether a file's first 4 KiB hold a NUL byte, as UTF-16 text does (its newlines would split its rows into
    broken ones read as UTF-8); the handle is left at the start."""
    head = handle.read(4096)
    handle.seek(0)
    return b"\x00" in head


@contextmanager
def csv_batches(ctx: Context, csv: Any, chunk_size: int, delimiter: str, block_size: int | None = None,
                encoding: str = "utf-8") -> Iterator[Any]:
    """pyarrow's streaming reader of a CSV file (its record batches, read while iterated), for the nodes that take
    it in chunks of `chunk_size` rows; clear errors for a chunk size below 1, a missing file, text that is not in
    `encoding` and a value that does not fit its column. Empty cells are null, as Read CSV and Mount CSV read
    them."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    if chunk_size < 1:
        raise ValueError(f"chunk size must be at least 1, got {chunk_size}")
    transcode = transcoding(encoding)
    path = FlowPath.of(csv, "csv")
    fs, inner = filesystem(ctx, path)
    readable_file(fs, inner, path)

    def not_text(why: object) -> ValueError:
        return not_csv_text(path.path, encoding, why)

    def refused(exc: Exception) -> ValueError:
        if isinstance(exc, UnicodeDecodeError) or "invalid UTF8" in str(exc):
            return not_text(exc)
        hint = " (a streamed CSV takes each column's type from its first rows: a later value of another type " \
               "fails; clean or quote that column)" if "conversion error" in str(exc) else ""
        return ValueError(f"cannot read {path.path} as CSV: {exc}{hint}")

    def batches(reader: Any) -> Iterator[Any]:
        undecoded = [field.name for field in reader.schema if pa.types.is_binary(field.type)]
        if undecoded:  # Arrow gives text it cannot decode as bytes
            raise not_text(f"column {undecoded[0]!r}")
        try:
            yield from reader
        except (UnicodeDecodeError, pa.ArrowInvalid) as exc:
            raise refused(exc) from None

    with fs.open(inner, "rb") as handle:
        if not transcode and holds_nul(handle):
            raise not_text("it holds NUL bytes, as UTF-16 text does")
        read_options = {"block_size": block_size} if block_size else {}
        try:
            reader = pacsv.open_csv(handle, parse_options=pacsv.ParseOptions(delimiter=delimiter),
                                    read_options=pacsv.ReadOptions(**read_options, **transcode),
                                    convert_options=pacsv.ConvertOptions(strings_can_be_null=True,
                                                                         quoted_strings_can_be_null=False))
        except (UnicodeDecodeError, pa.ArrowInvalid) as exc:
            raise refused(exc) from None
        yield batches(reader)


def url(fs: AbstractFileSystem, inner: str) -> str:
    """The full URL of a path inside a filesystem (a plain path for local files)."""
    return inner if "file" in fs.protocol else fs.unstrip_protocol(inner)


class SqlSession(BaseModel):
    """A DuckDB session of this run (Flow-Like's DataFusion session): the connection sits in `ctx.cache`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = "default"


def connection(ctx: Context, session: Any) -> duckdb.DuckDBPyConnection:
    """The live connection a session handle names; a clear error when no Create Session ran before."""
    name = SqlSession.model_validate(session or {}).name
    con = ctx.cache.get((SESSION, name))
    if con is None:
        raise LookupError(f"SQL session {name!r} is not open in this run: put a Create Session node before")
    return con


def duckdb_connect(database: str = ":memory:", read_only: bool = False, threads: int = 0) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that opens only what the run's policy allows: its SQL names files and URLs itself
    (read_csv, COPY, ATTACH, httpfs), so DuckDB is told the allowed roots, refuses the rest and locks its
    configuration against a SET that would undo it. A notebook's run (no policy) reaches everything. DuckDB
    compares paths as text: a symbolic link inside an allowed root is followed (file nodes resolve links first).
    Time is UTC, as in Flow-Like's DataFusion sessions and the literals the time nodes write: in the machine's
    zone, day buckets and time filters would move with the machine a board runs on."""
    import duckdb

    con = duckdb.connect(database, read_only=read_only)
    con.execute("SET GLOBAL TimeZone = 'UTC'")  # GLOBAL: the connections `cursor()` makes from it too
    if threads > 0:
        con.execute(f"SET threads = {int(threads)}")
    roots = sql_roots()
    if roots is not None:
        con.execute(f"SET allowed_directories = [{', '.join(literal(root) for root in roots)}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    return con


@contextmanager
def sql_confined() -> Iterator[None]:
    """Turns DuckDB's refusal of a file or URL outside the run's policy (and SQLite's refused ATTACH) into a
    CapabilityRefused that says how to allow it."""
    import sqlite3

    import duckdb

    try:
        yield
    except (duckdb.PermissionException, sqlite3.DatabaseError) as exc:
        if isinstance(exc, sqlite3.DatabaseError) and "authoriz" not in str(exc):
            raise
        raise CapabilityRefused(f"the SQL reaches outside what this run allows: {exc} (allow it with flowlike run "
                                f"--allow-path DIR, --allow files or --allow network)") from None


def mount_filesystem(ctx: Context, con: duckdb.DuckDBPyConnection, path: FlowPath) -> str:
    """The location DuckDB should read `path` from: URLs go through their fsspec filesystem."""
    fs, inner = filesystem(ctx, path)
    if "file" in fs.protocol:
        return inner
    registered: dict[Any, AbstractFileSystem] = ctx.cache.setdefault((SESSION, "filesystems", id(con)), {})
    known = registered.get(fs.protocol)
    if known is None:
        con.register_filesystem(fs)
        registered[fs.protocol] = fs
    elif known is not fs and known.storage_options != fs.storage_options:
        raise ValueError(f"this SQL session reads {path.path.split('://')[0]}:// files through another store "
                         f"already: one store per protocol and session (use a second session)")
    return url(fs, inner)


def as_arrow(value: Any, what: str = "table") -> pa.Table:
    """An Arrow table from a pyarrow Table or batch, a pandas or polars DataFrame, rows or columns."""
    import pyarrow as pa

    if isinstance(value, pa.Table):
        return value
    if isinstance(value, pa.RecordBatch):
        return pa.Table.from_batches([value])
    if module_name(value) == "pandas":  # a named index is data (`groupby("city").sum()` keeps the city there)
        levels = [name for name in value.index.names if name is not None and name not in value.columns]
        return pa.Table.from_pandas(value.reset_index(level=levels) if levels else value, preserve_index=False)
    if hasattr(value, "__arrow_c_stream__"):
        return pa.table(value)
    if isinstance(value, list) and all(isinstance(row, dict) for row in value):
        names = dict.fromkeys(name for row in value for name in row)
        return pa.table({name: arrow_column([row.get(name) for row in value], name, what) for name in names})
    if isinstance(value, dict) and all(isinstance(column, list) for column in value.values()):
        return pa.table({name: arrow_column(column, name, what) for name, column in value.items()})
    raise TypeError(f"{what} must be a table (pyarrow Table, pandas or polars DataFrame, list of row dicts or "
                    f"dict of columns), got {type(value).__name__}")


def arrow_column(values: list[Any], name: str, what: str, arrow_type: Any = None,
                 fix: str = "give its values one type") -> pa.Array:
    """Python values as one Arrow column; values Arrow cannot hold in one column (an int and a text, as SQLite
    and JSON allow) fail naming the column and the types found."""
    import pyarrow as pa

    try:
        return pa.array(values, type=arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        kinds = sorted({type(v).__name__ for v in values if v is not None})
        found = f"holds values of mixed types ({', '.join(kinds)})" if len(kinds) > 1 else "cannot be an Arrow column"
        raise TypeError(f"column {name!r} of the {what} {found}: {exc}; {fix}") from None


def arrow_result(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """A DuckDB result as an Arrow table, its HUGEINT columns (what DuckDB's sum of integers gives) as int64 when
    every value fits: Arrow has no 128-bit integer, so they would arrive as decimal128(38, 0), Decimal objects in
    pandas."""
    import pyarrow as pa

    table = relation.to_arrow_table()
    for index, kind in enumerate(relation.types):
        if str(kind) == "HUGEINT":
            with suppress(pa.ArrowInvalid):  # beyond int64: the decimal keeps the exact value
                table = table.set_column(index, table.field(index).name, table.column(index).cast(pa.int64()))
    return table


def python_rows(data: pa.Table | pa.RecordBatch) -> list[dict[str, Any]]:
    """`data.to_pylist()`, made column by column: Arrow makes a date or a datetime one value at a time, 20 times
    slower than numpy makes a whole column of them, and tables are mostly dates, numbers and texts."""
    names = data.schema.names
    if len(set(names)) < len(names) or not names:
        return data.to_pylist()
    columns = [python_values(data.column(index)) for index in range(len(names))]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def python_values(column: pa.Array | pa.ChunkedArray) -> list[Any]:
    """One column's values as Python objects, as `to_pylist()` gives them (a zoned timestamp in its own zone)."""
    import datetime as dt

    import pyarrow as pa

    kind = column.type
    if pa.types.is_date32(kind) or (pa.types.is_timestamp(kind) and kind.tz is None and kind.unit != "ns"):
        return column.to_numpy(zero_copy_only=False).astype(object).tolist()  # datetime.date / datetime, None
    if pa.types.is_timestamp(kind) and kind.unit != "ns":
        zone = pa.lib.string_to_tzinfo(kind.tz)  # the tzinfo Arrow's own conversion gives
        utc = column.cast(pa.timestamp(kind.unit)).to_numpy(zero_copy_only=False).astype(object).tolist()
        return [None if value is None else value.replace(tzinfo=dt.UTC).astimezone(zone) for value in utc]
    return column.to_pylist()


def module_name(value: Any) -> str:
    return type(value).__module__.split(".", 1)[0]


def quote(identifier: str) -> str:
    """A SQL identifier, double-quoted (so names with spaces or capitals work in DuckDB)."""
    if not isinstance(identifier, str) or not identifier:
        raise ValueError(f"a table or column name must be a non-empty string, got {identifier!r}")
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"
