"""Real servers on 127.0.0.1 for the web pack's tests, and a board builder over the web and std packs."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flowlike_catalog.std import PACK as STD_PACK
from flowlike_catalog.web import PACK as WEB_PACK

from flowlike_core import Board, Node, Registry, Run, commands


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise TimeoutError(f"timed out waiting for {what}")


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Builder:
    """`b.add(key, **defaults)`, `b.wire(a, out, c, in)`, `b.chain(...)`, `b.value(node, output)`."""

    def __init__(self) -> None:
        self.registry = Registry([WEB_PACK, STD_PACK])
        self.board = Board(name="web-test")

    def add(self, key: str, /, **defaults: Any) -> Node:
        return self.board.apply(commands.AddNode(self.registry.get(key).create(**defaults)))

    def wire(self, source: Node, out: str, target: Node, inp: str) -> None:
        self.board.apply(commands.Connect(source.id, out, target.id, inp))

    def chain(self, *nodes: Node, out: str = "exec_out") -> None:
        for source, target in zip(nodes, nodes[1:], strict=False):
            self.wire(source, out, target, "exec_in")

    def run(self, **options: Any) -> Run:
        return self.board.run(registry=self.registry, **options)

    def result_of(self, last: Node, node: Node, output: str, out: str = "exec_out") -> Any:
        """Wire Return Result after `last` (through its `out` exec pin), taking `node`'s `output`; run; the result."""
        back = self.add("events_generic_return_result")
        self.wire(last, out, back, "exec_in")
        self.wire(node, output, back, "response")
        run = self.run()
        run.raise_for_status()
        return run.result


@pytest.fixture
def b() -> Builder:
    return Builder()


class ThreadedUvicorn:
    """A Starlette app served by uvicorn on its own thread, on a free 127.0.0.1 port."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadedUvicorn:
        self.thread.start()
        wait_for(lambda: self.server.started, "uvicorn to start")
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.should_exit = self.server.force_exit = True  # force: do not wait for /slow's sleepers
        self.thread.join(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def http_app() -> Any:
    """Endpoints that show what arrived (echo), misbehave on purpose (flaky, slow) and stream."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
    from starlette.routing import Route

    calls: dict[str, int] = {}

    async def echo(request: Request) -> JSONResponse:
        body = await request.body()
        seen: dict[str, Any] = {"method": request.method, "path": request.url.path,
                                "query": dict(request.query_params), "headers": dict(request.headers),
                                "body": body.decode("latin-1")}
        kind = request.headers.get("content-type", "")
        if kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            form = await request.form()
            seen["form"] = {k: v for k, v in form.items() if isinstance(v, str)}
            seen["files"] = {k: {"filename": v.filename, "content": (await v.read()).decode(),
                                 "content_type": v.content_type} for k, v in form.items() if not isinstance(v, str)}
        return JSONResponse(seen)

    async def status(request: Request) -> PlainTextResponse:
        code = int(request.path_params["code"])
        return PlainTextResponse(f"status {code}", status_code=code)

    async def redirect(request: Request) -> RedirectResponse:
        return RedirectResponse("/echo?from=redirect", status_code=302)

    async def flaky(request: Request) -> PlainTextResponse:
        key, failures = request.path_params["key"], int(request.path_params["n"])
        calls[key] = calls.get(key, 0) + 1
        if calls[key] <= failures:
            return PlainTextResponse("try again", status_code=503)
        return PlainTextResponse(f"ok after {calls[key]} calls")

    async def slow(request: Request) -> PlainTextResponse:
        await asyncio.sleep(30)
        return PlainTextResponse("late")

    async def stream(request: Request) -> StreamingResponse:
        count = int(request.path_params["n"])

        async def chunks() -> Any:
            for i in range(count):
                yield f"chunk {i}\n".encode()
                await asyncio.sleep(0)

        return StreamingResponse(chunks(), media_type="text/plain")

    async def data(request: Request) -> Response:
        size = int(request.path_params["n"])
        return Response(bytes(i % 251 for i in range(size)), media_type="application/octet-stream")

    async def latin1(request: Request) -> Response:
        return Response("café".encode("latin-1"), media_type="text/plain; charset=latin-1")

    async def page(request: Request) -> Response:
        return Response(PAGE, media_type="text/html; charset=utf-8")

    routes = [Route("/echo", echo, methods=["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
              Route("/status/{code}", status), Route("/redirect", redirect),
              Route("/flaky/{key}/{n}", flaky, methods=["GET", "POST"]),
              Route("/slow", slow), Route("/stream/{n}", stream), Route("/bytes/{n}", data),
              Route("/latin1", latin1), Route("/page", page)]
    return Starlette(routes=routes)


PAGE = """<!doctype html>
<html lang="en"><head><title>River Notes</title>
<meta name="author" content="Ada Lovelace"><meta name="description" content="Notes on rivers.">
<meta property="og:site_name" content="Notes"></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>River Notes</h1>
<p>The river rises in the hills and runs two hundred kilometres to the sea, through farmland and three towns.</p>
<p>In spring the snowmelt doubles its flow; the old mill at the second town still turns its wheel every May.</p>
<p>Read the <a href="https://example.org/flood-report">flood report</a> or the
<a href="/maps/river.html#north">map</a>.</p>
<table><tr><th>Town</th><th>Bridges</th></tr><tr><td>Ashford</td><td>3</td></tr>
<tr><td>Brook</td><td>1</td></tr></table>
</article><footer><a href="mailto:ada@example.org">mail</a> Copyright 2026</footer></body></html>"""


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on."""
    return free_port()


@pytest.fixture(scope="session")
def http_server() -> Iterator[str]:
    with ThreadedUvicorn(http_app()) as server:
        yield server.url
