"""A script that runs a board on the process backend without `if __name__ == "__main__":` is told to add it.

Spawned workers import the script's main module again; without the guard each worker ran the script's body (its
output twice, its files written twice) up to its own process run, which failed with multiprocessing's bootstrapping
text and was printed as the script's result, while the script went on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BODY = """\
from flowlike_catalog.std import PACK

from flowlike_core import Board, Registry, commands

def main():
    registry = Registry([PACK])
    board = Board(name="guard")
    board.apply(commands.AddNode(registry.get("events_simple").create()))
    run = board.run(registry=registry, backend="process")
    print("STATUS", run.status.value, run.error)
"""


def script(tmp_path: Path, guarded: bool) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "run_board.py"
    path.write_text(BODY + ('if __name__ == "__main__":\n    main()\n' if guarded else "main()\n"))
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=240, cwd=tmp_path)


def test_a_script_without_the_guard_is_told_to_add_it(tmp_path: Path) -> None:
    done = script(tmp_path, guarded=False)
    assert done.stdout.count("STATUS") == 1, done.stdout  # the script's body ran once: in the script's process
    assert done.stdout.startswith("STATUS Failed"), done.stdout
    assert 'if __name__ == "__main__":' in done.stdout, done.stdout  # the run's error says what to do
    assert 'if __name__ == "__main__":' in done.stderr and "run_board.py" in done.stderr, done.stderr


def test_a_script_with_the_guard_runs(tmp_path: Path) -> None:
    done = script(tmp_path, guarded=True)
    assert done.stdout.strip() == "STATUS Success None", (done.stdout, done.stderr)
