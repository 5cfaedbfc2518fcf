"""Watching runs: one listener protocol for every watcher (the CLI reporter, the run history, the notebook,
the editor), modelled on dask's scheduler callbacks.

    class Printer(Listener):
        def node_finished(self, run, trace):
            print(trace.node_name, trace.status)

    run_board(board, listeners=[Printer()])      # this run only
    with Printer():                              # every run started in this process meanwhile
        run_board(board)

Every hook receives the live Run first; override the ones you need (the others cost nothing: the executor
calls only hooks a listener overrides). Hooks run on the run's worker thread, so keep them short (hand work
to another thread, as the editor relay does). A hook that raises is reported as a warning and never changes
the run's outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from flowlike_core.run import LogLine, NodeTrace, Run, RunEvent

HOOKS = ("start", "node_started", "node_finished", "log", "event", "progress", "paused", "resumed", "finished")


class Listener:
    """Override any of the hooks; a listener can watch one run (`listeners=[...]`) or all (`register()`)."""

    active: ClassVar[set[Listener]] = set()
    """Listeners registered for every run of this process (the run history, say)."""

    def start(self, run: Run) -> None:
        """The run begins (its start time is set, no node has run)."""

    def node_started(self, run: Run, trace: NodeTrace) -> None:
        """A node begins an execution; `trace` is that execution."""

    def node_finished(self, run: Run, trace: NodeTrace) -> None:
        """A node's execution ended: `trace.status`, `trace.duration`, `trace.error` say how."""

    def log(self, run: Run, line: LogLine) -> None:
        """A node logged a line (at or above the board's log level)."""

    def event(self, run: Run, event: RunEvent) -> None:
        """A node emitted an event (`ctx.emit`: `event.event_type`, `event.payload`, `event.node_id`), whatever the
        board's log level; every one is told, also past what the run keeps (`run.events`)."""

    def progress(self, run: Run, node_id: str, fraction: float, message: str) -> None:
        """A node reported progress, `fraction` in 0..1."""

    def paused(self, run: Run, trace: NodeTrace) -> None:
        """A debug run stopped before the node of `trace` runs its code (`flowlike_core.debugger`); the run's
        thread waits until the debugger goes on, the caller's threads do not. Pauses of parallel branches queue up:
        the next one is told from the thread giving the command that released the one before, so a listener
        hearing `paused` and `resumed` must be thread-safe (they come in order)."""

    def resumed(self, run: Run) -> None:
        """A paused debug run goes on (continue, step, step over); told from the thread giving the command."""

    def finished(self, run: Run) -> None:
        """The run ended, whatever the outcome: `run.status` is final and every trace is closed."""

    def register(self) -> Listener:
        """Watch every run started in this process from now on."""
        Listener.active.add(self)
        return self

    def unregister(self) -> None:
        Listener.active.discard(self)

    def __enter__(self) -> Listener:
        return self.register()

    def __exit__(self, *exc: Any) -> None:
        self.unregister()


def hooks(listeners: list[Listener], name: str) -> list[Any]:
    """The bound `name` hooks of the listeners that override it: what the executor calls."""
    default = getattr(Listener, name)
    return [getattr(listener, name) for listener in listeners if getattr(type(listener), name) is not default]
