"""Reading and writing Flow-Like `.board` files: our pure-Python protobuf reader against the `protobuf` package.

A script that prints figures, not a test. Boards of N nodes (std types, a wire per node, as `export_board`
writes them) are encoded once; then, as medians of --reps repetitions:

- lz4: `lz4.block.decompress` of the file (every reader needs it);
- decode, C: the `protobuf` package's upb parser with values handed to Python (`protobuf_reader` below);
- decode, Py: `schema.decode`, what the importer uses;
- layout vote: `schema.pin_layout`, which both need;
- import: `open_board(bytes)`, all of it (LZ4, vote, decode, mapping onto our Board);
- export: `board_to_flowlike` + `write_board`.

    .venv/bin/python benchmarks/bench_interop.py [--reps 5] [--sizes 100 1000 5000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from flowlike_core import Board, commands, default_registry
from flowlike_core.interop import schema
from flowlike_core.interop.api import open_board
from flowlike_core.interop.formats import decompress, write_board
from flowlike_core.interop.mapping import board_to_flowlike


def chain(size: int) -> Board:
    registry = default_registry()
    board = Board(name=f"chain{size}")
    previous = board.apply(commands.AddNode(registry.get("events_simple").create())).id
    for i in range(size - 1):
        node = registry.get("log_info").create(coordinates=(i * 10.0, 0.0, 0.0), message=f"step {i}")
        board.nodes[node.id] = node
        board.connections.append(commands.Connection(from_node=previous, from_pin=_pin(board, previous, "exec_out"),
                                                     to_node=node.id, to_pin=_pin(board, node.id, "exec_in")))
        previous = node.id
    return board


def _pin(board: Board, node_id: str, name: str) -> str:
    return board.nodes[node_id].pin(name).id


def protobuf_reader() -> Callable[[bytes], Any]:
    """The contender: the `protobuf` package (upb, C) with a `Board` class built at run time from the same
    tables (proto2, so that presence is kept; enums as uint32), values handed to Python by `ListFields`,
    the fastest way out we found (about twice as fast as reading every declared field with getattr)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    kinds = {"string": 9, "bytes": 12, "uint": 4, "int": 3, "int32": 5, "bool": 8, "float": 2, "double": 1}
    file = descriptor_pb2.FileDescriptorProto(name="bench.proto", package="bench", syntax="proto2")

    def add(message: Any, number: int, name: str, kind: str, repeated: bool) -> None:
        field = message.field.add(name=name, number=number, label=3 if repeated else 1)
        if kind in schema.MESSAGES:
            field.type, field.type_name = 11, f".bench.{kind}"
        else:
            field.type = kinds.get(kind, 13)

    for name, table in schema.MESSAGES.items():
        message = file.message_type.add(name=name)
        for number, spec in table.items():
            if spec.kind.startswith("map:"):
                entry = message.nested_type.add(name=f"Entry{number}")
                entry.options.map_entry = True
                add(entry, 1, "key", "string", False)
                add(entry, 2, "value", spec.kind[4:], False)
                message.field.add(name=spec.name, number=number, label=3, type=11,
                                  type_name=f".bench.{name}.Entry{number}")
            else:
                add(message, number, spec.name, spec.kind, spec.repeated)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    board_class = message_factory.GetMessageClass(pool.FindMessageTypeByName("bench.Board"))

    def to_python(message: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field, value in message.ListFields():
            if field.message_type is not None and field.message_type.GetOptions().map_entry:
                out[field.name] = {k: to_python(v) if hasattr(v, "ListFields") else v for k, v in value.items()}
            elif field.message_type is not None:
                out[field.name] = [to_python(v) for v in value] if field.is_repeated else to_python(value)
            else:
                out[field.name] = list(value) if field.is_repeated else value
        return out

    return lambda payload: to_python(board_class.FromString(payload))


def median_time(fn: Callable[[], object], reps: int) -> float:
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure(size: int, reps: int) -> None:
    import lz4.block

    board = chain(size)
    registry = default_registry()
    data = write_board(board_to_flowlike(board, registry))
    payload = decompress(data, "bench")
    c_read = protobuf_reader()
    assert len(schema.decode(payload, "Board")["nodes"]) == len(c_read(payload)["nodes"]) == size
    lz4_s = median_time(lambda: lz4.block.decompress(data[4:], uncompressed_size=len(payload)), reps)
    c_s = median_time(lambda: c_read(payload), reps)
    py_s = median_time(lambda: schema.decode(payload, "Board"), reps)
    vote_s = median_time(lambda: schema.pin_layout(payload), reps)
    import_s = median_time(lambda: open_board(data, registry), reps)
    export_s = median_time(lambda: write_board(board_to_flowlike(board, registry)), reps)
    print(f"{size:>6} {len(data) / 1024:>7.0f} {lz4_s * 1e3:>7.2f} {c_s * 1e3:>9.1f} {py_s * 1e3:>9.1f} "
          f"{py_s / c_s:>6.1f}x {vote_s * 1e3:>7.2f} {import_s * 1e3:>9.1f} {export_s * 1e3:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    from google.protobuf.internal import api_implementation

    print(f"protobuf backend: {api_implementation.Type()}; times in ms, medians of {args.reps}")
    print(f"{'nodes':>6} {'file KB':>7} {'lz4':>7} {'decode C':>9} {'decode Py':>9} {'Py/C':>7} {'vote':>7} "
          f"{'import':>9} {'export':>9}")
    for size in args.sizes:
        measure(size, args.reps)


if __name__ == "__main__":
    main()
