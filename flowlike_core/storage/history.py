"""Run history: every run's record in a LanceDB table, queryable by board, status, time and log level.

One row per run: the fields queries filter on as columns, the full `RunRecord` as JSON beside them.
A LanceDB commit costs milliseconds, too much for every finished run, so `append` first writes the record
as one small JSON object under `history/pending/` (atomic, as cheap as a plain JSON file) and every
`FOLD_EVERY` appends, and before any query, the pending records are folded into the table in one
commit. Folding is an upsert on the run id, so two processes folding the same records cannot duplicate
them, and a process killed between the commit and the clean-up loses nothing. Each pending record has its
own key (its run id), so appends never contend; it is written atomically and fsynced before `append`
returns. Temporary files a killed append left behind are not records: listings skip them and a fold
removes them once they are old. A pending record that is not one (torn, edited by hand) is moved aside to
`history/corrupt/` with a warning naming it, and the others are folded: one bad file never hides the history.

A run whose result is a pyarrow Table keeps it as a table: an Arrow IPC file (zstd; every Arrow type, where
Parquet has no unions), content-addressed under `history/tables/` (secret values redacted, as everywhere in a
record), the record's result naming it (`TABLE_RESULT`); reading the run back gives the Table again. A table lost
or damaged since: `get` says so naming the run, `query` warns and leaves that run's result as the reference. A
pandas or polars DataFrame result is kept the same way, through Arrow: it comes back as a pyarrow Table
(`Table.to_pandas()`, `polars.from_arrow` turn it back). A bytes result is kept as a blob under `history/blobs/`
(`BYTES_RESULT`; secrets in it masked) and comes back as bytes, not as a JSON list of its byte values. So are the
run's variables holding bytes (a Byte Array variable, or bytes in a Generic one), and any other variable or result
whose JSON is longer than `INLINE_LIMIT` goes to a JSON blob (`JSON_VALUE`): a record stays a few kilobytes whatever
the run held, and reading it back (`get`, `query`) gives the values again (`tables=False`: the references).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from flowlike_core.board import Board, LogLevel
from flowlike_core.errors import StorageError
from flowlike_core.run import LEVEL_ORDER, Run, RunRecord, RunStatus, json_copy
from flowlike_core.storage.blobs import BlobRef, BlobStore
from flowlike_core.storage.bucket import Bucket, revision_of
from flowlike_core.storage.cli import choice, parse_when
from flowlike_core.storage.lance import connect, lance_uri
from flowlike_core.storage.run_diff import RunChange, diff_runs
from flowlike_core.storage.spool import Spool
from flowlike_core.types import DataType, ValueType, is_table
from flowlike_core.wording import counted

if TYPE_CHECKING:
    import pyarrow as pa

    from flowlike_core.redaction import Redactor

TABLE = "runs"
FOLD_EVERY = 100
COMPACT_EVERY = 20
"""Folds between compactions, which merge the table's small fragments so that queries stay fast."""
TABLE_RESULT = "arrow_table"
"""A record's result `{"arrow_table": <BlobRef of its Arrow file>, "rows": n, "columns": [...]}` is a pyarrow Table."""
ARROW_FILE = "application/vnd.apache.arrow.file"
BYTES_RESULT = "bytes"
"""A record's result or variable `{"bytes": <BlobRef>, "size": n}` is bytes kept as a blob."""
JSON_VALUE = "json"
"""A record's result or variable `{"json": <BlobRef>, "size": n}` is a JSON value kept as a blob (n: its length)."""
INLINE_LIMIT = 16 * 1024
"""A value whose JSON text is longer than this many characters is kept as a blob, not in the record."""


def _schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema([
        ("id", pa.string()), ("board_id", pa.string()), ("board_name", pa.string()), ("app", pa.string()),
        ("status", pa.string()), ("start", pa.float64()), ("end", pa.float64()), ("duration", pa.float64()),
        ("steps", pa.int64()), ("max_level", pa.int32()), ("error", pa.string()), ("record", pa.string()),
    ])


def redacted_record(run: Run) -> RunRecord:
    """The run's record, every secret redacted (as `Run.record()` always does; see `flowlike_core.redaction`); a table
    result as its text, as the history keeps the table itself (`_slim`)."""
    return run.record(tables=False)


def _row(record: RunRecord, app: str, text: str | None = None) -> dict[str, Any]:
    """The table row of a record (`text`: its JSON, when already at hand)."""
    levels = [LEVEL_ORDER[log.level] for trace in record.traces for log in trace.logs]
    return {
        "id": record.id, "board_id": record.board_id, "board_name": record.board_name, "app": app,
        "status": record.status.value, "start": record.start.timestamp(),
        "end": record.end.timestamp() if record.end else None, "duration": record.duration,
        "steps": record.steps, "max_level": max(levels, default=-1), "error": record.error,
        "record": text if text is not None else record.model_dump_json(),
    }


def _pending_row(data: bytes) -> dict[str, Any]:
    """The row a pending record holds, its columns rebuilt from its record; ValueError when it is not one."""
    row = json.loads(data)
    if not isinstance(row, dict) or not isinstance(row.get("record"), str) or not isinstance(row.get("app"), str):
        raise ValueError("expected a JSON object with the run's record and app")
    return _row(RunRecord.model_validate_json(row["record"]), row["app"], row["record"])


def _as_table(value: Any) -> pa.Table | None:
    """The value as a pyarrow Table if it is one, or a pandas or polars DataFrame (converted through Arrow: pandas'
    index kept as the Table's pandas metadata); None for any other value, and for a frame Arrow cannot hold (a
    column of mixed Python objects), which is kept as its text. pandas and polars are never imported here: a value
    from them says so in its type's module."""
    pyarrow = sys.modules.get("pyarrow")  # not imported: the value cannot be a Table
    if pyarrow is not None and isinstance(value, pyarrow.Table):
        return value
    kind = type(value)
    library = kind.__module__.partition(".")[0]
    if kind.__name__ != "DataFrame" or library not in ("pandas", "polars"):
        return None
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(value) if library == "pandas" else value.to_arrow()
    except (pa.ArrowException, TypeError, ValueError):
        return None


def _redacted(column: pa.ChunkedArray, redactor: Redactor) -> pa.ChunkedArray | pa.Array:
    """A column with its secrets masked; a column that holds no text as it is."""
    import pyarrow as pa

    if not _holds_text(column.type):
        return column
    return pa.array(redactor.value(column.to_pylist()), type=column.type)


def _holds_text(kind: pa.DataType) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        return _holds_text(kind.value_type)
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind) \
        or any(_holds_text(kind.field(i).type) for i in range(kind.num_fields))


def _bytes_ref(result: Any) -> BlobRef | None:
    """The blob a record's result stands for, if it is bytes kept as one."""
    if isinstance(result, dict) and set(result) == {BYTES_RESULT, "size"}:
        return BlobRef.model_validate(result[BYTES_RESULT])
    return None


def _json_ref(value: Any) -> BlobRef | None:
    """The blob a record's value stands for, if it is a large JSON value kept as one."""
    if isinstance(value, dict) and set(value) == {JSON_VALUE, "size"}:
        return BlobRef.model_validate(value[JSON_VALUE])
    return None


def _table_ref(result: Any) -> BlobRef | None:
    """The Arrow file a record's result stands for, if it is a table's."""
    if isinstance(result, dict) and set(result) == {TABLE_RESULT, "rows", "columns"}:
        return BlobRef.model_validate(result[TABLE_RESULT])
    return None


def _lance_message(exc: BaseException) -> str:
    """LanceDB's message without the Rust source locations it appends."""
    return str(exc).splitlines()[0].split(", /rustc/")[0][:400]


def _as_cli_reads(parse: Callable[[str], Any], text: str) -> Any:
    """Text read as `flowlike runs` reads it; its refusal as a ValueError."""
    try:
        return parse(text)
    except argparse.ArgumentTypeError as exc:
        raise ValueError(str(exc)) from None


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _seconds(when: dt.datetime | float | str) -> float:
    if isinstance(when, str):
        when = _as_cli_reads(parse_when, when)
    if isinstance(when, dt.datetime):
        return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp()
    return float(when)


class RunHistory:
    """The run history in a content bucket. `append` after a run; `query` to find runs again."""

    def __init__(self, bucket: Bucket, key: str = "history", options: dict[str, Any] | None = None, *,
                 spool: bool = True) -> None:
        self.bucket = bucket
        self.key = key
        self.uri = lance_uri(bucket, key)
        self.pending = f"{key}/pending"
        self.tables = BlobStore(bucket, f"{key}/tables")
        self.blobs = BlobStore(bucket, f"{key}/blobs")
        self._options = options or {}
        self.folds = spool
        """Whether every FOLD_EVERY appends fold the pending records (a spool has no table: it never does)."""
        self.spool = Spool(bucket) if spool else None
        """Where a run waits when this store cannot be reached as it ends (`keep_in_spool`)."""
        self._table: Any = None
        self._unfolded = 0
        self._folds = 0
        self._lock = threading.RLock()

    @property
    def table(self) -> Any:
        if self._table is None:
            with self._lance("opened"):
                self._table = connect(self.uri, self._options).create_table(TABLE, schema=_schema(), exist_ok=True)
        return self._table

    @contextlib.contextmanager
    def _lance(self, done: str) -> Iterator[None]:
        """LanceDB's errors (a damaged table, a store it cannot reach) as a StorageError naming the history."""
        try:
            yield
        except (OSError, RuntimeError, ValueError) as exc:
            raise StorageError(f"the run history table in {self.uri} cannot be {done}: {_lance_message(exc)}") from exc

    def exists(self) -> bool:
        """Whether the store holds a run history (False: it answers, but no run was ever recorded there; nothing
        is made). A store that does not answer (no credentials, no network, no such bucket) or cannot be made (a
        file where its folder must be) is a StorageError naming it: `flowlike runs` and `flowlike run --store` ask
        this before anything else."""
        try:
            found = self.bucket.exists(self.key)
            missing = None if found else self.bucket.missing_bucket()
        except Exception as exc:  # noqa: BLE001 - whatever the store's client raises
            raise StorageError(f"cannot reach the run history in {self.bucket.url}: {type(exc).__name__}: "
                               f"{exc}") from exc
        if missing:
            raise StorageError(f"cannot keep a run history in {self.bucket.url}: bucket {missing!r} does not exist")
        if not found and (in_the_way := self.bucket.file_in_the_way()):
            raise StorageError(f"cannot keep a run history in {self.bucket.url}: {in_the_way} is a file, not a folder")
        return found

    def append(self, run: Run | RunRecord, app: str = "") -> RunRecord:
        """Persist one run (a live `Run` is redacted of secret values first); returns the stored record."""
        record = self._slim(run, redacted_record(run) if isinstance(run, Run) else run)
        row = json.dumps(_row(record, app)).encode("utf-8")
        self.bucket.write(f"{self.pending}/{revision_of(record.id.encode())}.json", row)
        with contextlib.suppress(StorageError):  # the store answers again: the runs that waited for it go up
            self.upload_spooled()
        with self._lock:
            self._unfolded += 1
            due = self.folds and self._unfolded >= FOLD_EVERY
        if due:
            self.fold()
        return record

    def keep_in_spool(self, run: Run | RunRecord, problem: BaseException, app: str = "") -> Path:
        """Keep a run this store could not take in the local spool (`flowlike_core.storage.spool`), saying so; the
        next command reaching the store uploads it. Returns the spool folder. A spool that cannot be written either
        is a StorageError naming both failures."""
        if self.spool is None:
            raise StorageError(f"run {run.id} was not kept in the run history at {self.bucket.url}: {problem}")
        try:
            spooled = RunHistory(self.spool.bucket, self.key, spool=False)
            spooled.append(run, app)
        except (OSError, StorageError) as exc:
            raise StorageError(f"run {run.id} was not kept in the run history at {self.bucket.url} ({problem}), nor "
                               f"in the spool {self.spool.folder} ({exc}): its record is lost") from exc
        warnings.warn(f"run {run.id} was not kept in the run history at {self.bucket.url} ({problem}); it waits in "
                      f"{self.spool.folder} and goes up the next time a run or command reaches that store",
                      RuntimeWarning, stacklevel=2)
        return self.spool.folder

    def upload_spooled(self) -> int:
        """Upload the runs that waited in the spool for this store (see `keep_in_spool`), saying so; how many."""
        if self.spool is None or not self.spool.files():
            return 0
        uploaded = self.spool.upload()
        if uploaded:
            warnings.warn(f"now in the run history of {self.bucket.url}: {counted(uploaded, 'run')} that waited in "
                          f"{self.spool.folder} while it could not be reached", RuntimeWarning, stacklevel=2)
        return uploaded

    def _slim(self, run: Run | RunRecord, record: RunRecord) -> RunRecord:
        """The record with its large values kept apart as files in the content bucket, so that it stays small: a
        Table result (or DataFrame) as an Arrow file, bytes as blobs (a Byte Array variable's too), any other value
        whose JSON is longer than INLINE_LIMIT as a JSON blob."""
        live = run if isinstance(run, Run) else None
        table = _as_table(live.result) if live is not None else None
        if table is not None:
            result = self._keep_table(live, table, record.result)
        elif live is not None and isinstance(live.result, bytes | bytearray):
            result = self._keep_bytes(live, bytes(live.result))
        elif live is not None and is_table(live.result):  # a frame Arrow cannot hold: its rows
            result = self._keep_json(live.record().result)
        else:
            result = self._keep_json(record.result)
        variables = {name: self._keep_variable(live, name, value) for name, value in record.variables.items()}
        return record.model_copy(update={"result": result, "variables": variables})

    def _keep_variable(self, live: Run | None, name: str, value: Any) -> Any:
        """A variable's value as the record keeps it: a table it started with as an Arrow file (as a table result),
        bytes (a Byte Array, or a variable holding bytes when the run started) as a blob, a large JSON value as a
        JSON blob, anything else as it is."""
        started = live.start_variables.get(name) if live is not None else None
        if live is not None and is_table(started):
            table = _as_table(started)
            return self._keep_table(live, table, value) if table is not None else self._keep_json(json_copy(started))
        if live is not None and isinstance(value, list):
            declared = next((v for v in live.board.variables.values() if v.name == name), None)
            held = live.variables.get(name)  # its value now: bytes still, when no node set it
            if declared is not None and (declared.data_type, declared.value_type) == (DataType.BYTE, ValueType.ARRAY) \
                    or isinstance(held, bytes | bytearray) and len(held) == len(value) and list(held) == value:
                with contextlib.suppress(TypeError, ValueError):  # not byte values after all: kept as JSON
                    return self._keep_bytes(live, bytes(value))
        return self._keep_json(value)

    def _keep_json(self, value: Any) -> Any:
        """A JSON value as it is, or as a JSON blob when its text is longer than INLINE_LIMIT."""
        if not isinstance(value, list | dict | str):
            return value
        text = orjson.dumps(value)
        if len(text) <= INLINE_LIMIT:
            return value
        return {JSON_VALUE: self.blobs.put(text, "application/json").model_dump(), "size": len(text)}

    def _keep_table(self, run: Run, table: pa.Table, text: str) -> dict[str, Any] | str:
        """A table of the run (its result, or a variable's value at its start) as an Arrow file in the content bucket
        (its secrets redacted); what the record keeps. A table whose text cannot be redacted column by column (a
        union holding text, with secrets in the run) is kept as its redacted `text`, as any value without a JSON
        form."""
        import pyarrow as pa

        if run.redactor:
            try:
                table = pa.Table.from_arrays([_redacted(column, run.redactor) for column in table.columns],
                                             schema=table.schema)
            except pa.ArrowException:
                return text
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as writer:
            writer.write_table(table)
        ref = self.tables.put(sink.getvalue().to_pybytes(), ARROW_FILE)
        return {TABLE_RESULT: ref.model_dump(), "rows": table.num_rows, "columns": table.column_names}

    def _keep_bytes(self, run: Run, data: bytes) -> dict[str, Any]:
        """The run's bytes result as a blob (secrets masked where they appear as text); what the record keeps."""
        if run.redactor:
            data = run.redactor.text(data.decode("latin-1")).encode("latin-1")  # one char per byte, both ways
        return {BYTES_RESULT: self.blobs.put(data).model_dump(), "size": len(data)}

    def _read(self, text: str, tables: bool, *, strict: bool = True) -> RunRecord:
        """A stored record; with `tables`, a value kept as a file comes back as its value: an Arrow file as the
        pyarrow Table, a bytes blob as bytes, a JSON blob as its JSON value. A file that cannot be read (lost,
        damaged) is a StorageError naming the run; not `strict`, a warning, and the record keeps the reference."""
        record = RunRecord.model_validate_json(text)
        if not tables:
            return record
        try:
            result = self._resolve(record.result, "result")
            variables = {name: self._resolve(value, f"variable {name!r}") for name, value in record.variables.items()}
        except StorageError as exc:
            problem = f"run {record.id}: {exc}"
            if strict:
                raise StorageError(f"{problem}; store.runs.get({record.id!r}, tables=False) reads the rest of its "
                                   f"record") from exc
            warnings.warn(f"{problem}; its record keeps the reference", RuntimeWarning, stacklevel=3)
            return record
        return record.model_copy(update={"result": result, "variables": variables})

    def _resolve(self, value: Any, what: str) -> Any:
        """The value a reference in a record stands for (any other value as it is); a StorageError naming `what`
        and the file when that file cannot be read."""
        table, blob, kept = _table_ref(value), _bytes_ref(value), _json_ref(value)
        if table is None and blob is None and kept is None:
            return value
        import pyarrow as pa

        try:
            if table is not None:
                return pa.ipc.open_file(pa.BufferReader(self.tables.get(table))).read_all()
            if blob is not None:
                return self.blobs.get(blob)
            return orjson.loads(self.blobs.get(kept))
        except (StorageError, pa.ArrowException, orjson.JSONDecodeError) as exc:
            kind, ref = ("table", table) if table is not None else ("bytes", blob) if blob is not None \
                else ("JSON", kept)
            raise StorageError(f"its {what} {kind} {ref.key} cannot be read ({exc})") from exc

    def append_many(self, records: Iterable[RunRecord], app: str = "") -> None:
        """Persist several records in one commit (imports, tests, benchmarks), large values kept apart as `append`
        keeps them."""
        self._commit([_row(self._slim(record, record), app) for record in records])

    def fold(self) -> int:
        """Move pending records into the table in one commit (runs waiting in the spool for this store first go
        up); returns how many were pending."""
        self.upload_spooled()
        with self._lock:
            rows, folded = [], []
            for key in self.bucket.list(self.pending):
                try:
                    data = self.bucket.read(key)
                except FileNotFoundError:
                    continue  # another process folded it meanwhile
                try:
                    rows.append(_pending_row(data))
                except ValueError as exc:  # JSON, or the record's validation
                    self._set_aside(key, data, exc)
                    continue
                folded.append(key)
            self._commit(rows)
            for key in folded:
                with contextlib.suppress(FileNotFoundError):
                    self.bucket.delete(key)
            self._unfolded = 0
            self.bucket.remove_stale(self.pending)
            return len(rows)

    def _set_aside(self, key: str, data: bytes, problem: ValueError) -> None:
        """Move a pending file that is not a run record to `<history>/corrupt/`, saying so."""
        aside = f"{self.key}/corrupt/{key.rsplit('/', 1)[-1]}"
        self.bucket.write(aside, data)
        with contextlib.suppress(FileNotFoundError):
            self.bucket.delete(key)
        reason = str(problem).splitlines()[0][:200]
        warnings.warn(f"{key} in {self.bucket.url} is not a run record ({type(problem).__name__}: {reason}); set "
                      f"aside as {aside}, the other runs are kept", RuntimeWarning, stacklevel=4)

    def _commit(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        if not rows:
            return
        with self._lock:
            data = pa.Table.from_pylist(rows, schema=_schema())
            with self._lance("written"):
                self.table.merge_insert("id").when_not_matched_insert_all().execute(data)
                self._folds += 1
                if self._folds % COMPACT_EVERY == 0:
                    self.table.optimize(cleanup_older_than=dt.timedelta(minutes=10))

    def query(
        self,
        *,
        board: str | None = None,
        status: RunStatus | str | None = None,
        since: dt.datetime | float | str | None = None,
        until: dt.datetime | float | str | None = None,
        level: LogLevel | str | None = None,
        app: str | None = None,
        limit: int | None = 100,
        tables: bool = True,
    ) -> list[RunRecord]:
        """Runs, newest first. `board` matches a board name or id; `level` keeps runs that logged at that
        level or above; `since`/`until` bound the start time (datetimes, seconds since the epoch, or text as for
        `flowlike runs --since`: ISO, or a span back from now like `2h`). A result
        kept as an Arrow file (a Table's, or a pandas or polars DataFrame's) comes back as a pyarrow Table, bytes
        kept as a blob as bytes, or with `tables=False` as the JSON naming them."""
        where = self.where(board=board, status=status, since=since, until=until, level=level, app=app)
        if limit is not None and limit <= 0:
            return []
        self.fold()
        index = self._select(where, ["id", "start"])
        order = sorted(zip(index["start"].to_pylist(), index["id"].to_pylist(), strict=True), reverse=True)
        ids = [run_id for _, run_id in order[:limit]]
        if not ids:
            return []
        rows = self._select(f"id IN ({', '.join(_quote(i) for i in ids)})", ["id", "record"])
        by_id = dict(zip(rows["id"].to_pylist(), rows["record"].to_pylist(), strict=True))
        return [self._read(by_id[i], tables, strict=False) for i in ids]

    def get(self, run_id: str, tables: bool = True) -> RunRecord:
        """One run by id (`tables` as for `query`)."""
        self.fold()
        rows = self._select(f"id = {_quote(run_id)}", ["record"])["record"].to_pylist()
        if not rows:
            raise KeyError(f"no run {run_id!r} in the run history at {self.uri}")
        return self._read(rows[0], tables)

    def diff(self, old: str, new: str) -> list[RunChange]:
        """What differs from run `old` to run `new` (ids): see `flowlike_core.storage.run_diff`."""
        return diff_runs(self.get(old, tables=False), self.get(new, tables=False))

    def parameters(self, run_id: str, board: Board | Any) -> dict[str, Any]:
        """The values run `run_id` gave the board's exposed variables, to run it again as it ran:
        `board.run(store.runs.parameters(run_id, board))`. A record keeps every variable, and a run refuses the ones
        that are not exposed; secret ones are masked in it, so they are left out (the board's own value serves)."""
        board = getattr(board, "core", board)  # the notebook's handle, or the engine's Board
        record = self.get(run_id)
        given = {}
        for variable in board.variables.values():
            if not variable.exposed or variable.secret or variable.name not in record.variables:
                continue
            value = record.variables[variable.name]
            byte_array = (variable.data_type, variable.value_type) == (DataType.BYTE, ValueType.ARRAY)
            given[variable.name] = list(value) if byte_array and isinstance(value, bytes) else value
        return given

    def frame(self, **filters: Any) -> Any:
        """The runs `query(**filters)` finds as a pandas DataFrame, newest first: one row per run, a column per
        variable (named as the variable) beside id, board, status, start, duration, steps, result and error, so
        that runs of one board with different parameters compare side by side."""
        import pandas as pd

        records = self.query(**filters)
        names = list(dict.fromkeys(name for record in records for name in record.variables))
        return pd.DataFrame(
            [{"id": r.id, "board": r.board_name, "status": r.status.value, "start": r.start, "duration": r.duration,
              "steps": r.steps, **{name: r.variables.get(name) for name in names}, "result": r.result,
              "error": r.error} for r in records],
            columns=["id", "board", "status", "start", "duration", "steps", *names, "result", "error"])

    def count(self, **filters: Any) -> int:
        self.fold()
        with self._lance("read"):
            return self.table.count_rows(self.where(**filters))

    @staticmethod
    def where(*, board: str | None = None, status: RunStatus | str | None = None,
              since: dt.datetime | float | str | None = None, until: dt.datetime | float | str | None = None,
              level: LogLevel | str | None = None, app: str | None = None) -> str | None:
        """The SQL predicate for a query; values are quoted, so names cannot inject SQL. Text is read as `flowlike
        runs` reads it: a status or level in any case, a time as ISO or a span back from now (`2h`, `7d`)."""
        parts = []
        if board is not None:
            parts.append(f"(board_name = {_quote(board)} OR board_id = {_quote(board)})")
        if status is not None:
            parts.append(f"status = {_quote(_as_cli_reads(choice(RunStatus), status))}")
        if since is not None:
            parts.append(f"start >= {_seconds(since)!r}")
        if until is not None:
            parts.append(f"start <= {_seconds(until)!r}")
        if level is not None:
            parts.append(f"max_level >= {LEVEL_ORDER[LogLevel(_as_cli_reads(choice(LogLevel), level))]}")
        if app is not None:
            parts.append(f"app = {_quote(app)}")
        return " AND ".join(parts) or None

    def _select(self, where: str | None, columns: list[str]) -> pa.Table:
        table = self.table
        with self._lance("read"):
            query = table.search().select(columns).limit(None)
            return (query.where(where) if where else query).to_arrow()
