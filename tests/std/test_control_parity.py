"""Control nodes do what Flow-Like's do (packages/catalog/std/src/control in TM9657/flow-like), so a board made
there runs the same here: which exec outputs fire, in what order, what the outputs hold, the pins' defaults.

Where ours differs on purpose (a body failure fails the run; Gather counts inputs; Gate and Flip Flop honour
Start Closed and Start on A), the node's description or issue 8 says so and the tests beside these pin it."""

from __future__ import annotations

import pytest

from flowlike_core import DataType, RunStatus


def test_sequence_runs_a_node_wired_to_two_outputs_once(b):
    """Flow-Like's Sequence gathers the nodes of its outputs in pin order and runs each one once."""
    start, sequence, twice, other = b.start(), b.add("control_sequence"), b.log("twice"), b.log("other")
    b.chain(start, sequence)
    then0, then1, then2 = b.pin_ids(sequence, "exec_out")
    b.wire(sequence, then0, twice, "exec_in")
    b.wire(sequence, then1, other, "exec_in")
    b.wire(sequence, then2, twice, "exec_in")
    assert b.messages(b.run()) == ["twice", "other"]


def test_flip_flop_is_a_names_the_side_the_next_execution_takes(b):
    """Is A: "Side that will fire on next trigger"; during A's branch it already says B."""
    flip, on_a, on_b = b.add("control_flip_flop"), b.add("log_info"), b.add("log_info")
    b.loop("control_for_each", flip, array=[0, 1, 2])
    b.wire(flip, "a", on_a, "exec_in")
    b.wire(flip, "b", on_b, "exec_in")
    b.wire(flip, "is_a", on_a, "message")
    b.wire(flip, "is_a", on_b, "message")
    run = b.run()
    assert b.messages(run) == ["false", "true", "false"]
    assert run.output(flip.id, "is_a") is False
    assert run.output(flip.id, "tick") == 3


def test_do_n_reset_starts_counting_again_with_this_execution(b):
    """Reset sets the counter back to Start Index, then the execution counts as a pass (Then fires)."""
    start, sequence, do_n, passed = b.start(), b.add("control_sequence"), b.add("control_do_n", n=1), b.log("passed")
    b.chain(start, sequence)
    first, again, reset = b.pin_ids(sequence, "exec_out")
    b.wire(sequence, first, do_n, "exec_in")
    hop = b.add("reroute")
    b.wire(sequence, again, hop, "exec_in")
    b.wire(hop, "exec_out", do_n, "exec_in")   # blocked: N = 1 reached
    b.wire(sequence, reset, do_n, "reset")     # reset, and through
    b.wire(do_n, "then", passed, "exec_in")
    run = b.run()
    assert b.messages(run) == ["passed", "passed"]
    assert (run.output(do_n.id, "index"), run.output(do_n.id, "remaining")) == (1, 0)


def test_while_loop_runs_at_most_15_iterations_by_default(b):
    loop = b.loop("control_while_loop", b.log("tick"), condition=True)
    run = b.run()
    assert [line.message for line in run.logs() if line.node_id != loop.id] == ["tick"] * 15
    assert run.output(loop.id, "iter") == 14


def test_timeout_waits_5_seconds_by_default(b):
    start, timeout, body = b.start(), b.add("control_timeout"), b.add("delay", time=1200.0)
    b.chain(start, timeout)
    b.wire(timeout, "exec_body", body, "exec_in")
    b.wire(timeout, "exec_completed", b.log("completed"), "exec_in")
    b.wire(timeout, "exec_timed_out", b.log("timed out"), "exec_in")
    run = b.run()
    assert run.status is RunStatus.SUCCESS
    assert [line.message for line in run.logs() if line.node_id != timeout.id] == ["completed"]


def test_a_variable_set_in_a_loop_body_holds_the_last_item_after_the_loop(b):
    b.variable("last", DataType.INTEGER, 0)
    store, back = b.add("variable_set", var_ref="last"), b.add("events_generic_return_result")
    loop = b.loop("control_for_each", store, back, array=[4, 5, 6])
    read = b.add("variable_get", var_ref="last")
    b.wire(loop, "value", store, "value_in")
    b.wire(read, "value_ref", back, "response")
    run = b.run()
    assert run.result == 6
    assert (run.output(loop.id, "value"), run.output(loop.id, "index")) == (6, 2)


def test_for_each_over_an_empty_array_leaves_value_and_index_unset(b):
    loop = b.loop("control_for_each", b.log("body"), b.log("done"), array=[])
    run = b.run()
    assert b.messages(run) == ["done"]
    for output in ("value", "index"):
        with pytest.raises(KeyError, match="was not set"):
            run.output(loop.id, output)


@pytest.mark.parametrize("key", ["control_for_each", "control_for_each_with_break", "control_par_for_each"])
@pytest.mark.parametrize("value", ["abc", {"a": 1}, 7])
def test_a_loop_over_something_that_is_not_an_array_fails_saying_so(b, key, value):
    """Flow-Like's loops fail with "Array value is not an array"; ours looped over a text's characters."""
    b.variable("items", DataType.GENERIC, value)
    body = b.log("item")
    loop = b.loop(key, body)
    b.wire(b.add("variable_get", var_ref="items"), "value_ref", loop, "array")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert run.error_node == loop.id
    assert f"Array: expected a list of items, got {type(value).__name__}" in run.error
    assert not run.traces_of(body.id)


def test_a_failing_loop_body_fails_the_run_and_on_error_lets_the_loop_go_on(b):
    """Deliberately not Flow-Like's way (it logs the error and goes on with the next item): a node that raises fails
    the run here as everywhere; its On Error, wired, takes the error and the loop goes on."""
    divide, show = b.add("int_divide", integer1=6), b.add("log_info")
    loop = b.loop("control_for_each", show, b.log("done"), array=[1, 0, 2])
    b.wire(loop, "value", divide, "integer2")
    b.wire(divide, "result", show, "message")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert run.error_node == divide.id
    assert len(b.messages(run)) == 1
    b.wire(show, "auto_handle_error", b.log("handled"), "exec_in")
    run = b.run()
    assert run.ok, run.error
    messages = b.messages(run)
    assert (len(messages), messages[1], messages[3]) == (4, "handled", "done")  # 6/1, handled, 6/2, done
