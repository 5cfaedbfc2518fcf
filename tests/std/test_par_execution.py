"""control_par_execution: branches run at once (threads for blocking nodes, tasks for awaiting ones, or a thread
each with Threads = threads); the record reads like the branches run one after another; one fate for all."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from flowlike_core import DataType, Node, NodeType, RunStatus, data_in, exec_in, exec_out

DEADLINE = 20.0
"""Seconds a branch waits for its sibling before giving up: they never meet unless they run at once."""


class Meet(NodeType):
    """Blocking: says it arrived, then waits (polling) until `expect` branches have arrived."""

    name = "t_meet"
    pins = (exec_in(), data_in("who", DataType.STRING), data_in("expect", DataType.INTEGER, default=2), exec_out())
    arrived: list[str] = []
    threads: dict[str, str] = {}

    def run(self, ctx):
        who, deadline = self.arrive(ctx)
        while not self.all_here(ctx, who, deadline):
            ctx.check_cancelled()
            time.sleep(0.005)
        ctx.info(f"{who} met")
        ctx.activate("exec_out")

    @staticmethod
    def arrive(ctx) -> tuple[str, float]:
        """Who arrived (on which thread), and until when it waits for the others."""
        who = ctx.get_input("who")
        Meet.threads[who] = threading.current_thread().name
        Meet.arrived.append(who)
        return who, time.monotonic() + DEADLINE

    @staticmethod
    def all_here(ctx, who: str, deadline: float) -> bool:
        if len(Meet.arrived) >= ctx.get_input("expect"):
            return True
        if time.monotonic() > deadline:
            raise TimeoutError(f"{who} waited alone: the branches did not run at once")
        return False


class MeetAsync(Meet):
    """The same, awaiting between polls."""

    name = "t_meet_async"

    async def run(self, ctx):
        who, deadline = self.arrive(ctx)
        while not self.all_here(ctx, who, deadline):
            await asyncio.sleep(0.005)
        ctx.info(f"{who} met")
        ctx.activate("exec_out")


class Fail(NodeType):
    name = "t_fail"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.info("about to fail")
        raise RuntimeError("branch broke")


@pytest.fixture
def p(b):
    for node_type in (Meet, MeetAsync, Fail):
        b.registry.register(node_type)
    Meet.arrived, Meet.threads = [], {}
    return b


def parallel(b, key: str = "control_par_execution", **defaults) -> tuple[Node, list[str], Node]:
    """start -> key; returns the node, its branch pin ids and a log node wired to Done (or to nothing)."""
    start, node = b.start(), b.add(key, **defaults)
    b.chain(start, node)
    done = b.log("all done")
    if key == "control_par_execution":
        b.wire(node, "exec_done", done, "exec_in")
    return node, b.pin_ids(node, "exec_out"), done


@pytest.mark.parametrize("model", ["tasks", "threads"])
@pytest.mark.parametrize("kind", ["t_meet", "t_meet_async"])
def test_branches_run_at_once(p, model, kind):
    node, (left, right), _ = parallel(p, thread_model=model)
    for pin, who in ((left, "left"), (right, "right")):
        meet = p.add(kind, who=who)
        p.wire(node, pin, meet, "exec_in")
        p.chain(meet, p.log(f"after {who}"))
    run = p.run()
    assert run.ok, run.error
    assert p.messages(run) == ["left met", "after left", "right met", "after right", "all done"]
    on_threads = {who: name.startswith("flowlike-par-") for who, name in Meet.threads.items()}
    # tasks: blocking branches go to pool threads, awaiting ones stay on the run's loop; threads: a thread each
    assert on_threads == dict.fromkeys(("left", "right"), model == "threads" or kind == "t_meet")


def branchy(b, key: str) -> None:
    """Two branches that log, read a shared pure node and set outputs; the second reads what it set itself."""
    node, (left, right, *_), _ = parallel(b, key)
    add = b.add("int_add", integer1=2, integer2=3)
    first, second, third = b.add("log_info"), b.log("second"), b.add("log_info")
    b.wire(node, left, first, "exec_in")
    b.wire(add, "sum", first, "message")
    b.chain(first, b.log("first again"))
    b.wire(node, right, second, "exec_in")
    b.chain(second, third)
    b.wire(add, "sum", third, "message")


def test_the_record_is_a_sequential_run_s(p):
    branchy(p, "control_par_execution")
    run = p.run()
    assert run.ok, run.error
    sequential = type(p)()
    branchy(sequential, "control_sequence")
    alone = sequential.run()

    def record(builder, r):
        nodes = builder.board.nodes
        return [(nodes[t.node_id].name, t.status, [line.message for line in t.logs]) for t in r.traces
                if nodes[t.node_id].name not in ("control_par_execution", "control_sequence", "events_simple")]

    assert record(p, run) == record(sequential, alone) + [("log_info", run.traces[-1].status, ["all done"])]
    assert p.messages(run) == ["5", "first again", "second", "5", "all done"]
    assert run.executions(next(n.id for n in p.board.nodes.values() if n.name == "int_add")) == 2  # once a branch


@pytest.mark.parametrize(("model", "waiting"), [("tasks", "delay"), ("threads", "t_meet")])
def test_a_failing_branch_cancels_the_others_and_done_never_fires(p, model, waiting):
    node, (left, right), done = parallel(p, thread_model=model)
    wait = p.add("delay", time=DEADLINE * 1000) if waiting == "delay" else p.add("t_meet", who="alone", expect=9)
    p.wire(node, left, wait, "exec_in")
    p.chain(wait, p.log("never"))
    fail = p.add("t_fail")
    p.wire(node, right, fail, "exec_in")
    run = p.run()
    assert run.status is RunStatus.FAILED
    assert "branch broke" in run.error and run.error_node == fail.id
    assert run.traces_of(wait.id)[0].status.value == "Cancelled"
    # the error line is the parallel node's, whose trace comes first
    assert p.messages(run) == ["branch 1 failed; branch 0 cancelled", "about to fail"]
    assert not run.traces_of(done.id)


def test_a_branch_with_on_error_keeps_its_siblings(p):
    node, (left, right), _ = parallel(p)
    p.wire(node, left, p.log("left"), "exec_in")
    fail = p.add("t_fail")
    p.wire(node, right, fail, "exec_in")
    p.wire(fail, "auto_handle_error", p.log("handled"), "exec_in")
    run = p.run()
    assert run.ok, run.error
    assert p.messages(run) == ["left", "about to fail", "handled", "all done"]


def test_an_unknown_thread_model_fails_the_node(p):
    node, (left, _), _ = parallel(p, thread_model="fibers")
    p.wire(node, left, p.log("never"), "exec_in")
    run = p.run()
    assert run.status is RunStatus.FAILED
    assert "Threads 'fibers': choose one of tasks, threads" in run.error


def test_no_branch_wired_fires_done(p):
    parallel(p)
    assert p.messages(p.run()) == ["all done"]


def test_parallel_for_each_with_max_concurrent_0_runs_every_iteration_at_once(p):
    """Flow-Like's Max Concurrent: 0 is unlimited."""
    start, loop, meet = p.start(), p.add("control_par_for_each", array=["a", "b", "c"], max_concurrent=0), \
        p.add("t_meet", expect=3)
    p.chain(start, loop)
    p.wire(loop, "exec_out", meet, "exec_in")
    p.wire(loop, "value", meet, "who")
    run = p.run()
    assert run.ok, run.error
    assert p.messages(run) == ["a met", "b met", "c met"]
