"""The result cache from the command line, and notebook sweeps on worker processes; all measured in one run.

1. `flowlike run BOARD --cache-store DIR` over a board of 40 pure nodes (4 chains of 10, each node waiting
   `--work` ms: expensive work that leaves the CPU to the measurement on a shared machine) that an exec node
   reads: the first run (empty store; the files it wrote are counted) against a second one (every pure node
   served from the store by a new cache, as a new process would) and one after a leaf default is edited (its
   chain of 10 re-runs), and against `--no-cache`. Each is a call of the command's `main`, timed end to end.
2. `flowlike notebook BOARD NB OUT -p threshold 1,...,6`: the papermill runs one after another against
   `--workers 2` (each run is a kernel start, a board load and a run). Target: close to 2x on 2 idle cores.
3. What a cache hit costs, in memory (`run_board(board, cache=...)`), against running the node: a chain of 1,000
   cheap pure nodes (x + 1), without a cache, filling one and all served; and one node making a large value (1M
   rows: a pyarrow table, a pandas frame, a numpy array, a list) that a cheap node reads, run against served (a
   value that can change in place, unlike a table, is hashed again before it is served).

Every time is the median of --reps repetitions, the cases taking turns; the load average is printed with the
figures (the machine may be shared).

    .venv/bin/python benchmarks/bench_cache_cli.py [--reps 3] [--work 20] [--only 1,3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat

from flowlike_core import Board, DataType, NodeType, commands, data_in, data_out, default_registry, exec_in, exec_out
from flowlike_core.cli import main

LOOP = Path(__file__).parents[1] / "notebooks" / "boards" / "loop_and_branch.board.json"
WORK_MS = 20.0


class Begin(NodeType):
    name = "bench_cli_begin"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class Slow(NodeType):
    """Pure: waits WORK_MS, then x + 1."""

    name = "bench_cli_slow"
    pins = (data_in("x", DataType.INTEGER), data_out("y", DataType.INTEGER))

    def run(self, ctx):
        time.sleep(WORK_MS / 1000)
        ctx.set_output("y", ctx.get_input("x") + 1)


class Gather(NodeType):
    """Exec: the run's result is the sum of its four inputs."""

    name = "bench_cli_gather"
    pins = (exec_in(), *(data_in(f"v{i}", DataType.INTEGER) for i in range(4)), exec_out())

    def run(self, ctx):
        ctx.set_result(sum(ctx.get_input(f"v{i}") for i in range(4)))
        ctx.activate("exec_out")


for node_type in (Begin, Slow, Gather):
    default_registry().register(node_type, pack="bench-cli", replace=True)


def chains_board(folder: Path) -> tuple[Path, Board]:
    board = Board(name="chains")
    begin = board.apply(commands.AddNode(Begin.create()))
    gather = board.apply(commands.AddNode(Gather.create()))
    board.apply(commands.Connect(begin.id, "exec_out", gather.id, "exec_in"))
    for chain in range(4):
        previous = None
        for step in range(10):
            node = board.apply(commands.AddNode(Slow.create(node_id=f"c{chain}n{step}", x=chain * 100)))
            if previous is not None:
                board.apply(commands.Connect(previous.id, "y", node.id, "x"))
            previous = node
        board.apply(commands.Connect(previous.id, "y", gather.id, f"v{chain}"))  # type: ignore[union-attr]
    return board.save(folder / "chains.board.json"), board


def quiet(*argv: str) -> float:
    """Seconds `flowlike ARGV` takes in this process; its output is dropped; it must succeed."""
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()) as err:
        started = time.perf_counter()
        status = main(list(argv))
        took = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"flowlike {' '.join(argv)} exited {status}:\n{out.getvalue()}\n{err.getvalue()}")
    return took


def cli_cache(args: argparse.Namespace) -> None:
    print(f"1. flowlike run --cache-store: 40 pure nodes of ~{WORK_MS:.0f} ms (load {os.getloadavg()[0]:.1f})")
    with tempfile.TemporaryDirectory() as folder:
        path, board = chains_board(Path(folder))
        run = ["run", str(path), "--no-history"]

        written: list[int] = []

        def first() -> float:
            store = tempfile.mkdtemp(dir=folder)
            took = quiet(*run, "--cache-store", store)
            written.append(sum(len(files) for _, _, files in os.walk(store)))
            return took

        def edited() -> float:
            store = tempfile.mkdtemp(dir=folder)
            quiet(*run, "--cache-store", store)
            board.apply(commands.UpdateNode("c2n0", defaults={"x": int(time.time_ns() % 10**6)}))
            board.save(path)
            return quiet(*run, "--cache-store", store)

        store = tempfile.mkdtemp(dir=folder)

        def warm() -> float:
            quiet(*run, "--cache-store", store)  # (the board as the last case left it)
            return quiet(*run, "--cache-store", store)

        cases: dict[str, Callable[[], float]] = {"bare": lambda: quiet(*run, "--no-cache"), "cold": first,
                                                 "warm": warm, "one_chain": edited}
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.reps):
            for name, measure in cases.items():
                times[name].append(measure())
        bare, cold, warm, one_chain = (statistics.median(times[name]) for name in cases)
    print(f"   --no-cache {bare:.3f}s; first run with the store {cold:.3f}s ({cold / bare:.2f}x of --no-cache); "
          f"it wrote {max(written)} files to the store for 40 results")
    print(f"   second run, all 40 served from the store: {warm:.3f}s = {cold / warm:.1f}x faster than the first")
    print(f"   after editing one leaf (10 of 40 re-run): {one_chain:.3f}s = {cold / one_chain:.1f}x faster")


class Increment(NodeType):
    """Pure and cheap: x + 1."""

    name = "bench_cli_increment"
    pins = (data_in("x", DataType.INTEGER), data_out("y", DataType.INTEGER))

    def run(self, ctx):
        ctx.set_output("y", ctx.get_input("x") + 1)


class Large(NodeType):
    """Pure: a value of `rows` rows of the kind asked for."""

    name = "bench_cli_large"
    pins = (data_in("rows", DataType.INTEGER), data_in("kind", DataType.STRING), data_out("value", DataType.GENERIC))

    def run(self, ctx):
        import numpy as np
        import pandas as pd
        import pyarrow as pa

        rows = ctx.get_input("rows")
        numbers = np.arange(rows)
        makers = {"pyarrow table": lambda: pa.table({"n": numbers, "x": numbers * 0.5}),
                  "pandas frame": lambda: pd.DataFrame({"n": numbers, "x": numbers * 0.5}),
                  "numpy array": lambda: numbers * 0.5, "list": numbers.tolist}
        ctx.set_output("value", makers[ctx.get_input("kind")]())


class Length(NodeType):
    """Exec: the run's result is the length of its input."""

    name = "bench_cli_length"
    pins = (exec_in(), data_in("value", DataType.GENERIC), exec_out())

    def run(self, ctx):
        ctx.set_result(len(ctx.get_input("value")))
        ctx.activate("exec_out")


for node_type in (Increment, Large, Length):
    default_registry().register(node_type, pack="bench-cli", replace=True)


def hit_cost(args: argparse.Namespace) -> None:
    from flowlike_core.cache import ResultCache
    from flowlike_core.executor import run_board

    print(f"\n3. What a cache hit costs, in memory, against running the node (load {os.getloadavg()[0]:.1f})")
    chain = Board(name="increments")
    begin = chain.apply(commands.AddNode(Begin.create()))
    gather = chain.apply(commands.AddNode(Gather.create(v1=0, v2=0, v3=0)))
    chain.apply(commands.Connect(begin.id, "exec_out", gather.id, "exec_in"))
    previous = None
    for _ in range(1000):
        node = chain.apply(commands.AddNode(Increment.create(x=0)))
        if previous is not None:
            chain.apply(commands.Connect(previous.id, "y", node.id, "x"))
        previous = node
    chain.apply(commands.Connect(previous.id, "y", gather.id, "v0"))  # type: ignore[union-attr]
    warm = ResultCache()
    run_board(chain, cache=warm)

    def timed(board: Board, **options: object) -> float:
        started = time.perf_counter()
        run = run_board(board, **options)
        took = time.perf_counter() - started
        if not run.ok:
            raise SystemExit(f"the {board.name} board failed: {run.error}")
        return took

    cases: dict[str, Callable[[], float]] = {"bare": lambda: timed(chain), "filling": lambda: timed(
        chain, cache=ResultCache()), "served": lambda: timed(chain, cache=warm)}
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.reps * 3):
        for name, measure in cases.items():
            times[name].append(measure())
    bare, filling, served = (statistics.median(times[name]) / 1000 * 1e6 for name in cases)
    print(f"   1,000 cheap pure nodes, per node: run {bare:.0f} us; filling a cache {filling:.0f} us "
          f"({filling / bare:.1f}x); served {served:.0f} us ({served / bare:.1f}x of running it)")
    for kind in ("pyarrow table", "pandas frame", "numpy array", "list"):
        board = Board(name="large")
        begin = board.apply(commands.AddNode(Begin.create()))
        large = board.apply(commands.AddNode(Large.create(rows=1_000_000, kind=kind)))
        length = board.apply(commands.AddNode(Length.create()))
        board.apply(commands.Connect(begin.id, "exec_out", length.id, "exec_in"))
        board.apply(commands.Connect(large.id, "value", length.id, "value"))
        cache = ResultCache()
        run_board(board, cache=cache)
        ran: list[float] = []
        hits: list[float] = []
        for _ in range(args.reps):
            ran.append(timed(board))
            hits.append(timed(board, cache=cache))
        made, hit = statistics.median(ran), statistics.median(hits)
        print(f"   1M-row {kind}: made {made * 1000:.1f} ms; served {hit * 1000:.1f} ms ({hit / made:.2f}x)")


def notebook_workers(args: argparse.Namespace) -> None:
    print(f"\n2. flowlike notebook, 6 combinations: one after another vs --workers 2 "
          f"(load {os.getloadavg()[0]:.1f})")
    with tempfile.TemporaryDirectory() as folder:
        parameters = nbformat.v4.new_code_cell('board_path = ""\nthreshold = 5\nnumbers = [3, 8, 1, 9, 4]')
        parameters.metadata["tags"] = ["parameters"]
        run = nbformat.v4.new_code_cell("import flowlike_nb\nfrom flowlike_nb.kernel.papermill import variables_from\n"
                                        "board = flowlike_nb.Board.load(board_path)\nboard.run(variables_from(board))")
        metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                    "language_info": {"name": "python"}}
        notebook = Path(folder) / "run.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[parameters, run], metadata=metadata), notebook)
        sweep = ["notebook", str(LOOP), str(notebook), str(Path(folder) / "out_{threshold}.ipynb"),
                 "-p", "threshold", "1,2,3,4,5,6"]
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.reps):  # the cases take turns
            for workers in times:
                times[workers].append(quiet(*sweep, "--workers", str(workers)))
    alone, together = statistics.median(times[1]), statistics.median(times[2])
    print(f"   one after another {alone:.1f}s; --workers 2 {together:.1f}s = {alone / together:.2f}x")


def main_() -> None:
    global WORK_MS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--work", type=float, default=WORK_MS, help="ms each pure node waits")
    parser.add_argument("--only", default="1,2,3", help="sections to run (1, 2, 3)")
    args = parser.parse_args()
    WORK_MS = args.work
    sections = set(args.only.split(","))
    if "1" in sections:
        cli_cache(args)
    if "2" in sections:
        notebook_workers(args)
    if "3" in sections:
        hit_cost(args)


if __name__ == "__main__":
    main_()
