"""The node events of a parallel loop's iterations on a process worker reach the caller's listeners while the
iterations go on (as the editor's run view hears them), not when the loop has merged them."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.std.loops import ParallelForEach
from scale_boards import DEADLINE, until, waiting_board

from flowlike_core import Listener, Registry
from flowlike_core.executor import start_run


class Heard(Listener):
    def __init__(self) -> None:
        self.heard: list[tuple[str, Any]] = []

    def node_started(self, run, trace) -> None:
        self.heard.append(("started", trace.node_id))

    def node_finished(self, run, trace) -> None:
        self.heard.append(("finished", trace.node_id))

    def log(self, run, line) -> None:
        self.heard.append(("log", line.message))


def test_each_iteration_is_heard_while_it_runs(registry, process_backend, tmp_path) -> None:
    loops = Registry()
    for key in ("s_start", "s_wait_for"):
        loops.register(registry.get(key))
    loops.register(ParallelForEach)
    release = tmp_path / "release"
    heard = Heard()
    handle = start_run(waiting_board(loops, str(release), items=[1, 2]), registry=loops, backend=process_backend,
                       listeners=[heard])
    until(lambda: {"waiting 1", "waiting 2"} <= {what for kind, what in heard.heard if kind == "log"},
          "both iterations' first lines")
    assert heard.heard.count(("started", "wait")) == 2 and ("finished", "wait") not in heard.heard
    assert [(t.node_id, t.status.value) for t in handle.run.traces].count(("wait", "Running")) == 2
    assert not handle.done()
    release.touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert heard.heard.count(("finished", "wait")) == 2
