"""The web pack's HTTP node against a raw httpx call, measured in the same run (a script that prints figures).

1,000 sequential GET requests to a local server (uvicorn in a subprocess, so it does not share our GIL):
- raw: one `httpx.AsyncClient`, 1,000 `await client.get(url)` and `response.content` in a loop;
- node: one board run, `control_for_each` over 1,000 items whose body is Make Request → API Call (the
  run's shared client, retries on, the response struct built).
Target: the node's wall-clock time at most 1.3x the raw loop's. Medians of --reps interleaved repetitions;
CPU time is printed too (a loaded machine stretches the wall clock of both).

Then, each against its raw httpx baseline in the same run:
- download: a --megabytes body streamed into a file, httpx `client.stream` + `aiter_bytes` vs HTTP Download
  (progress, cancellation checks, written whole or not at all); target at most 1.3x;
- runs: --runs board runs of one API Call each (a webhook's board: each run makes its client) vs one
  `httpx.AsyncClient` per request; target at most 1.5x (before the shared TLS context each run paid ~170 ms);
- geo: Reverse Geocode in a For Each over --requests/10 points vs a raw httpx loop (one client, JSON parsed);
  target at most 1.5x (the geo nodes made a client, and a TLS context, per request).

    .venv/bin/python benchmarks/bench_web.py [--reps 5] [--requests 1000] [--megabytes 64] [--runs 50]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
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

from starlette.responses import JSONResponse, Response

BIG = bytes(range(256)) * (int(sys.argv[2]) << 12)

async def hello(request):
    return PlainTextResponse("hello from the bench server")

async def big(request):
    return Response(BIG, media_type="application/octet-stream")

async def reverse(request):
    lat, lon = request.query_params["lat"], request.query_params["lon"]
    return JSONResponse({"lat": lat, "lon": lon, "display_name": "Pariser Platz, Berlin", "name": "Tor",
                         "osm_type": "way", "osm_id": 1, "category": "tourism", "type": "attraction",
                         "address": {"city": "Berlin"}, "boundingbox": [lat, lat, lon, lon]})

routes = [Route("/hello", hello), Route("/big", big), Route("/reverse", reverse)]
uvicorn.run(Starlette(routes=routes), host="127.0.0.1", port=int(sys.argv[1]), log_level="error")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(megabytes: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(megabytes)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the bench server exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise TimeoutError("the bench server did not start")


@functools.cache
def raw_tls() -> Any:
    """The baselines' one TLS context, made before timing: what a careful direct user of httpx does (each new
    client would otherwise read the CA bundle, ~170 ms here, and make every ratio look better than it is)."""
    import httpx

    return httpx.create_ssl_context()


def raw_httpx(url: str, count: int) -> Callable[[], Any]:
    import httpx

    async def loop() -> int:
        async with httpx.AsyncClient(verify=raw_tls()) as client:
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


def raw_download(url: str, target: Path) -> Callable[[], Any]:
    import httpx

    async def download() -> int:
        async with httpx.AsyncClient(verify=raw_tls()) as client, client.stream("GET", url) as response:
            with target.open("wb") as file:
                async for chunk in response.aiter_bytes(1 << 16):
                    file.write(chunk)
        return target.stat().st_size

    return lambda: asyncio.run(download())


def request_board(url: str, key: str, **values: Any) -> tuple[Board, Registry]:
    """start -> `key` (a node taking a request), its request made for `url`."""
    registry = Registry([WEB_PACK, STD_PACK])
    board = Board(name=f"bench-{key}")
    start = board.apply(commands.AddNode(registry.get("events_simple").create()))
    made = board.apply(commands.AddNode(registry.get("http_make_request").create(url=url)))
    call = board.apply(commands.AddNode(registry.get(key).create(**values)))
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", call.id, "exec_in"),
                                commands.Connect(made.id, "request", call.id, "request")]))
    return board, registry


def download_board(url: str, target: Path) -> Callable[[], Any]:
    board, registry = request_board(url, "http_download", flow_path=str(target))
    return lambda: board.run(registry=registry).raise_for_status()


def raw_client_per_request(url: str, count: int) -> Callable[[], Any]:
    import httpx

    async def each() -> None:
        for _ in range(count):
            async with httpx.AsyncClient(verify=raw_tls()) as client:
                (await client.get(url)).raise_for_status()

    return lambda: asyncio.run(each())


def runs_of_one_call(url: str, count: int) -> Callable[[], Any]:
    board, registry = request_board(url, "http_fetch")

    def runs() -> None:
        for _ in range(count):
            board.run(registry=registry).raise_for_status()

    return runs


def points(count: int) -> list[dict[str, float]]:
    return [{"latitude": 52.0 + i / count, "longitude": 13.4} for i in range(count)]


def raw_geocodes(base: str, count: int) -> Callable[[], Any]:
    import httpx

    async def loop() -> list[Any]:
        async with httpx.AsyncClient(verify=raw_tls()) as client:
            return [(await client.get(f"{base}/reverse", params={"lat": p["latitude"], "lon": p["longitude"],
                                                                  "format": "jsonv2"})).json()
                    for p in points(count)]

    return lambda: asyncio.run(loop())


def geocode_board(base: str, count: int) -> Callable[[], Any]:
    from flowlike_catalog.geo import PACK as GEO_PACK

    registry = Registry([GEO_PACK, STD_PACK])
    board = Board(name="bench-geo")
    start = board.apply(commands.AddNode(registry.get("events_simple").create()))
    loop = board.apply(commands.AddNode(registry.get("control_for_each").create(array=points(count))))
    geocode = board.apply(commands.AddNode(registry.get("geo_reverse_geocode").create(base_url=base)))
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", loop.id, "exec_in"),
                                commands.Connect(loop.id, "exec_out", geocode.id, "exec_in"),
                                commands.Connect(loop.id, "value", geocode.id, "coordinate")]))
    return lambda: board.run(registry=registry).raise_for_status()


def report(title: str, figures: dict[str, tuple[float, float]], target: float, unit: str) -> None:
    """Print each contender's median and the second one's ratio to the first (the baseline)."""
    print(f"-- {title}")
    for name, (wall, cpu) in figures.items():
        print(f"{name:>24}: {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU {unit}")
    (raw_wall, raw_cpu), (node_wall, node_cpu) = figures.values()
    ratio = node_wall / raw_wall
    print(f"node / raw = {ratio:.2f}x wall, {node_cpu / raw_cpu:.2f}x CPU "
          f"(target: at most {target}x wall): {'OK' if ratio <= target else 'MISSED'}")


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
    parser.add_argument("--megabytes", type=int, default=64, help="size of the downloaded body")
    parser.add_argument("--runs", type=int, default=50, help="board runs of one API Call each")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {load} (other work skews figures)")
    raw_tls()
    server, base = start_server(args.megabytes)
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        url = f"{base}/hello"
        figures = medians({"raw httpx": raw_httpx(url, args.requests),
                           "http_fetch node": node_board(url, args.requests)}, args.reps)
        report(f"{args.requests} GET requests in one run", figures, TARGET, f"for {args.requests} requests")
        figures = medians({"raw httpx stream": raw_download(f"{base}/big", folder / "raw.bin"),
                           "http_download node": download_board(f"{base}/big", folder / "node.bin")}, args.reps)
        report(f"a {args.megabytes} MB download into a file", figures, TARGET, f"for {args.megabytes} MB")
        figures = medians({"raw client per request": raw_client_per_request(url, args.runs),
                           "run per API Call": runs_of_one_call(url, args.runs)}, args.reps)
        report(f"{args.runs} runs of a one-request board", figures, 1.5, f"for {args.runs} runs")
        count = max(1, args.requests // 10)
        figures = medians({"raw httpx geocodes": raw_geocodes(base, count),
                           "reverse geocode node": geocode_board(base, count)}, args.reps)
        report(f"{count} reverse geocodes in one run", figures, 1.5, f"for {count} look-ups")
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
