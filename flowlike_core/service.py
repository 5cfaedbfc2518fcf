"""Runs over HTTP, without the HTTP: the run manager behind `flowlike serve` and the Jupyter server's run API.

    runs = RunManager(root)
    entry = runs.start({"board": "hooks/echo.board.json", "payload": {"x": 1}})   # Refused on bad input
    entry = await runs.start_async(request)                  # the same on an event loop: files read off it
    await entry.wait()                                       # the run has ended
    runs.record(entry.id)                                    # its record, secrets redacted
    async for kind, data in entry.events(): ...              # start, node_started, ..., finished
    runs.cancel(entry.id)

Both servers are thin shells over this module: they turn a request into `start_async`/`record`/`cancel`/`events`
and a `Refused` into its HTTP status. Runs go through `start_run`, so every process-wide listener (the run
history among them) sees them as it sees runs from cells. Events reach asyncio consumers through
`call_soon_threadsafe`, so any event loop (uvicorn's, tornado's) can wait for a run without a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import stat
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowlike_core.board import SUFFIX, Board
from flowlike_core.errors import BoardError, BoardFileError, FlowLikeError, UnknownNodeError, UnknownVariableError
from flowlike_core.events import Listener
from flowlike_core.executor import RunHandle, start_run
from flowlike_core.interop.api import imported, open_board
from flowlike_core.interop.report import ImportReport
from flowlike_core.policy import Policy
from flowlike_core.registry import Registry, default_registry
from flowlike_core.run import LogLine, NodeTrace, Run, RunEvent, RunStatus
from flowlike_core.types import to_json_native
from flowlike_core.wording import counted, noun_for

MAX_BOARD_BYTES = 20 * 1024 * 1024
"""Larger files are refused (413): reading them would stall the server."""
KEEP_FINISHED = 1000
"""Ended runs kept for `GET /flowlike/runs/<id>` (once more than twice as many are kept, the oldest ended ones
are forgotten down to this many; the run history keeps them all)."""
MAX_EVENTS = 10_000
"""Events of one run kept for late subscribers; beyond, only subscribers already listening get them (a late one
gets a `dropped` event counting the rest)."""
MAX_KEPT_EVENTS = 500_000
"""Events kept, all runs together (some hundreds of MB): past it the oldest ended runs are forgotten, as past
`KEEP_FINISHED` (runs of 10,000 events each would otherwise hold gigabytes)."""
MAX_QUEUED = 1000
"""Events waiting for one subscriber that reads slower than its run emits (a slow client); beyond, its events are
dropped, counted in one `dropped` event in their place, rather than kept in memory without bound."""
CANCEL_WAIT = 10.0
"""Seconds a DELETE waits for its run to end (a node's cleanup may take longer: then a 202, the run still going)."""
PING_SECONDS = 15.0
"""A run's event stream quiet this long gets a comment: proxies cut a connection silent for a minute or so."""
MAX_REQUEST_BYTES = 32 * 1024 * 1024
"""Larger run requests are refused (413), before more is read: a body is held in memory whole, then parsed."""
DEFAULT_MAX_RUNS = 64
"""Runs going at once on one server (`flowlike serve --max-runs`, Jupyter's `FlowlikeRuns.max_runs`): each is a
thread and its state, so a client starting runs without end would exhaust the process; beyond, a run is refused
(429) and the runs going are left as they are."""
RETRY_AFTER_SECONDS = 5
"""What a client refused for the server being busy (429: `max_runs` runs going) or stopping (503) is told to wait
before it tries again (`Retry-After`): a place frees whenever a run ends, and a restarted server is back within
seconds. A store that cannot be used (503 until the setting is fixed and the server restarted) is told none."""
REQUEST_KEYS = {"board", "start", "variables", "payload"}
ROUTES = ("the run API is POST or GET /flowlike/runs, GET or DELETE /flowlike/runs/ID, GET /flowlike/runs/ID/events")
"""What both servers answer to a path or method the run API does not have."""


class Refused(Exception):
    """A request the server will not carry out; `status` is the HTTP status to answer with, `answer` its JSON
    body: the message as "error", and `fields` a client may read instead of parsing it; `headers` the answer's
    headers (`Retry-After` when trying again in `retry_after` seconds may succeed)."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None, **fields: Any) -> None:
        super().__init__(message)
        self.status = status
        self.answer: dict[str, Any] = {"error": message, **fields}
        self.headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}


Event = tuple[int | None, str, Any]
"""One event of a run: its id (None for a `dropped` event), kind and data."""

BOARD_SUFFIXES = (SUFFIX, ".board")
"""The files served as boards: ours, and Flow-Like's `.board` (read through `open_board`, like every entry point)."""


def board_file(root: Path, relative: str) -> Path:
    """The board file `relative` names under `root`, resolved; Refused when it is not one to serve."""
    if "\x00" in relative:
        raise Refused(400, "a board path cannot contain a NUL byte")
    if Path(relative).is_absolute():
        raise Refused(400, f"{relative!r} is absolute: board paths are relative to the server root")
    if ".." in Path(relative).parts:
        raise Refused(400, f"{relative!r} goes up a folder ('..'): board paths lead down from the server root")
    if not relative.endswith(BOARD_SUFFIXES):
        raise Refused(404, f"no board file {relative!r} under the server root "
                           f"(board files end in {' or '.join(BOARD_SUFFIXES)})")
    if any(part.startswith(".") for part in Path(relative).parts):
        raise Refused(404, f"no board file {relative!r} under the server root (hidden files are not served)")
    file = (root / relative).resolve()
    if not file.is_relative_to(root) or any(part.startswith(".") for part in file.relative_to(root).parts):
        raise Refused(404, f"no board file {relative!r} under the server root")
    return file


def read_board(file: Path, name: str, registry: Registry | None = None) -> tuple[Board, ImportReport]:
    """Open a regular file of at most MAX_BOARD_BYTES, ours or Flow-Like's (`open_board`, errors naming `name`,
    its path under the root); a FIFO or device is refused without blocking on it."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise Refused(404, f"no board file {name!r} under the server root") from None
    except OSError as exc:
        raise Refused(403, f"{name}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(415, f"{name}: not a regular file")
        if info.st_size > MAX_BOARD_BYTES:
            raise Refused(413, f"{name}: {info.st_size:,} bytes, over the {MAX_BOARD_BYTES:,} a board may have")
        data = handle.read(MAX_BOARD_BYTES + 1)
    if len(data) > MAX_BOARD_BYTES:
        raise Refused(413, f"{name}: over the {MAX_BOARD_BYTES:,} bytes a board may have")
    board, report = open_board(data, registry, name=name)
    return (board, report) if imported(report) else (board.read_from(file), report)


def record_of(run: Run) -> dict[str, Any]:
    """The run's JSON record (secrets redacted, as every record is)."""
    return run.record().model_dump(mode="json")


@dataclass(eq=False)
class ServiceRun(Listener):
    """One run started through the service: its handle, and its events for waiters and subscribers."""

    id: str
    board_path: str
    handle: RunHandle | None = None
    buffer: list[Event] = field(default_factory=list)
    unbuffered: int = 0
    emitted: int = 0
    """The id of the last event: events are numbered from 1 in the order the run emitted them."""
    subscribers: list[Subscriber] = field(default_factory=list)
    waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = field(default_factory=list)
    ended: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def run(self) -> Run:
        assert self.handle is not None
        return self.handle.run

    # ---- listener hooks (on the run's thread) ----------------------------------------------------------

    def start(self, run: Run) -> None:
        self._emit("start", {"id": run.id, "board": self.board_path, "board_name": run.board.name,
                             "start_node": run.start_node})

    def node_started(self, run: Run, trace: NodeTrace) -> None:
        self._emit("node_started", {"node_id": trace.node_id, "node_name": trace.node_name, "step": trace.step})

    def node_finished(self, run: Run, trace: NodeTrace) -> None:
        self._emit("node_finished", {"node_id": trace.node_id, "node_name": trace.node_name, "step": trace.step,
                                     "status": trace.status.value, "duration": trace.duration, "error": trace.error})

    def log(self, run: Run, line: LogLine) -> None:
        self._emit("log", {"level": line.level.value, "message": line.message,
                           "node_id": line.node_id})

    def event(self, run: Run, event: RunEvent) -> None:
        self._emit("event", {"event_type": event.event_type, "payload": event.payload, "node_id": event.node_id})

    def progress(self, run: Run, node_id: str, fraction: float, message: str) -> None:
        self._emit("progress", {"node_id": node_id, "fraction": fraction, "message": message})

    def finished(self, run: Run) -> None:
        self._emit("finished", None, last=True)  # its data, the record, is made for the consumers who ask

    def _emit(self, kind: str, data: Any, last: bool = False) -> None:
        data = to_json_native(data)
        with self.lock:
            self.emitted += 1
            event = (self.emitted, kind, data)
            if len(self.buffer) < MAX_EVENTS or last:
                self.buffer.append(event)
            else:
                self.unbuffered += 1
            subscribers = list(self.subscribers)
            waiters = list(self.waiters) if last else []
            if last:
                self.ended.set()
        for subscriber in subscribers:
            _call_in(subscriber.loop, subscriber.offer, event)
        for loop, future in waiters:
            _call_in(loop, _resolve, future)

    # ---- consumers (on an event loop) ----------------------------------------------------------------

    async def events(self) -> AsyncIterator[tuple[str, Any]]:
        """Every event of the run from its start as (kind, data): `numbered_events` without the ids."""
        async for _, kind, data in self.numbered_events():
            yield kind, data

    def had_all(self, after: int) -> bool:
        """True when the run has ended and the client has had its events up to `finished`: nothing follows `after`."""
        with self.lock:
            return self.ended.is_set() and after >= self.emitted

    async def numbered_events(self, after: int = 0) -> AsyncIterator[Event]:
        """The run's events after the one numbered `after` (0: from its start; the ones already past first), ending
        with `finished`, as (id, kind, data); where events were not kept for this consumer (`MAX_EVENTS`,
        `MAX_QUEUED`), a `dropped` event (id None) counts them."""
        subscriber = Subscriber(asyncio.get_running_loop())
        with self.lock:
            past = [event for event in self.buffer if event[0] > after]
            # the events not kept are those numbered MAX_EVENTS + 1 to MAX_EVENTS + unbuffered
            missed = max(0, MAX_EVENTS + self.unbuffered - max(after, MAX_EVENTS))
            if not self.ended.is_set():
                self.subscribers.append(subscriber)
        try:
            for seq, kind, data in past:
                await asyncio.sleep(0)  # a turn of the loop per event, as in Subscriber.next
                if kind == "finished" and missed:
                    yield None, "dropped", {"count": missed}
                yield seq, kind, data if kind != "finished" else record_of(self.run)
            if (past and past[-1][1] == "finished") or self.had_all(after):
                return
            if missed:
                yield None, "dropped", {"count": missed}
            while True:
                seq, kind, data = await subscriber.next()
                if seq is not None and seq <= after:
                    continue
                if kind == "finished":
                    yield seq, kind, record_of(self.run)
                    return
                yield seq, kind, data
        finally:
            with self.lock:
                if subscriber in self.subscribers:
                    self.subscribers.remove(subscriber)

    async def wait(self, timeout: float | None = None) -> bool:
        """Wait until the run has ended (True) or `timeout` seconds have passed (False). The run's thread
        wakes the waiting loop once, when the run ends."""
        loop = asyncio.get_running_loop()
        waiter = (loop, loop.create_future())
        with self.lock:
            if self.ended.is_set():
                return True
            self.waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter[1], timeout)
        except TimeoutError:
            return False
        finally:
            with self.lock:
                if waiter in self.waiters:
                    self.waiters.remove(waiter)
        return True


@dataclass(eq=False)
class Subscriber:
    """One consumer of a run's events, on its event loop: what waits for it, at most `MAX_QUEUED` events."""

    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Event] = field(default_factory=asyncio.Queue)
    gap: dict[str, int] | None = None
    """The data of the `dropped` event last queued, counting on while it waits at the end of the queue."""

    def offer(self, event: Event) -> None:
        """Queue an event (on the loop); when too many wait, count it in the `dropped` event at the end instead."""
        if event[1] == "finished" or self.queue.qsize() < MAX_QUEUED:
            self.gap = None
            self.queue.put_nowait(event)
            return
        if self.gap is None:
            self.gap = {"count": 0}
            self.queue.put_nowait((None, "dropped", self.gap))
        self.gap["count"] += 1

    async def next(self) -> Event:
        """The next event. The loop gets a turn even when one is waiting (a queue's get would not yield): the
        other requests are served meanwhile, and a client gone is noticed (ends the stream) before more is
        written to its closed socket."""
        if not self.queue.empty():
            await asyncio.sleep(0)
        seq, kind, data = await self.queue.get()
        if data is self.gap:  # taken out: later drops start a new gap
            self.gap = None
        return seq, kind, data


def _call_in(loop: asyncio.AbstractEventLoop, function: Any, *args: Any) -> None:
    with contextlib.suppress(RuntimeError):  # that loop has closed: its consumer is gone
        loop.call_soon_threadsafe(function, *args)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class RunManager:
    """Starts runs of the boards under `root` on request, and keeps them for reading, streaming, cancelling.

    Every run goes under `policy` (`flowlike_core.policy`): by default a request's board reaches only the store,
    as `flowlike run`'s, since whoever may post to a server is trusted least; a refused capability fails the run."""

    def __init__(self, root: str | os.PathLike[str], registry: Registry | None = None,
                 max_runs: int = DEFAULT_MAX_RUNS, policy: Policy | None = None) -> None:
        if max_runs < 1:
            raise ValueError(f"max_runs is {max_runs}: a server must be able to run at least one board at once")
        self.root = Path(root).expanduser().resolve()
        self.registry = registry
        self.max_runs = max_runs
        self.policy = policy if policy is not None else Policy()
        self.runs: OrderedDict[str, ServiceRun] = OrderedDict()
        self._starting = 0
        """Runs counted against `max_runs` while they start (outside the lock), before they are in `runs`."""
        self._going: set[ServiceRun] = set()
        """The runs in `runs` not seen ended yet: counting them is cheap, however many ended runs are kept."""
        self._kept_events = 0
        """Events kept by the runs in `runs` seen ended (a run's are fixed once it has ended)."""
        self._boards: dict[str, tuple[tuple[int, int, int, int], Board]] = {}
        self._lock = threading.Lock()
        self.refusing: str | None = None
        """Why no run is started (the server stops, its run history cannot be used), answered with a 503."""
        self.stopping = False
        """The server is shutting down (`cancel_all`): its 503 tells a client to try again (a restart) later."""

    def board(self, relative: str) -> Board:
        """The board at `relative` under the root, loaded once per version of its file (`cached`, else `load`)."""
        board = self.cached(relative)
        return board if board is not None else self.load(relative)

    def cached(self, relative: str) -> Board | None:
        """The board loaded before from `relative`, while the path leads to the same file (device, inode, mtime,
        size); None when it must be loaded. One stat: cheap enough for an event loop. The checks the path passed
        (`board_file`: no way out of the root, nothing hidden) still hold for the same file; a path that leads
        elsewhere (a file replaced, a symlink re-pointed) is checked and read again by `load`."""
        cached = self._boards.get(relative)
        if cached is not None and cached[0] == self._version(relative):
            return cached[1]
        return None

    def load(self, relative: str) -> Board:
        """Check the path, read and parse its file (up to `MAX_BOARD_BYTES`), and keep the board for `cached`.
        Slow for a big board: an event loop calls it in a worker thread (`start_async`)."""
        version = self._version(relative)  # before reading: a change while reading is read again next time
        file = board_file(self.root, relative)
        try:
            board, _ = read_board(file, relative, self.registry)
        except BoardFileError as exc:
            raise Refused(422, str(exc)) from None
        if version is not None:
            self._boards[relative] = (version, board)
        return board

    def _version(self, relative: str) -> tuple[int, int, int, int] | None:
        try:
            info = os.stat(self.root / relative) if "\x00" not in relative else None
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise Refused(403, f"{relative}: cannot be read ({exc.strerror})") from None
        return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size) if info else None

    def start(self, request: Any) -> ServiceRun:
        """Start the run a request body asks for: `{"board": path, "start"?, "variables"?, "payload"?}`."""
        return self._launch(*parse_request(request))

    async def start_async(self, request: Any) -> ServiceRun:
        """`start` on an event loop (the servers'): a board file new or changed on disk is read, parsed and its plan
        compiled (its first run's start) in a worker thread, so the loop goes on serving the other requests."""
        relative, start, variables, payload = parse_request(request)
        board = self.cached(relative)
        if board is None:
            return await asyncio.to_thread(self._launch, relative, start, variables, payload)
        return self._launch(relative, start, variables, payload, board)

    def _launch(self, relative: str, start: str | None, variables: dict[str, Any], payload: Any,
                board: Board | None = None) -> ServiceRun:
        if self.refusing is not None:
            raise Refused(503, self.refusing, retry_after=RETRY_AFTER_SECONDS if self.stopping else None)
        self._take_slot()
        try:
            entry = self._start(relative, start, variables, payload, board)
        finally:
            with self._lock:
                self._starting -= 1
        return entry

    def _take_slot(self) -> None:
        """Count a run about to start against `max_runs`, or refuse it (429) when that many go already."""
        with self._lock:
            self._notice_ended()
            going = self._starting + len(self._going)
            if going >= self.max_runs:
                raise Refused(429, f"{counted(going, 'run')} going on this server, its limit (max runs) is "
                                   f"{self.max_runs}: start this one once a run has ended (or cancel one)",
                              retry_after=RETRY_AFTER_SECONDS, running=going, max_runs=self.max_runs)
            self._starting += 1

    def _start(self, relative: str, start: str | None, variables: dict[str, Any], payload: Any,
               board: Board | None) -> ServiceRun:
        board = board if board is not None else self.board(relative)
        entry = ServiceRun("", relative)
        try:
            entry.handle = start_run(board, start=start, variables=variables, payload=payload,
                                     registry=self.registry or default_registry(), listeners=[entry],
                                     policy=self.policy)
        except (UnknownVariableError, UnknownNodeError) as exc:
            raise Refused(400, str(exc)) from None
        except BoardError as exc:
            raise Refused(422, str(exc)) from None
        except FlowLikeError as exc:
            raise Refused(422, f"{relative}: {exc}") from None
        entry.id = entry.handle.run.id
        with self._lock:
            self.runs[entry.id] = entry
            self._going.add(entry)
            self._forget_old(entry)
        return entry

    def _notice_ended(self) -> None:
        """Move the runs that have ended out of `_going`, counting their events (under the lock)."""
        ended = {entry for entry in self._going if entry.ended.is_set()}
        self._going -= ended
        self._kept_events += sum(len(entry.buffer) for entry in ended)

    def _forget_old(self, newest: ServiceRun) -> None:
        """Forget the oldest ended runs while more than twice `KEEP_FINISHED` are kept (down to that many), or their
        events, all runs together, are more than `MAX_KEPT_EVENTS` (under the lock); never `newest`, the run just
        started (it may have ended already), whose id its client is about to use."""
        self._notice_ended()
        if len(self.runs) <= 2 * KEEP_FINISHED and self._kept_events <= MAX_KEPT_EVENTS:
            return
        ended = [(run_id, entry) for run_id, entry in self.runs.items()
                 if entry not in self._going and entry is not newest]
        over = max(0, len(ended) - KEEP_FINISHED) if len(self.runs) > 2 * KEEP_FINISHED else 0
        for count, (run_id, entry) in enumerate(ended):
            if count >= over and self._kept_events <= MAX_KEPT_EVENTS:
                break
            self._kept_events -= len(entry.buffer)
            del self.runs[run_id]

    def get(self, run_id: str) -> ServiceRun:
        entry = self.runs.get(run_id)
        if entry is None:
            raise Refused(404, f"no run {run_id!r} on this server")
        return entry

    def record(self, run_id: str) -> dict[str, Any]:
        return record_of(self.get(run_id).run)

    def cancel(self, run_id: str) -> ServiceRun:
        entry = self.get(run_id)
        if entry.run.status is RunStatus.RUNNING:
            assert entry.handle is not None
            entry.handle.cancel()
        return entry

    async def stop(self, run_id: str) -> tuple[ServiceRun, bool]:
        """Cancel a run and wait up to `CANCEL_WAIT` seconds for its end; the run, and whether it has ended."""
        entry = self.cancel(run_id)
        return entry, await entry.wait(timeout=CANCEL_WAIT)

    def listing(self, query: Mapping[str, str], base: str = "/") -> dict[str, Any]:
        """The runs this server keeps, oldest first, in a few fields each (`run_summary`, links under `base`);
        `?status=` keeps those in that status."""
        wanted = run_status(query["status"]) if "status" in query else None
        with self._lock:
            entries = list(self.runs.values())
        return {"runs": [run_summary(entry, base) for entry in entries
                         if wanted is None or entry.run.status is wanted]}

    def cancel_all(self) -> list[ServiceRun]:
        """Stop starting runs and cancel those going (the server is stopping); returns them."""
        self.stopping = True
        self.refusing = "the server is shutting down: it starts no more runs"
        with self._lock:
            going = [entry for entry in self.runs.values() if not entry.ended.is_set()]
        for entry in going:
            self.cancel(entry.id)
        return going

    def close(self) -> None:
        """Cancel the runs still going and wait until each has ended, so that its listeners (the run history)
        have it as Cancelled before the process exits: run threads are daemons, killed at exit mid-run. A node
        that ignores the cancel (native code) is given up on after a grace, the run recorded Cancelled."""
        for entry in self.cancel_all():
            assert entry.handle is not None
            entry.handle.wait()


def run_status(text: str) -> RunStatus:
    """The run status `?status=` names, in any case (`running` is `Running`); Refused (400) naming the statuses."""
    for status in RunStatus:
        if status.value.lower() == text.lower():
            return status
    raise Refused(400, f"?status={text}: not a run status; the statuses are {', '.join(RunStatus)} (in any case)")


def request_too_big(size: int | None = None) -> Refused:
    said = f"{size:,} bytes, " if size is not None else ""
    return Refused(413, f"the request body is {said}over the {MAX_REQUEST_BYTES:,} bytes a run request may have")


def parse_body(body: bytes) -> Any:
    """The JSON of a run request's body; Refused when it is too big (413) or not JSON (400), which includes NaN,
    Infinity and a number too big for a float (Python reads them, and a board would get a NaN or inf)."""
    if len(body) > MAX_REQUEST_BYTES:
        raise request_too_big(len(body))
    try:
        return json.loads(body or b"null", parse_constant=_not_a_json_number, parse_float=_finite_float)
    except (json.JSONDecodeError, UnicodeDecodeError, NotJSON) as exc:
        raise Refused(400, f"the request body is not JSON: {exc}") from None
    except RecursionError:
        raise Refused(400, "the request body is JSON nested too deeply to read") from None


class NotJSON(ValueError):
    """A number the JSON grammar does not have, which Python's reader takes."""


def _not_a_json_number(text: str) -> Any:
    raise NotJSON(f"{text} is not a JSON number")


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise NotJSON(f"{text} is a number too big for a float")
    return number


def parse_request(request: Any) -> tuple[str, str | None, dict[str, Any], Any]:
    """Board path, start node, variables and payload of a run request; Refused (400) saying what is wrong."""
    if not isinstance(request, Mapping):
        raise Refused(400, f"a run request is a JSON object, not {type(request).__name__}")
    unknown = sorted(set(request) - REQUEST_KEYS)
    if unknown:
        raise Refused(400, f"unknown {noun_for(len(unknown), 'field')} {', '.join(map(repr, unknown))} in the run "
                           f"request (fields: {', '.join(sorted(REQUEST_KEYS))})")
    board = request.get("board")
    if not isinstance(board, str) or not board:
        raise Refused(400, "the run request needs 'board': the path of a board file under the server root")
    start = request.get("start")
    if start is not None and not isinstance(start, str):
        raise Refused(400, "'start' is the id or name of the node to start from (a string)")
    variables = request.get("variables") or {}
    if not isinstance(variables, Mapping):
        raise Refused(400, "'variables' is an object of variable names to values")
    return board, start, dict(variables), request.get("payload")


# ---- HTTP helpers both servers share -----------------------------------------------------------------


def wait_timeout(query: Mapping[str, str]) -> float | None:
    """The `?timeout=` of a waiting POST, in seconds (none: wait until the run ends)."""
    raw = query.get("timeout")
    if raw is None:
        return None
    try:
        timeout = float(raw)
    except ValueError:
        timeout = math.nan
    if math.isnan(timeout):
        raise Refused(400, f"?timeout={raw}: not a number of seconds")
    if timeout <= 0:
        raise Refused(400, f"?timeout={raw}: must be positive")
    return timeout


def wants_wait(query: Mapping[str, str]) -> bool:
    """Whether a POST waits for its run's end: `?wait`, `?wait=1` (true, yes, on); Refused for a value that says
    neither (a client must not take a 201 for the end it asked for)."""
    raw = query.get("wait")
    if raw is None:
        return False
    value = raw.strip().lower()
    if value in {"", "1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise Refused(400, f"?wait={raw}: 1, true, yes or on waits for the run's end; 0, false, no or off does not")


def run_summary(entry: ServiceRun, base: str = "/") -> dict[str, Any]:
    """A run in a few fields (what a POST that does not wait answers, and each entry of the listing): its id,
    board, status so far, and where to find its record and events (under the server's `base` URL path)."""
    run = entry.run
    return {"id": entry.id, "board": entry.board_path, "board_name": run.board.name, "status": run.status.value,
            "steps": run.steps, "start": _iso(run.start),
            "end": _iso(run.end) if run.end else None,
            "links": {"record": f"{base}flowlike/runs/{entry.id}",
                      "events": f"{base}flowlike/runs/{entry.id}/events"}}


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).isoformat().replace("+00:00", "Z")


def sse(kind: str, data: Any, seq: int | None = None) -> str:
    """One server-sent event; with its id (`seq`), which a client resuming sends back as Last-Event-ID."""
    numbered = f"id: {seq}\n" if seq is not None else ""
    return f"event: {kind}\ndata: {json.dumps(data, separators=(',', ':'))}\n{numbered}\n"


async def sse_stream(entry: ServiceRun, after: int = 0, ping: float = PING_SECONDS) -> AsyncIterator[str]:
    """A run's events after `after` as server-sent events, and a comment (which clients ignore) each time the run
    has been quiet for `ping` seconds: a stream silent longer is taken for dead by proxies and read timeouts."""
    events = entry.numbered_events(after)
    upcoming = asyncio.ensure_future(anext(events))
    try:
        while True:
            done, _ = await asyncio.wait({upcoming}, timeout=ping)
            if not done:
                yield ": ping\n\n"
                continue
            try:
                seq, kind, data = upcoming.result()
            except StopAsyncIteration:
                return
            yield sse(kind, data, seq)
            upcoming = asyncio.ensure_future(anext(events))
    finally:  # the run ended, or the client left: the events stop (their subscriber is removed)
        upcoming.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
            await upcoming
        await events.aclose()


def last_event_id(value: str | None) -> int:
    """The id of the last event a client resuming a stream has had (its `Last-Event-ID` header); 0: none."""
    if value is None or not value.strip():
        return 0
    if not value.strip().isdigit():
        raise Refused(400, f"Last-Event-ID: {value!r} is not the id of one of this run's events (a number)")
    return int(value)
