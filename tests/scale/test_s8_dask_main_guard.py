"""A script that runs a board on the dask backend, or a parallel loop on dask or processes, without
`if __name__ == "__main__":` is told to add it.

The LocalCluster's worker processes are spawned: each first imports the script's main module again, so without the
guard each ran the script's body up to its own dask run, whose LocalCluster failed with multiprocessing's
bootstrapping text; the script got "RuntimeError: Nanny failed to start." under some 500 lines of tracebacks, none
saying what to change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BODY = """\
from flowlike_catalog.std import PACK

from flowlike_core import Board, Registry, commands

def main():
    registry = Registry([PACK])
    board = Board(name="guard")
    board.apply(commands.AddNode(registry.get("events_simple").create()))
    run = board.run(registry=registry, backend="dask")
    print("STATUS", run.status.value, run.error)
"""
GUARD = 'if __name__ == "__main__":'


def script(tmp_path: Path, guarded: bool) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "run_board.py"
    path.write_text(BODY + (f"{GUARD}\n    main()\n" if guarded else "main()\n"))
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=240, cwd=tmp_path,
                          env={**os.environ, "DASK_TEMPORARY_DIRECTORY": str(tmp_path)})


def test_a_script_without_the_guard_is_told_to_add_it(tmp_path: Path) -> None:
    done = script(tmp_path, guarded=False)
    assert done.returncode != 0 and "STATUS" not in done.stdout, done.stdout  # no worker ran the body's run
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("flowlike_core.backends.BackendError: the dask LocalCluster's worker processes did not "
                           "start"), done.stderr[-3000:]
    assert GUARD in last and "run_board.py" in last, last
    assert "bootstrapping phase" not in done.stderr, done.stderr[-3000:]  # the workers stopped at the run, told why


def test_a_script_with_the_guard_runs(tmp_path: Path) -> None:
    done = script(tmp_path, guarded=True)
    assert done.stdout.strip() == "STATUS Success None", (done.stdout, done.stderr[-3000:])


LOOP_BODY = """\
from flowlike_catalog.std import PACK

from flowlike_core import Board, Registry, commands

def main():
    registry = Registry([PACK])
    board = Board(name="guard")
    add = lambda key, node_id, **d: board.apply(commands.AddNode(registry.get(key).create(node_id=node_id, **d)))
    add("events_simple", "start")
    add("control_par_for_each", "loop", array=[1, 2, 3], workers="dask")
    add("log_info", "log")
    for wire in [("start", "exec_out", "loop", "exec_in"), ("loop", "exec_out", "log", "exec_in"),
                 ("loop", "value", "log", "message")]:
        board.apply(commands.Connect(*wire))
    run = board.run(registry=registry)
    print("STATUS", run.status.value, run.error)

main()
"""


@pytest.mark.parametrize("workers", ["dask", "processes"])
def test_a_parallel_loop_in_a_script_without_the_guard_is_told_to_add_it(tmp_path: Path, workers: str) -> None:
    """The loop's workers are started by a node: a worker that ran the script's body failed only that node (with
    multiprocessing's bootstrapping text on processes), so each worker went on with the script (its output and files
    once per worker) and then served the loop."""
    path = tmp_path / "loop_board.py"
    path.write_text(LOOP_BODY.replace('workers="dask"', f'workers="{workers}"'))
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=240, cwd=tmp_path,
                          env={**os.environ, "DASK_TEMPORARY_DIRECTORY": str(tmp_path)})
    assert done.stdout.count("STATUS") == 1, done.stdout  # the script's body ran once: in the script's process
    assert done.stdout.startswith("STATUS Failed"), done.stdout
    assert GUARD in done.stdout and "loop_board.py" in done.stdout, done.stdout
