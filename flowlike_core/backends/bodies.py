"""Loop bodies on other processes: the iterations of a parallel for-each sent to a process pool or a dask cluster.

Iterations travel in chunks (a few per worker slot, see `chunks`): a `BodyJob` holds the board as JSON, its node
types by cloudpickle (a worker parses and plans them once, by board key; on dask the board goes to the cluster once
and the chunks name it; for the process pool it is written to a file once per board revision, which each worker reads
once) and each iteration's exec targets and values; what the body reads of the run as the loop started
(`BeforeTheLoop`: the run's variables, the outputs set before it, which nodes had run) goes to each worker once per loop
(`LoopValues`), not with each chunk, and each worker unpickles it once; the worker runs them one after another and
sends back a `BodyResult` each as soon as it has ended (the values it set, its traces and folded counts, its steps,
its failure), tagged with its place in the chunk, on the backend's channel (`Inbox`): the caller lands it in the
iteration's fork at once, as a thread's (it shows in `run.traces` from then on), and merges it as it merges a
thread's. The worker goes on only once the result has left it (on the pool's pipe; on dask, written to the scheduler),
so a worker that dies takes with it only the iteration it was running, which the loop names. dask runs the chunk
of a worker that died again on another: that run skips the iterations whose results have landed, and runs the one
that was running again from its first node (`flowlike_core.backends.dask.run_again`), none once the loop's
iterations are cancelled; its live events go under a key of their own (`LiveBatches`). Once an iteration has failed
under Cancel On Failure (or the run was cancelled), every chunk of the loop starts none of its iterations more
(`ChunkStop`), wherever it runs, and the one it is running stops at its next node (`StopWatch`).
Variables a body sets stay in the worker: an iteration reads the run's variables as they were when it started.
While an iteration runs, its trace records go to the caller in the chunk's live event batches (`BodySender`: one
batch every few hundredths of a second, whatever the count of nodes), on the pool's pipe or the dask client's queue
(`flowlike_core.backends.dask.ClientQueue`): its nodes show in its fork's traces (`run.traces`) and lines in
`run.logs()` as a thread's do, until its result takes their place (`LiveIterations`). When the run has listeners,
they hear its node events (started, finished, logs, events, progress) as they go. Without listeners for node events
the worker runs a body on the executor's fast path. On dask the results and the live batches go on a
`distributed.Queue` of the caller's client, which lets each go once read (an event topic would keep the last
thousand on the scheduler for its lifetime).
When the run has a result cache that keeps its results in a store (`ResultCache.persist`), the iterations use it
there, as a sweep's runs do: what a body computed before is served, what it computes is kept, and the reasons join
the run's (`run.why`). A cache in memory only stays in the caller: the iterations run uncached, and say so (a
warning, and `run.why` of each node they ran).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import dataclasses
import itertools
import os
import pickle
import shutil
import tempfile
import threading
import uuid
import warnings
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowlike_core.backends import BackendError, main_script, stop_if_importing_main
from flowlike_core.backends.dask import LATE_GRACE, QUIET
from flowlike_core.backends.remote import Channel, InOrder, Mirror, Relay, Sender, Tracker
from flowlike_core.cache import SharedCache
from flowlike_core.plan import Targets, targets_by_plan
from flowlike_core.reasons import NO_CACHE, Change, Reason
from flowlike_core.run import NodeStats, Records, RunEvent, trace_of

if TYPE_CHECKING:
    from flowlike_core.backends.remote import Event
    from flowlike_core.executor import Executor
    from flowlike_core.run import Run

WORKERS = ("threads", "processes", "dask")
GUARD = 'a script that runs boards with a Parallel For Each on workers "processes" must do so under ' \
        '`if __name__ == "__main__":`'
"""What to do when the pool's workers, importing the main module (they are spawned), run its boards too."""
WORKER = "flowlike-loop-worker"
"""The name of the pool's processes (one of `flowlike_core.backends.WORKERS`)."""
POOL = "<pool>"
"""The topic of a chunk on the process pool: its live events go on the pool's queue."""
UNCACHED = ("the run's result cache keeps its results in memory, which the loop's worker processes cannot reach, so "
            "its iterations there ran uncached: persist() the cache to share it through its store, or use "
            "workers='threads'")
CHUNKS_PER_SLOT = 2
"""Jobs per worker slot a loop's iterations are cut into: fewer jobs pay less shipping and scheduling, more of
them even out iterations of unequal length."""

Body = tuple[list[tuple[str, str]], dict[str, Any]]
"""An iteration: the exec targets its body starts at (by node id), and its own values (the loop's Value and Index)."""


@dataclass
class BodyJob:
    """A chunk of a loop's iterations, run one after another by one worker."""

    run_id: str
    board_json: str
    node_types: bytes
    board_key: str
    """Names the board as packed: a worker parses and plans a board once, whatever chunks it runs."""
    catalog: tuple[tuple[str, str, str], ...]
    bodies: list[Body] = field(default_factory=list)
    cancel_rest: bool = False
    """After a failed iteration, skip the chunk's others (they end cancelled)."""
    stop: int = 0
    """The loop's mark for `ChunkStop`: once told, the chunk starts no iteration more."""
    topic: str | None = None
    """Where the chunk sends its live events (the traces of its iteration going on, node events for listeners): the
    name of a dask `ClientQueue`, or `POOL` (None: it sends none)."""
    reply: str = ""
    """Where the chunk sends each iteration's result as it ends: the name of a dask `ClientQueue`, or `POOL`."""
    key: str = ""
    """Names the chunk's messages: its live events go under it, its iterations' results under `iterations_key`."""
    watched: bool = False
    """The run's listeners hear node events: the worker tells each execution (off the fast path)."""
    cache: SharedCache | None = None
    """The run's result cache, through its store."""
    uncached: str = ""
    """Why the iterations run uncached though the run has a result cache: told in `run.why` of the nodes they ran."""
    board_file: str = ""
    """Where the board waits on disk for the process pool's workers (see `on_disk`): its chunks go without it."""
    before_key: str = ""
    """Names what the body reads of the run as the loop started (`LoopValues`): a worker fetches it once per loop."""
    before_file: str = ""
    """Where it waits on disk for the process pool's workers (on dask: on the scheduler, by `before_key`)."""
    before: bytes = b""
    """It, pickled, when it is small enough to go with each chunk (`INLINE`)."""

    @property
    def iterations_key(self) -> str:
        return f"{self.key}/iterations"

    @property
    def stop_key(self) -> str:
        return stop_key(self.run_id, self.stop)


@dataclass
class BeforeTheLoop:
    """What a body on another process reads of the run as it was when the loop started, as a fork on a thread does:
    the outputs set before the loop that its nodes read, which nodes had run (an output left unset by one is named
    as such, `ctx._read_unset`), the unset reads already said (each is said once per run), and the run's variables
    (each iteration starts from them). A worker keeps it for all the loop's chunks it runs: nothing changes it."""

    values: dict[str, Any]
    counts: list[int]
    said: set[tuple[str, str]]
    variables: dict[str, Any]


@dataclass
class BodyResult:
    """One iteration's outcome."""

    values: dict[str, Any]
    records: Records
    """Its trace records, compact or `NodeTrace`s (see `Run.records`)."""
    folded: dict[str, NodeStats]
    steps: int
    result: Any = None
    error: Any = None
    """The RunError that failed the body (its class kept when it pickles)."""
    error_node: str | None = None
    reasons: dict[str, Reason] = field(default_factory=dict)
    """With a result cache: why each node it reached ran or was cached."""
    events: list[RunEvent] = field(default_factory=list)
    """What its nodes emitted (`ctx.emit`), as its run kept them."""
    dropped_events: int = 0
    unset_reads: set[tuple[str, str]] = field(default_factory=set)
    """(node id, input name) of the reads of an unset output it warned of: the caller keeps the first warning of each
    (`flowlike_core.parallel._land`)."""


@dataclass
class ChunkResult:
    """What a chunk returns once all its iterations have ended (their results went before it, one by one)."""

    batches: int = 0
    """Live event batches sent before the result: the tail below is batch number `batches`."""
    tail: list[Event] = field(default_factory=list)


class BodySender(Sender):
    """Worker side: a chunk's live events, and the trace records of its iteration going on (each batch's traces are
    tagged with the iteration's place; its lines and other events follow an `("iteration", place)` marker), so that
    the caller shows the iteration's nodes while it runs, as a thread's. Following the next iteration costs nothing
    per node: what an iteration did that no batch sent goes with its result."""

    def __init__(self, post: Callable[[list[Any]], None], key: str, **options: Any) -> None:
        self.place = -1
        """The place in the chunk of the iteration going on (its records are `tracker`'s)."""
        self.told = -1
        """The place the events in the outbox belong to, as last marked."""
        super().__init__(post, key, **options)

    def follow(self, place: int, executor: Executor) -> None:
        """Send the records of this iteration from now on (it has not started yet: nothing of it is missed)."""
        tracker = Tracker()
        tracker.records, tracker.run, tracker.current = executor.run.records, executor.run, executor.running_quietly
        with self.lock:
            self.tracker, self.place = tracker, place

    def emit(self, event: Event) -> None:
        if self.told != self.place:  # (the place changes between iterations, not while one emits)
            self.told = self.place
            with self.lock:
                self.outbox.append(("iteration", self.place))
        super().emit(event)

    def _take(self) -> list[Event]:
        traces = self.tracker.poll()
        events, self.outbox = self.outbox, []
        return [("traces", traces, self.place), *events] if traces else events


def body_job(executor: Executor, targets: Targets, cancel_rest: bool, stop: ChunkStop,
             workers: str) -> tuple[BodyJob, LoopValues]:
    """The job of a loop's iterations on `workers` (without them: each starts at `targets`), which `stop` tells to
    stop, and what its body reads of the run as the loop started, to go to the workers once (`submit` takes it
    there; the loop `release`s it once over)."""
    from flowlike_core.backends.remote import catalog_of

    results = executor.results
    cache = results.cache.shared("loop") if results is not None and results.cache.store is not None else None
    uncached = UNCACHED if results is not None and cache is None else ""
    if uncached:
        warnings.warn(uncached, RuntimeWarning, stacklevel=2)  # (the same text: Python shows it once per place)
    values = LoopValues(workers, _before_the_loop(executor, targets))
    return BodyJob(executor.run.id, *_packed(executor), catalog_of(executor.plan), cancel_rest=cancel_rest,
                   stop=stop.mark, cache=cache, uncached=uncached, before_key=values.key), values


def _before_the_loop(executor: Executor, targets: Targets) -> bytes:
    """`BeforeTheLoop` of a body starting at `targets`, pickled once for all its chunks and workers: the values it
    takes are those of the outputs its nodes (and the pure nodes they pull) read, of what the run has set."""
    import cloudpickle

    from flowlike_core.plan import PURE, VALUE

    seen: set[str] = set()
    keys: set[str] = set()
    going = [plan for plan, _ in targets]
    while going:
        plan = going.pop()
        if plan.node_id in seen:
            continue
        seen.add(plan.node_id)
        going += [target for group in plan.exec_next.values() for target, _ in group]
        for source in (source for group in plan.inputs.values() for source in group):
            if source.kind == VALUE:
                keys.add(source.key)
            elif source.kind == PURE:
                going.append(executor.plan.nodes[source.node_id])
    values = executor.values
    before = BeforeTheLoop({key: values[key] for key in keys if key in values}, list(executor.counts),
                           set(executor.unset_reads), dict(executor.variables))
    with contextlib.suppress(Exception):
        return pickle.dumps(before, pickle.HIGHEST_PROTOCOL)
    try:
        return cloudpickle.dumps(before)
    except Exception as exc:
        unsent = next((_output_name(executor, key) for key, value in before.values.items() if not _travels(value)),
                      None)
        if unsent is None:
            name = next((name for name, value in before.variables.items() if not _travels(value)), "?")
            raise BackendError(f"the run's variable {name!r}, which the loop's iterations start from, cannot be sent "
                               f"to other processes ({type(exc).__name__}: {exc}): run the loop on workers "
                               f"'threads'") from exc
        raise BackendError(f"the loop's body reads {unsent}, whose value cannot be sent to other processes "
                           f"({type(exc).__name__}: {exc}): run the loop on workers 'threads'") from exc


def _travels(value: Any) -> bool:
    import cloudpickle

    try:
        cloudpickle.dumps(value)
    except Exception:  # noqa: BLE001 - whatever stops it
        return False
    return True


def _output_name(executor: Executor, key: str) -> str:
    from flowlike_core.run import key_parts

    node_id, pin_id = key_parts(key)
    node = executor.plan.nodes[node_id].node
    return f"output {node.pins[pin_id].name!r} of node {node.label()}"


class LoopValues:
    """Caller side: what a loop's body reads of the run as the loop started (`BeforeTheLoop`, pickled once), put
    where the loop's workers fetch it, each once (`_before`): for the process pool in a file, on dask in a variable on
    the scheduler (as a board: not data scattered on one worker, which would die with it). It went with every chunk
    (two per worker slot), through the pool's pipe or the scheduler, and was unpickled by each. It stays there while
    the loop goes on and while a chunk of it may still run (one left going when its run was cancelled goes on to its
    end; dask may run the chunk of a worker that died again), then goes. One of `INLINE` bytes at most goes with each
    chunk, as it did: a file or a variable costs more than it saves then."""

    def __init__(self, workers: str, data: bytes) -> None:
        self.workers, self.data = workers, data
        self.inline = len(data) <= INLINE
        self.key = uuid.uuid4().hex
        self.holds = 1
        """The loop's own, and one per chunk not ended."""
        self.placed = ""
        """Its file, or (dask) its name on the scheduler, once put there."""
        self.client: Any = None
        self.lock = threading.Lock()

    def place(self, client: Any = None) -> str:
        """Put it where the workers fetch it (on the scheduler of dask's `client`), the first time (it may wait: not
        on the run's event loop); its file (empty on dask)."""
        with self.lock:
            if not self.placed and self.holds:  # (none: the loop was over before it was placed)
                if self.workers == "dask":
                    from flowlike_core.backends.dask import put_values

                    self.client = client
                    self.placed = put_values(self.client, self.key, self.data)
                else:
                    self.placed = os.path.join(_values_folder(), self.key)
                    Path(f"{self.placed}.part").write_bytes(self.data)
                    os.replace(f"{self.placed}.part", self.placed)
                self.data = b""  # (there now: this process need not keep a copy)
            return "" if self.workers == "dask" else self.placed

    def hold(self) -> Callable[[], None]:
        """Keep it for a chunk until the returned release is called (once the chunk has ended)."""
        with self.lock:
            self.holds += 1
        released = threading.Event()

        def release() -> None:
            if not released.is_set():
                released.set()
                self.release()

        return release

    def release(self) -> None:
        """The loop is over (or one of its chunks has ended): it goes once none holds it."""
        with self.lock:
            self.holds -= 1
            if self.holds or not self.placed:
                return
            placed, self.placed = self.placed, ""
        if self.workers == "dask":
            from flowlike_core.backends.dask import delete_values

            _dask_messages().submit(delete_values, self.client, placed)
        else:
            with contextlib.suppress(OSError):
                os.unlink(placed)


INLINE = 64 * 1024
"""Bytes of a loop's `BeforeTheLoop` (pickled) up to which it goes with each chunk, not once to each worker."""


async def _ship(values: LoopValues, job: BodyJob, client: Any = None) -> Callable[[], None]:
    """Take what the loop's body reads (`values`) where the chunk's workers fetch it (in the job when small), held
    there until the returned release is called (once the chunk has ended)."""
    if values.inline:
        job.before = values.data
        return lambda: None
    release = values.hold()
    try:
        job.before_file = await asyncio.to_thread(values.place, client)
    except BaseException:
        release()
        raise
    return release


_values_dir: str | None = None


def _values_folder() -> str:
    global _values_dir
    with _on_disk_lock:
        if _values_dir is None:
            _values_dir = tempfile.mkdtemp(prefix="flowlike-loop-values-")
            atexit.register(shutil.rmtree, _values_dir, True)
        return _values_dir


BEFORES_KEPT = 2
"""Loops whose `BeforeTheLoop` a worker keeps (two loops may send it chunks in turn), the last fetched: their chunks
fetch it no more."""
_befores: OrderedDict[str, BeforeTheLoop] = OrderedDict()
_befores_lock = threading.Lock()


def _before(job: BodyJob) -> BeforeTheLoop:
    """Worker side: what the chunk's body reads of the run as its loop started, fetched and unpickled once per loop
    (`LoopValues`), as its first iteration starts (a chunk stopped before runs none)."""
    if job.before:
        return pickle.loads(job.before)
    with _befores_lock:  # (a dask worker of several threads may start two chunks of the loop at once)
        before = _befores.get(job.before_key)
        if before is None:
            if job.before_file:
                try:
                    data = Path(job.before_file).read_bytes()
                except OSError as exc:
                    raise BackendError(f"what the loop's body reads is gone from {job.before_file} (its loop is "
                                       f"over): {exc}") from exc
            else:
                from flowlike_core.backends.dask import values_of

                data = values_of(job.before_key)
            before = _befores[job.before_key] = pickle.loads(data)
            while len(_befores) > BEFORES_KEPT:
                _befores.popitem(last=False)
        _befores.move_to_end(job.before_key)
        return before


STOP_SLOTS = 1024
"""Loops whose stop the process pool's processes can tell apart at once (a loop's mark goes in slot mark % this)."""
_stop_marks = itertools.count(1)
_stops: Any = None
"""The process pool's stop marks, in memory the pool's processes share (a `RawArray` of `STOP_SLOTS` int64, made with
the first pool, handed to every pool after it): slot `mark % STOP_SLOTS` holds the mark of the last loop stopped
there. Set by `_attach` in a pool process."""


def stop_key(run_id: str, mark: int) -> str:
    """The name of a loop's stop on a dask scheduler (`flowlike_core.backends.dask.stop_chunks`)."""
    return f"flowlike-stop-{run_id}-{mark}"


class ChunkStop:
    """Caller side: tells a loop's chunks on other processes that its iterations are cancelled (one failed under
    Cancel On Failure, or the run was cancelled), so that each starts none more: a chunk looked only at its own
    failures, and one running beside the failed one went on through all its iterations. A chunk asks between two
    iterations (`_stopped`), for the cost of a read of memory: on the process pool, of the marks its processes share
    (`_stops`); on dask, of the loops its worker was told of (`flowlike_core.backends.dask.stop_chunks`, which marks
    the stop on the scheduler too, for a chunk starting on a worker that joined later)."""

    def __init__(self, workers: str, run_id: str) -> None:
        self.workers, self.mark = workers, next(_stop_marks)
        self.key = stop_key(run_id, self.mark)
        self.told = False

    def __call__(self) -> None:
        """Stop the loop's chunks (on the run's loop: what travels goes from a thread)."""
        if self.told:
            return
        self.told = True
        if self.workers == "processes":
            if _stops is not None:  # (no pool yet: no chunk has gone out)
                _stops[self.mark % STOP_SLOTS] = self.mark
        elif self.workers == "dask":
            from flowlike_core.backends.dask import stop_chunks

            _dask_messages().submit(stop_chunks, _dask_client(), self.key)

    def close(self) -> None:
        """The loop is over: its stop, if told, leaves the dask scheduler (after it got there)."""
        if self.told and self.workers == "dask":
            from flowlike_core.backends.dask import forget_stop

            _dask_messages().submit(forget_stop, _dask_client(), self.key)


_messages: ThreadPoolExecutor | None = None
_messages_lock = threading.Lock()


def _dask_messages() -> ThreadPoolExecutor:
    """One thread that sends loops' stops to the dask scheduler, in order (a stop is forgotten after it got there),
    off the runs' event loops."""
    global _messages
    with _messages_lock:
        if _messages is None:
            _messages = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flowlike-dask-stops")
        return _messages


def _stopped(job: BodyJob) -> Callable[[], bool]:
    """Worker side: whether the chunk's loop told its chunks to stop (`ChunkStop`), asked before each iteration."""
    if job.reply == POOL:
        marks, slot, mark = _stops, job.stop % STOP_SLOTS, job.stop
        return lambda: marks[slot] == mark
    from flowlike_core.backends.dask import chunk_stopped

    return chunk_stopped(job.stop_key)


PACKED = 8
_packs: OrderedDict[tuple[int, int], tuple[Any, tuple[str, bytes, str]]] = OrderedDict()
"""Caller side: by (plan id, board revision), the plan (so that its id stays its own) and its board packed for loop
jobs: JSON, node types, board key; the `PACKED` last used."""


def _packed(executor: Executor) -> tuple[str, bytes, str]:
    """The run's board packed for loop jobs, once per board revision and plan."""
    from flowlike_core.backends.remote import pack_node_types
    from flowlike_core.registry import Registry

    plan, board = executor.plan, executor.run.board
    key = (id(plan), board.revision)
    cached = _packs.get(key)
    if cached is None:
        registry = Registry()
        for node_type in {type(node.impl) for node in plan.nodes.values()}:
            registry.register(node_type, pack=node_type.pack, replace=True, version=node_type.pack_version)
        packed = (board.model_dump_json(by_alias=True), pack_node_types(board, registry, "loop"), uuid.uuid4().hex)
        cached = _packs[key] = (plan, packed)
        while len(_packs) > PACKED:
            _packs.popitem(last=False)
    _packs.move_to_end(key)
    return cached[1]


_folder: str | None = None
_on_disk: OrderedDict[str, str] = OrderedDict()
"""Caller side: board key -> the file of the packed board, the `PACKED` last used."""
_on_disk_lock = threading.Lock()


def on_disk(job: BodyJob) -> BodyJob:
    """The job without its board, which waits in a file for the pool's workers: written once per board revision,
    read once by each worker (it keeps the boards it ran last)."""
    global _folder
    with _on_disk_lock:
        path = _on_disk.get(job.board_key)
        if path is None:
            if _folder is None:
                _folder = tempfile.mkdtemp(prefix="flowlike-boards-")
                atexit.register(shutil.rmtree, _folder, True)
            path = _on_disk[job.board_key] = os.path.join(_folder, job.board_key)
            Path(f"{path}.part").write_bytes(pickle.dumps((job.board_json, job.node_types)))
            os.replace(f"{path}.part", path)
            while len(_on_disk) > PACKED:
                with contextlib.suppress(OSError):
                    os.unlink(_on_disk.popitem(last=False)[1])
        _on_disk.move_to_end(job.board_key)
    return dataclasses.replace(job, board_json="", node_types=b"", board_file=path)


def chunks(count: int, slots: int) -> list[list[int]]:
    """Iteration indexes cut into at most `CHUNKS_PER_SLOT * slots` runs of consecutive ones, as even as can be."""
    parts = min(count, CHUNKS_PER_SLOT * max(1, slots))
    if not parts:
        return []
    size, extra = divmod(count, parts)
    bounds = [part * size + min(part, extra) for part in range(parts + 1)]
    return [list(range(bounds[part], bounds[part + 1])) for part in range(parts)]


def slots(workers: str) -> int:
    """How many iterations `workers` can run at once: the pool's processes, or the cluster's threads."""
    if workers == "processes":
        return os.cpu_count() or 1
    if workers == "dask":
        return max(1, sum(_dask_client().nthreads().values()))
    raise BackendError(f"unknown workers {workers!r}: choose one of {', '.join(WORKERS)}")


def run_bodies(job: BodyJob) -> ChunkResult:
    """Worker side: run a chunk's iterations one after another (the board in the job, in its file for the pool, on
    the cluster for dask), each one's result sent back as it ends, tagged with its place in the chunk (the chunk's
    start first, as place -1)."""
    from flowlike_core.backends.remote import NodeRecorder, Recorder, keeps, kept_board
    from flowlike_core.errors import RunCancelled
    from flowlike_core.plan import plan_for

    if job.reply not in ("", POOL):  # on dask
        from flowlike_core.backends.dask import board_of

        board_json, node_types = board_of(job.board_key)
    elif job.board_file and not keeps(job.board_key):
        try:
            board_json, node_types = pickle.loads(Path(job.board_file).read_bytes())
        except OSError as exc:
            raise BackendError(f"the loop's board is gone from {job.board_file}: {exc}") from exc
    else:
        board_json, node_types = job.board_json, job.node_types
    board, registry = kept_board(job.board_key, board_json, node_types, job.catalog)
    plan = plan_for(board, registry)
    reply = _replier(job.reply)
    reply([job.iterations_key, -1, pickle.dumps(None)])
    again = None
    if job.reply != POOL:
        from flowlike_core.backends.dask import run_again

        again = run_again(job.key)
    sender = None
    if job.topic == POOL:
        sender = BodySender(_events, job.key)
    elif job.topic is not None:
        from flowlike_core.backends.dask import poster

        key = again.live if again is not None and again.live else job.key
        sender = BodySender(poster(job.topic), key)
    listeners = [(NodeRecorder if job.watched else Recorder)(sender)] if sender else []
    landed = again.landed if again is not None else frozenset()
    stopped = _stopped(job)
    watch = StopWatch(stopped)
    failed = False
    before: BeforeTheLoop | None = None
    said: set[tuple[str, str]] = set()
    """The unset reads said (`ctx._read_unset`): each once in the chunk."""
    try:
        for place, body in enumerate(job.bodies):
            if place in landed:
                continue
            if again is not None and again.cancelled or stopped():
                result = BodyResult({}, [], {}, 0, error=RunCancelled("cancelled before it started"))
            elif job.cancel_rest and failed:
                result = BodyResult({}, [], {}, 0, error=RunCancelled("cancelled: an iteration failed"))
            else:
                if before is None:
                    before = _before(job)
                    said = set(before.said)
                result = _run_body(job, board, plan, before, said, body, listeners,
                                   partial(_began, watch, sender, place))
            failed = failed or result.error is not None
            reply([job.iterations_key, place, _sendable(result)])
    finally:
        watch.over.set()
        batches, tail = sender.close() if sender else (0, [])
        if job.cache is not None:
            job.cache.open().flush()  # (what the nodes ran with, for the next "why")
    return ChunkResult(batches, tail)


STOP_POLL = 0.05
"""Seconds between two looks of a chunk's `StopWatch` at whether its loop was stopped."""


class StopWatch:
    """Worker side: cancels a chunk's iteration going on once its loop is stopped (`ChunkStop`): it stops at its next
    node (or its node's next `ctx.check_cancelled()`, or await), as an iteration on a thread beside a failed one does;
    one held in node code that ignores the cancel (a plain-Python loop) is interrupted after the cancel's grace, as
    there (`flowlike_core.stopping`; it ran to its end). One held in native code still does: what would stop it is
    killing its worker, which takes the pool's other chunks (or has dask run the chunk again). A look every
    `STOP_POLL` seconds from a thread of its own, until the chunk is `over`."""

    def __init__(self, stopped: Callable[[], bool]) -> None:
        self.stopped = stopped
        self.current: Executor | None = None
        """The executor of the iteration going on (the last begun)."""
        self.over = threading.Event()
        threading.Thread(target=self._watch, name="flowlike-chunk-stop", daemon=True).start()

    def _watch(self) -> None:
        from flowlike_core.parallel import _interrupt
        from flowlike_core.stopping import watch

        while not self.over.wait(STOP_POLL):
            current = self.current
            if current is not None and not current.cancelled and self.stopped():
                current.cancel()
                watch(current, lambda current=current: current.thread_id is None,
                      lambda current=current: _interrupt(current))


def _began(watch: StopWatch, sender: BodySender | None, place: int, executor: Executor) -> None:
    """An iteration is about to begin in `executor`: the chunk's watch stops it, its sender sends its traces."""
    watch.current = executor
    if sender is not None:
        sender.follow(place, executor)


def _replier(reply: str) -> Callable[[list[Any]], None]:
    """Worker side: how a chunk sends its iterations' results; each call returns once the result has left this
    process (the pool's pipe; on dask, written to the scheduler), so a worker that dies next does not take it."""
    if reply == POOL:
        return _events
    from flowlike_core.backends.dask import poster

    return poster(reply)


def _sendable(result: BodyResult) -> bytes:
    """An iteration's result as it travels: pickled (cloudpickle when it must: a value made in a notebook, a lambda);
    one that cannot travel (a live connection) goes as its traces and a failure that says so."""
    import cloudpickle

    with contextlib.suppress(Exception):
        return pickle.dumps(result, pickle.HIGHEST_PROTOCOL)  # (several times faster than cloudpickle)
    try:
        return cloudpickle.dumps(result)
    except Exception as exc:  # noqa: BLE001 - whatever the reason, the iteration's record still travels
        from flowlike_core.errors import RunError

        failure = RunError(f"the iteration's values could not be sent back from its worker: "
                           f"{type(exc).__name__}: {exc}")
        return cloudpickle.dumps(BodyResult({}, result.records, result.folded, result.steps, error=failure,
                                            error_node=result.error_node, reasons=result.reasons))


def _run_body(job: BodyJob, board: Any, plan: Any, before: BeforeTheLoop, said: set[tuple[str, str]], body: Body,
              listeners: list[Any], follow: Callable[[Executor], None]) -> BodyResult:
    """Run one iteration; `follow` is told its executor before it starts (its traces are sent as they go); the
    unset reads it warns of join `said` (the chunk's)."""
    from flowlike_core.errors import RunCancelled
    from flowlike_core.executor import Executor, _Abort
    from flowlike_core.parallel import Scope, _flow_here, _leave
    from flowlike_core.run import Run

    targets, values = body
    run = Run(job.run_id, board, targets[0][0], dict(before.variables))
    run.values = Scope(before.values)
    executor = Executor(plan, run, listeners=listeners, cache=job.cache.open() if job.cache is not None else None)
    executor.values.update(values)
    executor.counts[:] = before.counts  # (its fast path holds the list)
    executor.unset_reads = said
    known = set(said)
    follow(executor)
    error, error_node = None, None
    executor.thread_id = threading.get_ident()  # (interruptible from now on: `StopWatch`)
    try:
        try:
            asyncio.run(_flow_here(executor, targets_by_plan(plan.nodes, targets)))
        finally:
            _leave(executor)
    except _Abort as abort:
        error, error_node = abort.error, abort.node_id
    except asyncio.CancelledError:  # (stopped by `StopWatch` at an await)
        error = RunCancelled("the loop's iterations were cancelled")
    own = {key: value for key, value in dict.items(executor.values) if key not in values}
    reasons = run.reasons or {}
    if job.uncached:
        ran = dict.fromkeys([*(trace_of(record).node_id for record in run.records),
                             *run.folded])
        uncached = (Change(NO_CACHE, detail=job.uncached),)
        reasons = {node_id: Reason(node_id, board.nodes[node_id].label(), False, uncached) for node_id in ran}
    return BodyResult(own, run.records, dict(run.folded), run.steps, run.result, error, error_node, reasons,
                      run.events.kept, run.events.dropped, said - known)


_pool: tuple[ProcessPoolExecutor, PoolChannel, str] | None = None
"""The pool, its channel and the folder its processes write how they died to (`watch_crashes`)."""
_pool_lock = threading.Lock()
_death: tuple[ProcessPoolExecutor | None, str] = (None, "")
"""The last pool that broke, and how its process died, in words."""
_events: PoolPoster | None = None
"""Worker side, in a pool process: how its chunks send messages here (set when the process starts)."""


@dataclass
class PoolPoster:
    """How a pool process sends a message (a chunk's live events, an iteration's result) on its pool's pipe: the
    call returns once the message is in the pipe, so it arrives even if the process dies next."""

    writer: Any
    lock: Any

    def __call__(self, message: list[Any]) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        with self.lock:
            self.writer.send_bytes(data)


CLOSED = b"flowlike: the pool has gone"
"""The last message on the pipe of a pool that has gone (`PoolChannel.close`)."""


class PoolChannel(Channel):
    """The messages of the chunks on one process pool: one pipe all its processes write to, read here by a thread.
    Each pool has its own: a process killed while writing leaves the pipe (and its lock) unusable."""

    def __init__(self, context: Any) -> None:
        super().__init__()
        reader, writer = context.Pipe(duplex=False)
        self.poster = PoolPoster(writer, context.Lock())
        self.closed = False
        """The pool has gone: no marker is sent any more, and this process's end of the pipe is closed."""
        threading.Thread(target=self._read, args=(reader,), name="flowlike-pool-events", daemon=True).start()

    def _read(self, reader: Any) -> None:
        """Hand each message on, until `close`'s last message (or, when it could not send one, until the pipe's
        every writer has closed it: this process's, and those of the pool's processes as they end)."""
        with reader:
            while True:
                try:
                    message = reader.recv_bytes()
                except (EOFError, OSError):
                    return
                if message == CLOSED:
                    return
                try:
                    self.deliver(pickle.loads(message))
                except Exception as exc:  # noqa: BLE001 - one message lost (its chunk says so), not all that follow
                    warnings.warn(f"a message from the loop's process pool could not be read: "
                                  f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=1)

    def mark(self, key: str) -> bool:
        """Send a marker under `key` behind what the pool's processes have sent so far (it arrives after all of
        it); False if the pipe stays locked (a process died writing: nothing more comes through it) or the pool has
        gone."""
        if not self.poster.lock.acquire(timeout=LATE_GRACE):
            return False
        try:
            if self.closed:
                return False
            self.poster.writer.send_bytes(pickle.dumps([key, MARK, pickle.dumps(None)]))
        finally:
            self.poster.lock.release()
        return True

    def close(self) -> None:
        """The pool has gone: its reader ends, and the pipe closes (from a thread: it may wait for the pipe's lock,
        which a killed process may hold for good; then the reader ends once the pool's processes have)."""

        def close_pipe() -> None:
            locked = self.poster.lock.acquire(timeout=LATE_GRACE)
            try:
                if not self.closed:
                    self.closed = True
                    if locked:
                        self.poster.writer.send_bytes(CLOSED)
                    self.poster.writer.close()
            finally:
                if locked:
                    self.poster.lock.release()

        threading.Thread(target=close_pipe, name="flowlike-pool-close", daemon=True).start()


def _attach(events: PoolPoster, crash_folder: str, stops: Any) -> None:
    from flowlike_core.backends.process import watch_crashes

    global _events, _stops
    _events, _stops = events, stops
    watch_crashes(os.path.join(crash_folder, str(os.getpid())))


def process_pool() -> tuple[ProcessPoolExecutor, PoolChannel, str]:
    """One warm pool of spawned processes (a CPU each) for the loop bodies of this process, its channel, and the
    folder its processes write how they died to."""
    global _pool, _stops
    with _pool_lock:
        if _pool is None:
            import multiprocessing

            if multiprocessing.current_process().daemon:
                raise BackendError("a parallel loop cannot start worker processes from inside a process-backend "
                                   "worker; use workers='threads' or 'dask' there")
            stop_if_importing_main("a parallel loop's process pool", GUARD)
            context = NamedSpawn()
            lines = PoolChannel(context)
            folder = tempfile.mkdtemp(prefix="flowlike-pool-crashes-")
            atexit.register(shutil.rmtree, folder, True)
            if _stops is None:
                _stops = context.RawArray("q", STOP_SLOTS)
            _pool = ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=context, initializer=_attach,
                                        initargs=(lines.poster, folder, _stops)), lines, folder
        return _pool


class NamedSpawn:
    """The spawn context, whose processes are named `WORKER`: one still importing the program's main module knows
    it is a loop's worker (`flowlike_core.backends.stop_if_worker_importing_main`)."""

    def __init__(self) -> None:
        import multiprocessing

        self.context = multiprocessing.get_context("spawn")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.context, name)

    def Process(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - the context's name for it
        return self.context.Process(*args, **{**kwargs, "name": WORKER})


def _pool_died(pool: ProcessPoolExecutor, lines: PoolChannel, folder: str, executor: Executor) -> str:
    """A process of the pool died running a chunk: the pool goes (the next loop starts another), and its pipe with
    it; how it died and which node it was running, in words."""
    from flowlike_core.backends.process import Crash, read_crash

    global _pool, _death
    with _pool_lock:
        if _death[0] is pool:
            return _death[1]
        if _pool is not None and _pool[0] is pool:
            _pool = None
        pool.shutdown(wait=False, cancel_futures=True)
        lines.close()
        files = list(Path(folder).iterdir())  # (one a process that started: `_attach`)
        crash = next((found for found in map(read_crash, map(str, files))
                      if found.exit_code is not None or found.fatal), Crash())
        shutil.rmtree(folder, ignore_errors=True)
        board = executor.run.board
        types = {node.name: type(executor.plan.nodes[node.id].impl) for node in board.nodes.values()
                 if node.id in executor.plan.nodes}
        labels = [board.nodes[node_id].label() for node_id in crash.nodes(board, types) if node_id in board.nodes]
        death = f"exited with code {crash.exit_code}" if crash.exit_code is not None else \
            f"died from a fatal error ({crash.fatal})" if crash.fatal else "died (killed, or it exited)"
        if not files and main_script():
            death = f"exited before it started: each first imports {main_script()!r} again, and that failed (its " \
                    f"error is on stderr); {GUARD}"
        at = f" while node {labels[0]} was running" if len(labels) == 1 else \
            f" while one of the nodes {', '.join(labels)} was running" if labels else ""
        _death = (pool, f"a worker process of the loop's process pool {death}{at}{crash.where()}; the pool is "
                        f"replaced for the next loop")
        return _death[1]


MARK = -2
"""The place of the marker a caller sends behind a chunk's messages (`PoolChannel.mark`); -1 is the chunk's start."""
Arrived = Callable[[int, BodyResult | None], None]
"""Told, on the run's event loop, each iteration's result as it arrives (its place in the chunk, the result), and
the chunk's start (-1, None)."""


async def submit(workers: str, job: BodyJob, values: LoopValues, executor: Executor, arrived: Arrived,
                 runs: list[Run], cancelled: Callable[[], bool] = lambda: False) -> None:
    """Run a chunk of iterations on `workers` ("processes" or "dask") and wait for it without blocking the run's
    loop (what its body reads of the run as the loop started, `values`, put where its workers fetch it and held
    until the chunk has ended there); each iteration's result goes to `arrived` as it ends there; meanwhile its
    traces show in its fork's run (`runs`, by place in the chunk), and the run's listeners (those of `executor`) hear
    its node events as they go.
    Raises when the chunk did not end (its worker died), once the results its iterations sent before have arrived
    (one whose result never does fails, saying so). `cancelled` tells whether the chunk's iterations are cancelled:
    dask's run of it again after its worker died then runs none."""
    loop = asyncio.get_running_loop()
    hooks = {"node_started": executor.on_node_started, "node_finished": executor.on_node_finished,
             "log": executor.on_log, "event": executor.on_event, "progress": executor.on_progress}
    live = LiveIterations(runs, Relay(executor.run, hooks) if any(hooks.values()) else None)
    job.key = f"flowlike-body-{job.run_id}-{uuid.uuid4().hex}"
    job.watched = bool(hooks["node_started"] or hooks["node_finished"])
    if workers == "processes":
        pool, lines, folder = process_pool()
        job.reply = POOL
        release = await _ship(values, job)

        def send(chunk: BodyJob) -> Awaitable[ChunkResult]:
            """The chunk on the pool, which holds `values` until it has ended, whenever its caller stops waiting."""
            try:
                future = pool.submit(run_bodies, on_disk(chunk))
            except BaseException:
                release()
                raise
            future.add_done_callback(lambda _: release())
            return asyncio.wrap_future(future)

        with Inbox(lines, job, arrived, live) as inbox:
            try:
                await _live(job, LiveBatches(lines, live), POOL, send)
            except Exception as exc:
                await inbox.marked(lines)  # (what its iterations sent before it failed)
                if isinstance(exc, BrokenProcessPool):
                    raise BackendError(_pool_died(pool, lines, folder, executor)) from exc
                raise
            await inbox.marked(lines)
            inbox.fail_missing()
        return
    if workers == "dask":
        from flowlike_core.backends.dask import Again, channel, forget_chunk, hold_board, publish_again

        client = _dask_client()
        lines = channel(client)
        job.reply = lines.name
        shipped = await _ship(values, job, client)
        releases = (hold_board(client, job.board_key, job.board_json, job.node_types), shipped)

        def release() -> None:
            for each in releases:
                each()

        batches, runs_again = LiveBatches(lines, live), itertools.count(1)
        sent: list[Any] = []

        def send(chunk: BodyJob) -> Awaitable[ChunkResult]:
            """The chunk's task, which holds its board and `values` on the scheduler until it has ended (dask may run
            it again after its worker died until then), whenever its caller stops waiting for it."""
            future = client.submit(run_bodies, dataclasses.replace(chunk, board_json="", node_types=b""), pure=False,
                                   **_next_worker(client))
            sent.append(future)
            return asyncio.wrap_future(_outcome(future, release))

        def again(landed: list[int]) -> None:
            """The chunk runs again: its live events go under a key of their own, followed before it is told."""
            key = f"{job.key}/again-{next(runs_again)}"
            live.again()
            batches.follow(key)
            told = Again(frozenset(landed), cancelled(), key)
            loop.run_in_executor(None, publish_again, client, job.key, told)

        with Inbox(lines, job, arrived, live, again) as inbox:
            try:
                await _live(job, batches, lines.name, send)
            except Exception:
                await inbox.settled(lambda: False, QUIET)  # (what a dropped task sent before it died)
                raise
            finally:
                loop.run_in_executor(None, forget_chunk, client, job.key)
                if not sent:
                    release()
            await inbox.settled(inbox.complete, LATE_GRACE)
            inbox.fail_missing()
        return
    raise BackendError(f"unknown workers {workers!r}: choose one of {', '.join(WORKERS)}")


_out: set[Any] = set()
"""Caller side: the dask futures of loop chunks still going, kept until they end (a future let go drops its task)."""


def _outcome(future: Any, release: Callable[[], None]) -> concurrent.futures.Future[ChunkResult]:
    """The outcome of a loop chunk's dask `future`, waited for on no thread: a cancelled run whose loop stops waiting
    ends at once (a thread waiting for the chunk to end held it until then, the run's loop closing its executor). The
    chunk's task goes on to its end, then `release`s its board (`flowlike_core.backends.dask.hold_board`)."""
    outcome: concurrent.futures.Future[ChunkResult] = concurrent.futures.Future()
    _out.add(future)

    def ended(done: Any) -> None:  # (on a thread of the client's callbacks: not on its event loop)
        _out.discard(done)
        try:
            outcome.set_result(done.result())
        except BaseException as exc:  # noqa: BLE001 - the chunk's failure (its worker died, it was dropped) is its outcome
            outcome.set_exception(exc)
        finally:
            release()

    future.add_done_callback(ended)
    return outcome


class Inbox:
    """Caller side: the results of a chunk's iterations, handed to `arrived` as they come (each place once: dask runs
    the task of a worker that died again on another), its start, and the marker sent behind them."""

    def __init__(self, lines: Channel, job: BodyJob, arrived: Arrived, live: LiveIterations,
                 again: Callable[[list[int]], None] = lambda landed: None) -> None:
        self.lines, self.key, self.count, self.arrived = lines, job.iterations_key, len(job.bodies), arrived
        self.live, self.again = live, again
        self.starts = 0
        self.loop = asyncio.get_running_loop()
        self.places: set[int] = set()
        self.mark_seen = False
        self.news = asyncio.Event()

    def __enter__(self) -> Inbox:
        self.lines.sinks[self.key] = self._post
        return self

    def _post(self, place: int, result: BodyResult | None) -> None:
        with contextlib.suppress(RuntimeError):  # (the run's loop has closed: the chunk was given up on)
            self.loop.call_soon_threadsafe(self._take, place, result)

    def __exit__(self, *exc: object) -> None:
        self.lines.sinks.pop(self.key, None)
        self.live.close()

    def _take(self, place: int, result: BodyResult | None) -> None:
        if self.key not in self.lines.sinks:  # (the chunk has been settled)
            return
        self.news.set()
        if place == MARK:
            self.mark_seen = True
            return
        if place == -1:
            self.starts += 1
            if self.starts > 1:  # (run again: its worker died; it waits to hear which iterations need not run)
                self.again(sorted(self.places))
        if place not in self.places:
            if result is not None:
                self.places.add(place)
                self.live.landed(place)
            self.arrived(place, result)

    def complete(self) -> bool:
        return len(self.places) == self.count

    async def marked(self, lines: PoolChannel) -> None:
        """Wait for what the pool's processes sent before now: a marker sent behind it arrives after it."""
        if await asyncio.to_thread(lines.mark, self.key):  # (it may wait for the pipe: not on the run's loop)
            await self.settled(lambda: self.mark_seen, LATE_GRACE)

    async def settled(self, done: Callable[[], bool], quiet: float) -> None:
        """Wait until `done()`, or no message came for `quiet` seconds, at most `LATE_GRACE` in all."""
        deadline = self.loop.time() + LATE_GRACE
        while not done() and (left := deadline - self.loop.time()) > 0:
            self.news.clear()
            try:
                await asyncio.wait_for(self.news.wait(), min(quiet, left))
            except TimeoutError:
                return

    def fail_missing(self) -> None:
        """The chunk has ended on its worker, so each of its iterations did: one whose result has not come here (lost
        on the way) fails, saying so."""
        from flowlike_core.errors import RunError

        for place in range(self.count):
            if place not in self.places:
                self.places.add(place)
                self.live.landed(place)
                self.arrived(place, BodyResult({}, [], {}, 0, error=RunError(
                    f"an iteration's result did not arrive within {LATE_GRACE:g} s after its chunk had ended on "
                    f"its worker (it ended there): what its nodes did is not in this run's record")))


class LiveIterations:
    """Caller side: what a chunk's iterations send while they run (`BodySender`): the traces of each show in its
    fork's run (through a `Mirror` of it) until its result lands there; their node events reach the run's
    listeners (`relay`)."""

    def __init__(self, runs: list[Run], relay: Relay | None) -> None:
        self.runs, self.relay = runs, relay
        self.mirrors: dict[int, Mirror] = {}
        self.over: set[int] = set()
        """Places whose result has landed (or never will): what comes of them late is dropped."""
        self.place = -1
        """The iteration the events being applied belong to (the last `iteration` marker)."""

    def apply(self, event: Event) -> None:
        kind = event[0]
        if kind == "traces":
            mirror = self._mirror(event[2])
            if mirror is not None:
                mirror.records(event[1])
        elif kind == "iteration":
            self.place = event[1]
        else:
            if kind == "log" and (mirror := self._mirror(self.place)) is not None:
                mirror.log_line(event[1])
            if self.relay is not None:
                self.relay.apply(event)

    def _mirror(self, place: int) -> Mirror | None:
        if place in self.over or not 0 <= place < len(self.runs):
            return None
        mirror = self.mirrors.get(place)
        if mirror is None:
            mirror = self.mirrors[place] = Mirror(self.runs[place], ())
        return mirror

    def landed(self, place: int) -> None:
        """The iteration's result is about to land in its fork: its live traces give way to it."""
        self.over.add(place)
        mirror = self.mirrors.pop(place, None)
        if mirror is not None:
            mirror.forget_executions()

    def again(self) -> None:
        """The chunk runs again (its worker died): what its first run showed of the iterations that had not landed
        gives way to what the run again sends."""
        for place in list(self.mirrors):
            self._forget(place)

    def close(self) -> None:
        """The chunk is over: an iteration whose result never landed leaves no live trace (its fork's record stays
        as its failure leaves it)."""
        for place in list(self.mirrors):
            self.over.add(place)
            self._forget(place)

    def _forget(self, place: int) -> None:
        mirror = self.mirrors.pop(place)
        mirror.forget_executions()
        with mirror.run.forking:
            mirror.run.records = Records()


class LiveBatches:
    """Caller side: a chunk's live event batches, applied to its `LiveIterations` in the order they were sent, as
    they come. A chunk that dask runs again numbers its batches from 0 again: it sends them under a key of its own,
    which `follow` takes from then on."""

    def __init__(self, lines: Channel, live: LiveIterations) -> None:
        self.lines, self.live = lines, live
        self.loop = asyncio.get_running_loop()
        self.arrived = asyncio.Event()
        self.key = ""
        self.order = InOrder(live.apply)
        self.closed = False

    def follow(self, key: str) -> None:
        """Apply the batches sent under `key` from now on (on the run's loop); late ones of an earlier run of the
        chunk are dropped."""
        self.lines.sinks.pop(self.key, None)
        self.key, self.order = key, InOrder(self.live.apply)
        order = self.order

        def deliver(number: int, events: list[Event]) -> None:
            if order is self.order and not self.closed:  # (not after the chunk has been settled)
                order.add(number, events)
                self.arrived.set()

        self.lines.sinks[key] = lambda number, events: self.loop.call_soon_threadsafe(deliver, number, events)

    async def ended(self, chunk: ChunkResult) -> None:
        """The chunk has returned: apply its tail, after the batches still on their way (for `LATE_GRACE` at most)."""
        order = self.order
        order.add(chunk.batches, chunk.tail)
        deadline = self.loop.time() + LATE_GRACE
        while order.next <= chunk.batches and deadline > self.loop.time():
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), deadline - self.loop.time())
        order.skip_gaps()

    def close(self) -> None:
        self.closed = True
        self.lines.sinks.pop(self.key, None)


async def _live(job: BodyJob, batches: LiveBatches, topic: str,
                result_of: Callable[[BodyJob], Awaitable[ChunkResult]]) -> None:
    """Run a chunk; what its iterations send while they run goes to `batches` as it comes, its tail with the
    result."""
    job.topic = topic
    batches.follow(job.key)
    try:
        await batches.ended(await result_of(job))
    finally:
        batches.close()


_turns = itertools.count()


def _next_worker(client: Any) -> dict[str, Any]:
    """The worker a chunk should go to, in turn (`submit`'s options): a loop's chunks spread over the workers from the
    start, whatever dask guesses of tasks it has no timings of yet. Any other worker may still take it
    (`allow_other_workers`); with no worker yet (a cluster that scales up), the scheduler places it. The workers
    come from the scheduler (`nthreads`): the client's cached `scheduler_info` is refreshed every few seconds without
    them."""
    workers = sorted(client.nthreads())
    return {"workers": [workers[next(_turns) % len(workers)]], "allow_other_workers": True} if workers else {}


def _dask_client() -> Any:
    """The client of the dask worker this run is on, else this process's default client, else the dask
    backend's own (a LocalCluster unless configured)."""
    try:
        from distributed import get_client
    except ImportError as exc:
        raise BackendError("workers='dask' needs dask.distributed: pip install 'flowlike-nb[scale]'") from exc
    try:
        return get_client()
    except ValueError:
        from flowlike_core.backends import backend_for

        return backend_for("dask").client  # type: ignore[attr-defined]
