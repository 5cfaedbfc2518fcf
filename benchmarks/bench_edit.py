"""Editing cost against board size (a script that prints figures, not a test).

Boards of 500 and 8,000 nodes are built by `bench_engine.chain_board` (the function form, `add_one`), through the
public editing API. Then, in rounds, each board grows by --step more nodes the same way (an `AddNode`, then one
`Batch` of the exec and the data `Connect`), and those edits are undone one by one. Printed: the time per node
added and per undo, on each board, and the ratio large / small. An editor whose edit costs what it touches, not the
board, reads about 1x; one that scans the board on every edit reads about 16x (8,000 / 500).

The two boards are measured interleaved within each round, and each ratio is the median of the ratios within the
rounds (paired: a shared machine's bursts of other work hit both sizes alike). Times are medians over the rounds.

    .venv/bin/python benchmarks/bench_edit.py [--rounds 5] [--step 100] [--sizes 500 8000]
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench_engine import add, add_one, chain_board

from flowlike_core import Board, commands


def grow(board: Board, count: int) -> None:
    """Add `count` nodes after the chain's last step, as `chain_board` adds them (the first one takes over the
    step's exec wire to the result node: an edit that displaces a wire)."""
    previous = board.nodes[board.connections[-1].from_node]
    for _ in range(count):
        node = add(board, add_one)
        board.apply(commands.Batch([commands.Connect(previous.id, "exec_out", node.id, "exec_in"),
                                    commands.Connect(previous.id, "value", node.id, "value")]))
        previous = node


def one_round(board: Board, step: int) -> tuple[float, float]:
    """Seconds per node added and per undo step, then the board is as it was."""
    nodes, wires = len(board.nodes), len(board.connections)
    began = time.perf_counter()
    grow(board, step)
    added = time.perf_counter() - began
    began = time.perf_counter()
    for _ in range(2 * step):
        board.undo()
    undone = time.perf_counter() - began
    assert (len(board.nodes), len(board.connections)) == (nodes, wires), "undo did not give the board back"
    return added / step, undone / (2 * step)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--step", type=int, default=100, help="nodes added (and undone) per round")
    parser.add_argument("--sizes", type=int, nargs=2, default=[500, 8_000])
    args = parser.parse_args()
    small_size, large_size = args.sizes

    boards: dict[int, Board] = {}
    for size in (small_size, large_size):
        began = time.perf_counter()
        boards[size] = chain_board(size, add_one)
        print(f"chain_board({size:,}): {time.perf_counter() - began:8.2f} s "
              f"({len(boards[size].nodes):,} nodes, {len(boards[size].connections):,} wires)")

    per_add: dict[int, list[float]] = {small_size: [], large_size: []}
    per_undo: dict[int, list[float]] = {small_size: [], large_size: []}
    for _ in range(args.rounds):
        for size, board in boards.items():
            added, undone = one_round(board, args.step)
            per_add[size].append(added)
            per_undo[size].append(undone)

    print(f"{args.rounds} rounds of {args.step} nodes added, then undone (2 undo steps a node)")
    for name, times in (("per node added", per_add), ("per undo", per_undo)):
        small, large = times[small_size], times[large_size]
        ratio = statistics.median(b / a for a, b in zip(small, large, strict=True))
        print(f"  {name:15s} {small_size:>6,} nodes: {statistics.median(small) * 1e3:8.3f} ms   "
              f"{large_size:>6,} nodes: {statistics.median(large) * 1e3:8.3f} ms   large / small: {ratio:5.2f}x")


if __name__ == "__main__":
    main()
