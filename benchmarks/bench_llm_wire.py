"""A chat loop against a local OpenAI-compatible server: Invoke Simple in a For Each, against the same requests posted
by one shared httpx client in this run. What it shows: the pack's cost per model call beyond the exchange itself
(one TLS context per process, not per call: making one took about 80 ms, so a call to a local server cost 116 ms
against 2.3 ms). Target: at most 10x the shared client on a local server (a hosted model's answer takes 0.3-30 s).

    .venv/bin/python benchmarks/bench_llm_wire.py [--calls 50] [--reps 3]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from flowlike_catalog.llm import PACK as LLM_PACK
from flowlike_catalog.llm.testing import ChatServer, Reply
from flowlike_catalog.std import PACK as STD_PACK

from flowlike_core import Board, Registry, commands, run_board

TARGET = 10.0


def chat_loop(registry: Registry, url: str, calls: int) -> Board:
    board = Board(name="bench-llm-wire")

    def add(key: str, **defaults: Any) -> Any:
        return board.apply(commands.AddNode(registry.get(key).create(**defaults)))

    def wire(source: Any, out: str, target: Any, inp: str) -> None:
        board.apply(commands.Connect(source.id, out, target.id, inp))

    start, model = add("events_simple"), add("ai_generative_build_openai", endpoint=url + "/v1", model_id="m")
    loop, ask = add("control_for_each", array=[f"question {i}" for i in range(calls)]), \
        add("ai_generative_invoke_simple")
    wire(start, "exec_out", model, "exec_in")
    wire(model, "exec_out", loop, "exec_in")
    wire(loop, "exec_out", ask, "exec_in")
    wire(loop, "value", ask, "prompt")
    wire(model, "model", ask, "model")
    return board


async def plain(url: str, calls: int) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        for i in range(calls):
            body = {"model": "m", "messages": [{"role": "user", "content": f"question {i}"}], "stream": False}
            (await client.post(url + "/v1/chat/completions", json=body)).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    registry = Registry([STD_PACK, LLM_PACK])
    with ChatServer() as server:
        server.always(Reply("an answer"))
        board = chat_loop(registry, server.url, args.calls)
        run_board(board, registry=registry).raise_for_status()  # warm: imports, the TLS context
        nodes, direct = [], []
        for _ in range(args.reps):
            began = time.perf_counter()
            run_board(board, registry=registry).raise_for_status()
            nodes.append(time.perf_counter() - began)
            began = time.perf_counter()
            asyncio.run(plain(server.url, args.calls))
            direct.append(time.perf_counter() - began)
    node, shared = min(nodes) / args.calls, min(direct) / args.calls
    ratio = node / shared
    print(f"per model call: Invoke Simple in a For Each {node * 1e3:.1f} ms, one shared httpx client "
          f"{shared * 1e3:.1f} ms: {ratio:.1f}x (target at most {TARGET:g}x) {'OK' if ratio <= TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
