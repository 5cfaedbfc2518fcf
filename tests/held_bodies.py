"""Boards with a parallel body held in native code (`stopping_nodes.HeldInNativeCode` or a kind of it) until the test
lets it go: for the tests of a run given up on while its body goes on. A module of its own beside the root conftest,
so every test folder imports the same one."""

from __future__ import annotations

import threading

from pack_builder import Builder
from stopping_nodes import HeldInNativeCode

from flowlike_core import Node, NodeType, commands


def held_builder(*held_types: type[NodeType]) -> Builder:
    """A builder whose registry has `held_types` (HeldInNativeCode or kinds of it), with new `started` and `let_go`
    events for the run to come (they are class attributes: a test before may have set them)."""
    build = Builder()
    for held_type in held_types:
        build.registry.register(held_type)
    HeldInNativeCode.started, HeldInNativeCode.let_go = threading.Event(), threading.Event()
    return build


def held_branch(build: Builder, held_key: str, *then: Node) -> tuple[Node, Node]:
    """Start -> Parallel Execution (threads), whose first branch is the held node, then `then` in a chain; returns the
    parallel node and the held one."""
    start, parallel = build.add("events_simple"), build.add("control_par_execution", thread_model="threads")
    held = build.add(held_key)
    build.chain(start, parallel)
    first = next(pin.id for pin in parallel.ordered_pins() if pin.name == "exec_out")
    build.board.apply(commands.Connect(parallel.id, first, held.id, "exec_in"))
    build.chain(held, *then)
    return parallel, held


def held_iteration(build: Builder, held_key: str, *then: Node) -> tuple[Node, Node]:
    """Start -> Parallel For Each of [1, 2] (both at once), whose body is the held node, then `then` in a chain;
    returns the loop and the held node."""
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=[1, 2], max_concurrent=2)
    held = build.add(held_key)
    build.chain(start, loop)
    build.wire(loop, "exec_out", held, "exec_in")
    build.chain(held, *then)
    return loop, held
