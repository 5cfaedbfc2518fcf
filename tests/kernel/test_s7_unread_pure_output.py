"""A pure node no other node reads is computed when its output is asked for after the run (by `board.bind`,
`run.output`, `run.outputs`), from the values the run left, as Get HTML -> Page Tables needs."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core.errors import NodeFailed

calls: list[str] = []


@fnb.node(exec_pins=True)
def s7_make(n: int = 3) -> int:
    """An exec step with a data output (as Get HTML gives the page)."""
    calls.append("make")
    if n == 0:
        raise ValueError("no page")
    return n * 10


@fnb.node
def s7_double(x: int = 0) -> int:
    """A pure node reading the step's output (as Page Tables reads the page)."""
    calls.append("double")
    if x < 0:
        raise ValueError(f"negative {x}")
    return x * 2


def hanging_board() -> fnb.Board:
    """start -> make; make.result -> double, whose output nothing reads."""
    board = fnb.Board("hanging pure")
    board.variable("n", int, 3, exposed=True)
    start = board.add("events_simple", "start")
    n = board.add("variable_get", "n", var_ref="n")
    make = board.add("s7_make", "make")
    double = board.add("s7_double", "double")
    start.outputs.exec_out >> make.inputs.exec_in
    n.outputs.value_ref >> make.inputs.n
    make.outputs.result >> double.inputs.x
    return board


def test_a_bound_pure_output_nothing_reads_is_computed_after_the_run(shell: InteractiveShell) -> None:
    board = hanging_board()
    board.bind("double.result", "doubled")
    board.run().raise_for_status()
    assert shell.user_ns["doubled"] == 60
    board.run({"n": 4}).raise_for_status()
    assert shell.user_ns["doubled"] == 80


def test_run_output_of_an_unread_pure_node_is_computed_once_from_the_runs_values() -> None:
    board = hanging_board()
    calls.clear()
    run = board.run({"n": 5}).raise_for_status()
    assert calls == ["make"]
    assert run.output("double", "result") == 100
    assert run.outputs.double.result == 100 and run["double.result"] == 100
    assert calls == ["make", "double"]  # the step did not run again, and the pure node once


def test_an_unread_pure_node_that_raises_names_itself_and_its_error() -> None:
    board = hanging_board()
    run = board.run({"n": -1}).raise_for_status()
    with pytest.raises(NodeFailed, match="double.*negative -10"):
        run.output("double", "result")


def test_a_pure_node_reading_an_exec_output_the_run_never_set_says_so() -> None:
    board = hanging_board()
    board.node("start").outputs.exec_out.disconnect()
    run = board.run().raise_for_status()
    with pytest.raises(KeyError, match=r"'result' of node 'double'.*reads output 'result' of node 'make'.*"
                                       r"did not set.*board.run_to\('double'\) in a notebook, runs what it needs"):
        run.output("double", "result")


def test_a_bound_pure_output_that_fails_after_the_run_warns_naming_the_variable_node_and_error(
        shell: InteractiveShell) -> None:
    board = hanging_board()
    board.bind("double.result", "doubled")
    with pytest.warns(UserWarning, match=r"'doubled' was not assigned.*'result' of node 'double'.*negative -10"):
        board.run({"n": -1}).raise_for_status()
    assert "doubled" not in shell.user_ns


def test_a_binding_to_a_removed_node_is_left_alone(shell: InteractiveShell) -> None:
    board = hanging_board()
    board.bind("double.result", "doubled")
    board.remove("double")
    board.run().raise_for_status()
    assert "doubled" not in shell.user_ns


def test_after_a_failed_run_an_unread_pure_output_says_it_is_not_computed_and_what_to_do() -> None:
    board = hanging_board()
    run = board.run({"n": 0})
    assert not run.ok
    with pytest.raises(KeyError, match=r"'result' of node 'double'.*only when the run succeeded.*Failed.*run_to"):
        run.output("double", "result")
