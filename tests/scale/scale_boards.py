"""Node types and boards of the scale tests (a uniquely named module: pytest imports test helpers by basename).

The node types are made inside `node_types()`, so cloudpickle sends them by value, as it sends the types a
notebook defines."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from flowlike_core import (
    Board,
    DataType,
    NodeType,
    Registry,
    Variable,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
)


def node_types() -> list[type[NodeType]]:
    class Start(NodeType):
        name = "s_start"
        is_event = True
        pins = (exec_out(),)

        def run(self, ctx):
            ctx.activate("exec_out")

    class Misbehave(NodeType):
        """Does the named bad thing: segfault, exit, hang, allocate, raise, or nothing (logs and succeeds)."""

        name = "s_misbehave"
        pins = (exec_in(), data_in("how", DataType.STRING, default="nothing"), exec_out(),
                data_out("pid", DataType.INTEGER))

        def run(self, ctx):
            import ctypes
            import time

            how = ctx.get_input("how")
            ctx.info(f"going to do {how}")
            ctx.set_output("pid", os.getpid())
            if how == "segfault":
                ctypes.string_at(0)
            elif how == "exit":
                os._exit(7)
            elif how == "hang":
                while True:
                    time.sleep(0.01)
            elif how == "memory":
                ctx.set_output("pid", len(bytearray(8 * 2**30)))
            elif how == "raise":
                raise RuntimeError("on purpose")
            ctx.activate("exec_out")

    class CrashAtOnce(NodeType):
        """Segfaults or calls `os._exit(9)` as it starts (`how`), before it logs or reports anything."""

        name = "s_crash"
        pins = (exec_in(), data_in("how", DataType.STRING, default="nothing"), exec_out())

        def run(self, ctx):
            import ctypes

            how = ctx.get_input("how")
            if how == "segfault":
                ctypes.string_at(0)
            elif how == "exit":
                os._exit(9)
            ctx.activate("exec_out")

    class Square(NodeType):
        """Pure: the variable `n`, squared."""

        name = "s_square"
        pins = (data_out("value", DataType.INTEGER),)

        def run(self, ctx):
            ctx.set_output("value", ctx.get_variable("n") ** 2)

    class Triple(NodeType):
        """Pure: its input, times three."""

        name = "s_triple"
        pins = (data_in("value", DataType.INTEGER), data_out("tripled", DataType.INTEGER))

        def run(self, ctx):
            ctx.set_output("tripled", 3 * ctx.get_input("value"))

    class Keep(NodeType):
        """Sets the run's result to its input."""

        name = "s_keep"
        pins = (exec_in(), data_in("value", DataType.GENERIC), exec_out())

        def run(self, ctx):
            ctx.set_result(ctx.get_input("value"))
            ctx.progress(1, 1, "kept")
            ctx.activate("exec_out")

    class SlowDouble(NodeType):
        """Sleeps (a blocking node), then doubles its value; fails on `fail_on`; counts how many run at once."""

        name = "s_slow_double"
        pins = (exec_in(), data_in("value", DataType.INTEGER), data_in("fail_on", DataType.INTEGER, default=-1),
                exec_out(), data_out("double", DataType.INTEGER))
        running: list[int] = []
        """One entry per execution going on (list append and pop are atomic)."""
        peak = 0
        gather = (0, 0.0)
        """(count, monotonic deadline): executions wait until `count` have run at once, or the deadline, before they
        sleep: a test of how many run at once then does not hang on how soon a busy machine starts threads."""

        def run(self, ctx):
            import time

            kind = type(self)
            kind.running.append(1)
            kind.peak = max(kind.peak, len(kind.running))
            try:
                count, deadline = kind.gather
                while kind.peak < count and time.monotonic() < deadline:
                    time.sleep(0.005)
                time.sleep(0.05)
                value = ctx.get_input("value")
                if value == ctx.get_input("fail_on"):
                    raise ValueError(f"item {value} is bad")
                ctx.check_cancelled()
                ctx.set_output("double", value * 2)
                ctx.info(f"{value} doubled")
            finally:
                kind.running.pop()
            ctx.activate("exec_out")

    class Check(NodeType):
        """Raises unless `double` is twice `value`: both must come from the same iteration."""

        name = "s_check"
        pins = (exec_in(), data_in("value", DataType.INTEGER), data_in("double", DataType.INTEGER), exec_out())

        def run(self, ctx):
            value, double = ctx.get_input("value"), ctx.get_input("double")
            if double != 2 * value:
                raise AssertionError(f"iteration values mixed: {value} and {double}")
            ctx.info(f"checked {value}")
            ctx.activate("exec_out")

    class WaitFor(NodeType):
        """Logs, reports half-way progress, then waits (polling, stopping when cancelled) until the file at `path`
        exists: a run that goes on exactly as long as a test wants, wherever it runs."""

        name = "s_wait_for"
        pins = (exec_in(), data_in("path", DataType.STRING), data_in("value", DataType.INTEGER, default=0),
                exec_out())

        def run(self, ctx):
            import time
            from pathlib import Path

            path = Path(ctx.get_input("path"))
            ctx.info(f"waiting {ctx.get_input('value')}")
            ctx.progress(1, 2, "half-way")
            deadline = time.monotonic() + 120
            while not path.exists():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{path} never appeared")
                ctx.check_cancelled()
                time.sleep(0.01)
            ctx.info(f"released {ctx.get_input('value')}")
            ctx.activate("exec_out")

    return [Start, Misbehave, CrashAtOnce, Square, Triple, Keep, SlowDouble, Check, WaitFor]


def misbehaving_board(registry: Registry, how: str) -> Board:
    board = Board(name=f"misbehave-{how}")
    start = board.apply(commands.AddNode(registry.get("s_start").create(node_id="start")))
    bad = board.apply(commands.AddNode(registry.get("s_misbehave").create(node_id="bad", how=how)))
    board.apply(commands.Connect(start.id, "exec_out", bad.id, "exec_in"))
    return board


def crash_board(registry: Registry, how: str, before: str = "s_misbehave") -> Board:
    """start -> `before` (node "calm", does nothing: an `s_misbehave` logs that it will) -> s_crash (node "crash",
    does `how` at once)."""
    board = Board(name=f"crash-{how}")
    start = board.apply(commands.AddNode(registry.get("s_start").create(node_id="start")))
    calm = board.apply(commands.AddNode(registry.get(before).create(node_id="calm", how="nothing")))
    crash = board.apply(commands.AddNode(registry.get("s_crash").create(node_id="crash", how=how)))
    board.apply(commands.Connect(start.id, "exec_out", calm.id, "exec_in"))
    board.apply(commands.Connect(calm.id, "exec_out", crash.id, "exec_in"))
    return board


def square_board(registry: Registry) -> Board:
    """Sets the result to n squared; `n` is an exposed Integer variable."""
    board = Board(name="square")
    board.apply(commands.UpsertVariable(Variable(name="n", data_type=DataType.INTEGER, default_value=3, exposed=True)))
    start = board.apply(commands.AddNode(registry.get("s_start").create(node_id="start")))
    square = board.apply(commands.AddNode(registry.get("s_square").create(node_id="square")))
    keep = board.apply(commands.AddNode(registry.get("s_keep").create(node_id="keep")))
    board.apply(commands.Connect(start.id, "exec_out", keep.id, "exec_in"))
    board.apply(commands.Connect(square.id, "value", keep.id, "value"))
    return board


def waiting_board(registry: Registry, path: str, items: list[int] | None = None, **loop_inputs) -> Board:
    """start -> wait for `path`; with `items`: start -> parallel for-each(items) -> wait for `path` (value: item)."""
    board = Board(name="waiting")
    add = lambda key, node_id, **d: board.apply(commands.AddNode(registry.get(key).create(node_id=node_id, **d)))  # noqa: E731
    add("s_start", "start")
    add("s_wait_for", "wait", path=path)
    if items is None:
        board.apply(commands.Connect("start", "exec_out", "wait", "exec_in"))
        return board
    add("control_par_for_each", "loop", array=items, **loop_inputs)
    for wire in [("start", "exec_out", "loop", "exec_in"), ("loop", "exec_out", "wait", "exec_in"),
                 ("loop", "value", "wait", "value")]:
        board.apply(commands.Connect(*wire))
    return board


def tripling_loop_board(registry: Registry, items: list[int], workers: str) -> Board:
    """start -> parallel for-each(items) on `workers` -> keep(triple(item)): a pure node in every iteration."""
    board = Board(name="tripling")
    add = lambda key, node_id, **d: board.apply(commands.AddNode(registry.get(key).create(node_id=node_id, **d)))  # noqa: E731
    add("s_start", "start")
    add("control_par_for_each", "loop", array=items, workers=workers, max_concurrent=2)
    add("s_triple", "triple")
    add("s_keep", "keep")
    for wire in [("start", "exec_out", "loop", "exec_in"), ("loop", "exec_out", "keep", "exec_in"),
                 ("loop", "value", "triple", "value"), ("triple", "tripled", "keep", "value")]:
        board.apply(commands.Connect(*wire))
    return board


DEADLINE = 60.0
"""Seconds a test waits for what a worker reports before it gives up."""


def until(condition: Callable[[], bool], what: str) -> None:
    """Poll `condition` until it holds (a worker's report arrives when it arrives); fail after `DEADLINE`."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)
