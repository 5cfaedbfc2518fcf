"""`flowlike notebook ... --workers N`: the papermill runs of a sweep go at once, from worker processes, and the
table is the one a sweep one after another prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowlike_core.cli import main

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"
BARRIER = """import pathlib, time
pathlib.Path(f"started-{threshold}").touch()
deadline = time.monotonic() + 120
while len(list(pathlib.Path().glob("started-*"))) < 2:
    assert time.monotonic() < deadline, "no other notebook of the sweep started: the runs did not overlap"
    time.sleep(0.05)
"""
"""A cell that waits until two notebooks of the sweep have started: it passes only when runs overlap."""


@pytest.fixture
def notebook_cells() -> tuple[str, ...]:
    """The barrier between the parameters and the run."""
    return (BARRIER,)


@pytest.mark.timeout(400)
def test_workers_run_the_notebooks_at_once_and_print_the_same_table(notebook, tmp_path, capsys):
    def sweep(thresholds: str) -> list[str]:
        out = tmp_path / "out_{threshold}.ipynb"
        return ["notebook", str(LOOP), str(notebook), str(out), "-p", "threshold", thresholds, "--workers", "2"]

    assert main([*sweep("2,8,5"), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["threshold"], r["status"], r["result"], r["error"]) for r in rows] == \
        [(2, "Success", 24, None), (8, "Success", 9, None), (5, "Success", 17, None)]
    assert [r["notebook"] for r in rows] == [str(tmp_path / f"out_{t}.ipynb") for t in (2, 8, 5)]
    assert sorted(p.name for p in tmp_path.glob("started-*")) == ["started-2", "started-5", "started-8"]

    for started in tmp_path.glob("started-*"):
        started.unlink()
    assert main(sweep("2,8")) == 0
    table = capsys.readouterr()
    lines = table.out.splitlines()
    assert lines[0].split() == ["threshold", "status", "duration", "result", "notebook", "error"]
    # (the duration is two words: "313 ms")
    assert [line.split()[:2] + line.split()[4:6] for line in lines[1:]] == \
        [[str(t), "Success", str(r), str(tmp_path / f"out_{t}.ipynb")] for t, r in ((2, 24), (8, 9))]
    assert "2 runs, 2 succeeded" in table.err


def test_workers_must_be_at_least_one(notebook, tmp_path, capsys):
    out = str(tmp_path / "out_{threshold}.ipynb")
    assert main(["notebook", str(LOOP), str(notebook), out, "-p", "threshold", "1,2", "--workers", "0"]) == 2
    assert "--workers 0: give at least 1" in capsys.readouterr().err
    assert not list(tmp_path.glob("out*"))
