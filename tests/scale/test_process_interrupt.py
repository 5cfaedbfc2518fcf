"""Ctrl-C while the process backend's worker is still starting cold (importing the engine): the run stops at once
and its record says Cancelled; the worker is not left behind (it goes on warming and back to the pool, and goes
with the process that made it). A real `flowlike run --backend process` gets a real SIGINT: from a terminal (the
whole process group, the worker too) or from Jupyter's interrupt (the caller only)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from scale_boards import square_board, until

from flowlike_core import RunStatus, run_board
from flowlike_core.backends.process import ProcessBackend

BOARD = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


def _children(pid: int) -> list[int]:
    """The pids of the processes `pid` started (from /proc: each process's parent)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.parametrize("to", ["group", "caller"])
def test_ctrl_c_while_the_worker_starts_cold_cancels_the_run_at_once(to):
    command = [sys.executable, "-m", "flowlike_core.cli", "run", str(BOARD), "--backend", "process", "--no-history",
               "--json"]
    cli = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        until(lambda: bool(_children(cli.pid)) or cli.poll() is not None, "the worker process to be spawned")
        workers = _children(cli.pid)
        assert workers, "the run ended before its worker process was spawned"
        if to == "group":  # as a terminal sends it
            os.killpg(cli.pid, signal.SIGINT)
        else:  # as Jupyter's interrupt sends it to the kernel
            cli.send_signal(signal.SIGINT)
        out, err = cli.communicate(timeout=120)
    finally:
        if cli.poll() is None:
            cli.kill()
    assert cli.returncode == 1, err
    record = json.loads(out[out.index("{"):out.rindex("}") + 1])
    assert record["status"] == "Cancelled", (record["status"], record["error"])
    assert "before it started" in record["error"] and not record["traces"], record["error"]
    assert "Traceback" not in err, err
    until(lambda: all(_gone(pid) for pid in workers), "the worker process to go with the command")


def test_a_cancel_while_the_worker_starts_cold_settles_the_run_and_the_worker_warms_for_the_next(registry):
    """In a kernel: the run says Cancelled at once; the worker, which never started the run, joins the pool."""
    backend = ProcessBackend(1)
    try:
        handle = backend.start(square_board(registry), registry=registry, variables={"n": 2}, max_steps=100)
        until(lambda: backend.pool.count == 1 and not backend.pool.idle, "a worker to take the run")
        handle.cancel()
        run = handle.wait(60)
        assert run.status is RunStatus.CANCELLED, run.error
        assert "before it started" in run.error and not run.traces
        until(lambda: bool(backend.pool.idle), "the worker back in the pool")
        worker = backend.pool.idle[0]
        assert worker.alive()
        assert run_board(square_board(registry), registry=registry, variables={"n": 4}, backend=backend).result == 16
        assert backend.pool.idle == [worker] or worker.alive()
    finally:
        backend.close()
