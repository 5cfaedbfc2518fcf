"""How a cancelled run (or a parallel body's fork) stops: left to cooperate while its event loop answers (a node
awaiting its own close, the run closing what its nodes opened), interrupted only when its thread is held in node
code that ignores the cancel (a plain-Python loop).

One probe for every place that stops a run: a run's handle, the debugger's stop, and a parallel body's forks when
a sibling fails or the run is cancelled. A blind timer there cut a cooperating close (a browser's) short when the
machine was busy. An executor is watched once, however many of them ask (`watch`), so that they agree on whether
it was interrupted and when.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flowlike_core import executor as engine

SLICE = 0.05
"""Seconds between looks at whether a watched executor's work is over, while the grace runs."""


def cooperating(executor: engine.Executor) -> str | None:
    """What a cancelled executor is busy with while it cooperates, or None when its thread is held in node code:
    its event loop does not answer within twice `CANCEL_GRACE` (a busy machine may delay an answer), or it has none
    (a parallel body on a thread, running blocking nodes)."""
    if executor.closing:
        return "closing its resources"
    loop = executor._loop
    if loop is None or loop.is_closed():
        return None
    answered = threading.Event()
    try:
        loop.call_soon_threadsafe(answered.set)
    except RuntimeError:  # the loop closed meanwhile
        return None
    return "awaiting" if answered.wait(2 * engine.CANCEL_GRACE) else None


def held(body: engine.Executor) -> bool:
    """Whether a parallel body is still on its thread though its interrupt was sent over `CANCEL_GRACE` ago: it is
    held where no interrupt lands (native code)."""
    found = watched(body)
    return body.thread_id is not None and found is not None and found.interrupted_at is not None and \
        time.monotonic() - found.interrupted_at >= engine.CANCEL_GRACE


@dataclass(eq=False)
class Watch:
    """A cancelled executor watched from a thread of its own, to interrupt it once when held in node code."""

    executor: engine.Executor
    over: Callable[[], bool]
    """True once the watched work has ended (the run, or the fork's body on its thread): nothing to interrupt."""
    interrupt: Callable[[], object]
    since: float = field(default_factory=time.monotonic)
    """When the watch began (monotonic): the cancel, as near as matters."""
    watching: bool = True
    """True until the watch ends: interrupted, over, or still cooperating at `CLEANUP_LIMIT`."""
    interrupted_at: float | None = None
    """When the interrupt was sent (monotonic): it may take a moment to land."""

    def _run(self) -> None:
        try:
            while self._waited(engine.CANCEL_GRACE):
                if cooperating(self.executor) is None:
                    if not self.over():
                        self.interrupted_at = time.monotonic()
                        self.interrupt()
                    break
                if time.monotonic() - self.since >= engine.CLEANUP_LIMIT:
                    break  # given up on by whoever waits for it (`RunHandle.wait`)
        finally:
            self.watching = False
        while self._waited(engine.CANCEL_GRACE):  # (whoever gives up on it reads the watch until then)
            pass
        with _watching:
            del _watches[self.executor]

    def _waited(self, seconds: float) -> bool:
        """Wait `seconds`: True if the work is still going on after them."""
        deadline = time.monotonic() + seconds
        while not self.over():
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            time.sleep(min(SLICE, left))
        return False


_watches: dict[engine.Executor, Watch] = {}
"""The watches of executors whose work is not over yet."""
_watching = threading.Lock()


def watch(executor: engine.Executor, over: Callable[[], bool],
          interrupt: Callable[[], object] | None = None) -> Watch:
    """Start watching a cancelled `executor` (once: a later call returns the first watch): after each
    `CANCEL_GRACE` while its work is not `over`, it is interrupted (`interrupt`, by default `executor.interrupt`)
    unless it cooperates; a run cooperating past `CLEANUP_LIMIT` is left to whoever waits for it."""
    with _watching:
        found = _watches.get(executor)
        if found is not None:
            return found
        found = _watches[executor] = Watch(executor, over, interrupt or executor.interrupt)
    name = f"flowlike-stop-{executor.run.id}"
    threading.Thread(target=found._run, name=name, daemon=True).start()
    return found


def watched(executor: engine.Executor) -> Watch | None:
    """The watch of `executor`, if one was started and its work is not over."""
    with _watching:
        return _watches.get(executor)

