"""Variables, logging, and what happens when a node fails: routed to On Error, or failing the run."""

from __future__ import annotations

from flowlike_core import DataType, LogLevel, RunStatus, ValueType


def test_set_then_get_a_variable(b):
    b.variable("greeting", DataType.STRING, "hi")
    start, store = b.start(), b.add("variable_set", var_ref="greeting", value_in="hello")
    read, back = b.add("variable_get", var_ref="greeting"), b.add("events_generic_return_result")
    b.chain(start, store, back)
    b.wire(read, "value_ref", back, "response")
    run = b.run()
    assert run.result == "hello"
    assert run.output(store.id, "value_ref") == "hello"


def test_exposed_variable_is_overridden_per_run(b):
    b.variable("items", DataType.INTEGER, [1], ValueType.ARRAY, exposed=True)
    start, read, back = b.start(), b.add("variable_get", var_ref="items"), b.add("events_generic_return_result")
    b.chain(start, back)
    b.wire(read, "value_ref", back, "response")
    assert b.run().result == [1]
    assert b.run(variables={"items": [4, 5]}).result == [4, 5]


def test_log_levels_and_non_text_messages(b):
    start, info, warn, error = b.start(), b.log("plain"), b.add("log_warning", message={"a": [1, 2]}), \
        b.add("log_error", message=3)
    b.chain(start, info, warn, error)
    run = b.run()
    assert [(line.level, line.message) for line in run.logs()] == [
        (LogLevel.INFO, "plain"), (LogLevel.WARN, '{"a": [1, 2]}'), (LogLevel.ERROR, "3")]


def test_error_routed_to_on_error_runs_that_branch_with_the_message(b):
    start, store, handler, after = b.start(), b.add("variable_set", var_ref="missing", value_in=1), \
        b.add("log_warning"), b.log("not reached")
    b.chain(start, store, after)
    b.wire(store, "auto_handle_error", handler, "exec_in")
    b.wire(store, "auto_handle_error_string", handler, "message")
    run = b.run()
    assert run.status is RunStatus.SUCCESS
    assert b.messages(run) == ["UnknownVariableError: no variable 'missing' on board 'std-test'"]
    assert run.traces_of(store.id)[0].status.value == "Failed"


def test_unhandled_error_fails_the_run_with_a_readable_record(b):
    start, store, after = b.start(), b.add("variable_set", var_ref="missing", value_in=1), b.log("not reached")
    b.chain(start, store, after)
    run = b.run()
    assert run.status is RunStatus.FAILED
    record = run.record()
    assert record.status is RunStatus.FAILED
    assert record.error_node == store.id
    assert "no variable 'missing'" in record.error
    failed = [t for t in record.traces if t.status.value == "Failed"]
    assert [t.node_id for t in failed] == [store.id]
    assert "UnknownVariableError" in failed[0].traceback
    assert b.messages(run) == []


def test_failing_pure_node_fails_the_run_naming_it(b):
    start, divide, show = b.start(), b.add("int_divide", integer1=1, integer2=0), b.log()
    b.chain(start, show)
    b.wire(divide, "result", show, "message")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "cannot divide 1 by zero" in run.error
    assert run.error_node == divide.id


def test_variables_are_found_by_id_too(b):
    counter = b.variable("counter", DataType.INTEGER, 1)
    start, store = b.start(), b.add("variable_set", var_ref=counter.id, value_in=5)
    read, back = b.add("variable_get", var_ref=counter.id), b.add("events_generic_return_result")
    b.chain(start, store, back)
    b.wire(read, "value_ref", back, "response")
    assert b.run().result == 5


def test_set_variable_with_no_value_given_or_wired_fails_naming_the_variable(b):
    """Flow-Like fails it (its Value pin has no value); a variable silently set to nothing is never meant."""
    b.variable("n", DataType.INTEGER, 3)
    start, store, after = b.start(), b.add("variable_set", var_ref="n"), b.log("not reached")
    b.chain(start, store, after)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert run.error_node == store.id
    assert "Set Variable 'n': Value is neither wired nor given" in run.error


def test_set_variable_takes_a_wired_none(b):
    b.variable("maybe", DataType.GENERIC, 1)
    start, store, back = b.start(), b.add("variable_set", var_ref="maybe"), b.add("events_generic_return_result")
    read, nothing = b.add("variable_get", var_ref="maybe"), b.add("variable_get", var_ref="nothing")
    b.variable("nothing", DataType.GENERIC, None)
    b.chain(start, store, back)
    b.wire(nothing, "value_ref", store, "value_in")
    b.wire(read, "value_ref", back, "response")
    run = b.run()
    assert run.ok, run.error
    assert run.result is None
