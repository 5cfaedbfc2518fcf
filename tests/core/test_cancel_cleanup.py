"""A cancel interrupts only node code stuck in plain Python: cleanup that cooperates (a cancelled node awaiting its
own close, the closers of `ctx.close_at_end`) runs to its end however long a busy machine makes it take, and the run
ends Cancelled, not stuck. (The automation trial saw a browser's close cut short, its processes left behind.)"""

from __future__ import annotations

import asyncio
import threading

import pytest
from stopping_nodes import DEADLINE, spin_for

from flowlike_core import NodeType, RunStatus, exec_in, exec_out, executor, start_run
from flowlike_core.executor import CANCEL_GRACE

SLOW = 4 * CANCEL_GRACE
"""How long each cleanup here takes: longer than the grace before node code stuck in plain Python is interrupted."""


class Cleanup(NodeType):
    """Waits to be cancelled, then cleans up as `how` says; `cleaned` is set when the cleanup finished."""

    pins = (exec_in(), exec_out())
    started = threading.Event()
    cleaned = threading.Event()

    async def run(self, ctx):
        self.open(ctx)
        Cleanup.started.set()
        await asyncio.Event().wait()  # until cancelled

    def open(self, ctx) -> None:
        raise NotImplementedError


class AwaitsItsClose(Cleanup):
    """Its own close, awaited when the cancel reaches it (as a page's close is)."""

    name = "t_awaits_its_close"

    async def run(self, ctx):
        try:
            await super().run(ctx)
        except asyncio.CancelledError:
            await asyncio.to_thread(spin_for, SLOW)
            await asyncio.sleep(SLOW / 4)
            Cleanup.cleaned.set()
            raise

    def open(self, ctx) -> None:
        pass


class ClosesInAThread(Cleanup):
    """A closer that awaits a close done in a thread (as Playwright's driver is stopped)."""

    name = "t_closes_in_a_thread"

    def open(self, ctx) -> None:
        async def close() -> None:
            await asyncio.to_thread(spin_for, SLOW)
            Cleanup.cleaned.set()

        ctx.close_at_end(close)


class ClosesInPlainPython(Cleanup):
    """A plain (not async) closer whose work is plain Python: the run's thread is busy in it, the loop silent."""

    name = "t_closes_in_plain_python"

    def open(self, ctx) -> None:
        def close() -> None:
            spin_for(SLOW)
            Cleanup.cleaned.set()

        ctx.close_at_end(close)


class SpinsInItsCleanup(Cleanup):
    """Ignores the cancel: its cleanup is a plain-Python loop that never ends, and must still be interrupted."""

    name = "t_spins_in_its_cleanup"

    async def run(self, ctx):
        try:
            await super().run(ctx)
        except asyncio.CancelledError:
            while True:
                pass

    def open(self, ctx) -> None:
        pass


class AwaitsInItsCleanup(Cleanup):
    """Ignores the cancel while awaiting: its cleanup awaits until the test lets it go."""

    name = "t_awaits_in_its_cleanup"
    release = threading.Event()

    async def run(self, ctx):
        try:
            await super().run(ctx)
        except asyncio.CancelledError:
            await asyncio.to_thread(AwaitsInItsCleanup.release.wait, DEADLINE)
            raise

    def open(self, ctx) -> None:
        pass


@pytest.fixture
def cleaning(build):
    for node_type in (AwaitsItsClose, ClosesInAThread, ClosesInPlainPython, SpinsInItsCleanup, AwaitsInItsCleanup):
        build.registry.register(node_type, pack="test")
    Cleanup.started.clear()
    Cleanup.cleaned.clear()
    return build


def cancelled_run(build, key: str):
    start, node = build.add("t_start"), build.add(key)
    build.chain(start, node)
    handle = start_run(build.board, registry=build.registry)
    assert Cleanup.started.wait(DEADLINE), "the node never started"
    handle.cancel()
    return handle, handle.wait(DEADLINE)


@pytest.mark.parametrize("key", ["t_awaits_its_close", "t_closes_in_a_thread", "t_closes_in_plain_python"])
def test_a_cancel_lets_slow_cleanup_finish_and_the_run_is_not_stuck(cleaning, key: str) -> None:
    handle, run = cancelled_run(cleaning, key)
    assert handle._ended.is_set(), f"the caller was released before the run ended ({run.stuck})"
    assert Cleanup.cleaned.is_set(), "the cleanup was cut short"
    assert run.status is RunStatus.CANCELLED and run.stuck is None, run.error


def test_a_cancelled_node_spinning_in_its_cleanup_is_still_interrupted(cleaning) -> None:
    handle, run = cancelled_run(cleaning, "t_spins_in_its_cleanup")
    assert run.status is RunStatus.CANCELLED and handle.done()
    assert handle._ended.wait(DEADLINE), "the spinning thread was never stopped"


def test_a_cancelled_run_still_awaiting_after_the_cleanup_limit_is_given_up_on_and_says_so(cleaning, monkeypatch):
    monkeypatch.setattr(executor, "CLEANUP_LIMIT", 4 * CANCEL_GRACE)
    AwaitsInItsCleanup.release.clear()
    try:
        handle, run = cancelled_run(cleaning, "t_awaits_in_its_cleanup")
        assert not handle._ended.is_set(), "the node still awaits: the caller was released by the run's end"
        assert run.status is RunStatus.CANCELLED and handle.done()
        assert run.stuck is not None and "t_awaits_in_its_cleanup was still awaiting" in run.stuck, run.stuck
    finally:
        AwaitsInItsCleanup.release.set()
    assert handle._ended.wait(DEADLINE)
