"""Engine overhead, measured against baselines taken in the same run (a script that prints figures, not a test).

1. Per exec node, on a chain of 2,000 exec nodes that each compute `value + 1`: against plain Python doing the
   same additions, and against ryvencore and Hamilton on the same chain. Their chains come from the shared peer
   script (`peers_chain.py`, run here in-process so that all figures share one machine state).
   Target: our time per node at most half of ryvencore's.
2. Per iteration of a 100,000-item `control_for_each` whose body is one small exec node: against a plain loop.

Per-node figures are marginal: (time of the N-node chain - time of the bare start node) / N, so the fixed cost of
a run (worker thread, event loop) is printed on its own and not spread over the nodes. Every time is the median
of --reps repetitions, the contenders interleaved so that machine noise hits them alike.

    .venv/bin/python benchmarks/bench_engine.py [--reps 7] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import io
import os
import pstats
import runpy
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flowlike_core import (
    Board,
    DataType,
    NodeType,
    Registry,
    ValueType,
    Variable,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
    run_board,
)
from flowlike_core.executor import Executor, find_start, prepare_variables
from flowlike_core.plan import plan_for
from flowlike_core.registry import default_registry
from flowlike_core.run import Run

CHAIN_NODES = 2_000
FOR_EACH_ITEMS = 100_000
TARGET = 0.5
"""Our per-node time over ryvencore's must be at most this."""
PEERS = Path(os.environ.get("FLOWLIKE_PEERS_CHAIN", "/work/shared/bench/peers_chain.py"))


class Start(NodeType):
    name = "bench_start"
    is_event = True
    pins = (exec_out(), data_out("value", DataType.INTEGER))

    def run(self, ctx):
        ctx.set_output("value", 0)
        ctx.activate("exec_out")


class AddOne(NodeType):
    name = "bench_add_one"
    pins = (exec_in(), data_in("value", DataType.INTEGER), exec_out(), data_out("value", DataType.INTEGER))

    def run(self, ctx):
        ctx.set_output("value", ctx.get_input("value") + 1)
        ctx.activate("exec_out")


class Result(NodeType):
    name = "bench_result"
    pins = (exec_in(), data_in("value", DataType.INTEGER))

    def run(self, ctx):
        ctx.set_result(ctx.get_input("value"))


def registry() -> Registry:
    """The bench's own node types next to the installed packs (for `control_for_each` and `variable_get`)."""
    reg = Registry()
    for node_type in default_registry():
        reg.register(node_type, pack=node_type.pack)
    for node_type in (Start, AddOne, Result):
        reg.register(node_type, pack="bench")
    return reg


def add(board: Board, node_type: type[NodeType], **defaults: Any) -> Any:
    return board.apply(commands.AddNode(node_type.create(**defaults)))


def chain_board(length: int) -> Board:
    """start -> add_one x length -> result, each add_one reading the value of the node before it."""
    board = Board(name=f"chain-{length}")
    previous = add(board, Start)
    for node_type in [AddOne] * length + [Result]:
        node = add(board, node_type)
        board.apply(commands.Batch([commands.Connect(previous.id, "exec_out", node.id, "exec_in"),
                                    commands.Connect(previous.id, "value", node.id, "value")]))
        previous = node
    return board


def for_each_board(reg: Registry) -> Board:
    """start -> for_each over the `items` variable, body: add_one on the element."""
    board = Board(name="for-each")
    board.apply(commands.UpsertVariable(Variable(name="items", data_type=DataType.INTEGER,
                                                 value_type=ValueType.ARRAY, default_value=[], exposed=True)))
    start = add(board, Start)
    get = board.apply(commands.AddNode(reg.get("variable_get").create(var_ref="items")))
    loop = board.apply(commands.AddNode(reg.get("control_for_each").create()))
    body = add(board, AddOne)
    board.apply(commands.Batch([
        commands.Connect(start.id, "exec_out", loop.id, "exec_in"),
        commands.Connect(get.id, "value_ref", loop.id, "array"),
        commands.Connect(loop.id, "exec_out", body.id, "exec_in"),
        commands.Connect(loop.id, "value", body.id, "value"),
    ]))
    return board


def medians(contenders: dict[str, Callable[[], Any]], reps: int) -> dict[str, float]:
    """Median seconds of each contender over `reps` interleaved repetitions (after one warm-up call each).

    Each call starts from a collected heap, so that none pays for the garbage of the one before it. Times are
    CPU time of this process (all its threads), so that other work on a shared machine skews them less.
    """
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(reps):
        for name, fn in contenders.items():
            gc.collect()
            start = time.process_time()
            fn()
            times[name].append(time.process_time() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def peers(length: int) -> dict[str, Any]:
    """The peer script's chains, built in this process: its globals `plain`, `ryven` and `ham`."""
    if not PEERS.exists():
        sys.exit(f"peer baseline {PEERS} not found; set FLOWLIKE_PEERS_CHAIN to peers_chain.py")
    argv = sys.argv
    sys.argv = [str(PEERS), str(length)]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return runpy.run_path(str(PEERS), run_name="peers_chain")
    finally:
        sys.argv = argv


def checked(name: str, run_fn: Callable[[], Any], expected: Any) -> Callable[[], Any]:
    """`run_fn` as a contender, after checking once that it computes what the others compute."""
    got = run_fn()
    if got != expected:
        sys.exit(f"{name} computed {got!r}, expected {expected!r}")
    return run_fn


def bench_chain(reg: Registry, reps: int) -> float:
    board, bare = chain_board(CHAIN_NODES), chain_board(0)
    peer = peers(CHAIN_NODES)

    def ours() -> Any:
        return run_board(board, registry=reg).raise_for_status().result

    def ours_bare() -> Any:
        return run_board(bare, registry=reg).raise_for_status().result

    t = medians({
        "flowlike": checked("flowlike", ours, CHAIN_NODES),
        "flowlike (bare run)": checked("flowlike bare run", ours_bare, 0),
        "plain": checked("plain", peer["plain"], CHAIN_NODES),
        "ryvencore": checked("ryvencore", peer["ryven"], CHAIN_NODES),
        "hamilton": checked("hamilton", peer["ham"], CHAIN_NODES),
    }, reps)
    per_node = {name: t[name] / CHAIN_NODES for name in ("plain", "ryvencore", "hamilton")}
    per_node["flowlike"] = (t["flowlike"] - t["flowlike (bare run)"]) / CHAIN_NODES
    print(f"1. chain of {CHAIN_NODES:,} exec nodes (value + 1), median of {reps}")
    print(f"   fixed cost of a run (bare start node):     {t['flowlike (bare run)'] * 1e3:8.3f} ms")
    print(f"   whole run of the chain:                    {t['flowlike'] * 1e3:8.3f} ms")
    for name in ("flowlike", "plain", "ryvencore", "hamilton"):
        ratio = per_node["flowlike"] / per_node[name]
        note = "" if name == "flowlike" else f"   flowlike / {name} = {ratio:7.2f}x"
        print(f"   {name:10s} {per_node[name] * 1e6:9.3f} us/node{note}")
    versus_ryven = per_node["flowlike"] / per_node["ryvencore"]
    verdict = "PASS" if versus_ryven <= TARGET else "FAIL"
    print(f"   target flowlike <= {TARGET:.2f} x ryvencore per node: {versus_ryven:.2f} -> {verdict}")
    return versus_ryven


def bench_for_each(reg: Registry, reps: int) -> None:
    items = list(range(FOR_EACH_ITEMS))
    board = for_each_board(reg)
    body = board.node("bench_add_one").id

    def ours() -> Any:
        run = run_board(board, registry=reg, variables={"items": items}).raise_for_status()
        return run.output(body, "value")

    def plain() -> int:
        add_one = (lambda x: x + 1)  # noqa: E731  (the same call per item the peer script's plain chain makes)
        value = 0
        for item in items:
            value = add_one(item)
        return value

    t = medians({"flowlike": checked("flowlike", ours, FOR_EACH_ITEMS), "plain": checked("plain", plain,
                                                                                         FOR_EACH_ITEMS)}, reps)
    ours_per, plain_per = t["flowlike"] / FOR_EACH_ITEMS, t["plain"] / FOR_EACH_ITEMS
    print(f"2. control_for_each over {FOR_EACH_ITEMS:,} items, body one exec node (value + 1), median of {reps}")
    print(f"   flowlike   {ours_per * 1e6:9.3f} us/iteration (whole run over the items, {t['flowlike'] * 1e3:.1f} ms)")
    print(f"   plain      {plain_per * 1e6:9.3f} us/iteration   flowlike / plain = {ours_per / plain_per:7.2f}x")


def profile_chain(reg: Registry, runs: int = 5) -> None:
    """Where chain runs spend their time: the executor driven in this thread, so that cProfile sees it."""
    board = chain_board(CHAIN_NODES)
    plan = plan_for(board, reg)
    run_board(board, registry=reg)
    profiler = cProfile.Profile()
    for _ in range(runs):
        run = Run("profile", board, find_start(board, plan, None), prepare_variables(board, None))
        profiler.runcall(asyncio.run, Executor(plan, run).main())
    print(f"3. profile of {runs} chain runs, by own time")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=7, help="repetitions per figure; the median is printed")
    parser.add_argument("--profile", action="store_true", help="also print the chain run's hot spots")
    args = parser.parse_args()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    reg = registry()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {load} (other work skews figures)")
    bench_chain(reg, args.reps)
    bench_for_each(reg, args.reps)
    if args.profile:
        profile_chain(reg)


if __name__ == "__main__":
    main()
