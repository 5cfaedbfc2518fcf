"""The `flowlike_nb` jupyter_server extension: the catalog and the boards under the server root, as JSON.

    GET /flowlike/catalog              {"nodes": [catalog entries]}   (?q=text filters)
    GET /flowlike/boards               {"boards": [{"path", "name", "nodes", "wires"}]}   (a Flow-Like file:
                                       also "format" and "placeholders", what its import found)
    GET /flowlike/boards/<path>        the board document (a Flow-Like file's as imported)
    POST /flowlike/runs                start a run of a board under the root (?wait=1: answer with its record)
    GET /flowlike/runs                 the runs started here, in a few fields each (?status=running filters: any case)
    GET /flowlike/runs/<id>            a run's record, secrets redacted
    GET /flowlike/runs/<id>/events     its events as server-sent events (resumed after a Last-Event-ID)
    DELETE /flowlike/runs/<id>         cancel it   (each route also with a trailing slash)

Any other path under /flowlike/ is a JSON 404 naming the path and the routes there are (not Jupyter's HTML page),
and a method a route does not have a JSON 405.

Boards are our `.board.json` files and Flow-Like's `.board` files, each opened by `open_board` as every entry
point opens them. The run API is `flowlike serve`'s (see flowlike_core/serve.py), on the same `RunManager`,
behind Jupyter's own authentication (token or login) like every Jupyter endpoint. Its settings are
`FlowlikeRuns`'s, in a Jupyter config file or on the command line as any server extension's (`jupyter server
--help-all` lists no extension's settings: it prints its help before it loads them):

    c.FlowlikeRuns.store = "s3://bucket/flowlike"   # the run history (`flowlike serve --store`), else $FLOWLIKE_STORE
    c.FlowlikeRuns.max_runs = 16                    # runs going at once (`--max-runs`), then 429 + Retry-After
    c.FlowlikeRuns.allow = ["network"]              # what runs reach (`flowlike serve --allow`); default: all
    c.FlowlikeRuns.allow_paths = ["/srv/data"]      # folders file nodes may use (`--allow-path`) when not "files"

Runs allow everything by default, unlike `flowlike serve`'s: whoever holds this server's token already runs any
code in its kernels and terminals, so refusing a board's nodes would protect nothing. Set `allow` to limit them.

When the server stops, the runs still going are cancelled and, with a run history, kept there as Cancelled.

Only regular files inside the server root are served: no symlinks that lead out of it, no hidden files or
folders, no FIFOs or devices (opening one would block), nothing over `MAX_BOARD_BYTES`. Files are read in
a worker thread, never on the server's event loop, and every refusal is a JSON error with a 4xx status;
a board that cannot be read is listed with its error instead of failing the listing.

Enabled on install by `jupyter-config/jupyter_server_config.d/flowlike_nb.json`.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import tornado.iostream
import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from traitlets import Int, List, TraitError, Unicode, validate
from traitlets.config import Configurable

from flowlike_core.errors import BoardFileError, StorageError
from flowlike_core.interop.api import imported
from flowlike_core.policy import Capability, Policy
from flowlike_core.registry import default_registry
from flowlike_core.service import (
    BOARD_SUFFIXES,
    DEFAULT_MAX_RUNS,
    MAX_BOARD_BYTES,
    RETRY_AFTER_SECONDS,
    ROUTES,
    Refused,
    RunManager,
    board_file,
    last_event_id,
    parse_body,
    read_board,
    run_summary,
    sse_stream,
    wait_timeout,
    wants_wait,
)

__all__ = ["MAX_BOARD_BYTES", "FlowlikeRuns", "Refused", "board_file", "listing", "load_server_extension",
           "read_board"]

JUPYTER_ROUTES = ("the flowlike routes are GET /flowlike/catalog, GET /flowlike/boards, GET /flowlike/boards/PATH; "
                  + ROUTES)
"""What a path under /flowlike/ that no route serves is answered with."""


class FlowlikeRuns(Configurable):
    """The run API's settings in the Jupyter server: `flowlike serve`'s `--store`, `--max-runs`, `--allow` and
    `--allow-path`."""

    store = Unicode(None, allow_none=True, config=True,
                    help="Where the runs started through /flowlike/runs are kept, as `flowlike serve --store`: a "
                         "root URL (a directory, memory://, s3://...) or a storage config file. Unset: "
                         "$FLOWLIKE_STORE (or $FLOWLIKE_META_URL/$FLOWLIKE_CONTENT_URL) if set, else no history.")
    max_runs = Int(DEFAULT_MAX_RUNS, config=True,
                   help=f"Runs going at once, at most, as `flowlike serve --max-runs`: one more is refused with a "
                        f"429 saying Retry-After: {RETRY_AFTER_SECONDS} (seconds).")

    allow = List(Unicode(), default_value=[c.value for c in Capability], config=True,
                 help="What the runs' nodes may reach (network, files, processes, native), as `flowlike serve "
                      "--allow`. Default: everything, as the server's user runs any code in its kernels anyway.")
    allow_paths = List(Unicode(), default_value=[], config=True,
                       help="Folders (or URL prefixes) the file nodes may use besides the store when `allow` has "
                            "no 'files', as `flowlike serve --allow-path`.")

    @validate("allow")
    def _known(self, proposal: dict[str, Any]) -> list[str]:
        try:
            Policy.of(proposal["value"])
        except ValueError as exc:
            raise TraitError(f"FlowlikeRuns.allow: {exc}") from None
        return proposal["value"]

    @property
    def policy(self) -> Policy:
        """The policy every run of the run API goes under."""
        return Policy.of(self.allow, self.allow_paths)

    @validate("max_runs")
    def _at_least_one(self, proposal: dict[str, Any]) -> int:
        if proposal["value"] < 1:
            raise TraitError(f"FlowlikeRuns.max_runs is {proposal['value']}: the server must be able to run at "
                             f"least one board at once")
        return proposal["value"]


def board_files(root: Path) -> list[Path]:
    """Regular board files (ours and Flow-Like's) under `root`: hidden folders are not entered, symlinks out of
    the root and special files (FIFOs, devices) are left out."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            file = Path(folder) / name
            if name.endswith(BOARD_SUFFIXES) and not name.startswith(".") and file.resolve().is_relative_to(root):
                try:
                    if stat.S_ISREG(file.stat().st_mode):
                        found.append(file)
                except OSError:
                    continue  # a dangling symlink
    return sorted(found)


def summary(root: Path, file: Path) -> dict[str, Any]:
    """One listing entry: name and size of the board (of a Flow-Like file: its format and placeholders too), or
    why it cannot be read."""
    relative = file.relative_to(root).as_posix()
    entry: dict[str, Any] = {"path": relative}
    try:
        board, report = read_board(board_file(root, relative), relative)
    except (Refused, BoardFileError) as exc:
        return {**entry, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one unreadable board must not fail the whole listing
        return {**entry, "error": f"{relative}: cannot be read ({type(exc).__name__}: {exc})"}
    entry |= {"name": board.name, "nodes": len(board.nodes), "wires": len(board.connections)}
    if imported(report):
        entry |= {"format": report.format, "placeholders": len(report.placeholders)}
    return entry


def listing(root: Path) -> list[dict[str, Any]]:
    return [summary(root, file) for file in board_files(root)]


def describe_catalog(query: str) -> list[dict[str, Any]]:
    """The node types matching `query`, from the packs' kept descriptions (`Registry.described`: a pack changed
    since loads, which takes a while: not on the event loop)."""
    return [found.description for found in default_registry().described(query)]


class _Handler(APIHandler):
    @property
    def root(self) -> Path:
        return Path(self.settings.get("server_root_dir", ".")).expanduser().resolve()

    def reply(self, data: Any) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A method a route does not have: JSON naming the routes, as `flowlike serve` answers; any other refusal
        (Jupyter's own too: no token, XSRF): its message as "error", as the run API's, and as "message", which
        Jupyter's clients read."""
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if status_code == 405:
            self.no_route("method not allowed")
            return
        told = exc.log_message if isinstance(exc, tornado.web.HTTPError) and exc.log_message else None
        message = told % exc.args if told and exc.args else told or self._reason
        self.reply({"error": message, "message": message})

    def no_route(self, why: str) -> None:
        self.reply({"error": f"{self.request.method} {self.request.path}: {why}; {JUPYTER_ROUTES}"})


class CatalogHandler(_Handler):
    @tornado.web.authenticated
    async def get(self) -> None:
        query = self.get_argument("q", "")
        self.reply({"nodes": await asyncio.to_thread(describe_catalog, query)})


class BoardsHandler(_Handler):
    @tornado.web.authenticated
    async def get(self, path: str = "") -> None:
        root = self.root
        if not path:
            self.reply({"boards": await asyncio.to_thread(listing, root)})
            return
        try:
            board, _ = await asyncio.to_thread(lambda: read_board(board_file(root, path), path))
        except Refused as exc:
            raise tornado.web.HTTPError(exc.status, str(exc)) from exc
        except BoardFileError as exc:
            raise tornado.web.HTTPError(422, str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - whatever else breaks in a file is still the file's fault
            raise tornado.web.HTTPError(422, f"{path}: cannot be read ({type(exc).__name__}: {exc})") from exc
        self.reply(board.to_dict())


class _RunHandler(_Handler):
    @property
    def runs(self) -> RunManager:
        return self.settings["flowlike_runs"]

    def refuse(self, exc: Refused) -> None:
        self.set_status(exc.status)
        for name, value in exc.headers.items():
            self.set_header(name, value)
        self.reply(exc.answer)


class NoRoute(_Handler):
    """A path under /flowlike/ no route serves: a JSON 404 naming the path and the routes (not Jupyter's page)."""

    async def prepare(self) -> None:
        await super().prepare()  # Jupyter's checks (origin, XSRF) first
        self.set_status(404)
        self.no_route("not found")


class RunsHandler(_RunHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        try:
            self.reply(self.runs.listing({name: self.get_argument(name) for name in self.request.arguments},
                                         self.base_url))
        except Refused as exc:
            self.refuse(exc)

    @tornado.web.authenticated
    async def post(self) -> None:
        query = {name: self.get_argument(name) for name in self.request.arguments}
        try:
            data = parse_body(self.request.body)
            wait, timeout = wants_wait(query), wait_timeout(query)
            entry = await self.runs.start_async(data)
        except Refused as exc:
            self.refuse(exc)
            return
        if not wait:
            self.set_status(201)
            self.reply(run_summary(entry, self.base_url))
            return
        ended = await entry.wait(timeout)
        self.set_status(200 if ended else 202)
        self.reply(self.runs.record(entry.id))


class RunHandler(_RunHandler):
    @tornado.web.authenticated
    def get(self, run_id: str) -> None:
        try:
            self.reply(self.runs.record(run_id))
        except Refused as exc:
            self.refuse(exc)

    @tornado.web.authenticated
    async def delete(self, run_id: str) -> None:
        try:
            entry, ended = await self.runs.stop(run_id)
        except Refused as exc:
            self.refuse(exc)
            return
        self.set_status(200 if ended else 202)
        self.reply(self.runs.record(entry.id))


class RunEventsHandler(_RunHandler):
    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        try:
            entry = self.runs.get(run_id)
            after = last_event_id(self.request.headers.get("Last-Event-ID"))
        except Refused as exc:
            self.refuse(exc)
            return
        if entry.had_all(after):  # a client that has had `finished` (an EventSource reconnecting): stop it there
            self.set_status(204)
            self.finish()
            return
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        try:
            async with contextlib.aclosing(sse_stream(entry, after)) as chunks:  # the client gone: stop it now
                async for chunk in chunks:
                    self.write(chunk)
                    await self.flush()
        except tornado.iostream.StreamClosedError:  # the client left: stop streaming to it
            return
        self.finish()


def unusable_store(store: str) -> str | None:
    """Keep this server's runs in the run history of `store` (`FlowlikeRuns.store`), once it answers; else why
    not (a config that cannot be read, no credentials, no network), and nothing is recorded."""
    from flowlike_core import storage

    try:
        storage.configure(store).runs.exists()
    except StorageError as exc:
        storage.stop_recording()
        return f"FlowlikeRuns.store={store}: {exc}"
    return None


def load_server_extension(server_app: Any) -> None:
    settings = FlowlikeRuns(parent=server_app)
    web_app = server_app.web_app
    root = Path(web_app.settings.get("server_root_dir", ".")).expanduser()
    runs = web_app.settings["flowlike_runs"] = RunManager(root, max_runs=settings.max_runs,
                                                                  policy=settings.policy)
    problem = unusable_store(settings.store) if settings.store is not None else None
    if problem is not None:  # runs refused, not run without their records; the catalog and boards still served
        runs.refusing = f"{problem}; no run is started until it can be (fix the setting, restart the server)"
        server_app.log.error("flowlike_nb: %s", runs.refusing)
    atexit.register(runs.close)  # the server stopping: the runs still going end Cancelled, kept in the run history
    base = url_path_join(web_app.settings["base_url"], "flowlike")
    web_app.add_handlers(".*$", [  # each with a trailing slash, as in `flowlike serve` (not Jupyter's redirect)
        (url_path_join(base, "runs/?"), RunsHandler),
        (url_path_join(base, "runs", "([^/]+)/?"), RunHandler),
        (url_path_join(base, "runs", "([^/]+)", "events/?"), RunEventsHandler),
        (url_path_join(base, "catalog/?"), CatalogHandler),
        (url_path_join(base, "boards/?"), BoardsHandler),
        (url_path_join(base, "boards", "(.+)"), BoardsHandler),
        (base + "(?:/.*)?", NoRoute),
    ])
    server_app.log.info("flowlike_nb: serving the catalog, boards and runs under %s (at most %d runs at once)",
                        base, settings.max_runs)
