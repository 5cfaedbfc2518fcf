"""The executor: exec flow in steps, pure nodes pulled once per step, loops, errors, cancel, step limit."""

from __future__ import annotations

import threading
import time

import pytest

from flowlike_core import (
    BoardError,
    DataType,
    Listener,
    NodeFailed,
    NodeStatus,
    RunCancelled,
    RunHandle,
    RunStatus,
    StepLimitExceeded,
    UnknownNodeError,
    UnknownVariableError,
    ValueType,
    Variable,
    commands,
    start_run,
)
from flowlike_core.function_node import node


def seen_variable(build):
    build.board.apply(
        commands.UpsertVariable(
            Variable(name="seen", data_type=DataType.GENERIC, value_type=ValueType.ARRAY, default_value=[])
        )
    )


def test_chain_runs_in_order_and_records_traces(build):
    seen_variable(build)
    start, a, b, rec = (
        build.add("t_start"),
        build.add("t_add_one", value=1),
        build.add("t_add_one"),
        build.add("t_record"),
    )
    build.chain(start, a, b, rec)
    build.wire(a, "value", b, "value")
    build.wire(b, "value", rec, "value")
    run = build.run()
    assert run.status is RunStatus.SUCCESS and run.ok
    assert [t.node_id for t in run.traces] == [start.id, a.id, b.id, rec.id]
    assert [t.step for t in run.traces] == [1, 2, 3, 4]
    assert all(t.status is NodeStatus.SUCCESS and t.end >= t.start for t in run.traces)
    assert run.output(b.id, "value") == 3
    assert [line.message for line in run.logs()] == ["saw 3"]
    record = run.record()
    assert record.traces[-1].logs[0].message == "saw 3" and record.status == "Success"


def test_fan_out_runs_both_branches_in_one_step(build):
    seen_variable(build)
    start, fork = build.add("t_start"), build.add("t_fork")
    left, right = build.add("t_record", value="left"), build.add("t_record", value="right")
    build.chain(start, fork)
    build.wire(fork, "a", left, "exec_in")
    build.wire(fork, "b", right, "exec_in")
    run = build.run()
    assert sorted(run.variables["seen"]) == ["left", "right"] and run.ok
    assert run.record().variables == {"seen": []}
    steps = {t.node_id: t.step for t in run.traces}
    assert steps[left.id] == steps[right.id] == steps[fork.id] + 1


def test_pure_nodes_are_pulled_lazily_and_once_per_step(build, registry):
    seen_variable(build)
    registry.get("t_counter").calls = 0
    start, counter, rec1, rec2 = (
        build.add("t_start"),
        build.add("t_counter"),
        build.add("t_record"),
        build.add("t_record"),
    )
    unused = build.add("t_counter")
    build.chain(start, rec1, rec2)
    build.wire(counter, "count", rec1, "value")
    build.wire(counter, "count", rec2, "value")
    fork_run = build.run()
    assert fork_run.ok
    pulled = [t.node_id for t in fork_run.traces if t.node_name == "t_counter"]
    assert pulled == [counter.id, counter.id]  # once in each of the two steps, never for the unused node
    assert unused.id not in pulled


def test_pure_node_pulled_twice_in_one_step_is_computed_once(build, registry):
    registry.get("t_counter").calls = 0

    @node(name="t_pair")
    def pair(a: int, b: int) -> list[int]:
        return [a, b]

    registry.register(pair)

    seen_variable(build)
    start, counter, paired, rec = (
        build.add("t_start"),
        build.add("t_counter"),
        build.add("t_pair"),
        build.add("t_record"),
    )
    build.chain(start, rec)
    build.wire(counter, "count", paired, "a")
    build.wire(counter, "count", paired, "b")
    build.board.apply(commands.Connect(paired.id, "result", rec.id, "value"))
    run = build.run()
    assert run.output(paired.id, "result") == [1, 1]
    assert registry.get("t_counter").calls == 1


def test_loop_body_runs_to_completion_before_continuing(build):
    seen_variable(build)
    start, numbers, loop = build.add("t_start"), build.add("t_numbers"), build.add("t_loop")
    body, after = build.add("t_record"), build.add("t_record", value="after")
    build.chain(start, loop)
    build.wire(numbers, "numbers", loop, "items")
    build.wire(loop, "item", body, "value")
    build.wire(loop, "body", body, "exec_in")
    build.wire(loop, "done", after, "exec_in")
    run = build.run()
    messages = [line.message for line in run.logs()]
    assert messages == ["saw 1", "saw 2", "saw 3", "saw 'after'"]


def test_async_nodes_and_async_pure_nodes(build):
    start, double, add = build.add("t_start"), build.add("t_async_double", value=4), build.add("t_add_one")
    build.chain(start, add)
    build.wire(double, "value", add, "value")
    run = build.run()
    assert run.output(add.id, "value") == 9


def test_failing_node_fails_the_run_and_keeps_the_record(build):
    start, fail, after = build.add("t_start"), build.add("t_fail"), build.add("t_add_one")
    build.chain(start, fail, after)
    run = build.run()
    assert run.status is RunStatus.FAILED
    assert run.error_node == fail.id and "ValueError: kaboom" in run.error
    trace = run.failed_trace()
    assert trace.status is NodeStatus.FAILED and "kaboom" in trace.traceback
    assert [line.message for line in trace.logs] == ["about to fail"]
    assert after.id not in {t.node_id for t in run.traces}
    assert run.record().model_dump(mode="json")["error_node"] == fail.id
    with pytest.raises(NodeFailed, match="kaboom"):
        run.raise_for_status()


def test_wired_error_output_handles_the_error(build):
    seen_variable(build)
    start, fail, handler = build.add("t_start"), build.add("t_fail"), build.add("t_record")
    build.chain(start, fail)
    build.wire(fail, "auto_handle_error", handler, "exec_in")
    build.wire(fail, "auto_handle_error_string", handler, "value")
    run = build.run()
    assert run.status is RunStatus.SUCCESS
    assert [line.message for line in run.logs()] == ["about to fail", "saw 'ValueError: kaboom'"]
    assert run.traces_of(fail.id)[0].status is NodeStatus.FAILED


def test_step_limit_stops_runaway_loops(build):
    start, forever, add = build.add("t_start"), build.add("t_forever"), build.add("t_add_one")
    build.chain(start, forever)
    build.wire(forever, "body", add, "exec_in")
    run = build.run(max_steps=500)
    assert run.status is RunStatus.FAILED and run.steps == 501
    assert "step limit of 500" in run.error
    with pytest.raises(StepLimitExceeded):
        run.raise_for_status()


def start_endless_run(build):
    """A run that sleeps in a loop forever: only a cancel ends it."""
    start, forever, sleep = build.add("t_start"), build.add("t_forever"), build.add("t_sleep", seconds=0.01)
    build.chain(start, forever)
    build.wire(forever, "body", sleep, "exec_in")
    return start_run(build.board, registry=build.registry)


def test_cancel_stops_a_running_run(build):
    handle = start_endless_run(build)
    deadline = time.monotonic() + 60
    while handle.run.steps < 3 and time.monotonic() < deadline:  # (the loop is under way, however busy the machine)
        time.sleep(0.01)
    handle.cancel()
    run = handle.wait(timeout=10)
    assert handle.done() and run.status is RunStatus.CANCELLED
    assert run.traces and run.traces[-1].status in (NodeStatus.CANCELLED, NodeStatus.SUCCESS)
    with pytest.raises(RunCancelled):
        run.raise_for_status()


def test_keyboard_interrupt_while_waiting_cancels(build):
    """Ctrl-C lands while the notebook waits (not before: on a busy machine a fixed timer could fire while the run
    was still starting, which interrupts the test itself, and pytest with it)."""
    import _thread
    import sys

    handle = start_endless_run(build)
    main = threading.main_thread().ident

    def interrupt_once_waiting() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            frame = sys._current_frames().get(main)
            while frame is not None and frame.f_code is not RunHandle.wait.__code__:
                frame = frame.f_back
            if frame is not None and handle.run.steps >= 3:
                _thread.interrupt_main()
                return
            time.sleep(0.01)

    threading.Thread(target=interrupt_once_waiting, daemon=True).start()
    run = handle.wait(timeout=120)
    assert run.status is RunStatus.CANCELLED


def test_variables_overrides_only_for_exposed(build):
    build.board.apply(
        commands.UpsertVariable(Variable(name="n", data_type=DataType.INTEGER, default_value=1, exposed=True))
    )
    build.board.apply(commands.UpsertVariable(Variable(name="hidden", data_type=DataType.INTEGER, default_value=1)))
    build.add("t_start")
    assert build.run(variables={"n": 5}).variables["n"] == 5
    with pytest.raises(UnknownVariableError, match="not exposed"):
        build.run(variables={"hidden": 5})
    with pytest.raises(UnknownVariableError, match="no variable 'nope'"):
        build.run(variables={"nope": 5})
    with pytest.raises(BoardError, match="does not fit"):
        build.run(variables={"n": "five"})


def test_start_node_choice(build):
    build.add("t_start")
    build.add("t_start")
    with pytest.raises(UnknownNodeError, match="several event nodes"):
        build.run()
    empty = type(build)(build.registry)
    with pytest.raises(UnknownNodeError, match="no event node"):
        empty.run()


def test_plan_is_compiled_once_per_revision(build, monkeypatch):
    import flowlike_core.plan as plan_module

    build.add("t_start")
    compiled = []
    real = plan_module.compile_plan
    monkeypatch.setattr(plan_module, "compile_plan", lambda *a: compiled.append(1) or real(*a))
    build.run()
    build.run()
    assert len(compiled) == 1
    build.add("t_add_one")
    build.run()
    assert len(compiled) == 2


def test_listeners_see_the_run_live(build):
    start, add = build.add("t_start"), build.add("t_add_one")
    build.chain(start, add)
    events = []

    class Watch(Listener):
        def start(self, run):
            events.append(("start", run.status))

        def node_started(self, run, trace):
            events.append(("node_started", trace.node_id))

        def node_finished(self, run, trace):
            events.append(("node_finished", trace.status))

        def finished(self, run):
            events.append(("finished", run.status))

    run = build.run(listeners=[Watch()])
    assert events == [("start", RunStatus.RUNNING), ("node_started", start.id), ("node_finished", NodeStatus.SUCCESS),
                      ("node_started", add.id), ("node_finished", NodeStatus.SUCCESS), ("finished", RunStatus.SUCCESS)]
    assert run.ok
