"""The `dask` backend: whole runs go to a dask.distributed cluster as tasks.

    DaskBackend()                               # a LocalCluster of this machine's cores, started on first use
    DaskBackend("tcp://scheduler:8786")         # an existing cluster
    DaskBackend(client=my_client)

The worker runs the board with the engine installed there and returns the run's events (traces, logs,
progress, final state), which are replayed into the local `Run` and its listeners when the task ends. A worker
that dies takes the task with it: dask reports it, and the run fails with that cause.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from flowlike_core.backends import BackendError
from flowlike_core.backends.remote import Event, Job, Mirror, execute, prepare
from flowlike_core.board import Board
from flowlike_core.errors import RunCancelled
from flowlike_core.events import Listener
from flowlike_core.policy import Policy
from flowlike_core.registry import Registry
from flowlike_core.run import Run, RunStatus


def run_job(job: Job) -> list[Event]:
    """The task a dask worker runs: the job's events, in order."""
    events: list[Event] = []
    execute(job, events.append)
    return events


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
                    from distributed import Client, LocalCluster
                except ImportError as exc:
                    raise BackendError("the dask backend needs dask.distributed: pip install "
                                       "'flowlike-nb[scale]'") from exc
                if self.address is None:
                    self._cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1, processes=True,
                                                 host="127.0.0.1", dashboard_address=None)
                    self._client = Client(self._cluster)
                else:
                    self._client = Client(self.address)
            return self._client

    def start(self, board: Board, *, registry: Registry, start: str | None = None, payload: Any = None,
              variables: dict[str, Any] | None = None, max_steps: int, listeners: Iterable[Listener] = (),
              run_id: str | None = None, policy: Policy | None = None) -> DaskRunHandle:
        run, job = prepare(board, registry=registry, start=start, payload=payload, variables=variables,
                           max_steps=max_steps, run_id=run_id, backend=self.name, policy=policy)
        future = self.client.submit(run_job, job, pure=False, key=f"flowlike-run-{run.id}")
        return DaskRunHandle(run, future, Mirror(run, listeners))

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
            if self._cluster is not None:
                self._cluster.close()
            self._client = self._cluster = None


class DaskRunHandle:
    """A run as a dask task: `wait`, `cancel`, `done`, like a local `RunHandle`."""

    def __init__(self, run: Run, future: Any, mirror: Mirror) -> None:
        self.run = run
        self.future = future
        self.mirror = mirror
        future.add_done_callback(self._landed)

    def _landed(self, future: Any) -> None:
        if future.cancelled():
            self.mirror.fail(RunCancelled("the run was cancelled"), None, RunStatus.CANCELLED)
            return
        try:
            events = future.result()
        except Exception as exc:  # noqa: BLE001 - the task failed on the cluster: the run fails with its cause
            self.mirror.fail(BackendError(f"the dask task running the board failed: {type(exc).__name__}: {exc}"),
                             None)
            return
        for event in events:
            self.mirror.apply(event)
        if not self.mirror.ended.is_set():
            self.mirror.fail(BackendError("the dask task ended without finishing the run"), None)

    def done(self) -> bool:
        return self.mirror.ended.is_set()

    def cancel(self) -> None:
        self.future.cancel()

    def wait(self, timeout: float | None = None) -> Run:
        """Wait for the run; KeyboardInterrupt while waiting cancels it."""
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while not self.mirror.ended.wait(0.05):
                if deadline is not None and time.monotonic() >= deadline:
                    break
        except KeyboardInterrupt:
            self.cancel()
            self.mirror.ended.wait(5)
        return self.run
