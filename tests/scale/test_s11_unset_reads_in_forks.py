"""An input read from an output no node has set warns once in the run's traces (`ctx._read_unset`), in a parallel
body too, wherever its iterations run: an output set before the loop is read there without a warning, an output
left unset by a node that ran is named as such (a fork's own counts start at 0: it said 'has not run'), and a body
reading a node that has not run says so once per run, not once per worker."""

from __future__ import annotations

from typing import Any

import pytest

from flowlike_core import (
    Board,
    DataType,
    LogLevel,
    NodeType,
    Registry,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
    run_board,
)


def node_types() -> list[type[NodeType]]:
    """Made here, so that cloudpickle sends them by value to the loop's workers."""

    class Start(NodeType):
        name = "u_start"
        is_event = True
        pins = (exec_out(),)

        def run(self, ctx: Any) -> None:
            ctx.activate("exec_out")

    class Make(NodeType):
        """Sets its number, or (`set` false) runs and leaves it unset."""

        name = "u_make"
        pins = (exec_in(), data_in("set", DataType.BOOLEAN, default=True), exec_out(),
                data_out("number", DataType.INTEGER))

        def run(self, ctx: Any) -> None:
            if ctx.get_input("set"):
                ctx.set_output("number", 5)
            ctx.activate("exec_out")

    class Lock(NodeType):
        """Sets a value no process but this one can have."""

        name = "u_lock"
        pins = (exec_in(), exec_out(), data_out("lock", DataType.GENERIC))

        def run(self, ctx: Any) -> None:
            import threading

            ctx.set_output("lock", threading.Lock())
            ctx.activate("exec_out")

    class Show(NodeType):
        name = "u_show"
        pins = (exec_in(), data_in("number", DataType.INTEGER), data_in("value", DataType.INTEGER), exec_out(),
                data_out("shown", DataType.STRING))

        def run(self, ctx: Any) -> None:
            ctx.info(f"{ctx.get_input('value')}: {ctx.get_input('number')}")
            ctx.activate("exec_out")

    return [Start, Make, Lock, Show]


@pytest.fixture(scope="module")
def kinds() -> Registry:
    from flowlike_catalog.std.control import ParallelExecution
    from flowlike_catalog.std.loops import ParallelForEach

    local = Registry()
    for node_type in (*node_types(), ParallelForEach, ParallelExecution):
        local.register(node_type)
    return local


BEFORE, UNSET, NOT_RUN = "set before the loop", "ran without setting it", "has not run"


def loop_board(kinds: Registry, how: str, workers: str) -> Board:
    """start -> [make ->] loop(1, 2, 3) on `workers` -> show(value, make's number): `make` runs before the loop (and
    sets its number, or not), or is not in the exec flow at all."""
    board = Board(name="unset-in-forks")
    add = lambda key, node_id, **d: board.apply(commands.AddNode(kinds.get(key).create(node_id=node_id, **d)))  # noqa: E731
    add("u_start", "start")
    add("u_make", "make", set=how == BEFORE)
    add("control_par_for_each", "loop", array=[1, 2, 3], workers=workers, max_concurrent=3)
    add("u_show", "show")
    wires = [("loop", "exec_out", "show", "exec_in"), ("loop", "value", "show", "value"),
             ("make", "number", "show", "number")]
    if how == NOT_RUN:
        wires.append(("start", "exec_out", "loop", "exec_in"))
    else:
        wires += [("start", "exec_out", "make", "exec_in"), ("make", "exec_out", "loop", "exec_in")]
    for wire in wires:
        board.apply(commands.Connect(*wire))
    return board


def warnings_in(run) -> list[str]:
    return [line.message for line in run.logs() if line.level is LogLevel.WARN]


EXPECTED = {
    BEFORE: ([], "5"),
    UNSET: (["input 'number' read None: 'u_make' (make) ran but did not set its output 'number'"], "None"),
    NOT_RUN: (["input 'number' read None: 'u_make' (make) has not run; wire its exec flow before this node"], "None"),
}


@pytest.mark.parametrize("workers", ["threads", "processes", "dask"])
@pytest.mark.parametrize("how", [BEFORE, UNSET, NOT_RUN])
def test_a_parallel_body_reading_an_output_warns_as_a_sequential_run_does(kinds, how, workers, request):
    if workers == "dask":
        request.getfixturevalue("dask_backend")  # its client is this process's default one
    run = run_board(loop_board(kinds, how, workers), registry=kinds)
    assert run.ok, run.error
    warned, number = EXPECTED[how]
    assert warnings_in(run) == warned
    shown = sorted(line.message for line in run.logs() if line.level is LogLevel.INFO and line.node_id == "show")
    assert shown == [f"{value}: {number}" for value in (1, 2, 3)]


@pytest.mark.parametrize("how", [BEFORE, UNSET, NOT_RUN])
def test_parallel_branches_reading_an_output_warn_as_a_sequential_run_does(kinds, how):
    board = Board(name="unset-in-branches")
    add = lambda key, node_id, **d: board.apply(commands.AddNode(kinds.get(key).create(node_id=node_id, **d)))  # noqa: E731
    add("u_start", "start")
    add("u_make", "make", set=how == BEFORE)
    par = add("control_par_execution", "par", thread_model="threads")
    branches = [pin.id for pin in sorted(par.pins.values(), key=lambda pin: pin.index) if pin.name == "exec_out"]
    add("u_show", "left", value=1)
    add("u_show", "right", value=2)
    wires = [("par", branches[0], "left", "exec_in"), ("par", branches[1], "right", "exec_in"),
             ("make", "number", "left", "number"), ("make", "number", "right", "number")]
    if how == NOT_RUN:
        wires.append(("start", "exec_out", "par", "exec_in"))
    else:
        wires += [("start", "exec_out", "make", "exec_in"), ("make", "exec_out", "par", "exec_in")]
    for wire in wires:
        board.apply(commands.Connect(*wire))
    run = run_board(board, registry=kinds)
    assert run.ok, run.error
    warned, _ = EXPECTED[how]
    # each reading node warns once (its own input), as in a sequential run
    assert [(line.node_id, line.message) for line in run.logs() if line.level is LogLevel.WARN] == \
        [(reader, message) for reader in ("left", "right") for message in warned]


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_a_value_set_before_the_loop_that_cannot_travel_fails_the_loop_naming_it(kinds, workers, request):
    """It read None there (values set before the loop did not go to the workers)."""
    if workers == "dask":
        request.getfixturevalue("dask_backend")
    board = Board(name="unsendable")
    add = lambda key, node_id, **d: board.apply(commands.AddNode(kinds.get(key).create(node_id=node_id, **d)))  # noqa: E731
    add("u_start", "start")
    add("u_lock", "lock")
    add("control_par_for_each", "loop", array=[1, 2], workers=workers)
    add("u_show", "show")
    for wire in [("start", "exec_out", "lock", "exec_in"), ("lock", "exec_out", "loop", "exec_in"),
                 ("loop", "exec_out", "show", "exec_in"), ("lock", "lock", "show", "number")]:
        board.apply(commands.Connect(*wire))
    run = run_board(board, registry=kinds)
    assert not run.ok
    assert "the loop's body reads output 'lock' of node 'u_lock' (lock), whose value cannot be sent to other " \
           "processes (TypeError: cannot pickle '_thread.lock' object): run the loop on workers 'threads'" in run.error
