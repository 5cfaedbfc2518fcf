"""Where a run goes: one argument, `backend=`, on `run_board`, `start_run`, `Board.run` and `flowlike run`.

    run_board(board, backend="thread")    # in this process, on a worker thread (the default)
    run_board(board, backend="process")   # in a spawned child from a warm pool: a crash cannot take us down
    run_board(board, backend="dask")      # on a dask.distributed cluster (a LocalCluster unless told)
    run_board(board, backend=ProcessBackend(timeout=30, memory_limit=2**30))

A backend starts a run and returns a handle with the `RunHandle` surface (`run`, `wait`, `cancel`, `cancelled`,
`done`). Remote backends ship the board (JSON), its node types (cloudpickle: types defined in a notebook go by
value) and the run's options; the remote run's events come back and are replayed into a local `Run` and its
listeners (`flowlike_core.backends.remote`). dask and cloudpickle are imported only when such a backend is used.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any, Protocol

from flowlike_core.board import Board
from flowlike_core.errors import RunError
from flowlike_core.events import Listener
from flowlike_core.policy import Policy
from flowlike_core.registry import Registry

BACKENDS = ("thread", "process", "dask")


class BackendError(RunError):
    """A backend could not run a board: a node type that cannot be shipped, a worker that died or hung."""


def stop_if_importing_main(what: str, guard: str) -> None:
    """End this process if it is a spawned worker still importing the program's main module (as spawned workers do)
    that starts `what` itself: the script runs boards without the `__main__` guard (`guard` says what to do). An
    error would fail only the node asking (a Parallel For Each), and the worker would go on with the script's body,
    then serve; its end is what its parent reports."""
    import multiprocessing

    if getattr(multiprocessing.current_process(), "_inheriting", False):  # (as multiprocessing's own check)
        sys.stderr.write(f"flowlike: a spawned worker stopped: importing the program's main module again, it "
                         f"started {what} itself: {guard}\n")
        sys.stderr.flush()
        os._exit(1)


WORKERS = ("flowlike-loop-worker", "flowlike-process-worker", "Dask Worker process (from Nanny)")
"""The names of the spawned workers a run may start (a loop's process pool, the process backend's pool, a dask
LocalCluster's), as they have them from the start, while they import the program's main module."""
UNGUARDED = 'a script that runs boards with workers in other processes (the process or dask backend, a Parallel ' \
            'For Each on workers "processes" or "dask") must do so under `if __name__ == "__main__":`'


def stop_if_worker_importing_main() -> None:
    """End this process if it is a worker spawned for runs (`WORKERS`) still importing the program's main module, and
    that starts a run: the script runs boards without the `__main__` guard, and its nodes must not run once more in
    each worker (files written, messages sent) before the worker stops where the script starts its workers. Called
    as every run starts: it costs a dictionary lookup outside spawned processes."""
    multiprocessing = sys.modules.get("multiprocessing")  # (a spawned process has it: it started the process)
    if multiprocessing is not None and multiprocessing.current_process().name in WORKERS:
        script = getattr(sys.modules.get("__mp_main__"), "__file__", None)  # (the main module being imported)
        stop_if_importing_main(f"a run of {script}" if script else "a run", UNGUARDED)


def main_script() -> str | None:
    """The program's main module's file, which a spawned worker imports again (None in a notebook or a REPL)."""
    return getattr(sys.modules.get("__main__"), "__file__", None)


class Handle(Protocol):
    """A run going on somewhere: what `start_run` returns whatever the backend."""

    run: Any

    def wait(self, timeout: float | None = None) -> Any: ...

    def cancel(self) -> None: ...

    @property
    def cancelled(self) -> bool:
        """True once `cancel` was called (the run may still be ending: its nodes close what they opened)."""
        ...

    def done(self) -> bool: ...


class Backend(Protocol):
    """Starts runs. Bad input (unknown start node, variable or node type) raises from `start`."""

    name: str

    def start(self, board: Board, *, registry: Registry, start: str | None, payload: Any,
              variables: dict[str, Any] | None, max_steps: int, listeners: Iterable[Listener],
              run_id: str | None, policy: Policy | None = None) -> Handle: ...


_shared: dict[str, Backend] = {}


def backend_for(backend: str | Backend) -> Backend:
    """A backend by name (one shared instance per process, so the process pool and the dask cluster stay
    warm between runs) or the backend object itself."""
    if not isinstance(backend, str):
        return backend
    if backend not in _shared:
        if backend == "process":
            from flowlike_core.backends.process import ProcessBackend

            _shared[backend] = ProcessBackend()
        elif backend == "dask":
            from flowlike_core.backends.dask import DaskBackend

            _shared[backend] = DaskBackend()
        else:
            raise BackendError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    return _shared[backend]


__all__ = ["BACKENDS", "Backend", "BackendError", "Handle", "backend_for"]
