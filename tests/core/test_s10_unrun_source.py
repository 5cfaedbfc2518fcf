"""A node that fails on an input read from an exec node that has not run (it is not upstream in the exec flow) says
so: Write CSV's "table must be a table ..., got NoneType" did not say that 'Read CSV' never ran."""

from __future__ import annotations

from flowlike_catalog.std import PACK

from flowlike_core import Board, Registry, commands, node
from flowlike_core.run import RunStatus


@node(exec_pins=True)
def produce() -> int:
    """An exec node giving a number."""
    return 2


@node(exec_pins=True)
def halve(number: int) -> float:
    """Fails on None as most nodes do."""
    return number / 2


def test_the_failure_names_the_input_and_the_node_that_has_not_run() -> None:
    registry = Registry([PACK])
    registry.register(produce)
    registry.register(halve)
    board = Board(name="unrun")
    start = board.apply(commands.AddNode(registry.get("events_simple").create()))
    made = board.apply(commands.AddNode(registry.get("produce").create(friendly_name="maker")))
    used = board.apply(commands.AddNode(registry.get("halve").create(friendly_name="user")))
    board.apply(commands.Connect(start.id, "exec_out", used.id, "exec_in"))
    board.apply(commands.Connect(made.id, "result", used.id, "number"))
    run = board.run(registry=registry)
    assert run.status is RunStatus.FAILED
    assert run.error.endswith(f"(input 'number' read None: 'maker' ({made.id}) has not run; wire its exec flow "
                              "before this node)"), run.error


@node
def third(number: int) -> float:
    """A pure node failing on None."""
    return number / 3


def test_a_pure_node_pulled_by_an_exec_node_says_so_too() -> None:
    registry = Registry([PACK])
    for made_type in (produce, third):
        registry.register(made_type)
    board = Board(name="unrun-pure")
    start = board.apply(commands.AddNode(registry.get("events_simple").create()))
    made = board.apply(commands.AddNode(registry.get("produce").create(friendly_name="maker")))
    pure = board.apply(commands.AddNode(registry.get("third").create(friendly_name="divider")))
    back = board.apply(commands.AddNode(registry.get("events_generic_return_result").create()))
    board.apply(commands.Connect(start.id, "exec_out", back.id, "exec_in"))
    board.apply(commands.Connect(made.id, "result", pure.id, "number"))
    board.apply(commands.Connect(pure.id, "result", back.id, "response"))
    run = board.run(registry=registry)
    assert run.status is RunStatus.FAILED
    assert f"(input 'number' read None: 'maker' ({made.id}) has not run; wire its exec flow before this node)" \
        in run.error, run.error
