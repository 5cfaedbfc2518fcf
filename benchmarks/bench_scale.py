"""Execution at scale: the backends against the in-kernel run, all measured in one run of this script.

1. CPU-bound parallel for-each: `control_par_for_each` over 8 items whose body burns pure-Python CPU, its
   iterations on 2 dask workers (a LocalCluster of 2 single-thread workers) and on a pool of 2 processes,
   against `control_for_each` running them one after another in this process; then the same work as 8 whole
   runs (a sweep) on the `process` backend (2 processes) and on dask. Target: at least 1.7x on 2 cores (the
   machine may be shared: the load average is printed with the figures).
2. Fixed cost of a run (a board of one event node) on each backend: thread, process with a warm pool, process
   cold (a new pool: spawn and imports), dask warm, against a bare dask task's round trip.
3. Per-node overhead: (time of a chain of N exec nodes - time of the bare start) / N on each backend, every
   worker having run both boards first (a worker keeps the boards it ran last parsed and planned); then the same
   with a listener of node events (the run tells it every execution: on a remote backend, they travel back).
4. A sweep of 16 combinations of a board with an expensive prefix, on `process` (2), against the 16 runs one
   after another in this process; then the same with a pure prefix on `thread`, whose runs share one result
   cache (`flowlike_core.cache`), against 16 independent runs.
5. Incremental re-run: a board of 200 pure nodes (10 chains of 20), one leaf default edited, re-run with the
   result cache: exactly the nodes the edit affects run again (counted and checked), timed against a full run.

Every time is the median of --reps repetitions; in sections 1, 1b and 2 the cases take turns, so that a load
that comes and goes weighs on all alike.

    .venv/bin/python benchmarks/bench_scale.py [--reps 3] [--items 8] [--work 3000000] [--only 3,4b,5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from flowlike_core import (
    Board,
    DataType,
    Listener,
    NodeType,
    Registry,
    Variable,
    commands,
    data_in,
    data_out,
    default_registry,
    exec_in,
    exec_out,
)
from flowlike_core.cache import ResultCache
from flowlike_core.executor import run_board
from flowlike_core.sweep import sweep


class Start(NodeType):
    name = "b_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class Burn(NodeType):
    """Pure-Python CPU work: `work` additions from `seed` plus the variable `seed`; the total is the run's result."""

    name = "b_burn"
    pins = (exec_in(), data_in("work", DataType.INTEGER, default=1000), data_in("seed", DataType.INTEGER),
            exec_out())

    def run(self, ctx):
        total = ctx.get_input("seed") + ctx.get_variable("seed")
        for i in range(ctx.get_input("work")):
            total = (total + i) % 1_000_003
        ctx.set_result(total)
        ctx.activate("exec_out")


class Step(NodeType):
    name = "b_step"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.activate("exec_out")


class PureBurn(NodeType):
    """Pure CPU work: `work` additions from `value` + `seed`; counts its executions in `ran`."""

    name = "b_pure_burn"
    pins = (data_in("value", DataType.INTEGER), data_in("seed", DataType.INTEGER),
            data_in("work", DataType.INTEGER, default=1000), data_out("total", DataType.INTEGER))
    ran = 0

    def run(self, ctx):
        type(self).ran += 1
        total = ctx.get_input("value") + ctx.get_input("seed")
        for i in range(ctx.get_input("work")):
            total = (total + i) % 1_000_003
        ctx.set_output("total", total)


class Mix(NodeType):
    """Pure: `value` mixed with the variables `seed` and `label` (read through the context)."""

    name = "b_mix"
    pins = (data_in("value", DataType.INTEGER), data_out("mixed", DataType.INTEGER))

    def run(self, ctx):
        ctx.set_output("mixed", ctx.get_input("value") * 31 + ctx.get_variable("seed") * 7 + ctx.get_variable("label"))


class Collect(NodeType):
    """Exec: the sum of its inputs becomes the run's result."""

    name = "b_collect"
    pins = (exec_in(), *[data_in("values", DataType.INTEGER)] * 10, exec_out())

    def run(self, ctx):
        ctx.set_result(sum(ctx.get_inputs("values")))
        ctx.activate("exec_out")


REGISTRY = Registry()
LOOPS = ("control_for_each", "control_par_for_each")
for _type in (Start, Burn, Step, PureBurn, Mix, Collect, *(default_registry().get(key) for key in LOOPS)):
    REGISTRY.register(_type)


def add(board: Board, key: str, node_id: str, **defaults: Any) -> str:
    return board.apply(commands.AddNode(REGISTRY.get(key).create(node_id=node_id, **defaults))).id


def burn_board(work: int, prefix_work: int = 0) -> Board:
    """start -> [burn prefix] -> burn(seed from the exposed variable `seed`)."""
    board = Board(name="burn")
    board.apply(commands.UpsertVariable(Variable(name="seed", data_type=DataType.INTEGER, default_value=0,
                                                 exposed=True)))
    board.apply(commands.UpsertVariable(Variable(name="label", data_type=DataType.INTEGER, default_value=0,
                                                 exposed=True)))
    last = add(board, "b_start", "start")
    if prefix_work:
        prefix = add(board, "b_burn", "prefix", work=prefix_work)
        board.apply(commands.Connect(last, "exec_out", prefix, "exec_in"))
        last = prefix
    burn = add(board, "b_burn", "burn", work=work)
    board.apply(commands.Connect(last, "exec_out", burn, "exec_in"))
    return board


def loop_board(key: str, items: int, work: int, **loop_inputs: Any) -> Board:
    """start -> loop over range(items) -> burn(work, seed=item)."""
    board = burn_board(work)
    loop = add(board, key, "loop", array=list(range(items)), **loop_inputs)
    board.apply(commands.Connect("start", "exec_out", loop, "exec_in"))
    board.apply(commands.Connect(loop, "exec_out", "burn", "exec_in"))
    board.apply(commands.Connect(loop, "value", "burn", "seed"))
    return board


def chain_board(length: int) -> Board:
    board = Board(name=f"chain-{length}")
    last = add(board, "b_start", "start")
    for index in range(length):
        step = add(board, "b_step", f"s{index}")
        board.apply(commands.Connect(last, "exec_out", step, "exec_in"))
        last = step
    return board


def pure_prefix_board(prefix_work: int, work: int) -> Board:
    """start -> collect(values = burn(mix(prefix), work)): the prefix reads no variable, `mix` reads both."""
    board = burn_board(0)
    board.apply(commands.RemoveNode("burn"))
    prefix = add(board, "b_pure_burn", "prefix", work=prefix_work)
    mix = add(board, "b_mix", "mix")
    tail = add(board, "b_pure_burn", "tail", work=work)
    collect = add(board, "b_collect", "collect")
    board.apply(commands.Connect(prefix, "total", mix, "value"))
    board.apply(commands.Connect(mix, "mixed", tail, "value"))
    board.apply(commands.Connect(tail, "total", collect, board.nodes[collect].ordered_pins()[1].id))
    board.apply(commands.Connect("start", "exec_out", collect, "exec_in"))
    return board


def chains_board(chains: int, length: int, work: int) -> Board:
    """`chains` chains of `length` pure nodes (c<j>_<k>: total = previous total + seed + work), their ends
    summed by an exec node: chains * length pure nodes."""
    board = Board(name=f"chains-{chains}x{length}")
    add(board, "b_start", "start")
    collect = add(board, "b_collect", "collect")
    board.apply(commands.Connect("start", "exec_out", collect, "exec_in"))
    inputs = [p.id for p in board.nodes[collect].ordered_pins() if p.name == "values"]
    for chain in range(chains):
        last = None
        for index in range(length):
            node = add(board, "b_pure_burn", f"c{chain}_{index}", value=chain, seed=index, work=work)
            if last is not None:
                board.apply(commands.Connect(last, "total", node, "value"))
            last = node
        board.apply(commands.Connect(last, "total", collect, inputs[chain]))
    return board


def downstream(board: Board, node_id: str) -> set[str]:
    """The node and every node wired after it (what an edit to it affects)."""
    found, stack = {node_id}, [node_id]
    while stack:
        current = stack.pop()
        for wire in board.connections:
            if wire.from_node == current and wire.to_node not in found:
                found.add(wire.to_node)
                stack.append(wire.to_node)
    return found


def plain_burn(seed: int, work: int) -> int:
    """The same work as `Burn`, as a plain function: the machine's own ceiling for 2 processes."""
    total = seed
    for i in range(work):
        total = (total + i) % 1_000_003
    return total


def median_time(action: Callable[[], Any], reps: int) -> float:
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def interleaved(actions: dict[str, Callable[[], Any]], reps: int) -> dict[str, float]:
    """Median time of each action, taking turns (one of each per round), so that a load that comes and goes on a
    shared machine weighs on all of them alike and their ratios hold."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(reps):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(spans) for name, spans in times.items()}


def checked(run: Any) -> Any:
    if not run.ok:
        raise SystemExit(f"benchmark run failed: {run.error}")
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--items", type=int, default=8)
    parser.add_argument("--work", type=int, default=3_000_000)
    parser.add_argument("--only", default="", help="comma-separated sections to run (3,4b,5); all by default")
    args = parser.parse_args()
    if args.only:
        sections = set(args.only.split(","))
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        if "3" in sections:
            os.environ.setdefault("DASK_TEMPORARY_DIRECTORY", tempfile.mkdtemp(prefix="bench-scale-dask-"))
            from flowlike_core.backends.dask import DaskBackend
            from flowlike_core.backends.process import ProcessBackend

            process, dask = ProcessBackend(2), DaskBackend(n_workers=2)
            per_node(process, dask, args.reps)
            process.close()
            dask.close()
        if "4b" in sections:
            cached_sweep(args)
        if "5" in sections:
            incremental(args)
        return
    os.environ.setdefault("DASK_TEMPORARY_DIRECTORY", tempfile.mkdtemp(prefix="bench-scale-dask-"))
    from flowlike_core.backends.dask import DaskBackend
    from flowlike_core.backends.process import ProcessBackend

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    started = time.perf_counter()
    process = ProcessBackend(2)
    process.pool.warm()
    checked(run_board(chain_board(1), registry=REGISTRY, backend=process))
    print(f"process pool of 2 started and warm in {time.perf_counter() - started:.2f}s")
    started = time.perf_counter()
    dask = DaskBackend(n_workers=2)
    checked(run_board(chain_board(1), registry=REGISTRY, backend=dask))
    print(f"dask LocalCluster of 2 started, first run done in {time.perf_counter() - started:.2f}s")

    print("\n1. CPU-bound parallel for-each over 2 workers")
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    sequential_loop = loop_board("control_for_each", args.items, args.work)
    loops = {name: loop_board("control_par_for_each", args.items, args.work, workers=name, max_concurrent=2)
             for name in ("processes", "dask")}
    results = {name: checked(run_board(board, registry=REGISTRY)).result
               for name, board in [("sequential", sequential_loop), *loops.items()]}
    assert len(set(results.values())) == 1, results
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as plain_pool:
        list(plain_pool.map(plain_burn, range(2), [1] * 2))
        took = interleaved({
            "plain": lambda: [plain_burn(i, args.work) for i in range(args.items)],
            "plain pool": lambda: list(plain_pool.map(plain_burn, range(args.items), [args.work] * args.items)),
            "sequential": lambda: checked(run_board(sequential_loop, registry=REGISTRY)),
            **{name: lambda b=board: checked(run_board(b, registry=REGISTRY)) for name, board in loops.items()},
        }, args.reps)
    ceiling = took["plain"] / took["plain pool"]
    print(f"  ceiling now: plain Python, {args.items} calls: {took['plain']:.2f}s; on a plain pool of 2 processes: "
          f"{took['plain pool']:.2f}s -> {ceiling:.2f}x")
    sequential = took["sequential"]
    print(f"  control_for_each, {args.items} items of {args.work:,} additions, in this process: {sequential:.2f}s")
    for name in loops:
        speedup = sequential / took[name]
        print(f"  control_par_for_each, workers={name:<9} (2): {took[name]:.2f}s -> {speedup:.2f}x "
              f"(target >= 1.7x); {speedup / ceiling:.0%} of the ceiling")

    print(f"\n1b. The same work as whole runs (a sweep of {args.items}) over 2 workers")
    board = burn_board(args.work)
    grid = {"seed": list(range(args.items))}

    def on(backend: Any) -> Callable[[], Any]:
        def go() -> Any:
            result = sweep(board, grid, outputs=["result"], registry=REGISTRY, backend=backend)
            assert result.ok, result.records()
            return result
        return go

    expected = [r["result"] for r in on("thread")().records()]
    assert [r["result"] for r in on(process)().records()] == expected == [r["result"] for r in on(dask)().records()]
    took = interleaved({"thread": on("thread"), "process": on(process), "dask": on(dask)}, args.reps)
    sequential = took["thread"]
    print(f"  {args.items} runs, one after another in this process: {sequential:.2f}s")
    for name, label in (("process", "process backend, 2 processes:"), ("dask", "dask, 2 workers:")):
        speedup = sequential / took[name]
        print(f"  {label:<29} {took[name]:.2f}s -> {speedup:.2f}x (target >= 1.7x); {speedup / ceiling:.0%} of the "
              f"ceiling")

    print("\n2. Fixed cost of a run (one event node)")
    bare = chain_board(0)
    fixed = interleaved({
        "thread": lambda: checked(run_board(bare, registry=REGISTRY)),
        "process (warm)": lambda: checked(run_board(bare, registry=REGISTRY, backend=process)),
        "dask (warm)": lambda: checked(run_board(bare, registry=REGISTRY, backend=dask)),
        "a bare dask task": lambda: dask.client.submit(plain_burn, 0, 0, pure=False).result(),
    }, args.reps * 5)

    def cold() -> None:
        fresh = ProcessBackend(1)
        try:
            checked(run_board(bare, registry=REGISTRY, backend=fresh))
        finally:
            fresh.close()

    fixed["process (cold pool)"] = median_time(cold, args.reps)
    for name, seconds in fixed.items():
        print(f"  {name:<20} {seconds * 1000:8.1f} ms  ({seconds / fixed['thread']:.0f}x thread)")
    print(f"  dask's own round trip is {fixed['a bare dask task'] * 1000:.1f} ms of the dask run's "
          f"{fixed['dask (warm)'] * 1000:.1f} ms")

    per_node(process, dask, args.reps)

    print("\n4. Sweep of 16 combinations sharing an expensive prefix")
    prefixed = burn_board(args.work // 8, prefix_work=args.work // 2)
    grid16 = {"seed": list(range(4)), "label": list(range(4))}
    alone = median_time(lambda: [checked(run_board(prefixed, registry=REGISTRY, variables=point))
                                 for point in ({"seed": s, "label": x} for s in range(4) for x in range(4))], 1)
    swept = median_time(lambda: sweep(prefixed, grid16, registry=REGISTRY, backend=process), 1)
    print(f"  16 independent runs in this process: {alone:.2f}s; sweep on process (2): {swept:.2f}s -> "
          f"{alone / swept:.2f}x (an exec prefix, which no cache serves: recomputed in every run)")
    process.close()
    dask.close()
    cached_sweep(args)
    incremental(args)
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


def per_node(process: Any, dask: Any, reps: int) -> None:
    """Section 3. Every worker has run both boards before the clock starts (a worker parses and plans a board the
    first time it runs it: a cold start, measured in section 2, not a per-node cost)."""
    from flowlike_core.executor import start_run

    print("\n3. Per-node overhead (chain of 1,000 exec nodes, marginal; every worker warm with both boards)")
    chain, bare = chain_board(1000), chain_board(0)
    per_node = {}
    for name, backend in (("thread", "thread"), ("process", process), ("dask", dask)):
        for board in (chain, bare, chain):  # at once, so that every worker of the pool or cluster gets them
            for handle in [start_run(board, registry=REGISTRY, backend=backend) for _ in range(4)]:
                checked(handle.wait())
        took = interleaved({kind: lambda b=backend, board=board: checked(run_board(board, registry=REGISTRY, backend=b))
                            for kind, board in (("chain", chain), ("bare", bare))}, reps * 3)  # (both kept parsed)
        whole, empty = took["chain"], took["bare"]
        per_node[name] = max(whole - empty, 0.0) / 1000
        print(f"  {name:<8} {per_node[name] * 1e6:7.1f} us/node  ({per_node[name] / per_node['thread']:.1f}x thread; "
              f"a run of the chain {whole * 1000:.1f} ms, of the bare start {empty * 1000:.1f} ms)")
    for name, backend in (("thread", "thread"), ("process", process), ("dask", dask)):
        heard = Heard()
        took = interleaved({kind: lambda b=backend, board=board, heard=heard: checked(run_board(
            board, registry=REGISTRY, backend=b, listeners=[heard])) for kind, board in (("chain", chain),
                                                                                         ("bare", bare))}, reps * 3)
        assert heard.finished == (1001 + 1) * reps * 3, heard.finished  # every execution told, of both boards
        watched = max(took["chain"] - took["bare"], 0.0) / 1000
        per_node[f"{name} watched"] = watched
        print(f"  {name:<8} {watched * 1e6:7.1f} us/node with a listener of node events "
              f"({watched / per_node['thread watched']:.1f}x thread with one)")


class Heard(Listener):
    """Counts the node executions it is told of (a listener of node events: the run tells every one)."""

    def __init__(self) -> None:
        self.finished = 0

    def node_finished(self, run: Any, trace: Any) -> None:
        self.finished += 1


def cached_sweep(args: argparse.Namespace) -> None:
    print("\n4b. Sweep of 16 combinations sharing an expensive pure prefix, on thread with one result cache")
    board = pure_prefix_board(args.work // 2, args.work // 64)
    grid16 = {"seed": list(range(4)), "label": list(range(4))}
    points = [{"seed": s, "label": x} for s in range(4) for x in range(4)]
    expected = [checked(run_board(board, registry=REGISTRY, variables=point)).result for point in points]
    PureBurn.ran = 0
    result = sweep(board, grid16, outputs=["result"], registry=REGISTRY)
    assert result.ok and [r["result"] for r in result.records()] == expected, result.records()
    assert PureBurn.ran == 1 + 16, PureBurn.ran  # the prefix once, the tail (it reads the mix) per combination
    alone = median_time(lambda: [checked(run_board(board, registry=REGISTRY, variables=point)) for point in points],
                        args.reps)
    swept = median_time(lambda: sweep(board, grid16, outputs=["result"], registry=REGISTRY), args.reps)
    print(f"  16 independent runs (no cache): {alone:.2f}s; sweep sharing a cache: {swept:.2f}s -> "
          f"{alone / swept:.2f}x (the prefix ran once, not 16 times; results identical)")


def incremental(args: argparse.Namespace) -> None:
    print("\n5. Incremental re-run after one leaf default edit on a 200-node pure board (10 chains of 20)")
    board = chains_board(10, 20, args.work // 100)
    leaf = "c3_0"
    affected = {n for n in downstream(board, leaf) if board.nodes[n].is_pure}
    checked(run_board(board, registry=REGISTRY))
    reruns, fulls, cold, seconds, results = [], [], [], [], set()
    for rep in range(args.reps):  # the three side by side in each round: a loaded machine drifts
        fulls.append(median_time(lambda: checked(run_board(board, registry=REGISTRY)), 1))
        cache = ResultCache()
        started = time.perf_counter()
        checked(run_board(board, registry=REGISTRY, cache=cache))
        cold.append(time.perf_counter() - started)
        board.apply(commands.UpdateNode(leaf, defaults={"seed": 100 + rep}))
        PureBurn.ran = 0
        started = time.perf_counter()
        run = checked(run_board(board, registry=REGISTRY, cache=cache))
        seconds.append(time.perf_counter() - started)
        reruns.append(PureBurn.ran)
        results.add(run.result == checked(run_board(board, registry=REGISTRY)).result)
        ran = {n for n in affected if not run.why(n).cached}
        unaffected = {n for n, node in board.nodes.items() if node.is_pure} - affected
        assert ran == affected and all(run.why(n).cached for n in unaffected), "the re-run ran other nodes"
    assert set(reruns) == {len(affected)} and results == {True}, (reruns, len(affected), results)
    full = statistics.median(fulls)
    print(f"  pure nodes re-executed: {reruns[0]} of 200 (affected by the edit: {len(affected)}) -> checked")
    print(f"  run why: {run.why(leaf)}")
    print(f"  full run, no cache: {full * 1000:.1f} ms; full run filling a cache: {statistics.median(cold) * 1000:.1f}"
          f" ms ({statistics.median(cold) / full:.2f}x); incremental re-run: {statistics.median(seconds) * 1000:.1f}"
          f" ms -> {full / statistics.median(seconds):.1f}x faster than the full run")


if __name__ == "__main__":
    main()
