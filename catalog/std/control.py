"""Control flow without loops: branch, sequence, gates, counters, parallel branches, delay, timeout, reroute.

Nodes that remember something between executions (do-once, flip-flop, gate, gather, do-n) keep it in
`ctx.state`, which lives for one run.
"""

from __future__ import annotations

import asyncio
from typing import Any

from flowlike_core import Context, DataType, NodeType, PinOptions, PinSpec, data_in, data_out, exec_in, exec_out

CATEGORY = "Control"


def milliseconds_in(name: str, default: float) -> PinSpec:
    return data_in(name, DataType.FLOAT, default=default, friendly_name="Milliseconds",
                   options=PinOptions(range=(0, 86_400_000)))


class Branch(NodeType):
    name = "control_branch"
    friendly_name = "Branch"
    synonyms = ("if", "else", "condition", "when")
    description = "Follows True or False depending on the condition."
    pins = (
        exec_in(),
        data_in("condition", DataType.BOOLEAN, default=True),
        exec_out("true", "True"),
        exec_out("false", "False"),
    )

    def run(self, ctx: Context, *, condition: bool) -> None:
        ctx.activate("true" if condition else "false")


class Sequence(NodeType):
    name = "control_sequence"
    friendly_name = "Sequence"
    synonyms = ("then", "steps")
    description = "Runs each output branch to completion, one after another, in pin order."
    pins = (exec_in(), exec_out("exec_out", "Then 0"), exec_out("exec_out", "Then 1"), exec_out("exec_out", "Then 2"))

    async def run(self, ctx: Context) -> None:
        ran: set[tuple[str, str]] = set()  # a node wired to several branches runs once, at the first
        for branch in range(ctx.branches("exec_out")):
            await ctx.fire("exec_out", branch, once=ran)


THREAD_MODELS = ("tasks", "threads")
"""Flow-Like's `thread_model` values for Parallel Execution."""


class ParallelExecution(NodeType):
    name = "control_par_execution"
    friendly_name = "Parallel Execution"
    category = "Control/Parallel"
    description = "Runs all output branches concurrently, then fires Done once every branch has finished."
    pins = (
        exec_in(),
        data_in("thread_model", DataType.STRING, default="tasks", friendly_name="Threads",
                options=PinOptions(valid_values=list(THREAD_MODELS)),
                description="tasks: each branch is a task of the run (one that starts with a blocking node runs "
                            "on a pool thread, one that awaits on the run's event loop); threads: each branch "
                            "on a thread of its own, with its own event loop for the nodes that await"),
        exec_out("exec_out", "Branch 0"),
        exec_out("exec_out", "Branch 1"),
        exec_out("exec_done", "Done", "Fires after every branch has finished"),
    )

    async def run(self, ctx: Context, *, thread_model: str) -> None:
        """Each branch runs in a fork of the run (its own outputs and traces), merged in branch order when all
        have ended, so values, traces and logs read as if the branches had run one after another. One fate for
        all branches: an unhandled failure in one fails the run and cancels the others at their next await
        (their running nodes end Cancelled); Done does not fire. A branch that must not take its siblings
        down handles its errors with On Error."""
        from flowlike_core.parallel import fire_branches

        if thread_model not in THREAD_MODELS:
            raise ValueError(f"Threads {thread_model!r}: choose one of {', '.join(THREAD_MODELS)}")
        await fire_branches(ctx, "exec_out", own_threads=thread_model == "threads")
        ctx.activate("exec_done")


class Gather(NodeType):
    name = "control_gather"
    friendly_name = "Gather"
    category = "Control/Parallel"
    description = "Waits until every wired input has fired, then fires Done once and starts waiting again."
    pins = (exec_in("exec_in", "In 0"), exec_in("exec_in", "In 1"), exec_out("exec_done", "Done"))

    def run(self, ctx: Context) -> None:
        """Counts inputs, not firings: one input firing twice while another never fires releases nothing."""
        arrived: set[str] = ctx.state.setdefault("arrived", set())
        arrived.add(ctx.trigger_pin or "")
        if arrived.issuperset(ctx.wired_inputs("exec_in")):
            arrived.clear()
            ctx.activate("exec_done")


class DoOnce(NodeType):
    name = "control_do_once"
    friendly_name = "Do Once"
    category = "Control/Flow"
    description = "Lets execution through the first time only, until Reset reopens it."
    pins = (
        exec_in(),
        exec_in("reset", "Reset", "Reopens the node (does not pass execution on)"),
        data_in("start_closed", DataType.BOOLEAN, default=False,
                description="Stay closed until the first Reset"),
        exec_out("then", "Then"),
        data_out("has_fired", DataType.BOOLEAN),
    )

    def run(self, ctx: Context, *, start_closed: bool) -> None:
        fired = ctx.state.setdefault("has_fired", bool(start_closed))
        if ctx.trigger == "reset":
            fired = False
        elif not fired:
            fired = True
            ctx.activate("then")
        ctx.state["has_fired"] = fired
        ctx.set_output("has_fired", fired)


class DoN(NodeType):
    name = "control_do_n"
    friendly_name = "Do N"
    category = "Control/Flow"
    description = "Lets execution through N times, then blocks until Reset."
    pins = (
        exec_in(),
        data_in("n", DataType.INTEGER, default=1, options=PinOptions(range=(0, 1_000_000))),
        data_in("start_index", DataType.INTEGER, default=0),
        exec_in("reset", "Reset", "Sets the counter back to Start Index, then counts as an execution"),
        exec_out("then", "Then"),
        data_out("index", DataType.INTEGER, friendly_name="Count", description="Passes so far"),
        data_out("remaining", DataType.INTEGER),
    )

    def run(self, ctx: Context, *, n: int, start_index: int) -> None:
        """Reset passes execution on when the reset counter allows it, as Flow-Like's Do N does."""
        n = max(0, n)
        index = start_index if ctx.trigger == "reset" else ctx.state.get("index", start_index)
        if index < n:
            index += 1
            ctx.activate("then")
        ctx.state["index"] = index
        ctx.set_output("index", index)
        ctx.set_output("remaining", max(0, n - index))


class FlipFlop(NodeType):
    name = "control_flip_flop"
    friendly_name = "Flip Flop"
    category = "Control/Flow"
    description = "Alternates between A and B on every execution."
    pins = (
        exec_in(),
        data_in("start_on_a", DataType.BOOLEAN, default=True, friendly_name="Start on A"),
        exec_out("a", "A"),
        exec_out("b", "B"),
        data_out("is_a", DataType.BOOLEAN, description="Whether the next execution takes A (as in Flow-Like)"),
        data_out("tick", DataType.INTEGER, description="Executions so far"),
    )

    def run(self, ctx: Context, *, start_on_a: bool) -> None:
        tick = ctx.state.get("tick", 0) + 1
        takes_a = bool(start_on_a) == (tick % 2 == 1)
        ctx.state["tick"] = tick
        ctx.set_output("is_a", not takes_a)
        ctx.set_output("tick", tick)
        ctx.activate("a" if takes_a else "b")


class Gate(NodeType):
    name = "control_gate"
    synonyms = ("open", "close", "allow")
    friendly_name = "Gate"
    category = "Control/Flow"
    description = "Passes Enter on to Exit while open; Open, Close and Toggle change it."
    pins = (
        exec_in("enter", "Enter"),
        exec_in("open", "Open"),
        exec_in("close", "Close"),
        exec_in("toggle", "Toggle"),
        data_in("start_closed", DataType.BOOLEAN, default=False),
        exec_out("exit", "Exit"),
        data_out("is_open", DataType.BOOLEAN),
        data_out("pass_count", DataType.INTEGER, friendly_name="Passed"),
        data_out("block_count", DataType.INTEGER, friendly_name="Blocked"),
    )

    def run(self, ctx: Context) -> None:
        state = ctx.state
        if "is_open" not in state:
            state.update(is_open=not ctx.get_input("start_closed"), passed=0, blocked=0)
        match ctx.trigger:
            case "open":
                state["is_open"] = True
            case "close":
                state["is_open"] = False
            case "toggle":
                state["is_open"] = not state["is_open"]
            case _ if state["is_open"]:
                state["passed"] += 1
                ctx.activate("exit")
            case _:
                state["blocked"] += 1
        ctx.set_output("is_open", state["is_open"])
        ctx.set_output("pass_count", state["passed"])
        ctx.set_output("block_count", state["blocked"])


class Reroute(NodeType):
    name = "reroute"
    friendly_name = "Reroute"
    description = "Passes execution straight on; a bend point to tidy wires."
    pins = (exec_in(), exec_out())

    def run(self, ctx: Context) -> None:
        ctx.activate("exec_out")


class RerouteData(NodeType):
    name = "reroute_data"
    friendly_name = "Reroute (Data)"
    description = "Passes a value straight on; a bend point to tidy data wires. Takes the type of what it carries."
    pins = (
        data_in("route_in", DataType.GENERIC, friendly_name="In", generic="T"),
        data_out("route_out", DataType.GENERIC, friendly_name="Out", generic="T"),
    )

    def run(self, ctx: Context, *, route_in: Any) -> None:
        ctx.set_output("route_out", route_in)


class Delay(NodeType):
    name = "delay"
    synonyms = ("sleep", "wait", "pause")
    friendly_name = "Delay"
    description = "Waits, then goes on. Other branches keep running meanwhile; cancelling the run ends the wait."
    pins = (
        exec_in(),
        milliseconds_in("time", 1000.0),
        exec_out("exec_out", "Done"),
    )

    async def run(self, ctx: Context, *, time: float) -> None:
        if time < 0:
            raise ValueError(f"delay must not be negative, got {time} ms")
        await ctx.sleep(time / 1000)
        ctx.activate("exec_out")


class Timeout(NodeType):
    name = "control_timeout"
    synonyms = ("time limit",)
    friendly_name = "Timeout"
    description = "Runs the body; if it is not finished in time, stops it and fires Timed Out instead of Completed."
    pins = (
        exec_in(),
        milliseconds_in("timeout_ms", 5000.0),
        exec_out("exec_body", "Body"),
        exec_out("exec_completed", "Completed"),
        exec_out("exec_timed_out", "Timed Out"),
    )

    async def run(self, ctx: Context, *, timeout_ms: float) -> None:
        try:
            async with asyncio.timeout(timeout_ms / 1000):
                await ctx.fire("exec_body")
        except TimeoutError:
            ctx.warn(f"the body did not finish within {timeout_ms:g} ms and was stopped")
            ctx.activate("exec_timed_out")
            return
        ctx.activate("exec_completed")

