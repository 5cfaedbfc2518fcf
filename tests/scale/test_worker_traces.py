"""Workers run boards as a thread run goes (the executor's fast path unless node events are listened to) and send
each execution's trace once, with the event batches; the caller's run shows them while the run goes. A dask board
is shipped once per revision. Loop iterations on workers use the run's stored result cache."""

from __future__ import annotations

import pickle
import threading
from typing import Any

import pytest
from flowlike_catalog.std.loops import ParallelForEach
from scale_boards import DEADLINE, square_board, tripling_loop_board, until, waiting_board

from flowlike_core import Listener, LogLevel, Registry, commands, run_board
from flowlike_core.backends.remote import BOARDS_KEPT, Mirror, Sender, execute, prepare
from flowlike_core.cache import ResultCache
from flowlike_core.executor import start_run
from flowlike_core.run import NodeStatus


@pytest.fixture(scope="module")
def loops(registry) -> Registry:
    local = Registry()
    for key in ("s_start", "s_wait_for", "s_triple", "s_keep", "s_square"):
        local.register(registry.get(key))
    local.register(ParallelForEach)
    return local


def outcome(run) -> tuple:
    return (run.status, run.error, run.values, run.result,
            [(t.node_id, t.status, [line.message for line in t.logs]) for t in run.traces])


def states(run) -> list[tuple[str, str]]:
    return [(t.node_id, t.status.value) for t in run.traces]


def ended(record: Any) -> bool:
    return type(record) is tuple or record.status is not NodeStatus.RUNNING


def test_each_execution_is_sent_once_and_the_caller_sees_it_running(loops, tmp_path):
    release = tmp_path / "release"
    board = waiting_board(loops, str(release))
    run, job = prepare(board, registry=loops, start=None, payload=None, variables=None, max_steps=1000,
                       run_id=None, backend="test")
    mirror = Mirror(run, [])
    assert not job.watched  # nobody listens to node events: the worker keeps the executor's fast path
    sent: list[tuple[int, Any]] = []

    def apply(events: list[Any]) -> None:
        for event in events:
            if event[0] == "traces":
                sent.extend(event[1])
            mirror.apply(event)

    sender = Sender(lambda message: apply(pickle.loads(message[2])), "test", 0.01)
    worker = threading.Thread(target=execute, args=(job, sender), daemon=True)
    worker.start()
    until(lambda: states(run) == [("start", "Success"), ("wait", "Running")], "the waiting node, running")
    assert [line.message for line in run.logs()] == ["waiting 0"]
    assert mirror.running_node() == "wait"
    release.touch()
    worker.join(DEADLINE)
    apply(sender.close()[1])
    assert run.ok, run.error
    finals = sorted(index for index, record in sent if index >= 0 and ended(record))
    assert finals == list(range(len(run.records))) == [0, 1]  # every execution's final record, once
    opened = [index for index, record in sent if index >= 0 and not ended(record)]
    assert 1 in opened and len(opened) == len(set(opened)) and set(opened) <= {0, 1}
    assert outcome(run) == outcome(run_board(board, registry=loops))


class Told(Listener):
    """What a listener of node events hears, in order."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, Any]] = []

    def node_started(self, run, trace) -> None:
        self.heard.append(("started", trace))

    def node_finished(self, run, trace) -> None:
        self.heard.append(("finished", trace))

    def log(self, run, line) -> None:
        self.heard.append(("log", line.message))

    def progress(self, run, node_id, fraction, message) -> None:
        self.heard.append(("progress", message))


def test_a_watched_run_sends_each_execution_as_one_event_and_its_traces_are_the_listeners(loops, tmp_path):
    release = tmp_path / "release"
    release.touch()
    board = waiting_board(loops, str(release))
    run, job = prepare(board, registry=loops, start=None, payload=None, variables=None, max_steps=1000,
                       run_id=None, backend="test")
    told = Told()
    mirror = Mirror(run, [told])
    job.watched = mirror.watched
    assert job.watched
    sent: list[Any] = []
    sender = Sender(lambda message: sent.extend(pickle.loads(message[2])), "test", 0.01)
    execute(job, sender)
    sent.extend(sender.close()[1])
    for event in sent:
        mirror.apply(event)
    assert run.ok, run.error
    kinds = [event[0] for event in sent]
    assert "traces" not in kinds and "node_started" not in kinds  # the node events carry the executions
    assert kinds.count("node") == 2 and len([e for e in sent if e[0] == "node" and len(e) > 7]) >= 1  # start's
    assert [(kind, getattr(what, "node_id", what)) for kind, what in told.heard] == [
        ("started", "start"), ("finished", "start"), ("started", "wait"), ("log", "waiting 0"),
        ("progress", "half-way"), ("log", "released 0"), ("finished", "wait")]
    assert list(run.records) == [trace for kind, trace in told.heard if kind == "started"]  # the very traces told
    assert [line.message for line in run.traces_of("wait")[0].logs] == ["waiting 0", "released 0"]
    assert outcome(run) == outcome(run_board(board, registry=loops))


@pytest.mark.parametrize("backend", ["process_backend", "dask_backend"])
def test_an_unwatched_remote_run_shows_its_traces_while_it_runs(loops, backend, tmp_path, request):
    backend = request.getfixturevalue(backend)
    release = tmp_path / "release"
    board = waiting_board(loops, str(release))
    handle = start_run(board, registry=loops, backend=backend)
    until(lambda: states(handle.run) == [("start", "Success"), ("wait", "Running")], "the waiting node, running")
    until(lambda: [line.message for line in handle.run.logs()] == ["waiting 0"], "its first line")
    assert not handle.done()
    release.touch()
    run = handle.wait(DEADLINE)
    assert outcome(run) == outcome(run_board(board, registry=loops))


@pytest.mark.parametrize("backend", ["process_backend", "dask_backend"])
def test_a_quiet_node_going_on_on_a_worker_shows_running_to_the_caller(loops, backend, tmp_path, request):
    """A node that neither logs nor fails has no trace record on the worker until it ends (the fast path writes it
    then): the worker sends it as going on all the same."""
    backend = request.getfixturevalue(backend)
    release = tmp_path / "release"
    board = waiting_board(loops, str(release))
    board.log_level = LogLevel.WARN  # (its "waiting" line is held back: nothing makes its trace early)
    handle = start_run(board, registry=loops, backend=backend)
    until(lambda: states(handle.run) == [("start", "Success"), ("wait", "Running")], "the quiet node, running")
    assert not handle.done()
    release.touch()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert states(run) == [("start", "Success"), ("wait", "Success")]


def test_a_board_edited_between_two_dask_runs_runs_as_edited(loops, dask_backend):
    board = square_board(loops)
    assert run_board(board, registry=loops, variables={"n": 4}, backend=dask_backend).result == 16
    assert run_board(board, registry=loops, variables={"n": 5}, backend=dask_backend).result == 25
    board.apply(commands.Disconnect("square", "value", "keep", "value"))
    run = run_board(board, registry=loops, variables={"n": 5}, backend=dask_backend)
    assert run.ok and run.result is None and [t.node_id for t in run.traces] == ["start", "keep"]


def test_workers_keep_the_boards_they_ran_last_and_run_each_as_it_is(loops, process_backend, dask_backend):
    boards = [square_board(loops) for _ in range(BOARDS_KEPT + 2)]
    for board in boards[::2]:
        board.apply(commands.Disconnect("square", "value", "keep", "value"))
    for _ in range(2):  # more boards than a worker keeps: the oldest go, and come back
        for n, board in enumerate(boards):
            for backend in (process_backend, dask_backend):
                run = run_board(board, registry=loops, variables={"n": n}, backend=backend)
                assert run.ok and run.result == (None if n % 2 == 0 else n * n), (n, backend.name, run.error)


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_loop_iterations_on_workers_use_the_runs_stored_cache(loops, workers, tmp_path, request):
    from flowlike_core.storage import Bucket

    if workers == "dask":
        request.getfixturevalue("dask_backend")  # its client is this process's default one
    board = tripling_loop_board(loops, [1, 2, 3, 4], workers)
    cache = ResultCache(store=Bucket(str(tmp_path)))
    first = run_board(board, registry=loops, cache=cache)
    assert first.ok, first.error
    assert first.result == 12 and not any(t.cached for t in first.traces_of("triple"))
    assert not first.why("triple").cached
    second = run_board(board, registry=loops, cache=cache)
    assert second.ok and second.result == 12
    assert [t.cached for t in second.traces_of("triple")] == [True] * 4  # served on the workers, from the store
    assert second.why("triple").cached
    board.apply(commands.UpdateNode("loop", defaults={"array": [1, 2, 5, 6]}))
    third = run_board(board, registry=loops, cache=cache)
    assert third.result == 18 and [t.cached for t in third.traces_of("triple")] == [True, True, False, False]
    memory = ResultCache()  # a cache the workers cannot reach: the iterations run uncached, and say so
    for _ in range(2):
        with pytest.warns(RuntimeWarning, match="its iterations there ran uncached: persist"):
            in_memory = run_board(board, registry=loops, cache=memory)
        assert in_memory.ok and not any(t.cached for t in in_memory.traces_of("triple"))
        assert in_memory.why("triple").changes[0].kind == "no cache"
        assert "worker processes cannot reach" in str(in_memory.why("triple"))


def test_the_process_pool_reads_a_loop_s_board_from_one_file_per_revision(loops):
    from pathlib import Path

    from flowlike_core.backends import bodies

    board = tripling_loop_board(loops, [1, 2, 3, 4], "processes")
    assert run_board(board, registry=loops).result == 12
    files = {path: path.stat().st_mtime_ns for path in Path(bodies._folder).iterdir()}
    assert run_board(board, registry=loops).result == 12  # (the same revision: the same file, not written again)
    assert {path: path.stat().st_mtime_ns for path in files} == files
    board.apply(commands.UpdateNode("loop", defaults={"array": [1, 2, 5, 6]}))
    assert run_board(board, registry=loops).result == 18
    assert len(set(Path(bodies._folder).iterdir()) - set(files)) == 1
