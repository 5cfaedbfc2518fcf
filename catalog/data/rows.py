"""Row by row: loop over a table's rows, pick one row, and read a large CSV in chunks.

The loops are class nodes: they fire their body once per row or chunk, to completion, and report progress.
Chunks are read as the loop goes, so a CSV larger than memory streams through.
"""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.handles import FlowPath, as_arrow, csv_batches, python_rows

from flowlike_core import Context, DataType, NodeType, Pin, ValueType, data_in, data_out, exec_in, exec_out, node
from flowlike_core.policy import Capability

CATEGORY = "Control"
PATH_SCHEMA = FlowPath.model_json_schema()


class ForEachRow(NodeType):
    name = "control_for_each_row"
    friendly_name = "For Each Row"
    description = "Runs the body once per row of the table (the row as a dict), then fires Done."
    pins = (exec_in(), data_in("table", DataType.GENERIC, required=True, description="A table"),
            exec_out("exec_out", "Body"), data_out("value", DataType.STRUCT, friendly_name="Row"),
            data_out("index", DataType.INTEGER), exec_out("done", "Done"))

    async def run(self, ctx: Context, *, table: Any) -> None:
        arrow = as_arrow(table)
        index = 0
        for batch in arrow.to_batches(4096):
            for row in python_rows(batch):
                ctx.check_cancelled()
                ctx.set_output("value", row)
                ctx.set_output("index", index)
                await ctx.fire("exec_out")
                index += 1
                ctx.progress(index, arrow.num_rows)
        ctx.activate("done")


class Row(NamedTuple):
    row: dict
    row_index: int


@node(friendly_name="Get Row By Index", category="Data/Excel/Rows")
def tables_get_row_by_index(table: Annotated[Any, Pin(description="A table")], row_index: Annotated[int, Pin(
        description="1 is the first row")] = 1) -> Row:
    """One row of a table as a dict, by 1-based index (as in Flow-Like); gives the index back."""
    arrow = as_arrow(table)
    if not 1 <= row_index <= arrow.num_rows:
        raise IndexError(f"row_index {row_index} is out of range: the table has {arrow.num_rows} rows (1 is the "
                         f"first)")
    return Row(arrow.slice(row_index - 1, 1).to_pylist()[0], row_index)


class BufferedCsvReader(NodeType):
    name = "csv_buffered_reader"
    friendly_name = "Buffered CSV Reader"
    capabilities = frozenset({Capability.FILES})
    category = "Utils/CSV"
    description = ("Reads a CSV file in chunks of rows and runs For Chunk once per chunk (rows as dicts), "
                   "then Done. The file streams: only one chunk is in memory at a time.")
    pins = (exec_in(), data_in("csv", DataType.STRUCT, schema=PATH_SCHEMA, required=True),
            data_in("chunk_size", DataType.INTEGER, default=10_000), data_in("delimiter", DataType.STRING, default=","),
            data_in("encoding", DataType.STRING, default="utf-8",
                    description="The file's text encoding, e.g. cp1252 for a CSV saved by Excel on Windows"),
            exec_out("for_chunk", "For Chunk"), data_out("chunk", DataType.STRUCT, ValueType.ARRAY),
            data_out("chunk_index", DataType.INTEGER), exec_out("exec_done", "Done"))

    async def run(self, ctx: Context, *, csv: Any, chunk_size: int, delimiter: str, encoding: str) -> None:
        with csv_batches(ctx, csv, chunk_size, delimiter, block_size=1 << 20, encoding=encoding) as reader:
            pending: list[dict] = []
            index = 0
            for batch in reader:
                pending += python_rows(batch)
                while len(pending) >= chunk_size:
                    index = await self.emit(ctx, pending[:chunk_size], index)
                    pending = pending[chunk_size:]
            if pending:
                await self.emit(ctx, pending, index)
        ctx.activate("exec_done")

    @staticmethod
    async def emit(ctx: Context, chunk: list[dict], index: int) -> int:
        ctx.check_cancelled()
        ctx.set_output("chunk", chunk)
        ctx.set_output("chunk_index", index)
        await ctx.fire("for_chunk")
        return index + 1
