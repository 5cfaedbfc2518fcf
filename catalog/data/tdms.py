"""TDMS files (National Instruments' measurement format) with npTDMS: metadata, and channels into the local
database. TDMS files are opened in streaming mode, so a large file is read a chunk at a time."""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.data.handles import FlowPath, filesystem, readable_file
from flowlike_catalog.data.local_db import INSERT, Database, add_rows

from flowlike_core import Context, Pin, node

CATEGORY = "Data/TDMS"
CAPABILITIES = ("files",)  # what its nodes reach (flowlike_core.policy)


def plain(value: Any) -> Any:
    """A property value as JSON: numpy scalars and timestamps become numbers and ISO text."""
    if hasattr(value, "item"):
        value = value.item()
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def opened(ctx: Context, tdms_path: Any) -> Any:
    from nptdms import TdmsFile

    path = FlowPath.of(tdms_path, "tdms_path")
    fs, inner = filesystem(ctx, path)
    readable_file(fs, inner, path, "TDMS file")
    return TdmsFile.open(fs.open(inner, "rb"))


@node(friendly_name="TDMS Metadata", exec_pins=True)
def tdms_metadata(ctx: Context, tdms_path: Annotated[FlowPath, Pin(description="A .tdms file")]
                  ) -> Annotated[dict, Pin(name="metadata", description="File properties and groups with their "
                                                                        "channels (name, properties, length, type)")]:
    """What a TDMS file holds, without reading its samples."""
    with opened(ctx, tdms_path) as tdms:
        return {
            "properties": {k: plain(v) for k, v in tdms.properties.items()},
            "groups": [{"name": group.name, "properties": {k: plain(v) for k, v in group.properties.items()},
                        "channels": [{"name": channel.name, "length": len(channel),
                                      "data_type": channel.data_type.__name__,
                                      "properties": {k: plain(v) for k, v in channel.properties.items()}}
                                     for channel in group.channels()]}
                       for group in tdms.groups()],
        }


@node(friendly_name="Batch Insert (TDMS)", category=INSERT, exec_pins=True)
async def tdms_insert_local_db(ctx: Context, database: Database, tdms_path: FlowPath, chunk_size: int = 10_000
                               ) -> Annotated[int, Pin(name="inserted")]:
    """Inserts every group of a TDMS file as rows: one row per sample with a `group` column and one column per
    channel (a group's channels must have equal lengths), in chunks of rows."""
    import pyarrow as pa

    if chunk_size < 1:
        raise ValueError(f"chunk size must be at least 1, got {chunk_size}")
    total = 0
    with opened(ctx, tdms_path) as tdms:
        for group in tdms.groups():
            channels = group.channels()
            lengths = {len(channel) for channel in channels}
            if len(lengths) > 1:
                raise ValueError(f"TDMS group {group.name!r} has channels of different lengths {sorted(lengths)}: "
                                 f"they cannot be rows")
            length = lengths.pop() if lengths else 0
            for start in range(0, length, chunk_size):
                ctx.check_cancelled()
                end = min(length, start + chunk_size)
                columns = {"group": pa.array([group.name] * (end - start))}
                columns |= {channel.name: pa.array(channel[start:end]) for channel in channels}
                total += await add_rows(ctx, database, pa.table(columns))
    return total
