"""Trace records: a quiet execution on the executor's fast path has no record until it ends, yet `run.traces` reads the
same as a watched run's (the careful path, which makes every trace as its node starts): executions in the order they
started, a pulled pure node at the step of the node that pulled it, the execution going on shown as running."""

from __future__ import annotations

import pickle
import threading
import time

import pytest

from flowlike_core import (
    DataType,
    Listener,
    LogLevel,
    NodeType,
    Registry,
    ValueType,
    Variable,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
    start_run,
)
from flowlike_core.run import FULL_TRACES, NodeStatus, NodeTrace, Records

DEADLINE = 30.0


class Watch(Listener):
    """Any node listener turns the fast path off: every execution goes the careful way."""

    def node_started(self, run, trace) -> None:
        pass


def shape(run) -> list[tuple[str, int, str]]:
    return [(t.node_name, t.step, t.status.value) for t in run.traces]


def test_a_pulled_pure_node_reads_after_its_puller_at_its_step_quiet_or_watched(build):
    start, first, second = build.add("t_start"), build.add("t_add_one"), build.add("t_add_one")
    count = build.add("t_counter")
    build.chain(start, first, second)
    build.wire(count, "count", first, "value")
    build.wire(first, "value", second, "value")
    quiet, watched = build.run(), build.run(listeners=[Watch()])
    assert quiet.ok and watched.ok
    # quiet: the puller made its trace as it pulled, so that it reads first; the others are compact records
    assert [type(record) for record in quiet.records] == [tuple, NodeTrace, NodeTrace, tuple]
    assert shape(quiet) == shape(watched) == [("t_start", 1, "Success"), ("t_add_one", 2, "Success"),
                                              ("t_counter", 2, "Success"), ("t_add_one", 3, "Success")]


def test_a_node_that_logs_keeps_its_place_and_its_lines(build):
    build.board.apply(commands.UpsertVariable(
        Variable(name="seen", data_type=DataType.GENERIC, value_type=ValueType.ARRAY, default_value=[])))
    start, record, after = build.add("t_start"), build.add("t_record", value=7), build.add("t_add_one", value=1)
    build.chain(start, record, after)
    run = build.run()
    assert run.ok, run.error
    assert shape(run) == [("t_start", 1, "Success"), ("t_record", 2, "Success"), ("t_add_one", 3, "Success")]
    assert [line.message for line in run.traces[1].logs] == ["saw 7"]


class Hold(NodeType):
    """Waits, saying nothing, until the test lets it go: a quiet execution going on."""

    name = "t_hold"
    pins = (exec_in(), data_in("value", DataType.INTEGER), exec_out(), data_out("value", DataType.INTEGER))
    gate = threading.Event()

    def run(self, ctx, *, value: int) -> None:
        if not self.gate.wait(DEADLINE):
            raise TimeoutError("the test never let the node go")
        ctx.set_output("value", value)
        ctx.activate("exec_out")


def test_a_quiet_execution_going_on_shows_running_then_succeeded(build, registry):
    local = Registry()
    local.register(registry.get("t_start"))
    local.register(Hold)
    build.registry = local
    build.board.log_level = LogLevel.WARN
    start, hold = build.add("t_start"), build.add("t_hold", value=3)
    build.chain(start, hold)
    Hold.gate.clear()
    handle = start_run(build.board, registry=local)
    try:
        deadline = time.monotonic() + DEADLINE
        while shape(handle.run) != [("t_start", 1, "Success"), ("t_hold", 2, "Running")]:
            assert time.monotonic() < deadline, shape(handle.run)
            time.sleep(0.01)
        assert len(handle.run.records) == 1  # the execution going on has no record until it ends
    finally:
        Hold.gate.set()
    run = handle.wait(DEADLINE)
    assert run.ok, run.error
    assert shape(run) == [("t_start", 1, "Success"), ("t_hold", 2, "Success")]
    assert run.traces[1].status is NodeStatus.SUCCESS and run.traces[1].end >= run.traces[1].start


def test_a_loop_body_that_pulls_keeps_its_first_traces_in_order_and_folds_the_rest(build):
    start, loop = build.add("t_start"), build.add("t_loop", items=list(range(30)))
    body, double = build.add("t_add_one"), build.add("t_pass")
    build.chain(start, loop)
    build.wire(loop, "body", body, "exec_in")
    build.wire(loop, "item", double, "value")
    build.wire(double, "value", body, "value")
    run = build.run()
    assert run.ok, run.error
    assert run.executions(body.id) == run.executions(double.id) == 30
    assert len(run.traces_of(body.id)) == FULL_TRACES and run.folded[body.id].count == 30 - FULL_TRACES
    names = [t.node_name for t in run.traces if t.node_name in ("t_add_one", "t_pass")]
    assert names == ["t_add_one", "t_pass"] * FULL_TRACES  # each body execution, then the pure node it pulled


def test_a_long_chain_keeps_every_first_execution_in_order_past_the_records_first_rows(build):
    start = build.add("t_start")
    steps = [build.add("t_add_one", value=1) for _ in range(150)]
    build.chain(start, *steps)
    run = build.run()
    assert run.ok, run.error
    assert len(run.records) == 151 and all(type(record) is tuple for record in run.records)
    assert [(t.node_id, t.step) for t in run.traces] == [(n.id, i + 1) for i, n in enumerate([start, *steps])]
    assert all(t.status is NodeStatus.SUCCESS and t.start <= t.end for t in run.traces)
    assert run.traces[100] is run.traces[100]  # made once, then kept: a trace read twice is the same


def test_records_read_in_order_replace_by_index_and_travel_pickled():
    records = Records(idents=[("a", "first"), ("b", "second")])
    trace = NodeTrace("c", "third", 2, 1.0, 2.0, NodeStatus.FAILED, error="boom")
    records.append(trace)
    for _ in range(100):  # past the first rows: they grow in place
        records.append((("d", "fourth"), 3, 2.0, 3.0))
    assert len(records) == 101 and records[0] is trace
    assert records[1] == NodeTrace("d", "fourth", 3, 2.0, 3.0, NodeStatus.SUCCESS)
    replaced = NodeTrace("a", "first", 4, 5.0, 6.0, NodeStatus.SUCCESS)
    records[1] = replaced
    assert records[1] is replaced and list(records)[:2] == [trace, replaced]
    travelled = pickle.loads(pickle.dumps(records))
    assert list(travelled) == list(records)
    with pytest.raises(IndexError):
        records[101]


class Loud(NodeType):
    """Logs: its execution makes a NodeTrace of its own, which `Records.append` adds (growing the rows too)."""

    name = "t_loud"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.info("here")
        ctx.activate("exec_out")


def test_rows_grown_by_traces_between_quiet_executions_keep_every_record_in_order(build):
    """A loud execution lands on record 256, where `Records.append` doubles the rows under the fast path (which
    then finds them grown), and the chain goes on past 512."""
    build.registry.register(Loud, pack="test")
    start = build.add("t_start")
    steps = [build.add("t_loud" if i % 7 == 3 else "t_add_one", **({} if i % 7 == 3 else {"value": 1}))
             for i in range(600)]
    build.chain(start, *steps)
    run = build.run()
    assert run.ok, run.error
    assert len(run.records) == 601
    assert [(t.node_id, t.step) for t in run.traces] == [(n.id, i + 1) for i, n in enumerate([start, *steps])]
    assert [bool(t.logs) for t in run.traces[1:]] == [i % 7 == 3 for i in range(600)]
