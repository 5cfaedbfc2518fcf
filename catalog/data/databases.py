"""Databases: SQLite, DuckDB files, PostgreSQL (psycopg) and MySQL/MariaDB (pymysql).

Query nodes give Arrow tables; Execute runs statements; Write Table loads a table's rows (PostgreSQL through
COPY, DuckDB from Arrow in place, SQLite and MySQL in batches), all or none. The `df_register_*` nodes
(Flow-Like's DataFusion database nodes) make a database table a table of a SQL session: DuckDB files are
attached and read live;
SQLite, PostgreSQL and MySQL tables are copied into the session when the node runs (DuckDB's scanner
extensions for them cannot be downloaded offline), which the descriptions say.

A connection is named by a URL without its password (`postgresql://user@host:5432/db`,
`mysql://user@host/db`, `sqlite:///path.db`, `duckdb:///path.duckdb`); the password comes from a secret pin.
Connections are opened once per run and kept in the run's cache.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit
from urllib.parse import quote as url_quote

from flowlike_catalog.data.handles import (
    SqlSession,
    arrow_column,
    arrow_result,
    as_arrow,
    connection,
    duckdb_connect,
    literal,
    quote,
    sql_confined,
)
from flowlike_catalog.data.sql import Session

from flowlike_core import Context, Pin, node
from flowlike_core.policy import CapabilityRefused, Policy, active, allowed_path, sql_roots

CATEGORY = "Data/Databases"
CAPABILITIES = ("network", "files")  # what its nodes reach (flowlike_core.policy)
REGISTER = "Data/DataFusion/Databases"
KINDS = {"sqlite": "sqlite", "duckdb": "duckdb", "postgres": "postgres", "postgresql": "postgres",
         "mysql": "mysql", "mariadb": "mysql"}

Url = Annotated[str, Pin(description="sqlite:///file.db, duckdb:///file.duckdb, postgresql://user@host:port/db or "
                                     "mysql://user@host:port/db (no password here)")]
Password = Annotated[str, Pin(sensitive=True, description="From a secret variable")]
Parameters = Annotated[list, Pin(description="Values for the query's placeholders (? for SQLite and DuckDB, "
                                             "%s for PostgreSQL and MySQL)")]


def kind_of(url: str) -> str:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in KINDS:
        raise ValueError(f"database URL {url!r}: use sqlite:///, duckdb:///, postgresql:// or mysql://")
    return KINDS[scheme]


def open_database(ctx: Context | None, url: str, password: str = "", readonly: bool = False) -> Any:
    """A DB-API connection for the URL, opened once per run (autocommit: every statement commits)."""
    key = ("database", url, readonly)
    cache = ctx.cache if ctx is not None else {}
    if key in cache:
        return cache[key]
    kind, parts = kind_of(url), urlsplit(url)
    options = dict(parse_qsl(parts.query))
    local = unquote(url.split("://", 1)[1].split("?", 1)[0].removeprefix("/")) or ":memory:"
    where = f"{kind} database {parts.hostname or ''}{':' if parts.port else ''}{parts.port or ''}{parts.path}"
    if kind in ("sqlite", "duckdb") and local != ":memory:":
        local = allowed_path(local, f"{kind} database")
        where = f"{kind} database {local}"  # the file opened: sqlite:///tmp/x.db is tmp/x.db, not /tmp/x.db
        if readonly and _missing_folder(kind, local) is None:
            must_exist(kind, local)
    try:
        if kind == "sqlite":
            import sqlite3

            target = f"file:{local}?mode=ro" if readonly else f"file:{local}"
            con: Any = sqlite3.connect(target, uri=True, isolation_level=None, check_same_thread=False)
            if sql_roots() is not None:
                con.set_authorizer(attach_guard(active.get() or Policy.everything()))
        elif kind == "duckdb":
            con = duckdb_connect(local, read_only=readonly and local != ":memory:")
        elif kind == "postgres":
            import psycopg

            con = psycopg.connect(host=parts.hostname or "localhost", port=parts.port or 5432,
                                  user=unquote(parts.username or "postgres"), password=password or None,
                                  dbname=parts.path.lstrip("/") or "postgres", autocommit=True, connect_timeout=10,
                                  sslmode=options.get("sslmode", "prefer"))
            if readonly:
                con.execute("SET default_transaction_read_only = on")
        else:
            import pymysql

            con = pymysql.connect(host=parts.hostname or "localhost", port=parts.port or 3306,
                                  user=unquote(parts.username or "root"), password=password or "",
                                  database=parts.path.lstrip("/") or None, autocommit=True, connect_timeout=10,
                                  ssl={"check_hostname": False} if options.get("ssl_mode") == "required" else None)
            if readonly:
                con.cursor().execute("SET SESSION TRANSACTION READ ONLY")
    except Exception as exc:
        raise ConnectionError(f"cannot connect to the {where}: {_missing_folder(kind, local) or exc}") from exc
    cache[key] = con
    if ctx is not None:
        ctx.close_at_end(con.close)
    return con


FILE_KINDS = {"sqlite": "SQLite", "duckdb": "DuckDB"}


def must_exist(kind: str, local: str) -> None:
    """A database file opened read-only must be there (read-write, the database makes it): named as missing, where
    the drivers said "unable to open database file" (SQLite) or their own IO Error (DuckDB)."""
    if not Path(local).exists():
        raise FileNotFoundError(f"no {FILE_KINDS[kind]} database file at {local} (opened read-only, so not made: "
                                f"turn Readonly off to start a new one)")


def _missing_folder(kind: str, local: str) -> str | None:
    """Why a database file cannot be opened when its folder is missing: most often a URL with three slashes
    meant as an absolute path."""
    folder = Path(local).parent
    if kind not in ("sqlite", "duckdb") or local == ":memory:" or folder.is_dir():
        return None
    return f"no folder {folder} ({kind}:///PATH is relative to the working folder, {kind}:////PATH absolute)"


def attach_guard(policy: Policy) -> Callable[..., int]:
    """A SQLite authorizer: the SQL text may ATTACH (or VACUUM INTO) only files the run's policy allows; no URI
    filenames, whose options could reach further."""
    import sqlite3

    def authorize(action: int, target: str | None, *_: Any) -> int:
        if action != sqlite3.SQLITE_ATTACH or target in ("", ":memory:"):
            return sqlite3.SQLITE_OK
        try:
            if target is None or target.startswith("file:"):
                raise CapabilityRefused(f"SQLite URI {target!r}")
            policy.check_path(target)
        except CapabilityRefused:
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


FETCH_ROWS = 65536
"""Rows fetched and turned into Arrow at a time: a large result never sits in memory as Python rows whole."""
POSTGRES_TYPES = {"bool": "bool", "int2": "int64", "int4": "int64", "int8": "int64", "oid": "int64",
                  "float4": "float64", "float8": "float64", "text": "string", "varchar": "string", "bpchar": "string",
                  "name": "string", "citext": "string", "bytea": "binary", "date": "date32", "time": "time64[us]",
                  "timestamp": "timestamp[us]", "interval": "duration[us]"}
MYSQL_TYPES = {1: "int64", 2: "int64", 3: "int64", 8: "int64", 9: "int64", 13: "int64", 4: "float64", 5: "float64",
               10: "date32", 7: "timestamp[us]", 12: "timestamp[us]", 11: "duration[us]", 15: "string",
               245: "string", 253: "string", 254: "string"}
"""pymysql's FIELD_TYPE codes (integers, floats, dates, times, varchar, JSON, strings) and their Arrow types."""


def declared_types(con: Any, description: Any) -> list[Any]:
    """The Arrow type of each result column as the database declares it (None where it does not say or the
    values decide better): what keeps the columns of an empty or all-NULL result typed."""
    import pyarrow as pa

    def postgres(column: Any) -> Any:
        import psycopg

        info = psycopg.postgres.types.get(column.type_code)
        if info is None:
            return None
        name = info.name
        if column.type_code != info.oid:  # an array of that type (psycopg finds the element by the array's oid)
            element = POSTGRES_TYPES.get(name)
            return pa.list_(pa.type_for_alias(element)) if element else None
        if name == "numeric" and column.precision:
            return pa.decimal128(column.precision, column.scale or 0)
        if name == "uuid":
            return pa.uuid()
        if name == "timestamptz":
            return pa.timestamp("us", tz=str(con.info.timezone))
        return POSTGRES_TYPES.get(name)

    def mysql(column: Any) -> Any:
        if column[1] == 246 and column[4]:  # NEWDECIMAL: its length counts the decimal point (and a sign)
            return pa.decimal128(min(38, column[4] - (1 if column[5] else 0)), column[5] or 0)
        return MYSQL_TYPES.get(column[1])

    module = module_of(con)
    declare = postgres if module == "psycopg" else mysql if module == "pymysql" else lambda column: None
    return [declare(column) for column in description]


def module_of(con: Any) -> str:
    return type(con).__module__.split(".", 1)[0]


def result_column(values: list[Any], name: str, declared: Any) -> Any:
    """One fetched column as Arrow: of its declared type when known, else the values' own. JSON values whose
    shapes differ from row to row become JSON text, values Arrow has no type for (a network address) their text."""
    import orjson
    import pyarrow as pa

    try:
        return pa.array(values, type=declared)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, dict | list) for v in present):
            return pa.array([None if v is None else orjson.dumps(v).decode() for v in values], pa.string())
        if present and all(type(v).__module__ not in ("builtins", "decimal", "datetime") for v in present):
            return pa.array([None if v is None else str(v) for v in values], pa.string())
    return arrow_column(values, name, "query result", declared, fix="CAST it to one type in the query")


def fetch_table(con: Any, query: str, parameters: list | None = None) -> Any:
    """A query's result as an Arrow table: fetched in batches, each column typed as the database declares it (else
    from its values)."""
    import pyarrow as pa

    if hasattr(con, "register"):  # DuckDB gives Arrow directly
        with sql_confined():
            relation = con.sql(query, params=parameters or None)
            return pa.table({}) if relation is None else arrow_result(relation)
    cursor = con.cursor()
    try:
        with sql_confined():
            cursor.execute(query, parameters or None) if parameters else cursor.execute(query)
        if cursor.description is None:
            return pa.table({})
        names = [column[0] for column in cursor.description]
        types = declared_types(con, cursor.description)
        parts = []
        while rows := cursor.fetchmany(FETCH_ROWS):
            columns = zip(*rows, strict=True)
            parts.append(pa.table({name: result_column(list(values), name, kind)
                                   for name, values, kind in zip(names, columns, types, strict=True)}))
    finally:
        cursor.close()
    if not parts:
        return pa.table({name: pa.array([], kind or pa.null()) for name, kind in zip(names, types, strict=True)})
    try:
        return pa.concat_tables(parts, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise TypeError(f"the query result's columns change type between rows {FETCH_ROWS} apart: {exc}; "
                        f"CAST them to one type in the query") from None


def execute(con: Any, statement: str, parameters: list | None = None) -> int:
    cursor = con.cursor() if not hasattr(con, "register") else con
    with sql_confined():
        cursor.execute(statement, parameters or None) if parameters else cursor.execute(statement)
    count = getattr(cursor, "rowcount", -1)
    if hasattr(con, "register"):
        rows = cursor.fetchall()
        return int(rows[0][0]) if rows and len(rows[0]) == 1 and isinstance(rows[0][0], int) else -1
    cursor.close()
    return int(count)


@node(friendly_name="Database Query", exec_pins=True)
def db_query(ctx: Context, url: Url, query: str, password: Password = "", parameters: Parameters = None,
             readonly: bool = False) -> Annotated[Any, Pin(name="table", description="The result (pyarrow Table)")]:
    """Runs a query on a database and gives its rows as a table."""
    if not query.strip():
        raise ValueError("the SQL query is empty")
    return fetch_table(open_database(ctx, url, password, readonly), query, parameters)


@node(friendly_name="Database Execute", exec_pins=True)
def db_execute(ctx: Context, url: Url, statement: str, password: Password = "", parameters: Parameters = None
               ) -> Annotated[int, Pin(name="rows_affected", description="-1 where the database does not say")]:
    """Runs a statement (INSERT, UPDATE, DDL...) on a database; it commits at once."""
    if not statement.strip():
        raise ValueError("the SQL statement is empty")
    return execute(open_database(ctx, url, password), statement, parameters)


WRITE_ROWS = 10_000
"""Rows sent per statement batch (SQLite, MySQL) or COPY chunk (PostgreSQL)."""
SQL_TYPES = {
    "postgres": {"int": "BIGINT", "float": "DOUBLE PRECISION", "bool": "BOOLEAN", "string": "TEXT", "date": "DATE",
                 "timestamp": "TIMESTAMP", "timestamptz": "TIMESTAMPTZ", "time": "TIME", "decimal": "NUMERIC",
                 "json": "JSONB", "binary": "BYTEA"},
    "mysql": {"int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN", "string": "LONGTEXT", "date": "DATE",
              "timestamp": "DATETIME(6)", "timestamptz": "DATETIME(6)", "time": "TIME(6)", "decimal": "DECIMAL",
              "json": "JSON", "binary": "LONGBLOB"},
    "sqlite": {"int": "INTEGER", "float": "REAL", "bool": "INTEGER", "string": "TEXT", "date": "TEXT",
               "timestamp": "TEXT", "timestamptz": "TEXT", "time": "TEXT", "decimal": "NUMERIC", "json": "TEXT",
               "binary": "BLOB"},
}
"""The column type a new table gets for each kind of Arrow column, per database."""


def column_kind(field: Any) -> str:
    """The kind of an Arrow column that picks its SQL type (nested columns travel as JSON)."""
    import pyarrow as pa

    kind = field.type
    checks = [("bool", pa.types.is_boolean), ("int", pa.types.is_integer), ("float", pa.types.is_floating),
              ("decimal", pa.types.is_decimal), ("date", pa.types.is_date), ("time", pa.types.is_time),
              ("string", lambda t: pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t)),
              ("binary", lambda t: pa.types.is_binary(t) or pa.types.is_large_binary(t)),
              ("json", lambda t: pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_struct(t)
               or pa.types.is_fixed_size_list(t) or pa.types.is_map(t))]
    if pa.types.is_timestamp(kind):
        return "timestamptz" if kind.tz else "timestamp"
    for name, check in checks:
        if check(kind):
            return name
    raise TypeError(f"column {field.name!r} is {kind}, which Database Write Table cannot store: cast it first")


def sql_type(dialect: str, field: Any) -> str:
    kind = column_kind(field)
    if kind not in SQL_TYPES[dialect]:
        raise TypeError(f"column {field.name!r} is {field.type}, which {dialect} gets no column type for here: "
                        f"cast it first")
    name = SQL_TYPES[dialect][kind]
    return f"{name}({field.type.precision},{field.type.scale})" if kind == "decimal" and dialect != "sqlite" else name


def table_identifier(dialect: str, name: str) -> str:
    """A table name as the dialect quotes it; `schema.table` names a table of another schema."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("Table Name is needed")
    if dialect == "mysql":
        return ".".join("`" + part.replace("`", "``") + "`" for part in name.split("."))
    return ".".join(quote(part) for part in name.split("."))


def python_rows(dialect: str, batch: Any) -> list[tuple]:
    """A batch's rows as DB-API parameters: nested values as JSON text, SQLite's dates and times as ISO text."""
    import orjson

    columns = []
    for field, values in zip(batch.schema, batch.columns, strict=True):
        kind, items = column_kind(field), values.to_pylist()
        if kind == "json":
            items = [None if v is None else orjson.dumps(v).decode() for v in items]
        elif dialect == "sqlite" and kind in ("date", "time", "timestamp", "timestamptz"):
            items = [None if v is None else v.isoformat() for v in items]
        elif dialect == "sqlite" and kind == "decimal":
            items = [None if v is None else str(v) for v in items]
        columns.append(items)
    return list(zip(*columns, strict=True))


def copy_into_postgres(cursor: Any, target: str, arrow: Any) -> None:
    """PostgreSQL's COPY from CSV written by Arrow (no Python row per value): nulls unquoted, text quoted, so an
    empty text stays empty; nested columns as JSON text, bytes as bytea's hex text."""
    import io

    import orjson
    import pyarrow as pa
    from pyarrow import csv

    names = ", ".join(quote(name) for name in arrow.column_names)
    options = csv.WriteOptions(include_header=False, quoting_style="all_valid")
    with cursor.copy(f"COPY {target} ({names}) FROM STDIN (FORMAT csv)") as copy:
        for batch in arrow.to_batches(WRITE_ROWS):
            encode = {"json": lambda v: orjson.dumps(v).decode(), "binary": lambda v: "\\x" + v.hex()}
            columns = [pa.array([None if v is None else encode[kind](v) for v in values.to_pylist()], pa.string())
                       if (kind := column_kind(field)) in encode else values
                       for field, values in zip(batch.schema, batch.columns, strict=True)]
            buffer = io.BytesIO()
            csv.write_csv(pa.RecordBatch.from_arrays(columns, names=arrow.column_names), buffer, options)
            copy.write(buffer.getvalue())


def write_duckdb(con: Any, target: str, arrow: Any, mode: str) -> None:
    create = {"replace": "CREATE OR REPLACE TABLE", "create": "CREATE TABLE"}.get(mode, "CREATE TABLE IF NOT EXISTS")
    with sql_confined():
        con.register("flowlike_write", arrow)
        try:
            con.execute(f"{create} {target} AS SELECT * FROM flowlike_write LIMIT 0")
            con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM flowlike_write")
        finally:
            con.unregister("flowlike_write")


def write_table(con: Any, dialect: str, arrow: Any, table_name: str, mode: str) -> None:
    """Make the table when needed (replace: drop it first; create: it must not exist), then add the rows, all or
    none (MySQL commits its table statements at once, the rows together)."""
    target = table_identifier(dialect, table_name)
    if dialect == "duckdb":
        write_duckdb(con, target, arrow, mode)
        return
    columns = ", ".join(f"{table_identifier(dialect, f.name)} {sql_type(dialect, f)}" for f in arrow.schema)
    drop = f"DROP TABLE IF EXISTS {target}" if mode == "replace" else ""
    create = f"CREATE TABLE {'' if mode == 'create' else 'IF NOT EXISTS '}{target} ({columns})"
    if dialect == "mysql":  # any text, whatever the database's default character set
        create += " DEFAULT CHARSET=utf8mb4"
    if dialect == "postgres":
        with con.transaction(), con.cursor() as cursor:
            for statement in filter(None, (drop, create)):
                cursor.execute(statement)
            copy_into_postgres(cursor, target, arrow)
        return
    names = ", ".join(table_identifier(dialect, name) for name in arrow.column_names)
    marks = ", ".join(["?" if dialect == "sqlite" else "%s"] * arrow.num_columns)
    insert = f"INSERT INTO {target} ({names}) VALUES ({marks})"
    cursor = con.cursor()
    try:
        if dialect == "sqlite":
            cursor.execute("BEGIN")
        for statement in filter(None, (drop, create)):
            cursor.execute(statement)
        if dialect == "mysql":
            con.begin()
        for batch in arrow.to_batches(WRITE_ROWS):
            cursor.executemany(insert, python_rows(dialect, batch))
        con.commit() if dialect == "mysql" else cursor.execute("COMMIT")
    except BaseException:
        con.rollback()
        raise
    finally:
        cursor.close()


@node(friendly_name="Database Write Table", exec_pins=True)
def db_write_table(ctx: Context, url: Url, table: Annotated[Any, Pin(
        description="A pyarrow Table, pandas or polars DataFrame, or rows")], table_name: Annotated[str, Pin(
        description="The database table (schema.table for another schema)")], password: Password = "",
                   mode: Annotated[str, Pin(valid_values=("append", "replace", "create"), description=(
                       "append: add the rows (the table is made when missing); replace: drop and make it anew; "
                       "create: make it, failing if it exists"))] = "append") -> Annotated[int, Pin(
                           name="rows_written")]:
    """Writes a table's rows into a database table, making it with column types from the table's when missing.
    PostgreSQL loads through COPY, DuckDB from the Arrow data in place, SQLite and MySQL in batches of rows."""
    if mode not in ("append", "replace", "create"):
        raise ValueError(f"mode {mode!r}: use append, replace or create")
    arrow = as_arrow(table)
    dialect = kind_of(url)
    con = open_database(ctx, url, password)
    try:
        write_table(con, dialect, arrow, table_name, mode)
    except (TypeError, ValueError, CapabilityRefused):
        raise
    except Exception as exc:  # the driver's own error, with where it happened
        raise RuntimeError(f"writing {arrow.num_rows} rows into {table_name!r} of the {dialect} database failed: "
                           f"{type(exc).__name__}: {exc}") from exc
    return arrow.num_rows


def register_copy(ctx: Context, session: Any, url: str, password: str, source: str, table_name: str,
                  readonly: bool) -> SqlSession:
    """Copy a database table (or the result of a SELECT) into the session as `table_name`."""
    if not source.strip() or not table_name:
        raise ValueError("Source Table and Table Name are both needed")
    query = source if source.lstrip().lower().startswith(("select", "with")) else f"SELECT * FROM {source}"
    table = fetch_table(open_database(ctx, url, password, readonly), query)
    connection(ctx, session).register(table_name, table)
    return SqlSession.model_validate(session)


def server_url(scheme: str, host: str, port: int, database: str, username: str, tls: str) -> str:
    return f"{scheme}://{url_quote(username, safe='')}@{host}:{port}/{database}?{tls}"


@node(friendly_name="Register SQLite", category=REGISTER, exec_pins=True)
def df_register_sqlite(ctx: Context, session: Session, file_path: str, source_table: Annotated[str, Pin(
        description="A table name or a SELECT")], table_name: str, readonly: bool = True
                       ) -> Annotated[SqlSession, Pin(name="session_out")]:
    """Copies a SQLite table (or query result) into the session, as it is when the node runs."""
    return register_copy(ctx, session, f"sqlite:///{file_path}", "", source_table, table_name, readonly)


@node(friendly_name="Register DuckDB", category=REGISTER, exec_pins=True)
def df_register_duckdb(ctx: Context, session: Session, file_path: str = ":memory:", source_table: str = "",
                       table_name: str = "", readonly: bool = True) -> Annotated[SqlSession, Pin(name="session_out")]:
    """Attaches a DuckDB database file and makes one of its tables a session table (read live, no copy)."""
    import hashlib

    if not source_table or not table_name:
        raise ValueError("Source Table and Table Name are both needed")
    con = connection(ctx, session)
    alias = "db_" + hashlib.sha256(f"{file_path}:{readonly}".encode()).hexdigest()[:10]
    attached = {row[0] for row in con.sql("SELECT database_name FROM duckdb_databases()").fetchall()}
    if alias not in attached:
        options = " (READ_ONLY)" if readonly and file_path != ":memory:" else ""
        if file_path != ":memory:":
            file_path = allowed_path(file_path, "DuckDB database")
            if readonly:
                must_exist("duckdb", file_path)
        con.execute(f"ATTACH {literal(file_path)} AS {alias}{options}")
    con.execute(f"CREATE OR REPLACE VIEW {quote(table_name)} AS SELECT * FROM {alias}.{source_table}")
    return SqlSession.model_validate(session)


class Registered(NamedTuple):
    session_out: SqlSession
    connection_url: Annotated[str, Pin(description="The server's URL, without the password")]


@node(friendly_name="Register PostgreSQL", category=REGISTER, exec_pins=True)
def df_register_postgres(
    ctx: Context, session: Session, host: str = "localhost", port: int = 5432, database: str = "postgres",
    username: str = "postgres", password: Password = "", schema: str = "public",
    source_table: Annotated[str, Pin(description="A table of the schema, or a SELECT")] = "", table_name: str = "",
    ssl_mode: str = "prefer", readonly: bool = True,
) -> Registered:
    """Copies a PostgreSQL table (or query result) into the session, as it is when the node runs."""
    url = server_url("postgresql", host, port, database, username, f"sslmode={ssl_mode}")
    source = source_table if " " in source_table.strip() else f"{quote(schema)}.{quote(source_table)}"
    return Registered(register_copy(ctx, session, url, password, source, table_name, readonly), url)


@node(friendly_name="Register MySQL", category=REGISTER, exec_pins=True)
def df_register_mysql(
    ctx: Context, session: Session, host: str = "localhost", port: int = 3306, database: str = "",
    username: str = "root", password: Password = "",
    source_table: Annotated[str, Pin(description="A table, or a SELECT")] = "", table_name: str = "",
    ssl_mode: Annotated[str, Pin(description="required: TLS (certificate not verified); preferred and disabled: "
                                             "plain (pymysql does not negotiate TLS by itself)")] = "preferred",
    readonly: bool = True,
) -> Registered:
    """Copies a MySQL or MariaDB table (or query result) into the session, as it is when the node runs."""
    if ssl_mode not in ("preferred", "disabled", "required"):
        raise ValueError(f"ssl_mode {ssl_mode!r}: use preferred, disabled or required")
    url = server_url("mysql", host, port, database, username, f"ssl_mode={ssl_mode}")
    source = source_table if " " in source_table.strip() else f"`{source_table.replace('`', '``')}`"
    return Registered(register_copy(ctx, session, url, password, source, table_name, readonly), url)



CLICKHOUSE_TYPES = {"Int": "int64", "UInt": "int64", "Float": "float64", "String": "string", "FixedString": "string",
                    "Date": "date32", "DateTime": "timestamp[s]", "UUID": "string", "Enum": "string",
                    "Decimal": "float64", "Bool": "bool"}


def clickhouse_type(name: str) -> str:
    """The Arrow type for a ClickHouse column type (Nullable and LowCardinality unwrapped; others as text)."""
    for wrapper in ("Nullable(", "LowCardinality("):
        while name.startswith(wrapper):
            name = name[len(wrapper):-1]
    base = name.split("(", 1)[0].rstrip("0123456789")
    return CLICKHOUSE_TYPES.get(base, "string")


def clickhouse_table(url: str, database: str, username: str, password: str, query: str, readonly: bool) -> Any:
    """A ClickHouse query's result as an Arrow table, over the HTTP interface (JSONCompact with types)."""
    import httpx
    import pyarrow as pa

    params = {"database": database, "default_format": "JSONCompact", "output_format_json_quote_64bit_integers": "0",
              "output_format_json_quote_denormals": "0"}
    if readonly:
        params["readonly"] = "1"
    try:
        response = httpx.post(url, params=params, content=query.encode(), timeout=60,
                              headers={"X-ClickHouse-User": username, "X-ClickHouse-Key": password})
    except httpx.HTTPError as exc:
        raise ConnectionError(f"cannot reach ClickHouse at {url}: {exc}") from exc
    if response.status_code != 200:
        raise RuntimeError(f"ClickHouse at {url} refused the query: {response.text.strip()[:500]}")
    result = response.json()
    columns = {}
    for index, column in enumerate(result["meta"]):
        values = pa.array([row[index] for row in result["data"]])
        kind = clickhouse_type(column["type"])
        columns[column["name"]] = values if str(values.type) == kind else values.cast(kind)
    return pa.table(columns)


@node(friendly_name="Register ClickHouse", category=REGISTER, exec_pins=True)
def df_register_clickhouse(
    ctx: Context, session: Session, host: str = "localhost",
    port: Annotated[int, Pin(description="The HTTP interface's port")] = 8123, database: str = "default",
    username: str = "default", password: Password = "",
    source_table: Annotated[str, Pin(description="A table, or a SELECT")] = "", table_name: str = "",
    readonly: bool = True,
) -> Registered:
    """Copies a ClickHouse table (or query result) into the session over ClickHouse's HTTP interface, as it is
    when the node runs."""
    if not source_table.strip() or not table_name:
        raise ValueError("Source Table and Table Name are both needed")
    url = f"http://{host}:{port}/"
    query = source_table if " " in source_table.strip() else f"SELECT * FROM `{source_table.replace('`', '')}`"
    table = clickhouse_table(url, database, username, password, query, readonly)
    connection(ctx, session).register(table_name, table)
    return Registered(SqlSession.model_validate(session), f"clickhouse://{url_quote(username, safe='')}@{host}:"
                                                          f"{port}/{database}")
