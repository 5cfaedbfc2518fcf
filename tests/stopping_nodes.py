"""Node code that stops slowly, for the tests of how a cancelled run stops (`flowlike_core.stopping`): cleanup that
cooperates (awaits) must be left to finish, plain Python that ignores the cancel interrupted."""

from __future__ import annotations

import asyncio
import threading
import time

from flowlike_core import NodeType, exec_in, exec_out

DEADLINE = 60.0
"""For what a busy machine may delay (a node starting, a thread ending)."""


class HeldInNativeCode(NodeType):
    """Blocking: waits on an event in native code, where no interrupt lands, until the test lets it go (a test sets
    new `started` and `let_go` events before it runs one)."""

    name = "t_held_in_native_code"
    pins = (exec_in(), exec_out())
    started = threading.Event()
    let_go = threading.Event()

    def run(self, ctx):
        HeldInNativeCode.started.set()
        HeldInNativeCode.let_go.wait()
        ctx.activate("exec_out")


def spin_for(seconds: float) -> None:
    """Plain-Python work that takes a while (no await, no native wait): what an interrupt would land in."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def awaits_its_close(name: str, slow: float) -> type[NodeType]:
    """A node type that waits to be cancelled, then awaits its own close of `slow` seconds (as a browser page's is);
    its `started` and `closed` events say how far it got (new ones for each type made)."""

    class AwaitsItsClose(NodeType):
        pins = (exec_in(), exec_out())
        started = threading.Event()
        closed = threading.Event()

        async def run(self, ctx):
            type(self).started.set()
            try:
                await asyncio.Event().wait()  # until cancelled
            except asyncio.CancelledError:
                await asyncio.to_thread(spin_for, slow)
                type(self).closed.set()
                raise

    AwaitsItsClose.name = name
    return AwaitsItsClose
