"""Every command that takes a board file takes Flow-Like's as `flowlike run` does: `flowlike sweep` and
`flowlike notebook` open a `.board` (what the import did on stderr), and a file that is neither names itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import flowlike_nb as fnb
from flowlike_core.cli import main
from flowlike_core.interop import export_board
from flowlike_core.interop.formats import write_board


def flowlike_board(folder: Path) -> Path:
    """A Flow-Like `.board` written by our exporter: start -> return n (an exposed Integer), and off the run's
    path a node whose key no pack provides (a placeholder)."""
    board = fnb.Board("counter")
    board.variable("n", int, 3, exposed=True)
    start = board.add("events_simple", "start")
    read = board.add("variable_get", "read n", var_ref="n")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    read.outputs.value_ref >> done.inputs.response
    board.add("log_info", "elsewhere")
    data = json.loads(export_board(board.core, folder / "counter.json", as_json=True).read_text())
    next(node for node in data["nodes"].values() if node["friendly_name"] == "elsewhere")["name"] = "acme_frobnicate"
    path = folder / "counter.board"
    path.write_bytes(write_board(data))
    return path


IMPORTED = "counter.board (.board, current pin layout): board 'counter': 4 nodes, 3 mapped, 1 placeholder(s)"


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
