"""The engine's rules that issue 8 found broken or untested: Generic chains, pure-node errors, parallel
branches; and what issue 9 asked of long chains, cancels and trace memory."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from flowlike_core import (
    Connection,
    ConnectionRefused,
    DataType,
    NodeStatus,
    NodeType,
    RunStatus,
    ValueType,
    Variable,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
    start_run,
)
from flowlike_core.run import FOLDED_LOGS, FULL_TRACES

DEADLINE = 60.0
"""For what a busy machine may delay (a node starting, a thread ending); timings are for benchmarks/."""


class Explode(NodeType):
    """A pure node that raises."""

    name = "t_explode"
    pins = (data_in("value", DataType.INTEGER), data_out("value", DataType.INTEGER))

    def run(self, ctx):
        raise ValueError(f"cannot take {ctx.get_input('value')}")


class Spin(NodeType):
    """Stuck in plain Python: never awaits, never checks for a cancel."""

    name = "t_spin"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        while True:
            pass


class Nap(NodeType):
    """Stuck in native code (a blocking wait on a lock): no interrupt reaches it until the test opens `gate`."""

    name = "t_nap"
    pins = (exec_in(), exec_out())
    gate = threading.Event()

    def run(self, ctx):
        Nap.gate.wait(DEADLINE)
        ctx.activate("exec_out")


class Chatty(NodeType):
    name = "t_chatty"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.info("tick")
        ctx.activate("exec_out")


@pytest.fixture
def build(build):
    for node_type in (Explode, Spin, Nap, Chatty):
        build.registry.register(node_type, pack="test")
    return build


def pin_type(build, node, name):
    return build.board.nodes[node.id].pin(name).data_type


# ---- Generic types flow along chains ---------------------------------------------------------------------


def test_a_generic_chain_takes_the_type_bound_upstream_and_refuses_another(build):
    number, first, second = build.add("t_add_one"), build.add("t_pass"), build.add("t_pass")
    needs = build.add("t_needs_x")
    build.wire(first, "value", second, "value")
    build.wire(number, "value", first, "value")
    assert pin_type(build, second, "value") is DataType.INTEGER, "the type flows on to the second reroute"
    with pytest.raises(ConnectionRefused, match="data types differ"):
        build.wire(second, "value", needs, "label")
    assert not [p for p in build.board.validate(build.registry) if p.code == "type-mismatch"]


def test_a_chain_bound_downstream_refuses_a_conflicting_source(build):
    number, first, second = build.add("t_add_one"), build.add("t_pass"), build.add("t_pass")
    needs = build.add("t_needs_x")
    build.wire(first, "value", second, "value")
    build.wire(second, "value", needs, "label")
    assert pin_type(build, first, "value") is DataType.STRING
    with pytest.raises(ConnectionRefused, match="data types differ"):
        build.wire(number, "value", first, "value")
    assert not [p for p in build.board.validate(build.registry) if p.code == "type-mismatch"]


def test_a_generic_chain_is_released_on_disconnect_and_undo(build):
    number, first, second = build.add("t_add_one"), build.add("t_pass"), build.add("t_pass")
    build.wire(first, "value", second, "value")
    build.wire(number, "value", first, "value")
    assert pin_type(build, second, "value") is DataType.INTEGER
    build.board.undo()
    assert pin_type(build, first, "value") is pin_type(build, second, "value") is DataType.GENERIC
    build.board.redo()
    assert pin_type(build, second, "value") is DataType.INTEGER
    build.board.apply(commands.Disconnect(number.id, "value", first.id, "value"))
    assert pin_type(build, first, "value") is pin_type(build, second, "value") is DataType.GENERIC
    build.wire(number, "value", first, "value")
    build.board.apply(commands.RemoveNode(number.id))
    assert pin_type(build, second, "value") is DataType.GENERIC


# ---- a pure node that raises -----------------------------------------------------------------------------


def exploding_board(build, handled: bool):
    start, use, after = build.add("t_start"), build.add("t_add_one"), build.add("t_record")
    explode = build.add("t_explode", value=7)
    build.board.apply(commands.UpsertVariable(Variable(name="seen", data_type=DataType.GENERIC,
                                                       value_type=ValueType.ARRAY, default_value=[])))
    build.chain(start, use)
    build.wire(explode, "value", use, "value")
    if handled:
        build.wire(use, "auto_handle_error", after, "exec_in")
        build.wire(use, "auto_handle_error_string", after, "value")
    return explode, use


def test_a_pure_error_goes_to_the_pulling_nodes_wired_error_output(build):
    explode, use = exploding_board(build, handled=True)
    run = build.run()
    assert run.ok
    assert run.variables["seen"] == [f"node {build.board.nodes[explode.id].label()} failed: "
                                     f"ValueError: cannot take 7"]
    assert run.traces_of(explode.id)[0].status is NodeStatus.FAILED
    assert run.traces_of(use.id)[0].status is NodeStatus.FAILED


def test_an_unhandled_pure_error_fails_the_run_at_the_pure_node(build):
    explode, _ = exploding_board(build, handled=False)
    run = build.run()
    assert run.status is RunStatus.FAILED and run.error_node == explode.id
    assert "ValueError: cannot take 7" in run.error


# ---- parallel branches share one fate --------------------------------------------------------------------


def test_a_failing_branch_fails_the_run_and_cancels_its_siblings(build):
    start, fork, fail, sleep, after = (build.add("t_start"), build.add("t_fork"), build.add("t_fail"),
                                       build.add("t_sleep", seconds=30.0), build.add("t_chatty"))
    build.chain(start, fork)
    build.wire(fork, "a", fail, "exec_in")
    build.wire(fork, "b", sleep, "exec_in")
    build.chain(sleep, after)
    began = time.monotonic()
    run = build.run()
    assert time.monotonic() - began < 20, "the sibling was cancelled, not waited for"
    assert run.status is RunStatus.FAILED and run.error_node == fail.id
    assert run.traces_of(sleep.id)[0].status is NodeStatus.CANCELLED
    assert run.traces_of(after.id) == []


# ---- long pure chains, cancels, memory -------------------------------------------------------------------


def test_a_long_pure_chain_runs_and_validates(build):
    length = 3_000
    build.registry.get("t_counter").calls = 0  # it outputs how often it ran (in any test)
    start, use = build.add("t_start"), build.add("t_add_one")
    build.chain(start, use)
    board = build.board
    first = board.apply(commands.AddNode(build.registry.get("t_counter").create()))
    template = build.registry.get("t_pass").create()
    nodes, wires, previous, out = {}, [], first.id, first.pin("count").id
    for i in range(length):
        node = template.model_copy(update={"id": f"p{i}", "pins": {
            f"p{i}.in": template.pin("value", "Input").model_copy(update={"id": f"p{i}.in"}),
            f"p{i}.out": template.pin("value", "Output").model_copy(update={"id": f"p{i}.out"})}})
        nodes[node.id] = node
        wires.append(Connection(from_node=previous, from_pin=out, to_node=node.id, to_pin=f"p{i}.in"))
        previous, out = node.id, f"p{i}.out"
    wires.append(Connection(from_node=previous, from_pin=out, to_node=use.id, to_pin=use.pin("value").id))
    board.nodes.update(nodes)
    board.connections.extend(wires)
    board.touch()
    assert [p.code for p in board.validate(build.registry)] == []
    run = build.run()
    assert run.ok, run.error
    assert run.output(use.id, "value") == 2
    assert run.executions(f"p{length - 1}") == 1


def test_a_cancel_stops_a_node_stuck_in_plain_python(build):
    start, spin = build.add("t_start"), build.add("t_spin")
    build.chain(start, spin)
    handle = start_run(build.board, registry=build.registry)
    deadline = time.monotonic() + DEADLINE
    while not any(t.node_id == spin.id for t in handle.run.traces):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    handle.cancel()
    run = handle.wait(DEADLINE)
    assert run.status is RunStatus.CANCELLED and handle.done()
    assert handle._ended.wait(DEADLINE), "the spinning thread was never stopped"
    assert run.traces_of(spin.id)[0].status is NodeStatus.CANCELLED


def test_a_cancel_gives_up_on_a_node_stuck_in_native_code_and_says_so(build):
    start, nap, after = build.add("t_start"), build.add("t_nap"), build.add("t_chatty")
    build.chain(start, nap, after)
    Nap.gate.clear()
    handle = start_run(build.board, registry=build.registry)
    try:
        deadline = time.monotonic() + DEADLINE
        while not any(t.node_id == nap.id for t in handle.run.traces):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        handle.cancel()
        run = handle.wait(DEADLINE)
        assert not handle._ended.is_set(), "the caller is released while the node is still stuck"
        assert run.status is RunStatus.CANCELLED and handle.done()
        assert run.stuck is not None and "t_nap" in run.stuck and "still running" in run.stuck
        assert run.traces_of(nap.id)[0].status is NodeStatus.CANCELLED
    finally:
        Nap.gate.set()
    assert handle._ended.wait(DEADLINE)  # the thread ends once the node returns; nothing more runs, nothing changes
    assert run.status is RunStatus.CANCELLED and run.traces_of(after.id) == []


def test_a_runaway_loop_keeps_bounded_traces(build):
    start, forever, chatty = build.add("t_start"), build.add("t_forever"), build.add("t_chatty")
    build.chain(start, forever)
    build.wire(forever, "body", chatty, "exec_in")
    run = build.run(max_steps=5_000)
    assert run.status is RunStatus.FAILED and "step limit of 5000" in run.error
    assert len(run.traces_of(chatty.id)) == FULL_TRACES
    folded = run.folded[chatty.id]
    assert folded.count == 5_000 - 1 - 1 - FULL_TRACES
    assert len(folded.logs) == FOLDED_LOGS and folded.dropped_logs == folded.count - FOLDED_LOGS
    assert run.executions(chatty.id) == 5_000 - 2
    record = run.record()
    assert record.folded[0].count == folded.count and len(record.traces) == 2 + FULL_TRACES


def test_importing_the_engine_and_std_pack_stays_light():
    code = ("import sys, flowlike_core, flowlike_catalog.std; flowlike_core.default_registry(); "
            "heavy = ['jsonschema._format', 'pandas', 'lancedb', 'IPython', 'pyarrow']; "
            "print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_engine_imports_nothing_from_the_notebook_layer():
    import ast
    from pathlib import Path

    import flowlike_core

    offenders = []
    for path in Path(flowlike_core.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "flowlike_nb"]
    assert offenders == []
