"""Engine overhead, measured against baselines taken in the same run (a script that prints figures, not a test).

1. Per exec node, on a chain of 2,000 exec nodes that each compute `value + 1`: against plain Python doing the
   same additions, and against ryvencore and Hamilton on the same chain. Their chains come from the shared peer
   script (`peers_chain.py`, run here in-process so that all figures share one machine state). Measured in both
   node forms: the function form (`@node(exec_pins=True)`) and the class form (`run(self, ctx, *, value)`).
   Targets: at most 0.30x ryvencore and at most 10x plain Python per node.
2. Per iteration of a 100,000-item `control_for_each` whose body is one small exec node: against a plain loop.
   Target: at most 30x.
3. A runaway exec loop of two log nodes, stopped by the 1,000,000-step limit: time and peak memory (RSS) of a
   fresh process, against the same process doing nothing. Targets: the step-limit error in under 10 s, under
   100 MB more than the idle process.
4. `flowlike run notebooks/boards/loop_and_branch.board.json` from a cold process, against `python -c pass`.
   Target: under 0.6 s wall.
5. `validate()` of a chain of 100,000 pure nodes (CPU seconds), against a bare graphlib sort of the same chain.
   Target: under 5 s.

Per-node figures are marginal: (time of the N-node chain - time of the bare start node) / N, so the fixed cost of
a run (worker thread, event loop) is printed on its own and not spread over the nodes. The contenders run
interleaved, --reps rounds of one call each. Every time printed is a median over the rounds; every ratio is the
median of the ratios within each round (paired: the two times of a round are milliseconds apart, so that a
shared machine's bursts of other work, which move the times of separate rounds by up to 2x, hit both alike).

    .venv/bin/python benchmarks/bench_engine.py [--reps 7] [--profile] [--only 1,2,3,4,5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import graphlib
import io
import os
import pstats
import resource
import runpy
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from flowlike_core import (
    Board,
    Connection,
    DataType,
    NodeType,
    Pin,
    Registry,
    ValueType,
    Variable,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
    node,
    run_board,
)
from flowlike_core.executor import Executor, find_start, prepare_variables
from flowlike_core.plan import plan_for
from flowlike_core.registry import default_registry
from flowlike_core.run import Run

CHAIN_NODES = 2_000
FOR_EACH_ITEMS = 100_000
TARGET_RYVEN = 0.30
"""Our per-node time over ryvencore's must be at most this."""
TARGET_PLAIN = 10.0
TARGET_FOR_EACH = 30.0
RUNAWAY_STEPS = 1_000_000
LONG_CHAIN = 100_000
ROOT = Path(__file__).resolve().parent.parent
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

    def run(self, ctx, *, value: int):
        ctx.set_output("value", value + 1)
        ctx.activate("exec_out")


@node(name="bench_add_one_fn", exec_pins=True)
def add_one(value: int) -> Annotated[int, Pin(name="value")]:
    """The same node in the function form (what a pack would write for it)."""
    return value + 1


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
    for node_type in (Start, AddOne, add_one, Result):
        reg.register(node_type, pack="bench")
    return reg


def add(board: Board, node_type: type[NodeType], **defaults: Any) -> Any:
    return board.apply(commands.AddNode(node_type.create(**defaults)))


def chain_board(length: int, step: type[NodeType] = AddOne) -> Board:
    """start -> `step` x length -> result, each step reading the value of the node before it."""
    board = Board(name=f"chain-{length}")
    previous = add(board, Start)
    for node_type in [step] * length + [Result]:
        node = add(board, node_type)
        board.apply(commands.Batch([commands.Connect(previous.id, "exec_out", node.id, "exec_in"),
                                    commands.Connect(previous.id, "value", node.id, "value")]))
        previous = node
    return board


def for_each_board(reg: Registry, step: type[NodeType] = AddOne) -> Board:
    """start -> for_each over the `items` variable, body: `step` on the element."""
    board = Board(name="for-each")
    board.apply(commands.UpsertVariable(Variable(name="items", data_type=DataType.INTEGER,
                                                 value_type=ValueType.ARRAY, default_value=[], exposed=True)))
    start = add(board, Start)
    get = board.apply(commands.AddNode(reg.get("variable_get").create(var_ref="items")))
    loop = board.apply(commands.AddNode(reg.get("control_for_each").create()))
    body = add(board, step)
    board.apply(commands.Batch([
        commands.Connect(start.id, "exec_out", loop.id, "exec_in"),
        commands.Connect(get.id, "value_ref", loop.id, "array"),
        commands.Connect(loop.id, "exec_out", body.id, "exec_in"),
        commands.Connect(loop.id, "value", body.id, "value"),
    ]))
    return board


def rounds(contenders: dict[str, Callable[[], Any]], reps: int) -> dict[str, list[float]]:
    """Seconds of each contender in each of `reps` rounds, a round calling every contender once (after one warm-up
    call each).

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
    return times


def paired(ours: list[float], baseline: list[float]) -> float:
    """The median over rounds of ours / baseline within a round."""
    return statistics.median(a / b for a, b in zip(ours, baseline, strict=True))


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


class _PlainContext:
    """The least a class-form node's `ctx` could be: one output and one exec pin, stored by name."""

    __slots__ = ("value", "activated")

    def set_output(self, name: str, value: Any) -> None:
        self.value = value

    def activate(self, name: str) -> None:
        self.activated = name


def _plain_step(node: Any, ctx: _PlainContext, value: int) -> None:
    """AddOne's `run`, called by position (as the engine calls it)."""
    ctx.set_output("value", value + 1)
    ctx.activate("exec_out")


def plain_class_calls(length: int) -> Callable[[], int]:
    """Plain Python making, per node, the three calls a class-form node makes (its `run`, `ctx.set_output`,
    `ctx.activate`), with one node and one context, all in cache: what the form's calls cost by themselves. The
    rest of the class form's time is the engine's: what every step costs (its trace record, counters and clock, as in
    the function form), what `set_output` and `activate` do (find the key and the targets, check the value's type),
    and memory: a chain of distinct nodes loads each node's plan and bound tuple from beyond the cache."""
    node, ctx = AddOne(), _PlainContext()

    def chain() -> int:
        ctx.value = 0
        for _ in range(length):
            _plain_step(node, ctx, ctx.value)
        return ctx.value

    return chain


def bench_chain(reg: Registry, reps: int) -> None:
    """The chain in both node forms (as `catalog/README.md` shows them): the class form (inputs as keyword arguments,
    output and exec pin through `ctx`) and the function form (`@node(exec_pins=True)`)."""
    forms = {"class form": chain_board(CHAIN_NODES, AddOne), "function form": chain_board(CHAIN_NODES, add_one)}
    bare = chain_board(0)
    peer = peers(CHAIN_NODES)

    def ours(board: Board) -> Callable[[], Any]:
        return lambda: run_board(board, registry=reg).raise_for_status().result

    times = rounds({
        **{form: checked(form, ours(board), CHAIN_NODES) for form, board in forms.items()},
        "bare run": checked("bare run", ours(bare), 0),
        "plain": checked("plain", peer["plain"], CHAIN_NODES),
        "plain, class calls": checked("plain, class calls", plain_class_calls(CHAIN_NODES), CHAIN_NODES),
        "ryvencore": checked("ryvencore", peer["ryven"], CHAIN_NODES),
        "hamilton": checked("hamilton", peer["ham"], CHAIN_NODES),
    }, reps)
    t = {name: statistics.median(ts) for name, ts in times.items()}
    peers_ = ("plain", "ryvencore", "hamilton")
    print(f"1. chain of {CHAIN_NODES:,} exec nodes (value + 1), {reps} rounds")
    print(f"   fixed cost of a run (bare start node):     {t['bare run'] * 1e3:8.3f} ms")
    for name in peers_:
        print(f"   {name:14s} {t[name] / CHAIN_NODES * 1e6:9.3f} us/node")
    floor = "plain, class calls"
    print(f"   {floor:18s} {t[floor] / CHAIN_NODES * 1e6:5.3f} us/node (the class form's three calls, in cache)")
    for form in forms:
        marginal = [whole - bare for whole, bare in zip(times[form], times["bare run"], strict=True)]
        ratio = {name: paired(marginal, times[name]) for name in peers_}  # (both per CHAIN_NODES nodes)
        versus = "   ".join(f"/ {name} = {ratio[name]:5.2f}x" for name in peers_)
        print(f"   flowlike, {form:14s} {statistics.median(marginal) / CHAIN_NODES * 1e6:6.3f} us/node "
              f"(whole run {t[form] * 1e3:.2f} ms)   {versus}")
        versus_ryven, versus_plain = ratio["ryvencore"], ratio["plain"]
        if form == "class form":
            print(f"     / plain making the same three calls = {paired(marginal, times[floor]):.2f}x (no target)")
        print(f"     target <= {TARGET_RYVEN:.2f}x ryvencore: {versus_ryven:.2f} -> "
              f"{verdict(versus_ryven <= TARGET_RYVEN)};  target <= {TARGET_PLAIN:.0f}x plain: {versus_plain:.1f} -> "
              f"{verdict(versus_plain <= TARGET_PLAIN)}")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def bench_for_each(reg: Registry, reps: int) -> None:
    """The loop with its body in both node forms, as the chain has them."""
    items = list(range(FOR_EACH_ITEMS))
    forms = {"class form": for_each_board(reg, AddOne), "function form": for_each_board(reg, add_one)}

    def ours(board: Board) -> Callable[[], Any]:
        body = next(n.id for n in board.nodes.values() if n.name in (AddOne.name, add_one.name))

        def run() -> Any:
            return run_board(board, registry=reg, variables={"items": items}).raise_for_status().output(body, "value")

        return run

    def plain() -> int:
        add_one = (lambda x: x + 1)  # noqa: E731  (the same call per item the peer script's plain chain makes)
        value = 0
        for item in items:
            value = add_one(item)
        return value

    times = rounds({**{form: checked(form, ours(board), FOR_EACH_ITEMS) for form, board in forms.items()},
                    "plain": checked("plain", plain, FOR_EACH_ITEMS)}, reps)
    t = {name: statistics.median(ts) for name, ts in times.items()}
    print(f"2. control_for_each over {FOR_EACH_ITEMS:,} items, body one exec node (value + 1), {reps} rounds")
    print(f"   plain                     {t['plain'] / FOR_EACH_ITEMS * 1e6:6.3f} us/iteration")
    for form in forms:
        ours_per = t[form] / FOR_EACH_ITEMS
        ratio = paired(times[form], times["plain"])
        print(f"   flowlike, {form:14s} {ours_per * 1e6:6.3f} us/iteration (whole run {t[form] * 1e3:.1f} ms)   "
              f"/ plain = {ratio:5.2f}x")
        print(f"     target <= {TARGET_FOR_EACH:.0f}x plain per iteration: {ratio:.1f} -> "
              f"{verdict(ratio <= TARGET_FOR_EACH)}")


RUNAWAY = """
import sys, time
from flowlike_core import Board, commands, default_registry, run_board

def peak_mb():  # this process's own peak RSS (getrusage's would include the parent's: Linux keeps it across exec)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024

registry = default_registry()
board = Board(name="runaway")
start = board.apply(commands.AddNode(registry.get("events_simple").create()))
ping = board.apply(commands.AddNode(registry.get("log_info").create(message="ping")))
pong = board.apply(commands.AddNode(registry.get("log_info").create(message="pong")))
for source, target in ((start, ping), (ping, pong), (pong, ping)):
    board.apply(commands.Connect(source.id, "exec_out", target.id, "exec_in"))
before = peak_mb()
began = time.process_time()
run = run_board(board, max_steps=int(sys.argv[1])) if sys.argv[1] != "0" else None
seconds = time.process_time() - began
peak = peak_mb()
print(seconds, peak - before, peak, (run.error or "")[:70] if run else "")
"""


def bench_runaway() -> None:
    """A fresh process per figure, so that peak RSS is this run's alone. Times are CPU seconds (what a busy
    machine skews least)."""
    def measure(steps: int) -> list[str]:
        out = subprocess.run([sys.executable, "-c", RUNAWAY, str(steps)], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout.split(maxsplit=3)
        return [*out, ""][:4]
    seconds, grown, peak, error = measure(RUNAWAY_STEPS)
    _, _, idle, _ = measure(0)
    print(f"3. runaway exec loop of two log nodes, stopped at {RUNAWAY_STEPS:,} steps (fresh process)")
    print(f"   flowlike   {float(seconds):8.2f} s cpu, peak RSS {float(peak):7.1f} MB "
          f"(+{float(grown):.1f} MB during the run): {error.strip()}")
    print(f"   idle                    peak RSS {float(idle):7.1f} MB (the same process, no run)")
    ok = float(seconds) < 10 and float(peak) - float(idle) < 100 and "step limit" in error
    print(f"   target under 10 s and under 100 MB, failing with the step-limit error -> {verdict(ok)}")


def bench_cold_start(reps: int) -> None:
    board = ROOT / "notebooks" / "boards" / "loop_and_branch.board.json"
    flowlike = Path(sys.executable).parent / "flowlike"

    def cost(command: list[str]) -> tuple[float, float]:
        """Median wall seconds and median CPU seconds (user + system) of the child process."""
        walls, cpus = [], []
        for _ in range(reps):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            began = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
            walls.append(time.perf_counter() - began)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        return statistics.median(walls), statistics.median(cpus)

    ours_command = [str(flowlike), "run", "--no-history", str(board)]
    compiled = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(ours_command, capture_output=True, check=False, cwd=ROOT, env=compiled)  # bytecode caches, as an
    # installed package has them: the figure is a cold process, not the first run after an edit
    ours, python = cost(ours_command), cost([sys.executable, "-c", "pass"])
    print(f"4. cold `flowlike run {board.relative_to(ROOT)}`, median of {reps}")
    print(f"   flowlike   {ours[0]:8.3f} s wall {ours[1]:8.3f} s cpu")
    print(f"   python     {python[0]:8.3f} s wall {python[1]:8.3f} s cpu (`python -c pass`)   "
          f"flowlike / python = {ours[1] / python[1]:5.1f}x cpu")
    print(f"   target under 0.6 s wall -> {verdict(ours[0] < 0.6)} (cpu {verdict(ours[1] < 0.6)})")


def long_pure_chain(length: int) -> tuple[Board, Registry]:
    """start -> add_one, whose input comes through `length` pure passthrough nodes (built directly: fast)."""
    reg = registry()
    board = chain_board(1)
    first = board.apply(commands.AddNode(reg.get("reroute_data").create()))
    pin_in, pin_out = first.pin("route_in", "Input"), first.pin("route_out", "Output")
    nodes, wires, previous = {}, [], first
    for i in range(length):
        node = first.model_copy(update={"id": f"p{i}", "pins": {
            f"p{i}.in": pin_in.model_copy(update={"id": f"p{i}.in"}),
            f"p{i}.out": pin_out.model_copy(update={"id": f"p{i}.out"})}})
        nodes[node.id] = node
        wires.append(Connection(from_node=previous.id, from_pin=previous.pin("route_out", "Output").id,
                                to_node=node.id, to_pin=f"p{i}.in"))
        previous = node
    board.nodes.update(nodes)
    board.connections.extend(wires)
    board.touch()
    return board, reg


def bench_long_chain() -> None:
    board, reg = long_pure_chain(LONG_CHAIN)
    began = time.process_time()
    problems = board.validate(reg)
    ours = time.process_time() - began
    edges = {w.to_node: [w.from_node] for w in board.connections}
    began = time.process_time()
    list(graphlib.TopologicalSorter(edges).static_order())
    sort = time.process_time() - began
    print(f"5. validate() of a chain of {LONG_CHAIN:,} pure nodes ({len(problems)} problems)")
    print(f"   flowlike   {ours:8.2f} s cpu")
    print(f"   graphlib   {sort:8.2f} s cpu (a topological sort of its wires)   flowlike / graphlib = "
          f"{ours / sort:5.1f}x")
    print(f"   target under 5 s -> {verdict(ours < 5)}")


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
    parser.add_argument("--only", default="1,2,3,4,5", help="which figures to measure, e.g. 1,2")
    args = parser.parse_args()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    reg = registry()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {load} (other work skews figures)")
    only = set(args.only.split(","))
    if "1" in only:
        bench_chain(reg, args.reps)
    if "2" in only:
        bench_for_each(reg, args.reps)
    if "3" in only:
        bench_runaway()
    if "4" in only:
        bench_cold_start(args.reps)
    if "5" in only:
        bench_long_chain()
    if args.profile:
        profile_chain(reg)


if __name__ == "__main__":
    main()
