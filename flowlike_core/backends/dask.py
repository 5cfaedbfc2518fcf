"""The `dask` backend: whole runs go to a dask.distributed cluster as tasks.

    DaskBackend()                               # a LocalCluster of this machine's cores, started on first use
    DaskBackend("tcp://scheduler:8786")         # an existing cluster
    DaskBackend(client=my_client)

The worker runs the board with the engine installed there, as a thread run goes (`flowlike_core.backends.remote`). A
board goes to the cluster once (`hold_board`: to the scheduler, kept while a task of its runs may run, then among the
`ON_CLUSTER` boards run last; each worker reads it once): a run of it ships its options only. Its traces and events
(logs, progress) come back while it runs: the task sends them in numbered batches (every `FLUSH` seconds, log lines at
once) on its client's `distributed.Queue` (`ClientQueue`, `poster`: on the worker's own connection, the task waiting
until each has left its process, so the lines a node logs before it kills its worker reach the run); a thread of the
client reads them there, and its `Channel` hands them to the run's handle, which replays them in order into the local
`Run` and its listeners. A queue lets each message go once read: an event topic (`Worker.log_event`) keeps its last
`distributed.admin.low-level-log-length` messages (1,000 by default) on the scheduler for its lifetime, even once their
client has gone. What was not sent yet (the final state) comes back as the task's result. A worker that dies takes the
task with it: dask reports it, and the run fails with that cause. Cancel reaches the worker: the run stops at its next
node.

A Parallel For Each with workers "dask" sends its iterations' live events and results on the same queue. dask runs
the task of a worker that died again on another (up to `distributed.scheduler.allowed-failures` times, 3 by
default): a loop chunk run again skips the iterations whose results have landed (`run_again`), so only the
iteration that was running when its worker died runs again, from its first node: what its nodes did before the
death (a file written, a message sent) happens twice. None runs again once the loop's iterations are cancelled (one
failed under Cancel-On-Failure, or the run was cancelled). dask offers no way to run a task at most once; to have
none run again, set `allowed-failures` to 0 on the scheduler (the chunk's iterations then fail, the loop naming the
one that was running, as on the process pool).

A LocalCluster's workers are spawned processes, each of which first imports the program's main module again: a
script that runs boards on it (or a Parallel For Each with workers "dask") must do so under
`if __name__ == "__main__":`. One that does not is told so (`GUARD`) by the workers and by the run that started the
cluster, instead of multiprocessing's bootstrapping text.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import queue
import threading
import time
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from flowlike_core.backends import BackendError, main_script, stop_if_importing_main
from flowlike_core.backends.remote import Channel, Event, InOrder, Job, Mirror, Sender, execute, prepare
from flowlike_core.board import Board
from flowlike_core.cache import ResultCache
from flowlike_core.errors import RunCancelled
from flowlike_core.events import Listener
from flowlike_core.policy import Policy
from flowlike_core.registry import Registry
from flowlike_core.run import Run, RunStatus

FLUSH = 0.05
"""Seconds between two batches of events a task sends."""
LATE_GRACE = 5.0
"""Seconds the caller waits, once a task has ended, for event batches still on their way, before going on."""
QUIET = 0.5
"""Seconds without a batch after which a task the cluster dropped is taken to have sent all it could."""
LOG_WAIT = 5.0
"""Seconds a task waits for a message to leave its process (`poster`)."""
GATHER = 0.01
"""Seconds the reader of a client's queue lets more messages gather behind the one it got before it takes them
all at once: tight iterations cost the scheduler (in this process for a LocalCluster) a call per handful."""
READ_AGAIN = 1.0
"""Seconds the reader of a client's queue waits before it reads again after a failed read."""
CLOSING = "flowlike: the queue's reader stops"
"""The last message on a client's queue (`ClientQueue.close`)."""
ON_CLUSTER = 8
"""Boards kept on the cluster once no run of theirs goes on (the ones run last), so that running one again ships only
the run's options."""
GUARD = 'a script that runs boards on the dask backend\'s LocalCluster must do so under `if __name__ == "__main__":`'
"""What to do when the LocalCluster's workers, importing the main module (they are spawned), run its boards too."""


# ---- worker side -------------------------------------------------------------------------------------------

_cancelled: set[str] = set()
"""Worker side: ids of runs their caller cancelled (set by `Client.run` on the worker running them)."""


def node_label(run: Run, node_id: str) -> str:
    """How an error names a node of the run's board ("" for none)."""
    node = run.board.nodes.get(node_id) if node_id else None
    return node.label() if node is not None else node_id


async def _cancel_here(run_id: str) -> None:
    """Run by `Client.run` on the worker's event loop (a coroutine, so the caller need not wait)."""
    _cancelled.add(run_id)


def run_job(job: Job, queue: str, key: str) -> tuple[int, list[Event]]:
    """The task a dask worker runs: the job, of a board on the cluster (`board_of`); its events go on the client's
    `queue`, under `key`; returns the last batch's number and events."""
    if _began_before(key):
        raise RunAgain(f"run {job.run_id} is not run again after its worker died")
    sender = Sender(poster(queue), key, FLUSH)
    board_json, node_types = board_of(job.board_key)
    job = dataclasses.replace(job, board_json=board_json, node_types=node_types)
    try:
        execute(job, sender, cancelled=lambda: job.run_id in _cancelled)
    finally:
        _cancelled.discard(job.run_id)
        last = sender.close()
    return last


_log_comms: dict[str, Any] = {}
"""Worker side: by scheduler address, this worker's connection for its tasks' messages (`poster`)."""


async def _write_now(worker: Any, message: dict[str, Any]) -> None:
    """On the worker's event loop: send the scheduler `message` (an operation it answers nothing to); returns once
    it is written."""
    from distributed.comm import connect

    address = worker.scheduler.address
    comm = _log_comms.get(address)
    if comm is None or comm.closed():
        comm = _log_comms[address] = await connect(address)
    try:
        await comm.write(message)
    except Exception:
        _log_comms.pop(address, None)
        raise


def board_of(key: str) -> tuple[str, bytes]:
    """Worker side: the board of `key` as JSON and its node types, from the scheduler (`hold_board`); nothing when
    this worker keeps it parsed (`remote.keeps`)."""
    from distributed import Variable, get_client

    from flowlike_core.backends.remote import keeps

    if keeps(key):
        return "", b""
    try:
        board_json, node_types = Variable(_board_name(key), client=get_client()).get(timeout=LATE_GRACE)
    except TimeoutError as exc:
        raise BackendError(f"the board {key} is not on the dask scheduler (waited {LATE_GRACE:g} s for it): its runs "
                           f"had all ended, or the scheduler restarted") from exc
    return board_json, node_types


def _values_name(key: str) -> str:
    return f"flowlike-loop-values-{key}"


def put_values(client: Any, key: str, data: bytes) -> str:
    """Put what a loop's body reads of the run as the loop started (`flowlike_core.backends.bodies.LoopValues`, pickled)
    on the client's scheduler, as a board is (`hold_board`): each worker fetches it once (`values_of`); its name."""
    from distributed import Variable

    name = _values_name(key)
    Variable(name, client=client).set(data)
    return name


def values_of(key: str) -> bytes:
    """Worker side: what the loop `key`'s body reads of the run as the loop started (`put_values`)."""
    from distributed import Variable, get_client

    try:
        return Variable(_values_name(key), client=get_client()).get(timeout=LATE_GRACE)
    except TimeoutError as exc:
        raise BackendError(f"what the loop's body reads is not on the dask scheduler (waited {LATE_GRACE:g} s for "
                           f"it): its loop is over, or the scheduler restarted") from exc


def delete_values(client: Any, name: str) -> None:
    """The loop is over and none of its chunks can run any more: what its body read leaves the scheduler."""
    from distributed import Variable

    with contextlib.suppress(Exception):  # (the client may be closing: the scheduler goes with it)
        Variable(name, client=client).delete()


def poster(name: str) -> Callable[[list[Any]], None]:
    """Worker side: how a task puts a message (a batch of live events, a loop iteration's result) on its client's
    queue (`ClientQueue`): on this worker's own connection, waiting only until it has left this process (not for
    the scheduler's answer, which would hold every iteration for a round trip). A batch left in the worker's batched
    stream a few milliseconds, as `Worker.log_event` leaves it, is lost with a node that crashes its worker next,
    and the lines that explain the crash with it."""
    from distributed import get_worker
    from distributed.utils import sync

    worker = get_worker()

    def post(message: list[Any]) -> None:
        try:
            sync(worker.loop, _write_now, worker, {"op": "queue_put", "name": name, "data": message, "reply": False},
                 callback_timeout=LOG_WAIT)
        except Exception:  # noqa: BLE001 - no connection of its own to the scheduler: through the worker's client
            from distributed import Queue, get_client

            Queue(name, client=get_client()).put(message)

    return post


@dataclasses.dataclass(frozen=True)
class Again:
    """What the caller tells a loop chunk that dask runs again after its worker died (`run_again`)."""

    landed: frozenset[int] = frozenset()
    """The places of its iterations whose results have landed: they do not run again."""
    cancelled: bool = False
    """Its iterations are cancelled (one of the loop's failed under Cancel-On-Failure, or the run was cancelled): it
    runs none, each not landed ends cancelled."""
    live: str = ""
    """The key its live events go under: its batches are numbered from 0 again, and under the first run's key they
    would be taken for ones sent twice. Empty: the chunk's own key."""


class RunAgain(Exception):  # noqa: N818 - what dask asked for, refused
    """Raised by a whole run's task that dask runs again after its worker died: a run is not started over (what its
    nodes did, they would do twice); its caller fails it, saying its worker died (`DaskRunHandle`)."""


def _began_before(key: str) -> bool:
    """Worker side, as the task `key` starts: whether it began before (dask runs the task of a worker that died again
    on another: `distributed.scheduler.allowed-failures`); marks it begun (a `distributed.Event`, `forget_chunk`)."""
    from distributed import Event, get_client

    began = Event(f"{key}/began", client=get_client())
    if began.is_set():
        return True
    began.set()
    return False


def run_again(key: str) -> Again | None:
    """Worker side, as a loop chunk `key` starts: None for its first run; for a run again (dask runs the task of a
    worker that died again on another: `distributed.scheduler.allowed-failures`) what its caller tells it. The first
    run marks the chunk begun right after it has sent its start (`_began_before`); a run that finds it marked is a
    second one, and waits (at most `LATE_GRACE` seconds; else it runs all its iterations, as dask would) for the
    caller to answer its start (a `distributed.Variable`: `publish_again`)."""
    from distributed import Variable, get_client

    if not _began_before(key):
        return None
    try:
        told = Variable(f"{key}/again", client=get_client()).get(timeout=LATE_GRACE)
        return Again(frozenset(told["landed"]), told["cancelled"], told["live"])
    except Exception as exc:  # noqa: BLE001 - no answer: every iteration runs again, as dask would
        warnings.warn(f"the loop chunk {key}, run again after its worker died, was not told which of its iterations "
                      f"had ended ({type(exc).__name__}: {exc}): it runs them all again", RuntimeWarning,
                      stacklevel=1)
        return Again()


STOPS_KEPT = 1000
"""Loops a worker remembers were stopped (`_stopped_here`): those of the chunks it may still run."""
_stopped_here: OrderedDict[str, None] = OrderedDict()
"""Worker side: the stop keys of loops whose chunks start no iteration more (`stop_chunks`), the `STOPS_KEPT` last."""


async def _stop_here(key: str) -> None:
    """Run by `Client.run` on every worker's event loop: the chunks of the loop `key` start no iteration more."""
    _stopped_here[key] = None
    while len(_stopped_here) > STOPS_KEPT:
        _stopped_here.popitem(last=False)


def chunk_stopped(key: str) -> Callable[[], bool]:
    """Worker side, as a loop chunk starts: whether its loop was stopped (`stop_chunks`), asked before each iteration:
    a look at what this worker was told. A worker that joined after the stop was never told: it asks the scheduler's
    mark too, without waiting for the answer (a round trip per chunk cost a small loop a fifth of its time), which
    stops the chunk from the iteration after the answer."""
    from distributed import get_worker

    worker = get_worker()
    worker.loop.add_callback(_ask_scheduler, worker, key)
    return lambda: key in _stopped_here


async def _ask_scheduler(worker: Any, key: str) -> None:
    """On the worker's event loop: note the loop `key` stopped if the scheduler marks it so."""
    with contextlib.suppress(Exception):  # (no answer: what the worker is told is enough but for a worker joining)
        if await worker.scheduler.event_is_set(name=key):
            await _stop_here(key)


# ---- client side -------------------------------------------------------------------------------------------


def stop_chunks(client: Any, key: str) -> None:
    """Stop a loop's chunks (`flowlike_core.backends.bodies.ChunkStop`, from a thread of its own): marked on the
    scheduler (a `distributed.Event`), then told to every worker, which its running chunks ask between iterations
    (`chunk_stopped`); returns once the workers have been told."""
    from distributed import Event

    try:
        Event(key, client=client).set()
        client.run(_stop_here, key, on_error="ignore")  # (a worker that cannot be told asks the scheduler's mark)
    except Exception as exc:  # noqa: BLE001 - the chunks run their iterations to their end, as they did
        warnings.warn(f"the dask workers could not be told that the loop's iterations were cancelled "
                      f"({type(exc).__name__}: {exc}): those they had not started run", RuntimeWarning, stacklevel=1)


def forget_stop(client: Any, key: str) -> None:
    """The stopped loop is over: its mark leaves the scheduler."""
    from distributed import Event

    with contextlib.suppress(Exception):  # (the client may be closing: the scheduler goes with it)
        Event(key, client=client).clear()


def publish_again(client: Any, key: str, again: Again) -> None:
    """Answer a loop chunk run again (`run_again`): the places of its iterations whose results have landed, whether
    its iterations are cancelled, and the key its live events go under."""
    from distributed import Variable

    told = {"landed": sorted(again.landed), "cancelled": again.cancelled, "live": again.live}
    try:
        Variable(f"{key}/again", client=client).set(told)
    except Exception as exc:  # noqa: BLE001 - the chunk runs them all again after a while, as dask would
        warnings.warn(f"the loop chunk {key}, run again after its worker died, could not be told which of its "
                      f"iterations had ended ({type(exc).__name__}: {exc})", RuntimeWarning, stacklevel=1)


def forget_chunk(client: Any, key: str) -> None:
    """A loop chunk or a run has ended: what marked it on the scheduler goes (`_began_before`, `run_again`)."""
    from distributed import Event, Variable

    with contextlib.suppress(Exception):  # (the client may be closing: the scheduler goes with it)
        Event(f"{key}/began", client=client).clear()
        Variable(f"{key}/again", client=client).delete()


class ClientQueue(Channel):
    """The messages of one client's tasks (their live event batches, the results of loop iterations): a
    `distributed.Queue` on the scheduler, which lets each go once read, read here by a thread."""

    def __init__(self, client: Any) -> None:
        from distributed import Queue

        super().__init__()
        self.name = f"flowlike-messages-{client.id}"
        self.client = client
        self.queue = Queue(self.name, client=client)
        self.closed = False
        self.reader = threading.Thread(target=self._read, name=f"flowlike-dask-queue-{client.id}", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        """Hand each message on as it comes, until the channel is closed or its client is. It waits on the scheduler
        with no timeout: one that runs out is logged there as an error."""
        while not self.closed:
            try:
                first = self.queue.get()
                if first == CLOSING:
                    return
                time.sleep(GATHER)
                messages = [first, *self.queue.get(batch=True)]
            except Exception as exc:  # noqa: BLE001 - the client went away, or a call failed: said, then retried
                if self.closed or self.client.status not in ("running", "connecting", "newly-created"):
                    return
                warnings.warn(f"reading the dask client's queue {self.name} failed ({type(exc).__name__}: {exc}); "
                              f"reading again", RuntimeWarning, stacklevel=1)
                time.sleep(READ_AGAIN)  # (not at once: the scheduler may be restarting)
                continue
            for message in messages:
                if message == CLOSING:
                    return
                try:
                    self.deliver(message)
                except Exception as exc:  # noqa: BLE001 - one message lost (its job says so), not all that follow
                    warnings.warn(f"a message from the dask cluster could not be read: {type(exc).__name__}: "
                                  f"{exc}", RuntimeWarning, stacklevel=1)

    def close(self) -> None:
        """Stop reading (the reader wakes to a last message of its own), then let the queue go."""
        self.closed = True
        with contextlib.suppress(Exception):  # (the client may have closed first: the reader has ended then)
            self.queue.put(CLOSING)
            self.reader.join(LATE_GRACE)
            self.queue.close()


_channels: dict[str, ClientQueue] = {}
_channels_lock = threading.Lock()
_on_cluster: OrderedDict[tuple[str, str], Any] = OrderedDict()
"""(client id, board key) -> the client, of the boards put on a client's scheduler, the last used last."""
_holds: dict[tuple[str, str], int] = {}
"""(client id, board key) -> how many runs and loop chunks of the board may still run a task (`hold_board`)."""
_on_cluster_lock = threading.Lock()


def _board_name(key: str) -> str:
    return f"flowlike-board-{key}"


def hold_board(client: Any, key: str, board_json: str, node_types: bytes) -> Callable[[], None]:
    """Put a board on the client's scheduler once per board key (a board revision): a `distributed.Variable` its
    runs and loop chunks read, each worker once (it keeps the boards it ran last parsed: `board_of`). Not data
    scattered on the workers: dask's active memory manager leaves such data on one worker, and once that worker had
    died no task of the board could run again (a loop chunk dask runs again after its worker died among them).
    The board stays there until the returned release is called (once no task of the caller's can run any more),
    then while among the `ON_CLUSTER` boards held by nobody that were used last: a board pushed out while a chunk of
    it could still run again (after its worker died) left that chunk without its board."""
    held = (client.id, key)
    with _on_cluster_lock:
        if held not in _on_cluster:
            from distributed import Variable

            Variable(_board_name(key), client=client).set([board_json, node_types])
            _on_cluster[held] = client
        _on_cluster.move_to_end(held)
        _holds[held] = _holds.get(held, 0) + 1
    released = threading.Event()

    def release() -> None:
        with _on_cluster_lock:
            if released.is_set():
                return
            released.set()
            left = _holds.pop(held, 0) - 1  # (none once its client has closed: `forget_boards`)
            if left > 0:
                _holds[held] = left
            _push_out()

    return release


def _push_out() -> None:
    """Boards held by nobody beyond the `ON_CLUSTER` used last leave their scheduler (under `_on_cluster_lock`)."""
    idle = [found for found in _on_cluster if found not in _holds]
    for found in idle[:max(0, len(idle) - ON_CLUSTER)]:
        _delete_board(_on_cluster.pop(found), found[1])


def forget_boards(client: Any) -> None:
    """The client closes: its boards leave its scheduler."""
    with _on_cluster_lock:
        for client_id, key in [found for found in _on_cluster if found[0] == client.id]:
            del _on_cluster[client_id, key]
            _holds.pop((client_id, key), None)
            _delete_board(client, key)


def _delete_board(client: Any, key: str) -> None:
    from distributed import Variable

    with contextlib.suppress(Exception):  # (the client may be closing: the scheduler goes with it)
        Variable(_board_name(key), client=client).delete()


def channel(client: Any) -> ClientQueue:
    """The channel of a client (one queue per client, for all its runs and loop chunks), made the first time it is
    asked for (under the lock: never two)."""
    with _channels_lock:
        if client.id not in _channels:
            _channels[client.id] = ClientQueue(client)
        return _channels[client.id]


class DaskBackend:
    """Runs boards on a dask.distributed cluster: `address` of its scheduler, or a `client`; neither starts a
    LocalCluster (`n_workers` processes of one thread each, on 127.0.0.1) the first time a run needs it."""

    name = "dask"

    def __init__(self, address: str | None = None, *, client: Any = None, n_workers: int | None = None) -> None:
        self.address = address
        self.n_workers = n_workers
        self._client = client
        self._cluster: Any = None
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                try:
                    from distributed import Client
                except ImportError as exc:
                    raise BackendError("the dask backend needs dask.distributed: pip install "
                                       "'flowlike-nb[scale]'") from exc
                if self.address is None:
                    self._cluster = local_cluster(self.n_workers)
                    self._client = Client(self._cluster)
                    # closed before the interpreter tears the cluster down (dask logs errors about what it loses)
                    atexit.register(_close_at_exit, weakref.ref(self))
                    # every worker in before the first run: the chunks of a loop go to each in turn (`nthreads`)
                    self._client.wait_for_workers(len(self._cluster.worker_spec))
                else:
                    self._client = Client(self.address)
            return self._client

    def start(self, board: Board, *, registry: Registry, start: str | None = None, payload: Any = None,
              variables: dict[str, Any] | None = None, max_steps: int, listeners: Iterable[Listener] = (),
              run_id: str | None = None, policy: Policy | None = None,
              cache: ResultCache | None = None) -> DaskRunHandle:
        run, job = prepare(board, registry=registry, start=start, payload=payload, variables=variables,
                           max_steps=max_steps, run_id=run_id, backend=self.name, policy=policy, cache=cache)
        mirror = Mirror(run, listeners)
        job.watched = mirror.watched
        client = self.client
        release = hold_board(client, job.board_key, job.board_json, job.node_types)
        try:
            return DaskRunHandle(client, run, job, mirror, release)
        except BaseException:
            release()
            raise

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                with _channels_lock:
                    messages = _channels.pop(self._client.id, None)
                if messages is not None:
                    messages.close()
                forget_boards(self._client)
                self._client.close()
            if self._cluster is not None:
                self._cluster.close()
            self._client = self._cluster = None


def local_cluster(n_workers: int | None) -> Any:
    """A LocalCluster of `n_workers` spawned processes, one thread each. Each worker first imports the program's
    main module again: one that starts a dask run there (a script without the `__main__` guard) ends at once,
    saying `GUARD` on stderr, not with multiprocessing's text, and the cluster that could not start says the
    same."""
    from distributed import LocalCluster

    stop_if_importing_main("a dask LocalCluster", GUARD)
    try:
        return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None)
    except Exception as exc:
        script = main_script()
        why = f": each first imports {script!r} again, and that failed if it runs a board (its error is on " \
              f"stderr); {GUARD}" if script else ""
        raise BackendError(f"the dask LocalCluster's worker processes did not start ({type(exc).__name__}: "
                           f"{exc}){why}") from exc


def _close_at_exit(backend: weakref.ref[DaskBackend]) -> None:
    found = backend()
    if found is not None:
        found.close()


class DaskRunHandle:
    """A run as a dask task: `wait`, `cancel`, `done`, like a local `RunHandle`. A thread of its own replays the
    task's batches in order as they arrive, then its result."""

    def __init__(self, client: Any, run: Run, job: Job, mirror: Mirror, release: Callable[[], None]) -> None:
        """`release` lets the run's board leave the scheduler (`hold_board`): once its task has ended."""
        self.client = client
        self.run = run
        self.mirror = mirror
        self.inbox: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self.channel = channel(client)
        key = f"flowlike-run-{run.id}"
        self.channel.sinks[key] = lambda number, events: self.inbox.put(("batch", number, events))
        self.future = client.submit(run_job, dataclasses.replace(job, board_json="", node_types=b""),
                                    self.channel.name, key, pure=False, key=key)
        self._cancelled = False
        """This process cancelled the run (the cluster drops the task of a worker that died, too)."""
        self.future.add_done_callback(lambda future: self.inbox.put(("landed", future)))
        self.release = release
        self._thread = threading.Thread(target=self._follow, args=(key,), name=f"flowlike-dask-{run.id}",
                                        daemon=True)
        self._thread.start()

    def _follow(self, key: str) -> None:
        order = InOrder(self.mirror.apply)
        try:
            while True:
                item = self.inbox.get()
                if item[0] == "batch":
                    order.add(item[1], item[2])
                else:
                    break
            self._landed(item[1], order)
        finally:
            self.channel.sinks.pop(key, None)
            forget_chunk(self.client, key)
            self.release()  # (its task has ended: never run again, `RunAgain`)
            if not self.mirror.settled:
                self.mirror.fail(BackendError("the dask task ended without finishing the run"), None)

    def _landed(self, future: Any, order: InOrder) -> None:
        if future.cancelled() and self._cancelled:
            order.skip_gaps()
            self.mirror.fail(RunCancelled("the run was cancelled"), None, RunStatus.CANCELLED)
            return
        if future.cancelled():
            self._died(order)
            return
        try:
            last, tail = future.result()
        except RunAgain:
            self._died(order)
            return
        except Exception as exc:  # noqa: BLE001 - the task failed on the cluster: the run fails with its cause
            order.skip_gaps()
            self.mirror.fail(BackendError(f"the dask task running the board failed: {type(exc).__name__}: {exc}"),
                             None)
            return
        order.add(last, tail)
        deadline = time.monotonic() + LATE_GRACE
        while order.next <= last:  # batches logged before the task ended may still be on their way
            try:
                item = self.inbox.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                break
            if item[0] == "batch":
                order.add(item[1], item[2])
        order.skip_gaps()

    def _died(self, order: InOrder) -> None:
        """The worker running the task died (the cluster dropped the task, or its run again refused to start over)."""
        self._late(order)  # (the lines it logged before it died explain it)
        node = self.mirror.running_node()
        label = node_label(self.run, node)
        self.mirror.fail(BackendError(
            f"the dask worker running the board died{f' while node {label} was running' if label else ''}: the "
            f"cluster dropped the run's task (a crash in node code, or out of memory; the worker's log says "
            f"which)"), node or None)

    def _late(self, order: InOrder) -> None:
        """Apply the batches still on their way from a task the cluster dropped: until none comes for `QUIET`
        seconds (at most `LATE_GRACE`)."""
        deadline = time.monotonic() + LATE_GRACE
        while (left := deadline - time.monotonic()) > 0:
            try:
                item = self.inbox.get(timeout=min(QUIET, left))
            except queue.Empty:
                break
            if item[0] == "batch":
                order.add(item[1], item[2])
        order.skip_gaps()

    def done(self) -> bool:
        return self.mirror.ended.is_set()

    def cancel(self) -> None:
        """Stop the run: it is dropped if it has not started, else its worker stops it at its next node."""
        self._cancelled = True
        if self.future.status == "pending":
            workers = [worker for worker, keys in self.client.processing().items() if self.future.key in keys]
            if workers:
                self.client.run(_cancel_here, self.run.id, workers=workers, wait=False)
        self.future.cancel()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def wait(self, timeout: float | None = None) -> Run:
        """Wait for the run; KeyboardInterrupt while waiting cancels it."""
        return self.mirror.wait(timeout, self.cancel, 5)
