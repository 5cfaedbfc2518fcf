"""A script without `if __name__ == "__main__":` whose board runs nodes before a Parallel For Each on workers
"processes" or "dask": the loop's spawned workers import the script again and ran its board up to the loop (its
nodes' files written and messages sent once per worker) before they stopped there. A worker of the loop's pool or of
a dask LocalCluster now stops as its re-import of the script starts a run, before any node runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """\
import os

from flowlike_catalog.std import PACK

from flowlike_core import Board, NodeType, Registry, commands, exec_in, exec_out


class Before(NodeType):
    name = "t_before_the_loop"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        with open("before.txt", "a") as before:
            before.write(f"{os.getpid()}\\n")
        ctx.activate("exec_out")


registry = Registry([PACK])
registry.register(Before)
board = Board(name="guard")
add = lambda key, node_id, **d: board.apply(commands.AddNode(registry.get(key).create(node_id=node_id, **d)))
add("events_simple", "start")
add("t_before_the_loop", "before")
add("control_par_for_each", "loop", array=[1, 2, 3], workers="WORKERS")
add("log_info", "log")
for wire in [("start", "exec_out", "before", "exec_in"), ("before", "exec_out", "loop", "exec_in"),
             ("loop", "exec_out", "log", "exec_in"), ("loop", "value", "log", "message")]:
    board.apply(commands.Connect(*wire))
run = board.run(registry=registry)
print("STATUS", run.status.value, run.error)
print("PID", os.getpid())
"""
GUARD = 'if __name__ == "__main__":'


@pytest.mark.parametrize("workers", ["processes", "dask"])
def test_nodes_before_the_loop_run_only_in_the_script(tmp_path: Path, workers: str) -> None:
    path = tmp_path / "loop_board.py"
    path.write_text(SCRIPT.replace("WORKERS", workers))
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=240, cwd=tmp_path,
                          env={**os.environ, "DASK_TEMPORARY_DIRECTORY": str(tmp_path)})
    assert done.stdout.count("STATUS") == 1, done.stdout  # the script's body ran once: in the script's process
    assert done.stdout.startswith("STATUS Failed") and GUARD in done.stdout, (done.stdout, done.stderr[-3000:])
    pids = (tmp_path / "before.txt").read_text().split()
    assert pids == [str(done_pid(done))], (pids, done.stderr[-3000:])  # the node before the loop: once, here


def done_pid(done: subprocess.CompletedProcess[str]) -> int:
    """The script's own process: the one that printed the run's status (the workers stopped before printing)."""
    return int(done.stdout.split("PID ")[1].split()[0])
