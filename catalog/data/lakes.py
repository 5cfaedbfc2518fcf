"""Lakes (Flow-Like's DataFusion lake nodes): Delta tables (`deltalake`), Iceberg tables (`pyiceberg`),
Hive-partitioned Parquet and partitioned JSON folders, as tables of a SQL session.

Delta tables are scanned in place as Arrow datasets (only the files a query needs are read); an Iceberg
snapshot is read into Arrow when the node runs. Both keep every version, so a board can read a table as it
was (time travel). Delta tables live on a local disk or S3 (options from the store or an External node).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.handles import FlowPath, SqlSession, as_arrow, connection, filesystem, literal
from flowlike_catalog.data.sql import Session, create_view, run_query, source

from flowlike_core import Context, Pin, node

CATEGORY = "Data/DataFusion/Lakes"
CAPABILITIES = ("files",)  # what its nodes reach (flowlike_core.policy)

TablePath = Annotated[FlowPath, Pin(description="The table's folder: local path or s3:// URL")]


def lake_location(ctx: Context, path: Any) -> tuple[str, dict[str, str] | None]:
    """Where deltalake finds a table and the storage options it needs (S3 keys and endpoint)."""
    from flowlike_core.storage.lance import lance_options

    flow_path = FlowPath.of(path)
    fs, inner = filesystem(ctx, flow_path)
    if "file" in fs.protocol:
        return inner, None
    if "s3" not in fs.protocol:
        raise ValueError(f"{flow_path.path}: Delta tables live on a local disk or S3")
    url = f"s3://{inner}"
    options = lance_options(url, fs.storage_options) | {"aws_conditional_put": "etag"}
    return url, options


def delta_table(ctx: Context, path: Any, version: int | str | None = None) -> Any:
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    location, options = lake_location(ctx, path)
    try:
        table = DeltaTable(location, storage_options=options)
    except TableNotFoundError:
        raise FileNotFoundError(f"no Delta table at {FlowPath.of(path).path}") from None
    if version is not None:
        try:
            table.load_as_version(version)
        except Exception as exc:
            raise ValueError(f"Delta table {FlowPath.of(path).path} has no version {version!r}: {exc}") from None
    return table


class DeltaRegistered(NamedTuple):
    session_out: SqlSession
    table_version: int


@node(friendly_name="Register Delta Table", exec_pins=True)
def df_register_delta(ctx: Context, session: Session, path: TablePath, table_name: str, version: Annotated[
        int, Pin(description="-1: the latest")] = -1) -> DeltaRegistered:
    """Makes a Delta table (latest or a given version) a session table, scanned in place."""
    table = delta_table(ctx, path, None if version < 0 else version)
    connection(ctx, session).register(table_name, table.to_pyarrow_dataset())
    return DeltaRegistered(SqlSession.model_validate(session), table.version())


class DeltaInfo(NamedTuple):
    current_version: int
    schema: Annotated[Any, Pin(description="One dict per column: name, type, nullable")]
    history: Annotated[Any, Pin(description="The latest commits, newest first: version, timestamp, operation")]
    partitions: Annotated[Any, Pin(description="The partition columns")]


@node(friendly_name="Delta Table Info", exec_pins=True)
def df_delta_info(ctx: Context, path: TablePath, history_limit: int = 10) -> DeltaInfo:
    """A Delta table's version, columns, commit history and partition columns."""
    import pyarrow as pa

    table = delta_table(ctx, path)
    schema = pa.schema(table.schema())
    history = [{"version": entry.get("version"), "timestamp": entry.get("timestamp"),
                "operation": entry.get("operation"), "parameters": entry.get("operationParameters", {})}
               for entry in table.history(history_limit)]
    return DeltaInfo(table.version(), [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in schema],
                     history, list(table.metadata().partition_columns))


class DeltaLoaded(NamedTuple):
    session_out: SqlSession
    loaded_version: int


@node(friendly_name="Delta Time Travel", exec_pins=True)
def df_delta_time_travel(
    ctx: Context, session: Session, path: TablePath, table_name: str,
    travel_mode: Annotated[str, Pin(valid_values=("version", "timestamp"))] = "version", version: int = 0,
    timestamp: Annotated[str, Pin(description="ISO date-time (UTC when no zone): the table as it was then")] = "",
) -> DeltaLoaded:
    """Makes a Delta table as it was at a version or a time a session table."""
    if travel_mode == "version":
        at: int | str = version
    elif travel_mode == "timestamp":
        moment = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
        at = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()
    else:
        raise ValueError(f"travel mode {travel_mode!r}: use 'version' or 'timestamp'")
    table = delta_table(ctx, path, at)
    connection(ctx, session).register(table_name, table.to_pyarrow_dataset())
    return DeltaLoaded(SqlSession.model_validate(session), table.version())


class DeltaWritten(NamedTuple):
    session_out: SqlSession
    rows_written: int
    new_version: int


@node(friendly_name="Write Delta Table", exec_pins=True)
def df_write_delta(
    ctx: Context, session: Session, query: Annotated[str, Pin(description="SQL whose result is written")],
    path: TablePath, mode: Annotated[str, Pin(valid_values=("append", "overwrite", "error", "ignore"))] = "append",
    partition_by: Annotated[str, Pin(description="Comma-separated partition columns (new tables)")] = "",
) -> DeltaWritten:
    """Writes a query's result as a new version of a Delta table (creating the table)."""
    from deltalake import write_deltalake

    result = run_query(connection(ctx, session), query)
    location, options = lake_location(ctx, path)
    columns = [c.strip() for c in partition_by.split(",") if c.strip()]
    write_deltalake(location, as_arrow(result), mode=mode, partition_by=columns or None, storage_options=options)
    return DeltaWritten(SqlSession.model_validate(session), result.num_rows, delta_table(ctx, path).version())


def iceberg_table(ctx: Context, warehouse_path: Any, metadata_file: str) -> Any:
    """An Iceberg table from its metadata file (a path inside the table folder, or the newest one there)."""
    from pyiceberg.table import StaticTable

    folder = FlowPath.of(warehouse_path, "warehouse_path")
    fs, inner = filesystem(ctx, folder)
    if metadata_file and ("://" in metadata_file or metadata_file.startswith("/")):
        location = metadata_file
    elif metadata_file:
        location = f"{inner.rstrip('/')}/{metadata_file}"
    else:
        found = sorted(fs.glob(f"{inner.rstrip('/')}/metadata/*.metadata.json"))
        if not found:
            raise FileNotFoundError(f"no Iceberg metadata in {folder.path}/metadata: give Metadata File")
        location = found[-1]
    if "file" not in fs.protocol and "://" not in location:
        location = fs.unstrip_protocol(location)
    if not fs.exists(location if "file" in fs.protocol else fs._strip_protocol(location)):
        raise FileNotFoundError(f"no Iceberg metadata file at {location}")
    return StaticTable.from_metadata(location)


def snapshot_text(table: Any) -> str:
    snapshot = table.current_snapshot()
    return str(snapshot.snapshot_id) if snapshot else ""


class IcebergRegistered(NamedTuple):
    session_out: SqlSession
    current_snapshot: str
    schema_info: Annotated[int, Pin(description="How many columns the table has")]


@node(friendly_name="Register Iceberg Table", exec_pins=True)
def df_register_iceberg(ctx: Context, session: Session, warehouse_path: TablePath, metadata_file: Annotated[
        str, Pin(description="Metadata JSON (relative to the folder); empty: the newest")] = "",
                        table_name: str = "") -> IcebergRegistered:
    """Reads an Iceberg table's current snapshot into the session."""
    table = iceberg_table(ctx, warehouse_path, metadata_file)
    connection(ctx, session).register(table_name or "iceberg", table.scan().to_arrow())
    return IcebergRegistered(SqlSession.model_validate(session), snapshot_text(table), len(table.schema().fields))


class IcebergInfo(NamedTuple):
    current_snapshot: str
    schema: Annotated[dict, Pin(description="{'fields': [{id, name, type, required}]}")]
    snapshots: Annotated[dict, Pin(description="Snapshot id -> {timestamp_ms, parent, operation}")]
    partition_spec: Annotated[dict, Pin(description="{'fields': [{source_id, name, transform}]}")]
    properties: dict


@node(friendly_name="Iceberg Table Info", exec_pins=True)
def df_iceberg_info(ctx: Context, warehouse_path: TablePath, metadata_file: str = "") -> IcebergInfo:
    """An Iceberg table's snapshots, columns, partitioning and properties."""
    table = iceberg_table(ctx, warehouse_path, metadata_file)
    fields = [{"id": f.field_id, "name": f.name, "type": str(f.field_type), "required": f.required}
              for f in table.schema().fields]
    snapshots = {str(s.snapshot_id): {"timestamp_ms": s.timestamp_ms, "parent": str(s.parent_snapshot_id or ""),
                                      "operation": str(s.summary.operation.value) if s.summary else ""}
                 for s in table.snapshots()}
    spec = [{"source_id": f.source_id, "name": f.name, "transform": str(f.transform)} for f in table.spec().fields]
    return IcebergInfo(snapshot_text(table), {"fields": fields}, snapshots, {"fields": spec},
                       dict(table.properties))


class IcebergLoaded(NamedTuple):
    session_out: SqlSession
    loaded_snapshot: str


@node(friendly_name="Iceberg Time Travel", exec_pins=True)
def df_iceberg_time_travel(
    ctx: Context, session: Session, warehouse_path: TablePath, metadata_file: str = "", table_name: str = "",
    travel_mode: Annotated[str, Pin(valid_values=("snapshot", "timestamp"))] = "snapshot", snapshot_id: str = "",
    timestamp_ms: Annotated[int, Pin(description="Milliseconds since 1970: the snapshot current then")] = 0,
) -> IcebergLoaded:
    """Reads an Iceberg table as it was at a snapshot or a time into the session."""
    table = iceberg_table(ctx, warehouse_path, metadata_file)
    if travel_mode == "snapshot":
        if not snapshot_id.strip().isdigit() or table.snapshot_by_id(int(snapshot_id)) is None:
            raise ValueError(f"Iceberg table has no snapshot {snapshot_id!r}")
        snapshot = table.snapshot_by_id(int(snapshot_id))
    elif travel_mode == "timestamp":
        snapshot = table.snapshot_as_of_timestamp(timestamp_ms)
        if snapshot is None:
            raise ValueError(f"the Iceberg table had no snapshot yet at {timestamp_ms} ms")
    else:
        raise ValueError(f"travel mode {travel_mode!r}: use 'snapshot' or 'timestamp'")
    connection(ctx, session).register(table_name or "iceberg", table.scan(snapshot_id=snapshot.snapshot_id).to_arrow())
    return IcebergLoaded(SqlSession.model_validate(session), str(snapshot.snapshot_id))


@node(friendly_name="Register Hive Parquet", exec_pins=True)
def df_register_hive_parquet(ctx: Context, session: Session, path: TablePath, table_name: str
                             ) -> Annotated[SqlSession, Pin(name="session_out")]:
    """Makes a Hive-partitioned Parquet folder (`year=2024/month=5/...parquet`) a session table; the
    partition folders become columns, and filters on them skip the other folders."""
    con = connection(ctx, session)
    location = source(ctx, con, path, "parquet")
    create_view(con, table_name, f"SELECT * FROM read_parquet({literal(location)}, hive_partitioning = true, "
                                 f"union_by_name = true)")
    return SqlSession.model_validate(session)


@node(friendly_name="Register Partitioned JSON", exec_pins=True)
def df_register_partitioned_json(ctx: Context, session: Session, path: TablePath, table_name: str,
                                 file_extension: str = ".json") -> Annotated[SqlSession, Pin(name="session_out")]:
    """Makes a Hive-partitioned folder of JSON files (arrays or one object per line) a session table."""
    con = connection(ctx, session)
    location = source(ctx, con, path, file_extension)
    create_view(con, table_name, f"SELECT * FROM read_json_auto({literal(location)}, hive_partitioning = true, "
                                 f"union_by_name = true)")
    return SqlSession.model_validate(session)


