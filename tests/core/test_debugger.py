"""The step debugger: breakpoints in the board file, pauses before nodes, step, step over a loop body, stop."""

from __future__ import annotations

import threading

import pytest

from flowlike_core import (
    Board,
    DataType,
    Listener,
    NodeStatus,
    NodeType,
    Run,
    RunError,
    RunStatus,
    ValueType,
    Variable,
    commands,
    exec_in,
    exec_out,
)
from flowlike_core import start_run as start
from flowlike_core.debugger import Debugger
from flowlike_core.errors import UnknownPinError

WAIT = 30.0


@pytest.fixture
def loop_board(build):
    """start -> first (add one) -> loop over [10, 20, 30] {record item -> bump (add one)} -> after (add one)."""
    build.board.apply(commands.UpsertVariable(
        Variable(name="seen", data_type=DataType.GENERIC, value_type=ValueType.ARRAY, default_value=[])))
    nodes = {
        "start": build.add("t_start"),
        "first": build.add("t_add_one", value=1),
        "loop": build.add("t_loop", items=[10, 20, 30]),
        "record": build.add("t_record"),
        "bump": build.add("t_add_one", value=100),
        "after": build.add("t_add_one"),
    }
    for name, node in nodes.items():
        build.board.apply(commands.UpdateNode(node.id, friendly_name=name))
    build.chain(nodes["start"], nodes["first"], nodes["loop"])
    build.wire(nodes["loop"], "body", nodes["record"], "exec_in")
    build.wire(nodes["loop"], "item", nodes["record"], "value")
    build.wire(nodes["record"], "exec_out", nodes["bump"], "exec_in")
    build.wire(nodes["loop"], "done", nodes["after"], "exec_in")
    build.wire(nodes["first"], "value", nodes["after"], "value")
    return build, {name: node.id for name, node in nodes.items()}


def debug(build, listeners: tuple[Listener, ...] = (), **options) -> Debugger:
    debugger = Debugger(**options)
    start(build.board, registry=build.registry, debugger=debugger, listeners=listeners)
    return debugger


def paused_at(debugger: Debugger) -> str:
    assert debugger.wait_paused(WAIT), f"the run did not pause: {debugger}"
    node = debugger.paused_at
    assert node is not None
    return node.friendly_name


def set_breakpoint(build, node_id: str) -> None:
    assert build.board.apply(commands.ToggleBreakpoint(node_id)) is True


def paused_before(loop_board, name: str, listeners: tuple[Listener, ...] = ()) -> Debugger:
    """A debug run of the loop board with a breakpoint on the node `name`, paused before it."""
    build, ids = loop_board
    set_breakpoint(build, ids[name])
    debugger = debug(build, listeners)
    assert paused_at(debugger) == name
    return debugger


def finish(debugger: Debugger) -> Run:
    """Resumes the paused run: it succeeds."""
    debugger.resume()
    run = debugger.wait(WAIT)
    assert run.status is RunStatus.SUCCESS, run.error
    return run


def test_a_run_pauses_before_a_breakpoint_node_with_the_values_so_far(loop_board):
    ids = loop_board[1]
    debugger = paused_before(loop_board, "after")
    values = debugger.values
    assert values["first"] == {"value": 2}
    assert values["loop"]["item"] == 30
    assert "after" not in values, "paused before the node: it has set nothing yet"
    assert debugger.inputs == {"value": 2}
    assert debugger.variables["seen"] == [10, 20, 30]
    running = [t for t in debugger.run.traces if t.status is NodeStatus.RUNNING]
    assert [t.node_id for t in running] == [ids["after"]]
    assert "paused before 'after'" in repr(debugger)

    assert finish(debugger).output(ids["after"], "value") == 3
    assert debugger.pauses == 1 and debugger.ended and not debugger.is_paused
    with pytest.raises(RunError, match="has ended"):
        debugger.step()


def test_step_runs_one_node_at_a_time_from_the_start(loop_board):
    build, ids = loop_board
    debugger = debug(build, step=True)
    order = []
    for _ in range(6):
        order.append(paused_at(debugger))
        debugger.step()
    assert order == ["start", "first", "loop", "record", "bump", "record"]
    assert debugger.wait_paused(WAIT)
    assert debugger.variables["seen"] == [10, 20]
    finish(debugger)


def test_step_over_runs_the_rest_of_a_loop_body_up_to_the_next_iteration_then_past_the_loop(loop_board):
    debugger = paused_before(loop_board, "loop")
    debugger.step()
    assert paused_at(debugger) == "record"
    assert debugger.variables["seen"] == []

    debugger.step_over()
    assert paused_at(debugger) == "record", "the next iteration's body starts"
    assert debugger.variables["seen"] == [10]
    assert debugger.values["bump"] == {"value": 101}, "the rest of the body ran"
    assert debugger.inputs == {"value": 20}

    debugger.step_over()
    assert paused_at(debugger) == "record"
    debugger.step_over()
    assert paused_at(debugger) == "after", "the last iteration's body, then past the loop's end"
    assert debugger.variables["seen"] == [10, 20, 30]
    finish(debugger)


def test_step_over_a_loop_node_runs_the_whole_loop(loop_board):
    debugger = paused_before(loop_board, "loop")
    debugger.step_over()
    assert paused_at(debugger) == "after"
    assert debugger.variables["seen"] == [10, 20, 30]
    assert debugger.run.executions(loop_board[1]["bump"]) == 3
    finish(debugger)


def test_breakpoints_inside_a_loop_pause_every_iteration_and_one_set_while_paused_counts(loop_board):
    build, ids = loop_board
    debugger = paused_before(loop_board, "record")
    build.board.apply(commands.ToggleBreakpoint(ids["record"], on=False))
    build.board.apply(commands.ToggleBreakpoint(ids["after"], on=True))
    debugger.resume()
    assert paused_at(debugger) == "after"
    assert debugger.pauses == 2
    finish(debugger)


def test_stop_while_paused_cancels_the_run(loop_board):
    ids = loop_board[1]
    debugger = paused_before(loop_board, "bump")
    debugger.stop()
    run = debugger.wait(WAIT)
    assert run.status is RunStatus.CANCELLED
    assert run.traces_of(ids["bump"])[-1].status is NodeStatus.CANCELLED
    assert run.executions(ids["after"]) == 0
    assert debugger.variables["seen"] == [10]


def test_a_cancel_from_the_run_handle_ends_a_paused_run(loop_board):
    build, ids = loop_board
    set_breakpoint(build, ids["first"])
    debugger = Debugger()
    handle = start(build.board, registry=build.registry, debugger=debugger)
    assert paused_at(debugger) == "first"
    handle.cancel()
    assert handle.wait(WAIT).status is RunStatus.CANCELLED
    assert not debugger.wait_paused(WAIT)


def test_without_breakpoints_a_debug_run_never_pauses_and_a_plain_run_ignores_them(loop_board):
    build, ids = loop_board
    debugger = debug(build)
    assert not debugger.wait_paused(WAIT)
    assert debugger.run.status is RunStatus.SUCCESS and debugger.pauses == 0

    set_breakpoint(build, ids["first"])
    assert build.run().status is RunStatus.SUCCESS, "only a run given a debugger pauses"


def test_listeners_hear_pauses_and_resumes(loop_board):
    ids = loop_board[1]
    heard = []

    class Ear(Listener):
        def paused(self, run, trace):
            heard.append(("paused", trace.node_id))

        def resumed(self, run):
            heard.append(("resumed",))

    finish(paused_before(loop_board, "first", listeners=(Ear(),)))
    assert heard == [("paused", ids["first"]), ("resumed",)]


def test_a_debugger_controls_one_run_on_this_process(loop_board):
    build, _ = loop_board
    debugger = debug(build)
    debugger.wait(WAIT)
    with pytest.raises(RunError, match="already controls"):
        start(build.board, registry=build.registry, debugger=debugger)
    with pytest.raises(RunError, match="on a thread in this process"):
        start(build.board, registry=build.registry, debugger=Debugger(), backend="process")
    with pytest.raises(RunError, match="not paused"):
        debugger.step_over()


def test_breakpoints_round_trip_in_the_board_file_and_undo(tmp_path, loop_board):
    build, ids = loop_board
    board = build.board
    plain = board.to_json()
    assert '"breakpoint"' not in plain, "a board without breakpoints is written as before"
    set_breakpoint(build, ids["bump"])
    assert '"breakpoint": true' in board.to_json()
    loaded = Board.load(board.save(tmp_path / "debugged"))
    assert loaded == board and loaded.nodes[ids["bump"]].breakpoint
    assert [n.id for n in loaded.nodes.values() if n.breakpoint] == [ids["bump"]]
    board.undo()
    assert not board.nodes[ids["bump"]].breakpoint and board.to_json() == plain
    board.redo()
    assert board.nodes[ids["bump"]].breakpoint

    from flowlike_core.interop import export_board, open_board

    exported, _ = open_board(export_board(board, tmp_path / "debugged.board", registry=build.registry),
                             build.registry)
    assert exported.nodes.keys() == board.nodes.keys(), "Flow-Like's format has no breakpoints: export drops them"
    assert not any(node.breakpoint for node in exported.nodes.values())


@pytest.mark.parametrize("stop", [False, True])
def test_parallel_for_each_iterations_pause_at_a_breakpoint_in_their_body(stop: bool) -> None:
    from pack_builder import Builder

    build = Builder()
    start_node, loop, say = build.add("events_simple"), build.add("control_par_for_each", array=[1, 2, 3, 4]), \
        build.add("log_info")
    build.chain(start_node, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", say, "message")
    build.board.apply(commands.ToggleBreakpoint(say.id))
    debugger = debug(build)
    while debugger.wait_paused(WAIT):  # iterations on threads of their own may wait at once: one resume lets all go
        assert debugger.paused_at is not None and debugger.paused_at.id == say.id
        if stop:
            debugger.stop()
            break
        debugger.resume()
    run = debugger.wait(WAIT)
    if stop:
        assert run.status is RunStatus.CANCELLED
    else:
        assert run.status is RunStatus.SUCCESS, run.error
        assert debugger.pauses == 4 and sorted(line.message for line in run.logs()) == ["1", "2", "3", "4"]


def test_a_breakpoint_on_a_pure_node_pauses_when_an_exec_node_pulls_it(build):
    start_node, add, counter = build.add("t_start"), build.add("t_add_one"), build.add("t_counter")
    build.chain(start_node, add)
    build.wire(counter, "count", add, "value")
    set_breakpoint(build, counter.id)
    debugger = debug(build)
    assert debugger.wait_paused(WAIT) and debugger.paused_at is not None and debugger.paused_at.id == counter.id
    running = [t.node_id for t in debugger.run.traces if t.status is NodeStatus.RUNNING]
    assert running == [add.id, counter.id], "the exec node that pulls it waits for it"
    assert "t_counter" not in debugger.values and debugger.inputs == {}
    debugger.step()
    run = debugger.wait(WAIT)
    assert run.status is RunStatus.SUCCESS and run.output(add.id, "value") == run.output(counter.id, "count") + 1


def test_inputs_leave_out_a_pure_value_of_the_last_iteration_until_this_one_computes_it() -> None:
    """Paused before an exec node in a loop body, its input wired from a pure node is not yet computed for this
    iteration: the debugger must not show the value the last iteration computed (a user took it for this one's)."""
    from pack_builder import Builder

    build = Builder()
    start_node, loop, add, say = build.add("events_simple"), build.add("control_for_each", array=[1, 2, 3]), \
        build.add("int_add", integer2=100), build.add("log_info")
    build.chain(start_node, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", add, "integer1")
    build.wire(add, "sum", say, "message")
    build.board.apply(commands.UpdateNode(loop.id, friendly_name="loop"))
    set_breakpoint(build, say.id)
    debugger = debug(build)
    shown = []
    while debugger.wait_paused(WAIT):
        shown.append((debugger.values["loop"]["value"],
                      debugger.inputs.get("message", "not computed yet")))
        debugger.resume()
    run = debugger.wait(WAIT)
    assert run.status is RunStatus.SUCCESS, run.error
    assert [line.message for line in run.logs()] == ["101", "102", "103"]
    assert shown == [(1, "not computed yet"), (2, "not computed yet"), (3, "not computed yet")]


def test_paused_in_a_parallel_iteration_the_values_and_inputs_are_that_iteration_s() -> None:
    """A parallel for-each iteration runs in a fork with values of its own: paused in its body, the debugger shows
    them (it showed none: not the loop's value, nor the input the paused node reads from it)."""
    from pack_builder import Builder

    build = Builder()
    start_node, loop, say = build.add("events_simple"), build.add("control_par_for_each", array=[10, 20, 30],
                                                                  max_concurrent=1), build.add("log_info")
    build.chain(start_node, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", say, "message")
    build.board.apply(commands.UpdateNode(loop.id, friendly_name="loop"))
    set_breakpoint(build, say.id)
    debugger = debug(build)
    shown = []
    while debugger.wait_paused(WAIT):
        shown.append((debugger.values.get("loop", {}).get("value"), debugger.inputs.get("message")))
        debugger.resume()
    run = debugger.wait(WAIT)
    assert run.status is RunStatus.SUCCESS, run.error
    assert shown == [(10, 10), (20, 20), (30, 30)]


def test_stop_while_paused_shows_the_run_stopping_at_once_and_waits_for_its_end_when_asked(loop_board):
    """Stopped while paused, the debugger said it was still paused before the node (a cell's next line read
    `paused before 'bump'`); `stop(wait=)` waits for the run's end, as the other commands wait for a pause."""
    debugger = paused_before(loop_board, "bump")
    debugger.stop()
    assert debugger.paused_at is None and not debugger.is_paused
    assert not debugger.state().startswith("paused")

    debugger = debug(loop_board[0])
    assert paused_at(debugger) == "bump"
    debugger.stop(wait=WAIT)
    assert debugger.ended and debugger.run.status is RunStatus.CANCELLED
    assert debugger.state() == "ended: Cancelled"


class Spin(NodeType):
    """Stuck in plain Python: never awaits, never checks for a cancel."""

    name = "t_debug_spin"
    pins = (exec_in(), exec_out())
    spinning = threading.Event()

    def run(self, ctx):
        Spin.spinning.set()
        while True:
            pass


def test_stop_ends_a_run_stepped_into_a_node_that_ignores_the_cancel(build):
    """Stepped into a node stuck in plain Python, stop left the run going (a run handle's cancel interrupts it):
    `wait` after `stop` waited forever."""
    build.registry.register(Spin, pack="test")
    start_node, spin = build.add("t_start"), build.add("t_debug_spin")
    build.chain(start_node, spin)
    debugger = debug(build, step=True)
    assert debugger.wait_paused(WAIT)
    debugger.step()
    assert debugger.wait_paused(WAIT) and debugger.paused_at is not None and debugger.paused_at.id == spin.id
    Spin.spinning.clear()
    debugger.step()
    assert Spin.spinning.wait(WAIT), "the spinning node did not start"
    debugger.stop()
    run = debugger.wait(WAIT)
    assert run.status is RunStatus.CANCELLED, "the stuck node was never interrupted"
    assert run.traces_of(spin.id)[-1].status is NodeStatus.CANCELLED


def test_a_run_failing_while_stepped_says_which_node_failed_and_why(build):
    """A node raising under the debugger ended the run; the debugger said only `ended: Failed`."""
    start_node, fail = build.add("t_start"), build.add("t_fail")
    build.chain(start_node, fail)
    set_breakpoint(build, fail.id)
    debugger = debug(build)
    assert debugger.wait_paused(WAIT)
    debugger.step()
    run = debugger.wait(WAIT)
    assert run.status is RunStatus.FAILED
    state = debugger.state()
    assert state.startswith("ended: Failed") and run.error is not None and run.error in state, state
    assert run.error in repr(debugger)


def test_a_body_on_worker_processes_runs_as_one_and_says_its_breakpoints_cannot_pause() -> None:
    """A parallel for-each body on worker processes runs there: its node events reach the debugger after the nodes
    ran. It paused on them anyway (on the run's event loop, the nodes long done), and a stop there raised inside
    an asyncio callback. Those nodes are not paused at; a breakpoint among them says why, once."""
    from pack_builder import Builder

    build = Builder()
    start_node, loop = build.add("events_simple"), build.add("control_par_for_each", array=[1, 2, 3],
                                                             workers="processes")
    say, after = build.add("log_info"), build.add("log_info", message="after")
    build.chain(start_node, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", say, "message")
    build.wire(loop, "done", after, "exec_in")
    for node in (say, after):
        set_breakpoint(build, node.id)
    with pytest.warns(RuntimeWarning, match=r"runs on worker processes.*cannot pause.*workers='threads'"):
        debugger = debug(build)
        assert debugger.wait_paused(WAIT) and debugger.paused_at is not None
        assert debugger.paused_at.id == after.id, "the body's nodes ran on the workers: nothing to pause there"
    assert sorted(line.message for line in debugger.run.logs()) == ["1", "2", "3"]
    assert finish(debugger).executions(say.id) == 3 and debugger.pauses == 1


@pytest.mark.parametrize("loop_type", ["control_for_each", "control_par_for_each"])
def test_pin_values_of_a_paused_run_are_those_the_paused_node_sees(loop_type: str) -> None:
    """What a view of the paused run shows (the editor's hover asks pin by pin): the paused node's input from a
    pure node not computed yet is unknown (the editor showed the last iteration's sum as this one's), the loop's
    value is this iteration's (in a parallel body, its fork's), an unwired input is its default."""
    from pack_builder import Builder

    build = Builder()
    start_node, add, say = build.add("events_simple"), build.add("int_add", integer2=100), build.add("log_info")
    loop = build.add(loop_type, array=[1, 2, 3], **({"max_concurrent": 1} if loop_type == "control_par_for_each"
                                                     else {}))
    build.chain(start_node, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", add, "integer1")
    build.wire(add, "sum", say, "message")
    set_breakpoint(build, say.id)
    debugger = debug(build)
    seen = []
    while debugger.wait_paused(WAIT):
        seen.append((debugger.pin_value(loop.id, "value"), debugger.pin_value(say.id, "message"),
                     debugger.pin_value(say.id, "toast"), debugger.pin_value(add.id, "integer2")))
        debugger.resume()
    assert debugger.wait(WAIT).status is RunStatus.SUCCESS
    unknown, default, hundred = (False, None), (True, False), (True, 100)
    assert seen == [((True, item), unknown, default, hundred) for item in (1, 2, 3)]
    with pytest.raises(UnknownPinError, match="nowhere"):
        debugger.pin_value(say.id, "nowhere")


@pytest.mark.parametrize("thread_model", ["tasks", "threads"])
def test_stepping_parallel_branches_shows_every_pause_one_command_each(thread_model: str) -> None:
    """Both branches of a Parallel Execution paused at once, the debugger showed one, and one step let both go:
    stepping, a user never saw a branch's first nodes although they ran. Each pause is shown in turn (the oldest
    first) and a command lets that one go; listeners hear each shown pause."""
    from pack_builder import Builder

    build = Builder()
    start_node, par, done = build.add("events_simple"), build.add("control_par_execution",
                                                                  thread_model=thread_model), \
        build.add("log_info", message="done")
    a1, a2, b1, b2 = (build.add("log_info", message=name) for name in ("a1", "a2", "b1", "b2"))
    for node, name in ((par, "par"), (done, "done"), (a1, "a1"), (a2, "a2"), (b1, "b1"), (b2, "b2")):
        build.board.apply(commands.UpdateNode(node.id, friendly_name=name))
    build.chain(start_node, par)
    branches = [pin.id for pin in par.ordered_pins() if pin.name == "exec_out"]
    build.wire(par, branches[0], a1, "exec_in")
    build.wire(par, branches[1], b1, "exec_in")
    build.wire(a1, "exec_out", a2, "exec_in")
    build.wire(b1, "exec_out", b2, "exec_in")
    build.wire(par, "exec_done", done, "exec_in")
    shown = []

    class Ear(Listener):
        def paused(self, run, trace):
            shown.append(run.board.nodes[trace.node_id].friendly_name)

    debugger = debug(build, listeners=(Ear(),), step=True)
    stepped = []
    while debugger.wait_paused(WAIT):
        stepped.append(paused_at(debugger))
        debugger.step()
    run = debugger.wait(WAIT)
    assert run.status is RunStatus.SUCCESS, run.error
    assert stepped[:2] == ["Simple Event", "par"] and stepped[-1] == "done"
    assert sorted(stepped[2:-1]) == ["a1", "a2", "b1", "b2"], stepped
    assert stepped.index("a1") < stepped.index("a2") and stepped.index("b1") < stepped.index("b2")
    assert shown == stepped and debugger.pauses == 7
