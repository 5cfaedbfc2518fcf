"""Kernel safety in a real kernel: interrupt cancels the run, a raising node never kills the kernel."""

from __future__ import annotations

import queue
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager, start_new_kernel

SLOW_BOARD = """
import flowlike_nb as fnb
board = fnb.Board("slow")
start = board.add("events_simple", "start")
loop = board.add("control_while_loop", "loop", condition=True, max_iter=100000)
wait = board.add("delay", "wait", time=50.0)
start.outputs.exec_out >> loop.inputs.exec_in
loop.outputs.exec_out >> wait.inputs.exec_in
"""


@pytest.fixture(scope="module")
def kernel() -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def execute(kc: BlockingKernelClient, code: str, *, interrupt: tuple[KernelManager, Path] | None = None,
            timeout: float = 60) -> tuple[dict, str]:
    """Run a cell; with `interrupt` (a kernel, a file), interrupt the kernel once the cell made that file."""
    msg_id = kc.execute(textwrap.dedent(code))
    text, deadline, interrupted = "", time.monotonic() + timeout, False
    while time.monotonic() < deadline:
        if interrupt is not None and not interrupted and interrupt[1].exists():
            interrupt[0].interrupt_kernel()
            interrupted = True
        try:
            msg = kc.get_iopub_msg(timeout=0.05 if interrupt is not None and not interrupted else 1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            text += content["text"]
        elif kind == "error":
            text += "\n".join(content["traceback"])
        elif kind == "status" and content["execution_state"] == "idle":
            return shell_reply(kc, msg_id, deadline), text
    raise TimeoutError(f"cell did not finish in {timeout}s; output so far: {text}")


def shell_reply(kc: BlockingKernelClient, msg_id: str, deadline: float) -> dict:
    """The execute reply to `msg_id`: replies to earlier requests (a kernel_info at start-up, say) are skipped."""
    while time.monotonic() < deadline:
        try:
            msg = kc.get_shell_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]
    raise TimeoutError(f"no shell reply to {msg_id} before the deadline")


def test_interrupting_the_kernel_cancels_the_run(kernel: tuple[KernelManager, BlockingKernelClient],
                                                  tmp_path: Path) -> None:
    km, kc = kernel
    started = tmp_path / "started"
    reply, text = execute(kc, SLOW_BOARD)
    assert reply["status"] == "ok", text
    # The interrupt goes once the delay has begun: the run is under way and the cell waits for it (an interrupt a
    # fixed time after the cell began could land before the run, in a busy machine's slow start).
    reply, text = execute(kc, f"""
        from pathlib import Path
        from flowlike_core import Listener

        class Started(Listener):
            def node_started(self, run, trace):
                if trace.node_id == wait.id:
                    Path({str(started)!r}).touch()

        run = board.run(listeners=[Started()])
        print("STATUS", run.status.value, len(run.traces))
    """, interrupt=(km, started))
    assert reply["status"] == "ok", text
    assert "STATUS Cancelled" in text
    reply, text = execute(kc, "print(run.summary()); print(6 * 7)")
    assert reply["status"] == "ok" and "42" in text and "Cancelled" in text


def test_a_raising_node_never_kills_the_kernel(kernel: tuple[KernelManager, BlockingKernelClient]) -> None:
    _, kc = kernel
    reply, text = execute(kc, """
        import flowlike_nb as fnb

        @fnb.node
        def blow_up(x: int = 1) -> int:
            raise ZeroDivisionError("boom")

        bad = fnb.Board("bad")
        log = bad.add("log_info", "log")
        bad.add("events_simple", "start").outputs.exec_out >> log.inputs.exec_in
        bad.add("blow_up", "blow").outputs.result >> log.inputs.message
        failed = bad.run()
        print("STATUS", failed.status.value, failed.core.failed_trace().error)
    """)
    assert reply["status"] == "ok", text
    assert "STATUS Failed ZeroDivisionError: boom" in text
    reply, text = execute(kc, "failed.raise_for_status()")
    assert reply["status"] == "error" and "NodeFailed" in text
    reply, text = execute(kc, "print('alive')")
    assert reply["status"] == "ok" and "alive" in text
    assert kernel[0].is_alive()
