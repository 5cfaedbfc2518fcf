"""Every command that takes a board file takes Flow-Like's as `flowlike run` does: `flowlike sweep` and
`flowlike notebook` open a `.board` (what the import did on stderr), and a file that is neither names itself."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from flowlike_files import IMPORTED, flowlike_board

from flowlike_core.cli import main


def flowlike(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flowlike_core.cli", *args], capture_output=True, text=True,
                          timeout=300)


def test_sweep_runs_a_flowlike_board_file(tmp_path):
    done = flowlike("sweep", str(flowlike_board(tmp_path)), "-p", "n=1,2", "--start", "start", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(row["n"], row["status"]) for row in rows] == [(1, "Success"), (2, "Success")]
    assert IMPORTED in done.stderr and "'elsewhere' (" in done.stderr and "missing acme_frobnicate" in done.stderr


def test_notebook_takes_a_flowlike_board_file(tmp_path, notebook, capsys):
    out = str(tmp_path / "out.ipynb")
    assert main(["notebook", str(flowlike_board(tmp_path)), str(notebook), out, "-p", "nope", "1"]) == 2
    err = capsys.readouterr().err
    assert IMPORTED in err, "the board was read, and what the import did shown"
    assert "board 'counter' has no exposed variable 'nope' (exposed: n)" in err


@pytest.mark.parametrize("command", ["sweep", "notebook"])
@pytest.mark.parametrize(("content", "message"), [
    (b"\x10\x00\x00\x00garbage that is no LZ4 block", "not a Flow-Like file"),
    (b'{"cells": [], "metadata": {}}', "not a board document: none of its keys (cells, metadata)"),
])
def test_a_file_that_is_no_board_names_itself(tmp_path, notebook, capsys, command, content, message):
    path = tmp_path / "junk.board"
    path.write_bytes(content)
    args = [str(notebook), str(tmp_path / "out.ipynb"), "-p", "n", "1"] if command == "notebook" else ["-p", "n=1"]
    assert main([command, str(path), *args]) == 2
    err = capsys.readouterr().err
    assert f"{path}: " in err and message in err
