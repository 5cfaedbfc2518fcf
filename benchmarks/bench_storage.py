"""Storage speed against plain `json` files, measured in the same run on the same disk.

    .venv/bin/python benchmarks/bench_storage.py [--nodes 5000] [--runs 10000]

1. Save and load of a board with `--nodes` nodes through an App (atomic write, conflict check, pydantic
   validation on load) against `json.dump`/`json.load` of the same document.
2. Run history: append `--runs` records one run at a time (one LanceDB commit each, as runs finish), and in
   one batch, against one JSON file per run and one JSON file for the batch; then queries (by board and
   status, by time range, by log level, newest 20) against reading every JSON file and filtering in Python.
Each line prints seconds for both and the ratio storage / json (lower is better; 1.0 means as fast).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flowlike_core import Board, Connection, DataType, NodeType, Registry, data_in, data_out, exec_in, exec_out
from flowlike_core.board import LogLevel
from flowlike_core.run import LEVEL_ORDER, LogRecord, RunRecord, RunStatus, TraceRecord
from flowlike_core.storage import Storage, StorageConfig


class Step(NodeType):
    name = "bench_step"
    pins = (exec_in(), data_in("text", DataType.STRING, default="hello"), data_in("count", DataType.INTEGER),
            exec_out(), data_out("result", DataType.STRING))


def big_board(nodes: int) -> Board:
    """A chain of `nodes` nodes built as a model (5,000 Connect commands would measure the editor instead)."""
    made = [Step.create(node_id=f"n{i:05d}", coordinates=(i * 10.0, 0.0, 0.0), count=i) for i in range(nodes)]
    wires = []
    for a, b in zip(made, made[1:], strict=False):
        wires.append(Connection(from_node=a.id, from_pin=a.pin("exec_out", "Output").id, to_node=b.id,
                                to_pin=b.pin("exec_in", "Input").id))
        wires.append(Connection(from_node=a.id, from_pin=a.pin("result", "Output").id, to_node=b.id,
                                to_pin=b.pin("text", "Input").id))
    return Board(name="big", nodes={n.id: n for n in made}, connections=wires)


def record(i: int, now: float) -> RunRecord:
    start = dt.datetime.fromtimestamp(now - i * 60, tz=dt.UTC)
    level = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR][i % 4]
    traces = [TraceRecord(node_id=f"n{j}", node_name="bench_step", step=j, status="Success", start=start,
                          end=start, duration=0.001,
                          logs=[LogRecord(level=level, message=f"step {j} of run {i}", time=start, node_id=f"n{j}")])
              for j in range(3)]
    return RunRecord(id=f"run{i:06d}", board_id=f"b{i % 10}", board_name=f"board{i % 10}", board_version=(0, 1, 0),
                     start_node="n0", status=RunStatus.FAILED if i % 7 == 0 else RunStatus.SUCCESS, start=start,
                     end=start, duration=0.003, variables={"limit": i}, steps=3, traces=traces,
                     error="boom" if i % 7 == 0 else None)


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def line(label: str, ours: float, baseline: float) -> None:
    print(f"{label:<46} storage {ours:9.4f} s   json {baseline:9.4f} s   ratio {ours / baseline:7.2f}")


def bench_board(root: Path, nodes: int) -> None:
    built, board = timed(lambda: big_board(nodes))
    print(f"built a {nodes}-node board in {built:.3f} s")
    app = Storage(StorageConfig.at(str(root / "store"))).app("bench")
    app.save(board)  # warm up (first save creates folders)
    plain = root / "plain.board.json"
    save, _ = timed(lambda: app.save(board))
    save_json, _ = timed(lambda: plain.write_text(json.dumps(board.model_dump(mode="json", by_alias=True))))
    line(f"save {nodes}-node board", save, save_json)
    load, loaded = timed(lambda: app.load("big"))
    load_json, _ = timed(lambda: json.loads(plain.read_text()))
    line(f"load {nodes}-node board", load, load_json)
    assert loaded == board
    serialise, _ = timed(board.to_json)
    validate, _ = timed(lambda: Board.from_json(app.meta.read(app._board_key("big")).decode()))
    print(f"  of which: to_json {serialise:.4f} s, from_json (pydantic validation) {validate:.4f} s")


def bench_history(root: Path, runs: int) -> None:
    now = time.time()
    records = [record(i, now) for i in range(runs)]
    history = Storage(StorageConfig.at(str(root / "one"))).runs
    history.count()  # open the table first: importing LanceDB is not part of an append
    folder = root / "runs"
    folder.mkdir()

    def append_each() -> None:
        for r in records:
            history.append(r)

    def json_each() -> None:
        for r in records:
            (folder / f"{r.id}.json").write_text(r.model_dump_json())

    line(f"append {runs} runs one at a time", timed(append_each)[0], timed(json_each)[0])
    batch = Storage(StorageConfig.at(str(root / "batch"))).runs
    one_file = root / "all-runs.json"
    line(f"append {runs} runs in one batch", timed(lambda: batch.append_many(records))[0],
         timed(lambda: one_file.write_text(json.dumps([r.model_dump(mode="json") for r in records])))[0])

    def scan(keep: Callable[[RunRecord], bool], limit: int | None = None) -> list[RunRecord]:
        found = [r for r in (RunRecord.model_validate_json(p.read_text()) for p in folder.iterdir()) if keep(r)]
        return sorted(found, key=lambda r: r.start, reverse=True)[:limit]

    since = dt.datetime.fromtimestamp(now - 600 * 60, tz=dt.UTC)
    until = dt.datetime.fromtimestamp(now - 300 * 60, tz=dt.UTC)
    queries = {
        "board + status": (dict(board="board3", status="Failed"),
                           lambda r: r.board_name == "board3" and r.status is RunStatus.FAILED),
        "time range (300 runs)": (dict(since=since, until=until), lambda r: since <= r.start <= until),
        "level >= Error": (dict(level="Error"),
                           lambda r: any(LEVEL_ORDER[x.level] >= 3 for t in r.traces for x in t.logs)),
    }
    for label, (filters, keep) in queries.items():
        ours, found = timed(lambda filters=filters: history.query(limit=None, **filters))
        baseline, expected = timed(lambda keep=keep: scan(keep))
        assert [r.id for r in found] == [r.id for r in expected], label
        line(f"query {label}: {len(found)} runs", ours, baseline)
    ours, found = timed(lambda: history.query(limit=20))
    baseline, expected = timed(lambda: scan(lambda r: True, 20))
    assert [r.id for r in found] == [r.id for r in expected]
    line("query newest 20", ours, baseline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=10000)
    args = parser.parse_args()
    Registry([])  # node types need no registry to be built; keeps the pack loader out of the timings
    with tempfile.TemporaryDirectory(prefix="flowlike-bench-") as folder:
        root = Path(folder)
        bench_board(root, args.nodes)
        bench_history(root, args.runs)


if __name__ == "__main__":
    main()
