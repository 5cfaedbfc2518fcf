"""Running from cells: status, traces and logs as tables, outputs by name, failures shown not raised."""

from __future__ import annotations

import pandas
import pytest

import flowlike_nb as fnb
from flowlike_core import NodeFailed, RunStatus
from flowlike_core.board import LogLevel


@fnb.node
def kernel_test_explode(value: int) -> int:
    """Fails for negative numbers."""
    if value < 0:
        raise ValueError(f"negative value {value}")
    return value * 2


def failing_board(value: int) -> fnb.Board:
    board = fnb.Board("explodes")
    start = board.add("events_simple", "start")
    boom = board.add("kernel_test_explode", "boom", value=value)
    say = board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    boom.outputs.result >> say.inputs.message
    return board


def test_run_has_status_traces_logs_and_outputs(counter: fnb.Board) -> None:
    run = counter.run({"n": 5})
    assert run.status is RunStatus.SUCCESS
    traces, logs = run.trace_table(), run.log_table()
    assert isinstance(traces, pandas.DataFrame)
    assert list(traces["node"]) == ["start", "say", "read n"]
    assert list(traces["status"]) == ["Success"] * 3
    assert list(logs["message"]) == ["5"] and list(logs["node"]) == ["say"]
    assert run.traces == run.core.traces and run.logs() == run.core.logs()  # the Run's own, read through
    assert run.log_table(LogLevel.WARN).empty
    assert run.outputs["read n"].value_ref == 5
    assert run["read n", "value_ref"] == 5 == run["read n.value_ref"] == run.output("read n", "value_ref")
    assert "value_ref" in dir(run.outputs["read n"])
    assert counter.last_run is run


def test_the_outputs_show_which_nodes_set_values(counter: fnb.Board) -> None:
    run = counter.run({"n": 5})
    assert repr(run.outputs) == ("<outputs of 1 node: 'read n'; read one as outputs.NODE.PIN or "
                                 "outputs['NODE']>")
    assert repr(run.outputs["read n"]) == "{'value_ref': 5}"


def test_logs_are_rows_without_pandas(counter: fnb.Board, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    run = counter.run()
    logs = run.log_table()
    assert logs == [{"time (s)": logs[0]["time (s)"], "level": "Info", "node": "say", "message": "3"}]


def test_a_failed_run_raises_nothing_until_asked() -> None:
    run = failing_board(-1).run()
    assert run.status is RunStatus.FAILED
    assert run.error_node == failing_board_node_id(run)
    page = run.html()
    assert "Error at node <b>boom</b>" in page and "negative value -1" in page
    rows = run.trace_rows()
    assert [r["status"] for r in rows if r["node"] == "boom"] == ["Failed"]
    with pytest.raises(NodeFailed, match="negative value -1"):
        run.raise_for_status()
    assert failing_board(4).run().raise_for_status().outputs.boom.result == 8


def failing_board_node_id(run: fnb.RunView) -> str:
    return run.core.board.node("boom").id


def test_board_as_a_function(counter: fnb.Board) -> None:
    board = fnb.Board("double")
    board.variable("x", int, 1, exposed=True)
    start = board.add("events_simple", "start")
    read = board.add("variable_get", "x", var_ref="x")
    twice = board.add("int_multiply", "twice", integer2=2)
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    read.outputs.value_ref >> twice.inputs.integer1
    twice.outputs.product >> done.inputs.response
    assert board(x=21) == 42
    assert [board(x=i) for i in range(4)] == [0, 2, 4, 6]
    with pytest.raises(NodeFailed):
        failing_board(-3)()


def test_a_node_calling_sys_exit_fails_the_run_not_the_process() -> None:
    @fnb.node(name="kernel_test_exit")
    def leave(code: int = 3) -> int:
        raise SystemExit(code)

    board = fnb.Board("exits")
    say = board.add("log_info", "say")
    board.add("events_simple", "start").outputs.exec_out >> say.inputs.exec_in
    board.add("kernel_test_exit", "leave").outputs.result >> say.inputs.message
    run = board.run()
    assert run.status is RunStatus.FAILED
    assert "SystemExit: 3" in run.error and run.error_node == board.node("leave").id
