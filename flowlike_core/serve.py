"""`flowlike serve FOLDER`: the boards under FOLDER as an HTTP run API, without Jupyter (Starlette + Uvicorn).

    POST   /flowlike/runs              {"board": "a/b.board.json", "start"?, "variables"?, "payload"?} (a board
                                       file of ours or Flow-Like's .board, opened as every entry point opens one)
                                       -> 201 {"id", "status", ...}; with ?wait=1 (and ?timeout=S) the run's
                                       record once it has ended: its `result` is what `events_generic_return_result`
                                       returned, so a board started from `events_generic` is a webhook
    GET    /flowlike/runs              {"runs": [{"id", "board", "status", "steps", "start", ...}]}: the runs the
                                       server keeps, oldest first (?status=Running, in any case: those going)
    GET    /flowlike/runs/<id>         the run's record, secrets redacted
    GET    /flowlike/runs/<id>/events  server-sent events: start, node_started, node_finished, log, event (what a
                                       node emitted: event_type, payload, node_id), progress, finished;
                                       `dropped` {"count"} where events were not kept for this client (a
                                       client reading slower than the run emits, a late one after 10,000);
                                       each event has an id: with `Last-Event-ID` (an EventSource reconnecting)
                                       the stream resumes after it, and is a 204 once `finished` was had;
                                       a `: ping` comment every 15 s the run is quiet keeps proxies from cutting it
    DELETE /flowlike/runs/<id>         cancel; answers with the record once the run has ended (a 202 with it
                                       still Running when its end takes more than CANCEL_WAIT, 10 s)

Every path may end in a slash. Every request needs `Authorization: Bearer <token>`; without a token the server
only binds to loopback, and refuses (403) a request a web page could send from the user's browser: a Host that is
not loopback (DNS rebinding), an Origin other than this server (a page on another site or port).
A run reaches what `--allow` / `--allow-path` grant, as `flowlike run`'s (by default the store only); a refused
capability fails the run (a 200 with its record, the error naming the option).
At most `--max-runs` runs go at once (default `DEFAULT_MAX_RUNS`): one more is a 429 {"error", "running",
"max_runs"} with `Retry-After: RETRY_AFTER_SECONDS`, the runs going left as they are; a server shutting down
answers a new run with a 503 and the same Retry-After.
Bad input is a 4xx with {"error": message}; a failed run is a 200 with its record (status "Failed", error).
The routes are a thin shell over `flowlike_core.service.RunManager`, which the Jupyter server extension shares.
Needs the serve extra (starlette, uvicorn); the engine never imports this module by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import os
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flowlike_core.service import (
    DEFAULT_MAX_RUNS,
    MAX_REQUEST_BYTES,
    RETRY_AFTER_SECONDS,
    ROUTES,
    Refused,
    RunManager,
    last_event_id,
    parse_body,
    request_too_big,
    run_summary,
    sse_stream,
    wait_timeout,
    wants_wait,
)

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
TOKEN_ENV = "FLOWLIKE_SERVE_TOKEN"


def create_app(root: str | os.PathLike[str], token: str | None, manager: RunManager | None = None) -> Starlette:
    """The ASGI app serving the boards under `root`; `token` None means no authentication (loopback only)."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.responses import JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    runs = manager or RunManager(root)

    def refused(exc: Refused) -> Response:
        return JSONResponse(exc.answer, status_code=exc.status, headers=exc.headers)

    async def no_route(request: Request, exc: Exception) -> Response:
        """A path or method the API does not have (Starlette's 404, 405), as JSON naming the routes there are."""
        assert isinstance(exc, HTTPException)
        return JSONResponse({"error": f"{request.method} {request.url.path}: {exc.detail.lower()}; {ROUTES}"},
                            status_code=exc.status_code, headers=exc.headers)

    async def post_run(request: Request) -> Response:
        try:
            data = parse_body(await read_body(request))
            wait, timeout = wants_wait(request.query_params), wait_timeout(request.query_params)
            entry = await runs.start_async(data)
        except Refused as exc:
            return refused(exc)
        if not wait:
            return JSONResponse(run_summary(entry), status_code=201)
        ended = await entry.wait(timeout)
        return JSONResponse(runs.record(entry.id), status_code=200 if ended else 202)

    async def read_body(request: Request) -> bytes:
        """The body, read no further than `MAX_REQUEST_BYTES` (whatever Content-Length says, or without one)."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
            raise request_too_big(int(declared))
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_REQUEST_BYTES:
                raise request_too_big()
            chunks.append(chunk)
        return b"".join(chunks)

    async def list_runs(request: Request) -> Response:
        try:
            return JSONResponse(runs.listing(request.query_params))
        except Refused as exc:
            return refused(exc)

    async def get_run(request: Request) -> Response:
        try:
            return JSONResponse(runs.record(request.path_params["run_id"]))
        except Refused as exc:
            return refused(exc)

    async def delete_run(request: Request) -> Response:
        try:
            entry, ended = await runs.stop(request.path_params["run_id"])
        except Refused as exc:
            return refused(exc)
        return JSONResponse(runs.record(entry.id), status_code=200 if ended else 202)

    async def run_events(request: Request) -> Response:
        try:
            entry = runs.get(request.path_params["run_id"])
            after = last_event_id(request.headers.get("last-event-id"))
        except Refused as exc:
            return refused(exc)
        if entry.had_all(after):  # a client that has had `finished` (an EventSource reconnecting): stop it there
            return Response(status_code=204)
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        if request.method == "HEAD":  # the headers alone: a stream would go on, unseen, until the run ends
            return Response(media_type="text/event-stream", headers=headers)

        return StreamingResponse(sse_stream(entry, after), media_type="text/event-stream", headers=headers)

    def guarded(endpoint: Any) -> Any:
        """The endpoint behind the Bearer token check (a plain wrapper: cheaper than a middleware); without a
        token, behind the check that the request is not one a web page could forge (`forged`)."""
        if token is None:
            async def local(request: Request) -> Response:
                why = forged(request)
                if why is not None:
                    return JSONResponse({"error": f"{why}: a server without a token answers only this machine's "
                                                  f"own clients (a web page could send this request from the "
                                                  f"user's browser); serve with --token to take others"},
                                        status_code=403)
                return await endpoint(request)

            return local
        expected = token.encode()

        async def check(request: Request) -> Response:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected):
                return JSONResponse({"error": "missing or wrong token: send 'Authorization: Bearer <token>'"},
                                    status_code=401, headers={"WWW-Authenticate": "Bearer"})
            return await endpoint(request)

        return check

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await asyncio.to_thread(runs.close)  # the runs still going end Cancelled, recorded, before the exit

    endpoints = [
        ("/flowlike/runs", post_run, "POST"),
        ("/flowlike/runs", list_runs, "GET"),
        ("/flowlike/runs/{run_id}", get_run, "GET"),
        ("/flowlike/runs/{run_id}", delete_run, "DELETE"),
        ("/flowlike/runs/{run_id}/events", run_events, "GET"),
    ]
    # each with a trailing slash too, as in Jupyter: Starlette would redirect it, and a client does not follow a POST
    routes = [Route(path + slash, guarded(endpoint), methods=[method])
              for path, endpoint, method in endpoints for slash in ("", "/")]
    return Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: no_route})


def forged(request: Request) -> str | None:
    """Why a request to a server without a token may come from a web page rather than a client of this machine:
    a Host that is not loopback (a DNS name rebound to 127.0.0.1), or an Origin other than this server (a page on
    another site or port; a browser sends it with every cross-site POST); None when it is neither."""
    host, origin = request.headers.get("host"), request.headers.get("origin")
    if host is not None and _address(f"//{host}")[0] not in LOOPBACK:  # a browser always sends Host
        return f"Host {host!r} is not this machine"
    if origin is not None and _address(origin) not in {(name, (request.scope.get("server") or ("", 0))[1])
                                                       for name in LOOPBACK}:
        return f"Origin {origin!r} is another site"
    return None


def _address(url: str) -> tuple[str | None, int | None]:
    """Host name and port of a URL (the scheme's port when it names none); (None, None) when it has none."""
    try:
        parsed = urlsplit(url)
        return parsed.hostname, parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    except ValueError:
        return None, None


# ---- the subcommand ------------------------------------------------------------------------------------


def add_serve_command(subparsers: Any) -> None:
    from flowlike_core.cli import add_policy_options

    serve = subparsers.add_parser(
        "serve", help="serve the boards under a folder as an HTTP run API",
        description="Serve the boards under FOLDER (ours and Flow-Like's .board files) over HTTP: POST "
                    "/flowlike/runs starts a run (?wait=1 answers with its record and result), GET "
                    "/flowlike/runs/ID reads it, GET .../events streams it as server-sent events, DELETE cancels "
                    "it. Requests need 'Authorization: Bearer TOKEN'. "
                    "Needs the serve extra (starlette, uvicorn).",
        epilog=f"Without --token (or ${TOKEN_ENV}) the server only binds to 127.0.0.1, and refuses requests "
               f"from web pages (an Origin other than its own, a Host that is not loopback). A request's run "
               f"reaches what --allow and --allow-path grant, as flowlike run's: by default the store only.",
    )
    serve.add_argument("folder", metavar="FOLDER", help="the folder whose boards are served")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8765, help="port to listen on (default 8765; 0: any free "
                                                                      "port, which the server then prints)")
    serve.add_argument("--token", help=f"the Bearer token requests must send (default ${TOKEN_ENV})")
    serve.add_argument("--store", metavar="STORE",
                       help="where the run history is kept: a root URL (a directory, memory://, s3://...) or a "
                            "storage config file; default $FLOWLIKE_STORE, else ~/.flowlike")
    serve.add_argument("--no-history", action="store_true", help="do not keep the runs in the run history")
    add_policy_options(serve)
    serve.add_argument("--max-runs", type=int, default=DEFAULT_MAX_RUNS, metavar="N",
                       help=f"runs going at once, at most (default {DEFAULT_MAX_RUNS}): one more is refused with "
                            f"a 429 saying Retry-After: {RETRY_AFTER_SECONDS} (seconds), the runs going left as they "
                            f"are")
    serve.set_defaults(handler=cmd_serve)


def port_number(text: str) -> int:
    """--port as the command is read: a socket's bind said "OverflowError: port must be 0-65535" in a traceback."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: a whole number from 0 (any free port) to 65535")
    return int(text)


def cmd_serve(args: argparse.Namespace) -> int:
    from flowlike_core.cli import EXIT_OK, BadInput, keep_runs_in, policy_of

    token = args.token or os.environ.get(TOKEN_ENV) or None
    if token is None and args.host not in LOOPBACK:
        raise BadInput(f"refusing to serve on {args.host} without a token: pass --token (or set ${TOKEN_ENV}), "
                       f"or bind to 127.0.0.1")
    if args.max_runs < 1:
        raise BadInput(f"--max-runs {args.max_runs}: the server must be able to run at least one board at once")
    folder = Path(args.folder)
    if folder.is_file():
        raise BadInput(f"{args.folder}: a file, not a folder (serve the folder it is in: {folder.parent})")
    if not folder.is_dir():
        raise BadInput(f"{args.folder}: no such folder")
    try:
        import uvicorn
    except ImportError as exc:
        raise BadInput(f"flowlike serve needs the serve extra (pip install 'flowlike-nb[serve]'): {exc}") from exc
    if not args.no_history:
        keep_runs_in(args.store)
    runs = RunManager(folder, max_runs=args.max_runs, policy=policy_of(args))

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            """Ctrl-C or SIGTERM: cancel the runs at once, so the requests waiting on them (?wait=1, event
            streams) end and the shutdown does not wait for a long board; a thread, as a signal handler must
            not take the locks the interrupted code may hold."""
            threading.Thread(target=runs.cancel_all, name="flowlike-serve-stop").start()
            super().handle_exit(sig, frame)

        async def startup(self, sockets: Any = None) -> None:
            """Once listening, say where (the port the system chose for --port 0): else a user cannot tell."""
            await super().startup(sockets)
            if self.started:
                host, port = self.servers[0].sockets[0].getsockname()[:2]
                url = f"http://{f'[{host}]' if ':' in host else host}:{port}/flowlike/runs"
                print(f"flowlike serve: the boards under {runs.root} on {url} (at most {runs.max_runs} runs at "
                      f"once; Ctrl-C stops)", file=sys.stderr, flush=True)

    server = Server(uvicorn.Config(create_app(folder, token, runs), host=args.host, port=args.port,
                                   log_level="warning"))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the runs are cancelled and recorded by now
        try:
            server.run()
        except SystemExit as exc:  # uvicorn could not start (it has logged why: a port in use, say) and exits 3
            raise BadInput(f"cannot serve on {args.host}:{args.port} (the line above says why); for a port in use, "
                           f"another --port, or --port 0 for any free one") from exc
    return EXIT_OK
