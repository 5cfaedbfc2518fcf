"""Loops run their body to completion per item, report progress, stop on break, max iterations and step limits."""

from __future__ import annotations

import threading

from flowlike_core import DataType, Listener, RunStatus, StepLimitExceeded, ValueType, commands


def test_for_each_runs_the_body_per_item_and_types_follow_the_wiring(b):
    start, loop = b.start(), b.add("control_for_each", array=[1, 2, 3])
    add, show, done = b.add("int_add", integer2=10), b.log(), b.log("done")
    b.chain(start, loop)
    b.wire(loop, "value", add, "integer1")
    assert b.pin(loop, "value").data_type is DataType.INTEGER
    array = b.pin(loop, "array", "Input")
    assert (array.data_type, array.value_type) == (DataType.INTEGER, ValueType.ARRAY)
    b.wire(loop, "exec_out", show, "exec_in")
    b.wire(add, "sum", show, "message")
    b.wire(loop, "done", done, "exec_in")
    progress = []
    class Progress(Listener):
        def progress(self, run, node_id, fraction, message):
            progress.append(fraction)

    run = b.run(listeners=[Progress()])
    assert b.messages(run) == ["11", "12", "13", "done"]
    assert run.output(loop.id, "index") == 2
    assert progress == [1 / 3, 2 / 3, 1.0]


def test_for_each_body_finishes_before_the_next_item(b):
    first, second = b.log(), b.log("-")
    loop = b.loop("control_for_each", first, array=["a", "b"])
    b.wire(loop, "value", first, "message")
    b.chain(first, second)
    assert b.messages(b.run()) == ["a", "-", "b", "-"]


def test_for_each_over_an_empty_array_goes_straight_to_completed(b):
    b.loop("control_for_each", b.log("body"), b.log("done"), array=[])
    assert b.messages(b.run()) == ["done"]


def test_for_each_with_break_stops_after_the_item_that_makes_break_true(b):
    show, at_three = b.log(), b.add("int_greater_than_or_equal", integer2=3)
    loop = b.loop("control_for_each_with_break", show, b.log("done"), array=[1, 2, 3, 4, 5])
    b.wire(loop, "value", show, "message")
    b.wire(loop, "value", at_three, "integer1")
    b.wire(at_three, "greater_than_or_equal", loop, "break")
    run = b.run()
    assert run.status is RunStatus.SUCCESS
    assert b.messages(run) == ["1", "2", "3", "done"]


def test_for_each_with_break_set_by_a_variable_in_the_body(b):
    b.variable("stop", DataType.BOOLEAN, False)
    show = b.log()
    loop = b.loop("control_for_each_with_break", show, array=["x", "y", "z"])
    read, is_y, stop = b.add("variable_get", var_ref="stop"), b.add("equal_string"), \
        b.add("variable_set", var_ref="stop")
    b.wire(loop, "value", show, "message")
    b.wire(loop, "value", is_y, b.pin_ids(is_y, "string")[0])
    b.board.apply(commands.UpdateNode(is_y.id, defaults={b.pin_ids(is_y, "string")[1]: "y"}))
    b.chain(show, stop)
    b.wire(is_y, "equal", stop, "value_in")
    b.wire(read, "value_ref", loop, "break")
    assert b.messages(b.run()) == ["x", "y"]


def test_for_each_with_break_true_from_the_start_runs_no_item(b):
    b.loop("control_for_each_with_break", b.log(), b.log("done"), array=[1], **{"break": True})
    assert b.messages(b.run()) == ["done"]


def test_for_each_with_break_runs_every_item_without_a_break(b):
    show = b.log()
    loop = b.loop("control_for_each_with_break", show, array=["x", "y"])
    b.wire(loop, "value", show, "message")
    assert b.messages(b.run()) == ["x", "y"]


def _counting_loop(b, limit: int):
    """while counter < limit: counter += 1; then return counter."""
    b.variable("counter", DataType.INTEGER, 0)
    start, loop = b.start(), b.add("control_while_loop", max_iter=100)
    counter, below, plus_one = b.add("variable_get", var_ref="counter"), b.add("int_less_than", integer2=limit), \
        b.add("int_add", integer2=1)
    store, back = b.add("variable_set", var_ref="counter"), b.add("events_generic_return_result")
    b.chain(start, loop)
    b.wire(counter, "value_ref", below, "integer1")
    b.wire(below, "less_than", loop, "condition")
    b.wire(counter, "value_ref", plus_one, "integer1")
    b.wire(plus_one, "sum", store, "value_in")
    b.wire(loop, "exec_out", store, "exec_in")
    b.wire(loop, "done", back, "exec_in")
    b.wire(counter, "value_ref", back, "response")
    return loop, store


def test_while_loop_rereads_its_condition_every_iteration(b):
    loop, store = _counting_loop(b, 3)
    run = b.run()
    assert run.status is RunStatus.SUCCESS
    assert run.result == 3
    assert len(run.traces_of(store.id)) == 3
    assert run.output(loop.id, "iter") == 2


def test_while_loop_stops_at_max_iterations(b):
    loop = b.loop("control_while_loop", b.log("tick"), b.log("done"), condition=True, max_iter=4)
    run = b.run()
    assert [line.message for line in run.logs() if line.node_id != loop.id] == ["tick"] * 4 + ["done"]
    assert [line.message for line in run.traces_of(loop.id)[0].logs] == [
        "stopped after 4 iterations (Max Iterations) with the condition still true"]


def test_runaway_while_loop_hits_the_step_limit(b):
    b.loop("control_while_loop", b.log("again"), condition=True, max_iter=10**9)
    run = b.run(max_steps=50)
    assert run.status is RunStatus.FAILED
    assert isinstance(run.exception, StepLimitExceeded)
    assert "step limit of 50" in run.error
    assert run.steps == 51


def test_loop_is_cancelled_between_iterations(b):
    wait = b.add("delay", time=2.0)
    b.loop("control_for_each", wait, array=list(range(1000)))
    handles = []
    started = threading.Event()

    class CancelEarly(Listener):
        def progress(self, run, node_id, fraction, message):
            if fraction >= 0.002:
                started.wait(10)  # progress may come before start_run has returned the handle
                handles[0].cancel()

    handles.append(b.start_run(listeners=[CancelEarly()]))
    started.set()
    run = handles[0].wait(10)
    assert run.status is RunStatus.CANCELLED
    assert len(run.traces_of(wait.id)) < 1000


def test_for_each_takes_the_element_type_of_the_wired_array(b):
    split, loop = b.add("string_split", string="a b", separator=" "), b.add("control_for_each")
    b.wire(split, "substrings", loop, "array")
    assert b.pin(loop, "value").data_type is DataType.STRING
    b.board.undo()
    assert b.pin(loop, "value").data_type is DataType.GENERIC
