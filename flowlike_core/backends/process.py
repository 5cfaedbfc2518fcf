"""The `process` backend: a run goes to a spawned child process from a warm pool.

A node that segfaults, calls `os._exit`, hangs past `timeout` or runs out of memory (`memory_limit`, an address
space limit set with `resource.setrlimit` in the child for the run) fails the run with the cause; this process
goes on, and the pool replaces the worker. The worker runs the board as a thread run goes (the executor's fast
path, unless the caller listens to node events); its trace records and events stream back every `FLUSH` seconds
(one pipe message per batch, each execution once), so traces and progress show live; log lines go at once. A
crash keeps the lines before it and names the node that was running, at no cost per node, also when it came before
the worker reported anything of it: `os._exit` in a worker first writes the node of the Context on its stack
(`CRASH_NODE`); a fatal signal writes the Python frames of the thread it hit (faulthandler), which the caller
quotes and matches against the code of the board's node types (a type used by several nodes: all of them are
named); else the node the worker last reported running. Only that node fails: the executions the worker reported
going on and whose end it had not told yet (it tells every `FLUSH` seconds) are settled by the stacks of all the
worker's threads, which faulthandler writes too (`Crash.outcome`): one that was reading the crashed node's output
failed with it, as in a thread run; one on another thread's stack, or of a node that awaits (it may be waiting at
an await, on no stack), was stopped by the death (Cancelled); one of a blocking node whose code is on no stack had
ended and succeeded (unless its On Error is wired: then whether it failed is unknown, and it shows Cancelled, saying
so).
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from pathlib import Path
from types import CodeType, FrameType
from typing import IO, Any, NoReturn

from flowlike_core.backends import BackendError
from flowlike_core.backends.remote import BOARDS_KEPT, Job, Mirror, Sender, execute, prepare
from flowlike_core.board import Board
from flowlike_core.cache import ResultCache
from flowlike_core.errors import RunCancelled
from flowlike_core.events import Listener
from flowlike_core.plan import Plan, plan_for
from flowlike_core.policy import Policy
from flowlike_core.registry import Registry
from flowlike_core.run import NodeStatus, NodeTrace, Run, RunStatus
from flowlike_core.wording import byte_size

FLUSH = 0.02
"""Seconds between two batches of events sent by a worker."""
CANCEL_GRACE = 2.0
"""Seconds a cancelled run gets to stop in its worker before the worker is killed."""
CRASH_FRAMES = 3
"""Innermost Python frames a fatal signal's report quotes (the native call, the node's code, the engine's)."""
CRASH_NODE = "flowlike-node: "
"""How a worker's crash file names the node running when it called `os._exit`."""
CRASH_EXIT = "flowlike-exit: "
"""How a worker's crash file gives the code `os._exit` was called with."""
BY_VALUE = "<dynamic-code>"
"""The file name a worker's frames give the code of node types sent by value (cloudpickle's)."""
READY = "ready"
"""What a worker sends once it has started (imported the engine): before that, a cancelled run can be settled
at once, since the worker cannot have started it."""
START_GRACE = 60.0
"""Seconds a worker may take to start a run (a cold one imports the engine and the node types' modules) before
the run's `timeout` starts counting."""
GUARD = 'a script that runs boards on the process backend must do so under `if __name__ == "__main__":`'
"""What to do when a worker, importing the main module, runs the script's boards too."""
_before_exit: list[Callable[[], None]] = []
"""In a worker: what `os._exit` does first (send what the run's events have not told yet)."""


# ---- the child ---------------------------------------------------------------------------------------------


def _worker_main(conn: Connection, crash_file: str) -> None:
    """A pool worker: says it is ready, then runs jobs one after another until its pipe closes. A fatal signal
    writes the Python stacks of its threads to `crash_file` (faulthandler), for the caller to quote. Ctrl-C is
    ignored: a terminal sends it to the whole process group, and the caller, which gets it too, cancels its runs
    through the pipe (the worker starts with it blocked, so one sent while it imports is dropped here)."""
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    watch_crashes(crash_file)
    conn.send(READY)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        job, memory_limit = message
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, hard))
        try:
            _run_job(conn, job)
        finally:
            if memory_limit:
                resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def watch_crashes(crash_file: str) -> None:
    """In a worker process: how it dies goes to `crash_file`, for the caller to read (`read_crash`): a fatal signal
    writes the Python stacks of its threads, the one it hit marked (faulthandler), `os._exit` the node calling it
    and its code."""
    import faulthandler

    crash = open(crash_file, "w")  # noqa: SIM115 - open for the life of the process
    faulthandler.enable(crash, all_threads=True)
    _name_node_on_exit(crash)


def _name_node_on_exit(crash: IO[str]) -> None:
    """Make `os._exit` write its code and the node that is running (if a node calls it) to `crash` first."""
    real_exit = os._exit

    def exit_naming_the_node(code: int) -> NoReturn:
        node = _running_node(sys._getframe(1))
        crash.write(f"{CRASH_EXIT}{code}\n" + (f"{CRASH_NODE}{node}\n" if node else ""))
        crash.flush()
        for tell in _before_exit:
            with contextlib.suppress(Exception):  # (exiting whatever happens)
                tell()
        real_exit(code)

    os._exit = exit_naming_the_node


def _running_node(frame: FrameType | None) -> str:
    """The node id of the innermost execution Context on a thread's stack, from `frame` outwards ("" if none)."""
    from flowlike_core.context import Context

    while frame is not None:
        for value in frame.f_locals.values():
            if type(value) is Context and value._plan is not None:
                return value._plan.node_id
        frame = frame.f_back
    return ""


def _run_job(conn: Connection, job: Job) -> None:
    """Run a job; its batches go up the pipe as it runs, the last one ends with `done`."""
    cancel = threading.Event()

    def read_cancel() -> None:
        if conn.poll() and conn.recv() == "cancel":
            cancel.set()

    read_cancel()  # (one sent with the job, while this worker was starting: the run never starts)
    sender = Sender(conn.send, job.run_id, FLUSH, tick=read_cancel)
    _before_exit.append(sender.tell_all)  # a node calling os._exit: the caller learns how the nodes before it ended
    try:
        if cancel.is_set():
            sender.emit(("refused",))
        else:
            execute(job, sender, cancelled=cancel.is_set)
    except BaseException as exc:  # noqa: BLE001 - whatever goes wrong here is reported as the run's failure
        sender.emit(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        _before_exit.remove(sender.tell_all)
        number, tail = sender.close()
        conn.send([job.run_id, number, pickle.dumps([*tail, ("done",)])])


@dataclasses.dataclass
class Crash:
    """What a worker wrote as it died (`watch_crashes`)."""

    node: str = ""
    """The node that called `os._exit` ("" if none did)."""
    exit_code: int | None = None
    """The code `os._exit` was called with."""
    fatal: str = ""
    """The fatal error faulthandler reported ("Segmentation fault"...)."""
    frames: list[str] = dataclasses.field(default_factory=list)
    """The frames of the thread a fatal signal hit, innermost first, as faulthandler wrote them."""
    others: list[list[str]] = dataclasses.field(default_factory=list)
    """The frames of each of the worker's other threads."""

    def nodes(self, board: Board, types: dict[str, type]) -> list[str]:
        """The node it was running: the one that called `os._exit`, else the nodes of the board whose type's code
        the fatal signal hit (all the nodes of that type)."""
        return [self.node] if self.node else nodes_of_frames(board, types, self.frames)

    def outcome(self, board: Board, plan: Plan, types: dict[str, type],
                crashed: list[str]) -> Callable[[NodeTrace], tuple[NodeStatus, str | None]] | None:
        """How an execution the worker reported going on (whose end it had not told) ended, as (status, error),
        judged by the stacks a fatal signal left; None without them (nothing to judge by)."""
        if not self.fatal:
            return None
        hit = set(nodes_of_frames(board, types, self.frames, every=True))
        elsewhere = {node for frames in self.others for node in nodes_of_frames(board, types, frames, every=True)}

        def judged(trace: NodeTrace) -> tuple[NodeStatus, str | None]:
            node = trace.node_id
            if node in crashed or node in hit or not _reads(plan, node).isdisjoint(crashed):
                return NodeStatus.FAILED, None  # the crash, a node it ran inside, or one reading its output
            if node in elsewhere or (node in plan.nodes and plan.nodes[node].is_async):  # (awaiting: on no stack)
                return NodeStatus.CANCELLED, "stopped: its worker process died"
            if node in plan.nodes and plan.nodes[node].error_wired:
                return NodeStatus.CANCELLED, "its worker process died before it told whether this node failed"
            return NodeStatus.SUCCESS, None  # it had ended (its code was on no stack); a failure would have
            # ended the run there, without its On Error

        return judged

    def where(self) -> str:
        return f"; at {' <- '.join(self.frames[:CRASH_FRAMES])}" if self.frames else ""


def _reads(plan: Plan, node_id: str) -> set[str]:
    """The pure nodes whose outputs a node reads, directly or through other pure nodes."""
    found: set[str] = set()
    waiting = [node_id]
    while waiting:
        node = plan.nodes.get(waiting.pop())
        for source in node.pure_sources if node is not None else ():
            if source not in found:
                found.add(source)
                waiting.append(source)
    return found


def read_crash(crash_file: str) -> Crash:
    try:
        lines = Path(crash_file).read_text(errors="replace").splitlines()
    except OSError:
        return Crash()
    crash = Crash()
    frames: list[str] = crash.frames
    for line in lines:
        if line.startswith("  File "):
            frames.append(line.strip())
        elif line.startswith("Thread 0x"):  # (faulthandler's header of a thread the signal did not hit)
            frames = []
            crash.others.append(frames)
        elif line.startswith("Current thread "):
            frames = crash.frames
        elif line.startswith(CRASH_NODE):
            crash.node = line.removeprefix(CRASH_NODE)
        elif line.startswith(CRASH_EXIT) and line.removeprefix(CRASH_EXIT).lstrip("-").isdigit():
            crash.exit_code = int(line.removeprefix(CRASH_EXIT))
        elif line.startswith("Fatal Python error: "):
            crash.fatal = line.removeprefix("Fatal Python error: ").strip()
    return crash


def nodes_of_frames(board: Board, types: dict[str, type], frames: list[str], every: bool = False) -> list[str]:
    """The nodes whose type's code is the innermost of `frames` (faulthandler's lines, innermost first) that is
    code of one of the board's node types (`types`, by type key): the node a fatal signal hit, or the nodes
    sharing its type; `every`: the nodes of all the types whose code is in the frames."""
    by_type: dict[str, list[str]] = {}
    for node in board.nodes.values():
        by_type.setdefault(node.name, []).append(node.id)
    spans = [(code, name) for name in by_type if name in types for code in _codes(types[name])]
    found: list[str] = []
    for frame in frames:
        where = _frame_place(frame)
        if where is None:
            continue
        path, number, function = where
        for code, name in spans:
            if code.co_name == function and path in (code.co_filename, BY_VALUE) and \
                    any(line == number for _, _, line in code.co_lines()):
                if not every:
                    return by_type[name]
                found.extend(node for node in by_type[name] if node not in found)
    return found


def _codes(node_type: type) -> list[CodeType]:
    """The code of a node type's own functions (its `run`, also one it inherits from a class outside the engine; an
    `@node` function; the functions nested in them)."""
    own = [value for kind in node_type.__mro__ if kind is node_type or not kind.__module__.startswith("flowlike_core")
           for value in vars(kind).values()]
    found = [value.__code__ for value in [*own, getattr(node_type, "func", None)] if hasattr(value, "__code__")]
    for code in found:
        found.extend(const for const in code.co_consts if isinstance(const, CodeType))
    return found


def _frame_place(frame: str) -> tuple[str, int, str] | None:
    """(file, line, function) of a faulthandler frame line: `File "path", line 12 in name`."""
    head, _, rest = frame.partition('", line ')
    line, _, function = rest.partition(" in ")
    return (head.removeprefix('File "'), int(line), function) if line.isdigit() else None


# ---- the pool ----------------------------------------------------------------------------------------------


class Worker:
    """One child process and its pipe."""

    def __init__(self, context: Any) -> None:
        self.conn, child_conn = context.Pipe()
        handle, self.crash_file = tempfile.mkstemp(prefix="flowlike-worker-", suffix=".crash")
        os.close(handle)
        weakref.finalize(self, _remove, self.crash_file)  # at the latest when this process exits
        self.process = context.Process(target=_worker_main, args=(child_conn, self.crash_file),
                                       name="flowlike-process-worker", daemon=True)
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()  # (starting it, as the first spawn does, unblocks SIGINT in this thread)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # (the child inherits the mask)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child_conn.close()
        self.ready = False
        """It has sent `READY`."""
        self.boards: OrderedDict[str, None] = OrderedDict()
        """Keys of the boards it keeps (`BOARDS_KEPT`), in the order it keeps them: their jobs go without them."""

    def send(self, job: Job, memory_limit: int | None) -> None:
        """Send a job; its board only if the worker does not keep it."""
        boards = self.boards
        if job.board_key in boards:
            boards.move_to_end(job.board_key)
            job = dataclasses.replace(job, board_json="", node_types=b"")
        else:
            boards[job.board_key] = None
            while len(boards) > BOARDS_KEPT:
                boards.popitem(last=False)
        self.conn.send((job, memory_limit))

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()
        _remove(self.crash_file)

    def death(self, crash: Crash | None = None) -> str:
        """How the process ended, in words (`crash`: what it wrote as it died)."""
        self.process.join(5)
        code = self.process.exitcode
        if code is None:
            return "stopped answering"
        if code == 1 and not self.ready:
            return (f"exited with code 1 before it was ready: a spawned worker first imports {_main_file()} "
                    f"again, and that failed (its error is on stderr); {GUARD}")
        if code < 0:
            name = signal.Signals(-code).name
            cause = {"SIGSEGV": "a segmentation fault", "SIGKILL": "killed: out of memory, or by someone",
                     "SIGABRT": "aborted by native code", "SIGBUS": "a bus error"}.get(name)
            return f"died from {name} (signal {-code}{f', {cause}' if cause else ''})"
        if crash is not None and crash.exit_code == code:
            return f"exited with code {code} (os._exit({code}) called in a node)"
        return f"exited with code {code} (os._exit or sys.exit outside a node)"



def _main_file() -> str:
    """The program's main module, as a spawned worker imports it again."""
    path = getattr(sys.modules.get("__main__"), "__file__", None)
    return repr(path) if path else "the main module"


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


class ProcessPool:
    """Up to `size` warm workers, reused between runs; a run takes one, or waits for one to be free."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.context = multiprocessing.get_context("spawn")
        self.idle: list[Worker] = []
        self.count = 0
        self.free = threading.Condition()

    def warm(self, count: int | None = None) -> None:
        """Start workers now (they import the engine once), so the first runs pay no start-up."""
        with self.free:
            while self.count < min(count or self.size, self.size):
                self.idle.append(Worker(self.context))
                self.count += 1

    def acquire(self) -> Worker:
        """An idle live worker, or a new one; a worker that died while idle is left out (and replaced)."""
        with self.free:
            while True:
                while not self.idle and self.count >= self.size:
                    self.free.wait()
                if not self.idle:
                    break
                worker = self.idle.pop()
                if worker.alive():
                    return worker
                self.count -= 1
                worker.kill()
            self.count += 1
        try:
            return Worker(self.context)
        except BaseException:
            self._forget()
            raise

    def release(self, worker: Worker, healthy: bool) -> None:
        if healthy and worker.alive():
            with self.free:
                self.idle.append(worker)
                self.free.notify()
            return
        worker.kill()
        self._forget()

    def _forget(self) -> None:
        with self.free:
            self.count -= 1
            self.free.notify()

    def close(self) -> None:
        with self.free:
            workers, self.idle = self.idle, []
            self.count -= len(workers)
        for worker in workers:
            worker.kill()


# ---- the backend -------------------------------------------------------------------------------------------


class ProcessBackend:
    """Runs boards in child processes. `timeout`: seconds a run may take; `memory_limit`: bytes of address space
    a run's process may use; `processes`: the pool size (default: the CPU count)."""

    name = "process"

    def __init__(self, processes: int | None = None, *, timeout: float | None = None,
                 memory_limit: int | None = None) -> None:
        self.pool = ProcessPool(processes or os.cpu_count() or 1)
        self.timeout = timeout
        self.memory_limit = memory_limit

    def start(self, board: Board, *, registry: Registry, start: str | None = None, payload: Any = None,
              variables: dict[str, Any] | None = None, max_steps: int, listeners: Iterable[Listener] = (),
              run_id: str | None = None, policy: Policy | None = None,
              cache: ResultCache | None = None) -> ProcessRunHandle:
        if getattr(multiprocessing.current_process(), "_inheriting", False):  # as multiprocessing's own check
            raise BackendError(f"a process run was started while a worker process imported the program's main "
                               f"module again (as spawned workers do): {GUARD}")
        run, job = prepare(board, registry=registry, start=start, payload=payload, variables=variables,
                           max_steps=max_steps, run_id=run_id, backend=self.name, policy=policy, cache=cache)
        mirror = Mirror(run, listeners)
        job.watched = mirror.watched
        return ProcessRunHandle(self, run, job, mirror, registry)

    def close(self) -> None:
        self.pool.close()


class ProcessRunHandle:
    """A run in a worker process: `wait`, `cancel`, `done`, like a local `RunHandle`."""

    def __init__(self, backend: ProcessBackend, run: Run, job: Job, mirror: Mirror, registry: Registry) -> None:
        self.backend = backend
        self._registry = registry
        self.run = run
        self.mirror = mirror
        self._job = job
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._follow, name=f"flowlike-process-{run.id}", daemon=True)
        self._thread.start()

    def _follow(self) -> None:
        pool = self.backend.pool
        try:
            worker = pool.acquire()
        except Exception as exc:  # noqa: BLE001 - a pool that cannot start a process fails this run
            self.mirror.fail(BackendError(f"no worker process could be started: {exc}"), None)
            return
        healthy = False
        if self._cancel.is_set():  # while it waited for a worker: it never starts
            self.mirror.fail(RunCancelled("the run was cancelled before it started"), None, RunStatus.CANCELLED)
            pool.release(worker, True)
            return
        try:
            worker.send(self._job, self.backend.memory_limit)
            healthy = self._relay(worker)
        except (BrokenPipeError, EOFError, OSError):
            self._died(worker)
        finally:
            pool.release(worker, healthy)

    def _relay(self, worker: Worker) -> bool:
        """Replay the worker's events until its run ends; True if the worker can take another run."""
        timeout = self.backend.timeout
        deadline = None if timeout is None else time.monotonic() + timeout + START_GRACE
        cancelled_at: float | None = None
        started = False
        """The run has started in the worker: a cancel's grace counts from then (a cold worker imports first)."""
        while True:
            if worker.conn.poll(0.05):
                message = worker.conn.recv()
                if message == READY:
                    worker.ready = True
                    continue
                for event in pickle.loads(message[2]):
                    if event[0] == "done":
                        if not self.mirror.settled:
                            self.mirror.fail(BackendError("the worker ended without finishing the run"), None)
                        return True
                    if self.mirror.settled:  # (here: a cancel before the worker was ready)
                        continue
                    if event[0] == "refused":
                        self.mirror.fail(RunCancelled("the run was cancelled before it started"), None,
                                         RunStatus.CANCELLED)
                        continue
                    if event[0] == "start":
                        started = True
                        if timeout is not None:
                            deadline = time.monotonic() + timeout
                        if cancelled_at is not None:
                            cancelled_at = time.monotonic()
                    if event[0] == "error":
                        worker.boards.clear()  # it may not have parsed this one
                        self.mirror.fail(BackendError(f"the worker could not run the board: {event[1]}"), None)
                    else:
                        if event[0] == "finished":
                            self._name_the_limit(event[1])
                        self.mirror.apply(event)
                continue
            if not worker.alive():
                if not self.mirror.settled:
                    self._died(worker)
                return False
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                node = self.mirror.running_node()
                self.mirror.fail(BackendError(
                    f"the run did not finish within its timeout of {timeout:g}s"
                    f"{self._at(node)}; its worker process was killed"), node)
                return False
            if self._cancel.is_set():
                if cancelled_at is None:
                    cancelled_at = now
                    worker.conn.send("cancel")
                    if not worker.ready and not worker.conn.poll(0):  # it will see the cancel before the job
                        self.mirror.fail(RunCancelled("the run was cancelled before it started (its worker process "
                                                      "was still starting)"), None, RunStatus.CANCELLED)
                elif now - cancelled_at > (CANCEL_GRACE if started else START_GRACE):
                    node = self.mirror.running_node()
                    self.mirror.fail(RunCancelled(f"the run was cancelled{self._at(node)}; the node did not stop, "
                                                  f"so its worker process was killed"), node, RunStatus.CANCELLED)
                    return False

    def _name_the_limit(self, state: dict[str, Any]) -> None:
        """A run that failed with a MemoryError under a `memory_limit` says so (Python's MemoryError is often bare)."""
        limit, error = self.backend.memory_limit, state["error"]
        if limit and error and "MemoryError" in error:
            state["error"] = f"{error.rstrip(': ')}; its process is limited to {byte_size(limit)} of address space " \
                             f"(ProcessBackend(memory_limit=...))"

    def _died(self, worker: Worker) -> None:
        crash = read_crash(worker.crash_file)
        board, registry = self.run.board, self._registry
        types = {node.name: registry.get(node.name) for node in board.nodes.values() if node.name in registry}
        reported = self.mirror.running_node()  # (not used to narrow: it may be a node that has ended since)
        nodes = crash.nodes(board, types) or ([reported] if reported else [])
        self.mirror.fail(BackendError(f"the worker process running the board {worker.death(crash)}{self._at(*nodes)}"
                                      f"{crash.where()}"), nodes[0] if len(nodes) == 1 else None,
                         outcome=crash.outcome(board, plan_for(board, registry), types, nodes))

    def _at(self, *node_ids: str) -> str:
        labels = [node.label() if (node := self.run.board.nodes.get(node_id)) else node_id for node_id in node_ids
                  if node_id]
        if not labels:
            return ""
        if len(labels) == 1:
            return f" while node {labels[0]} was running"
        return f" while one of the nodes {', '.join(labels)} was running"

    def done(self) -> bool:
        return self.mirror.ended.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout: float | None = None) -> Run:
        """Wait for the run; KeyboardInterrupt while waiting cancels it (and waits for the cancel to land)."""
        return self.mirror.wait(timeout, self.cancel, CANCEL_GRACE + 5)
