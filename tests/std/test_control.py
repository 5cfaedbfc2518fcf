"""Every control node on a small board: branches, sequences, counters, gates, parallel branches, delay, reroute."""

from __future__ import annotations

import threading

import pytest

from flowlike_core import DataType, Listener, Run, RunStatus, ValueType


@pytest.mark.parametrize(("condition", "expected"), [(True, ["yes"]), (False, ["no"])])
def test_branch_follows_the_condition(b, condition, expected):
    start, branch = b.start(), b.add("control_branch", condition=condition)
    yes, no = b.log("yes"), b.log("no")
    b.chain(start, branch)
    b.wire(branch, "true", yes, "exec_in")
    b.wire(branch, "false", no, "exec_in")
    assert b.messages(b.run()) == expected


def test_branch_reads_a_wired_condition(b):
    b.variable("flag", DataType.BOOLEAN, False, exposed=True)
    start, branch, flag = b.start(), b.add("control_branch"), b.add("variable_get", var_ref="flag")
    yes, no = b.log("yes"), b.log("no")
    b.chain(start, branch)
    b.wire(flag, "value_ref", branch, "condition")
    b.wire(branch, "true", yes, "exec_in")
    b.wire(branch, "false", no, "exec_in")
    assert b.messages(b.run()) == ["no"]
    assert b.messages(b.run(variables={"flag": True})) == ["yes"]


def test_sequence_runs_each_branch_to_completion_in_pin_order(b):
    start, sequence = b.start(), b.add("control_sequence")
    a1, a2, second, third = b.log("a1"), b.log("a2"), b.log("b"), b.log("c")
    b.chain(start, sequence)
    outs = b.pin_ids(sequence, "exec_out")
    b.wire(sequence, outs[0], a1, "exec_in")
    b.chain(a1, a2)
    b.wire(sequence, outs[1], second, "exec_in")
    b.wire(sequence, outs[2], third, "exec_in")
    run = b.run()
    assert b.messages(run) == ["a1", "a2", "b", "c"]
    steps = [t.step for t in run.traces if t.node_name == "log_info"]
    assert steps == sorted(steps) and len(set(steps)) == 4


def through_loop_reset_and_once_more(b, gate, items: list) -> Run:
    """Runs start -> Sequence: a For Each over `items` fires the gate per item, then the gate is reset, then fired
    once more; each pass logs "passed"."""
    start, sequence = b.start(), b.add("control_sequence")
    loop, passed, again = b.add("control_for_each", array=items), b.log("passed"), b.add("reroute")
    b.chain(start, sequence)
    first, reset, last = b.pin_ids(sequence, "exec_out")
    b.wire(sequence, first, loop, "exec_in")
    b.wire(loop, "exec_out", gate, "exec_in")
    b.wire(sequence, reset, gate, "reset")
    b.wire(sequence, last, again, "exec_in")
    b.wire(again, "exec_out", gate, "exec_in")
    b.wire(gate, "then", passed, "exec_in")
    return b.run()


def test_do_n_passes_n_times_until_reset(b):
    do_n = b.add("control_do_n", n=2)
    run = through_loop_reset_and_once_more(b, do_n, [1, 2, 3, 4])
    assert b.messages(run) == ["passed"] * 4  # two of the loop's four, the reset, once more
    assert run.output(do_n.id, "index") == 2
    assert run.output(do_n.id, "remaining") == 0


def test_do_once_passes_once_until_reset(b):
    once = b.add("control_do_once")
    run = through_loop_reset_and_once_more(b, once, ["x", "y", "z"])
    assert b.messages(run) == ["passed", "passed"]
    assert run.output(once.id, "has_fired") is True


def test_do_once_can_start_closed(b):
    start, once, passed = b.start(), b.add("control_do_once", start_closed=True), b.log("once")
    b.chain(start, once)
    b.wire(once, "then", passed, "exec_in")
    assert b.messages(b.run()) == []


def test_flip_flop_alternates(b):
    flip, a, side_b = b.add("control_flip_flop"), b.log("A"), b.log("B")
    b.loop("control_for_each", flip, array=[0, 1, 2, 3, 4])
    b.wire(flip, "a", a, "exec_in")
    b.wire(flip, "b", side_b, "exec_in")
    run = b.run()
    assert b.messages(run) == ["A", "B", "A", "B", "A"]
    assert run.output(flip.id, "tick") == 5
    assert run.output(flip.id, "is_a") is False  # the next execution takes B


def test_gate_opens_closes_and_toggles(b):
    start, first, second = b.start(), b.add("control_sequence"), b.add("control_sequence")
    gate, passed = b.add("control_gate"), b.log("passed")
    b.chain(start, first)
    a, c, d = b.pin_ids(first, "exec_out")
    b.wire(first, a, gate, "enter")            # open at start: passes
    b.wire(first, c, gate, "close")
    b.wire(first, d, second, "exec_in")
    e, f, g = b.pin_ids(second, "exec_out")
    hop = b.add("reroute")
    b.wire(second, e, hop, "exec_in")           # closed: blocked
    b.wire(hop, "exec_out", gate, "enter")
    b.wire(second, f, gate, "toggle")           # open again
    b.wire(second, g, gate, "enter")            # passes
    b.wire(gate, "exit", passed, "exec_in")
    run = b.run()
    assert b.messages(run) == ["passed", "passed"]
    assert run.output(gate.id, "pass_count") == 2
    assert run.output(gate.id, "block_count") == 1
    assert run.output(gate.id, "is_open") is True


def test_gate_can_start_closed_and_be_opened(b):
    start, sequence, gate, passed = b.start(), b.add("control_sequence"), b.add("control_gate", start_closed=True), \
        b.log("passed")
    b.chain(start, sequence)
    a, c, d = b.pin_ids(sequence, "exec_out")
    hop = b.add("reroute")
    b.wire(sequence, a, gate, "enter")
    b.wire(sequence, c, gate, "open")
    b.wire(sequence, d, hop, "exec_in")
    b.wire(hop, "exec_out", gate, "enter")
    b.wire(gate, "exit", passed, "exec_in")
    run = b.run()
    assert b.messages(run) == ["passed"]
    assert run.output(gate.id, "block_count") == 1


def test_parallel_execution_runs_branches_in_one_step_and_gather_waits_for_all(b):
    start, parallel = b.start(), b.add("control_par_execution")
    slow, slow_log, fast_log = b.add("delay", time=20.0), b.log("slow"), b.log("fast")
    gather, gathered, done = b.add("control_gather"), b.log("gathered"), b.log("all done")
    b.chain(start, parallel)
    left, right = b.pin_ids(parallel, "exec_out")
    b.wire(parallel, left, slow, "exec_in")
    b.chain(slow, slow_log)
    b.wire(parallel, right, fast_log, "exec_in")
    in0, in1 = b.pin_ids(gather, "exec_in")
    b.wire(slow_log, "exec_out", gather, in0)
    b.wire(fast_log, "exec_out", gather, in1)
    b.wire(gather, "exec_done", gathered, "exec_in")
    b.wire(parallel, "exec_done", done, "exec_in")
    run = b.run()
    assert run.status is RunStatus.SUCCESS
    # the record reads branch by branch; gather fired in the slow branch, the one that reached it last
    assert b.messages(run) == ["slow", "gathered", "fast", "all done"]
    assert run.traces_of(slow.id)[0].step == run.traces_of(fast_log.id)[0].step
    assert len(run.traces_of(gather.id)) == 2


def test_reroute_passes_execution_on(b):
    start, hop, end = b.start(), b.add("reroute"), b.log("through")
    b.chain(start, hop, end)
    assert b.messages(b.run()) == ["through"]


def test_data_reroute_passes_the_value_and_takes_its_type(b):
    start, add, hop, show = b.start(), b.add("int_add", integer1=2, integer2=3), b.add("reroute_data"), b.log()
    b.chain(start, show)
    b.wire(add, "sum", hop, "route_in")
    b.wire(hop, "route_out", show, "message")
    assert b.pin(hop, "route_out").data_type is DataType.INTEGER
    assert b.messages(b.run()) == ["5"]


def test_delay_waits_then_goes_on(b):
    start, wait, end = b.start(), b.add("delay", time=5.0), b.log("after")
    b.chain(start, wait, end)
    run = b.run()
    assert b.messages(run) == ["after"]
    assert run.traces_of(wait.id)[0].duration >= 0.004


def test_delay_is_cancelled_with_the_run(b):
    start, wait, end = b.start(), b.add("delay", time=60_000.0), b.log("never")
    b.chain(start, wait, end)
    waiting = threading.Event()
    class Started(Listener):
        def node_started(self, run, trace):
            if trace.node_id == wait.id:
                waiting.set()

    handle = b.start_run(listeners=[Started()])
    assert waiting.wait(60)  # (a deadline for a busy machine, not a timing)
    handle.cancel()
    run = handle.wait(60)
    assert run.status is RunStatus.CANCELLED
    assert b.messages(run) == []
    assert run.traces_of(wait.id)[0].status.value == "Cancelled"


def test_negative_delay_fails_with_a_clear_message(b):
    start, wait = b.start(), b.add("delay", time=-1.0)
    b.chain(start, wait)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "delay must not be negative" in run.error


def test_generic_event_hands_on_the_payload_and_return_sets_the_result(b):
    event, back = b.add("events_generic"), b.add("events_generic_return_result")
    b.wire(event, "exec_out", back, "exec_in")
    b.wire(event, "payload", back, "response")
    run = b.run(payload={"rows": [1, 2]})
    assert run.result == {"rows": [1, 2]}
    assert run.record().result == {"rows": [1, 2]}


def test_sequence_pin_types_are_exec(b):
    sequence = b.add("control_sequence")
    assert [p.data_type for p in b.board.nodes[sequence.id].outputs if p.name == "exec_out"] == \
        [DataType.EXECUTION] * 3
    assert b.pin(sequence, "exec_out").value_type is ValueType.NORMAL


@pytest.mark.parametrize(("body_ms", "expected"), [(1.0, "completed"), (60_000.0, "timed out")])
def test_timeout_stops_a_slow_body(b, body_ms, expected):
    start, timeout, body = b.start(), b.add("control_timeout", timeout_ms=50.0), b.add("delay", time=body_ms)
    completed, timed_out = b.log("completed"), b.log("timed out")
    b.chain(start, timeout)
    b.wire(timeout, "exec_body", body, "exec_in")
    b.wire(timeout, "exec_completed", completed, "exec_in")
    b.wire(timeout, "exec_timed_out", timed_out, "exec_in")
    run = b.run()
    assert run.status is RunStatus.SUCCESS
    assert [line.message for line in run.logs() if line.node_id != timeout.id] == [expected]
    assert run.traces_of(body.id)[0].status.value == ("Success" if expected == "completed" else "Cancelled")


def test_gather_waits_for_every_wired_input_not_for_a_count_of_firings(b):
    start, sequence, first, second = b.start(), b.add("control_sequence"), b.log("first"), b.log("second")
    never, last = b.add("control_branch", condition=True), b.log("last")
    gather, gathered = b.add("control_gather"), b.log("gathered")
    b.chain(start, sequence)
    then0, then1, then2 = b.pin_ids(sequence, "exec_out")
    in0, in1 = b.pin_ids(gather, "exec_in")
    b.wire(sequence, then0, first, "exec_in")
    b.wire(sequence, then1, second, "exec_in")
    b.wire(first, "exec_out", gather, in0)
    b.wire(second, "exec_out", gather, in0)
    b.wire(never, "false", gather, in1)
    b.wire(gather, "exec_done", gathered, "exec_in")
    assert b.messages(b.run()) == ["first", "second"], "In 0 fired twice, In 1 never: nothing is released"
    b.wire(sequence, then2, last, "exec_in")
    b.wire(last, "exec_out", gather, in1)
    assert b.messages(b.run()) == ["first", "second", "last", "gathered"]


def test_a_for_each_body_starts_when_the_one_before_ended(b):
    """One clock reading per node, loop iterations included: without a progress listener or a stop condition, an
    item's body starts when the last item's body ended (nothing else ran between them)."""
    body = b.add("reroute")
    b.loop("control_for_each", body, array=[1, 2, 3])
    run = b.run()
    traces = [trace for trace in run.traces if trace.node_id == body.id]
    assert len(traces) == 3
    assert all(later.start == earlier.end for earlier, later in zip(traces, traces[1:], strict=False))
