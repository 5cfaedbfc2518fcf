"""The web pack's HTTP node against a raw httpx call, measured in the same run (a script that prints figures).

1,000 sequential GET requests to a local server (uvicorn in a subprocess, so it does not share our GIL):
- raw: one `httpx.AsyncClient`, 1,000 `await client.get(url)` and `response.content` in a loop;
- node: one board run, `control_for_each` over 1,000 items whose body is Make Request → API Call (the
  run's shared client, retries on, the response struct built).
Target: the node's wall-clock time at most 1.3x the raw loop's. Medians of --reps interleaved repetitions;
CPU time is printed too (a loaded machine stretches the wall clock of both).

    .venv/bin/python benchmarks/bench_web.py [--reps 5] [--requests 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from flowlike_catalog.std import PACK as STD_PACK
from flowlike_catalog.web import PACK as WEB_PACK

from flowlike_core import Board, Registry, commands

TARGET = 1.3
SERVER = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

async def hello(request):
    return PlainTextResponse("hello from the bench server")

uvicorn.run(Starlette(routes=[Route("/hello", hello)]), host="127.0.0.1", port=int(sys.argv[1]), log_level="error")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the bench server exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"http://127.0.0.1:{port}/hello"
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise TimeoutError("the bench server did not start")


def raw_httpx(url: str, count: int) -> Callable[[], Any]:
    import httpx

    async def loop() -> int:
        async with httpx.AsyncClient() as client:
            total = 0
            for _ in range(count):
                response = await client.get(url)
                total += len(response.content)
            return total

    return lambda: asyncio.run(loop())


def node_board(url: str, count: int) -> Callable[[], Any]:
    registry = Registry([WEB_PACK, STD_PACK])
    board = Board(name="bench-web")

    def add(key: str, **defaults: Any) -> Any:
        return board.apply(commands.AddNode(registry.get(key).create(**defaults)))

    start, loop = add("events_simple"), add("control_for_each", array=list(range(count)))
    made, fetch = add("http_make_request", url=url), add("http_fetch")
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", loop.id, "exec_in"),
                                commands.Connect(loop.id, "exec_out", fetch.id, "exec_in"),
                                commands.Connect(made.id, "request", fetch.id, "request")]))

    def run() -> Any:
        return board.run(registry=registry).raise_for_status()

    return run


def medians(contenders: dict[str, Callable[[], Any]], reps: int) -> dict[str, tuple[float, float]]:
    """Median (wall-clock, CPU) seconds of each contender over `reps` interleaved repetitions, after a warm-up.
    CPU time is this process's (all threads; the server is another process): what our code costs, which
    other work on a shared machine skews less than the wall clock."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    for _ in range(reps):
        for name, fn in contenders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
            for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5, help="repetitions; the median is printed")
    parser.add_argument("--requests", type=int, default=1000, help="requests per repetition")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {load} (other work skews figures)")
    server, url = start_server()
    try:
        figures = medians({"raw httpx": raw_httpx(url, args.requests),
                           "http_fetch node": node_board(url, args.requests)}, args.reps)
    finally:
        server.terminate()
        server.wait(10)
    for name, (wall, cpu) in figures.items():
        print(f"{name:>16}: {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU for {args.requests} requests "
              f"({wall / args.requests * 1e6:6.1f} us wall per request)")
    (raw_wall, raw_cpu), (node_wall, node_cpu) = figures["raw httpx"], figures["http_fetch node"]
    ratio = node_wall / raw_wall
    print(f"node / raw = {ratio:.2f}x wall, {node_cpu / raw_cpu:.2f}x CPU "
          f"(target: at most {TARGET}x wall): {'OK' if ratio <= TARGET else 'MISSED'}")

if __name__ == "__main__":
    main()
