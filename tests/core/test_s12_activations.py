"""What a class-form node's `ctx.activate` and `ctx.deactivate` hand on: the exec outputs left activated when it
ends run next, in the order they were first activated, each once; on the fast path and on the careful one (a node
listener sends every execution there)."""

from __future__ import annotations

import pytest

from flowlike_core import DataType, Listener, NodeType, RunStatus, data_in, exec_in, exec_out


class Fan(NodeType):
    """Activates and deactivates its exec outputs as `moves` says: "+a -b" activates a, then deactivates b."""

    name = "t_fan"
    pins = (exec_in(), data_in("moves", DataType.STRING), exec_out("a"), exec_out("b"), exec_out("c"))

    def run(self, ctx, *, moves: str):
        for move in moves.split():
            (ctx.activate if move[0] == "+" else ctx.deactivate)(move[1:])
        ctx.info(f"activated {list(ctx.activated)}")


class Mark(NodeType):
    """An exec node that does nothing: its trace says it ran, and when."""

    name = "t_mark"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.activate("exec_out")


class Watcher(Listener):
    def node_started(self, run, trace):
        pass


@pytest.fixture
def fan_board(build):
    for node_type in (Fan, Mark):
        build.registry.register(node_type, pack="test")
    start = build.add("t_mark")
    fan = build.add("t_fan")
    build.wire(start, "exec_out", fan, "exec_in")
    marks = {}
    for out in "abc":
        marks[out] = build.add("t_mark")
        build.wire(fan, out, marks[out], "exec_in")
    return build, start, fan, marks


@pytest.mark.parametrize("path", ["fast", "careful"])
@pytest.mark.parametrize(("moves", "ran"), [
    ("+b", "b"),
    ("+b +a", "ba"),
    ("+b +a +b", "ba"),
    ("+a -a", ""),
    ("+a +b -a", "b"),
    ("+a +b +c -a -b", "c"),
    ("+a +b -b +c", "ac"),
    ("+a +b -a +a", "ba"),
    ("-c +c", "c"),
    ("", ""),
])
def test_activated_exec_outputs_run_once_in_order(fan_board, moves, ran, path):
    build, start, fan, marks = fan_board
    build.board.nodes[fan.id].pin("moves").default_value = moves
    run = build.run(start=start.id, listeners=[Watcher()] if path == "careful" else [])
    assert run.status is RunStatus.SUCCESS, run.error
    order = [t.node_id for t in run.traces if t.node_id in {m.id for m in marks.values()}]
    assert order == [marks[out].id for out in ran]
    fan_trace = next(t for t in run.traces if t.node_id == fan.id)
    assert [line.message for line in fan_trace.logs] == [f"activated {list(ran)}"]


def test_an_unknown_exec_output_is_refused_by_name(fan_board):
    build, start, fan, _ = fan_board
    build.board.nodes[fan.id].pin("moves").default_value = "+a +d"
    run = build.run(start=start.id)
    assert run.status is RunStatus.FAILED
    assert "has no exec output 'd'" in str(run.error)
