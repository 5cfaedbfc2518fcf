"""Parallel branches that read the same expensive pure node: with the board's cache, it is made once, by the
first branch to need it; the other waits for that result instead of making it again at the same time."""

from __future__ import annotations

import time
from pathlib import Path

import flowlike_nb as fnb

DEADLINE = 30.0


def counted_and_held(count: Path, cache: object) -> None:
    """Count an execution in the file `count` (a node reading a global that changes is never served: the key holds
    what it reads); hold the first until a sibling branch waits for its result (then it is shared), or until two
    executions run at once (then it is not): either is what the test asserts on."""
    with count.open("a") as file:
        file.write("made\n")
    deadline = time.monotonic() + DEADLINE
    while getattr(cache, "waiting", 0) < 1 and len(count.read_text().split()) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)


def test_parallel_branches_make_a_shared_expensive_result_once(tmp_path) -> None:
    count = tmp_path / "made"
    count.touch()
    board = fnb.Board("branches share a load")

    @fnb.node(category="Test", cacheable=True)
    def cache_test_load(rows: int) -> list[int]:
        """Expensive: counts its executions; the first waits for its sibling to need it too."""
        counted_and_held(count, board.cache)
        return list(range(rows))

    start = board.add("events_simple", "start")
    par = board.add("control_par_execution", "par", thread_model="threads")
    load = board.add("cache_test_load", "load", rows=5)
    first = board.add("array_length", "first")
    second = board.add("array_length", "second")
    say_first, say_second = board.add("log_info", "say_first"), board.add("log_info", "say_second")
    start.outputs.exec_out >> par.inputs.exec_in
    par.outputs["exec_out", 0] >> say_first.inputs.exec_in
    par.outputs["exec_out", 1] >> say_second.inputs.exec_in
    load.outputs.result >> first.inputs.array
    load.outputs.result >> second.inputs.array
    first.outputs.length >> say_first.inputs.message
    second.outputs.length >> say_second.inputs.message
    run = board.run()
    run.raise_for_status()
    assert [line.message for line in run.logs()] == ["5", "5"]
    assert len(count.read_text().split()) == 1, "made more than once, at once, by the parallel branches"
    assert [t.cached for t in run.traces_of(load.id)] == [False, True]
