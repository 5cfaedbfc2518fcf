"""`flowlike run` and `flowlike validate` take a Flow-Like board file (`.board`, serde JSON) as they take ours."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from flowlike_json import board_bytes
from trial4_boards import fresh

from flowlike_core.cli import main
from flowlike_core.interop import formats


@pytest.fixture
def board_file(tmp_path):
    path = tmp_path / "trial.board"
    path.write_bytes(board_bytes(fresh()))
    return path


def flowlike(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flowlike_core.cli", *args], capture_output=True, text=True,
                          timeout=300)


def test_flowlike_run_runs_a_flowlike_board_file(board_file):
    done = flowlike("run", str(board_file), "--start", "start")
    assert done.returncode == 0, done.stderr
    assert [line.split(": ", 1)[1] for line in done.stdout.splitlines() if line.startswith("INFO")] == \
        ["begin", "a", "b", "c", "3", "done", "few"]
    assert "Success: board 'Trial four'" in done.stdout
    assert "trial.board (.board, current pin layout): board 'Trial four'" in done.stderr  # what the import did
    assert "'Acme Frobnicate' (n-acme): missing acme_frobnicate (unknown pack)" in done.stderr


def test_flowlike_run_of_serde_json_with_variables(tmp_path, capsys):
    path = tmp_path / "trial.json"
    path.write_text(json.dumps(fresh()))
    assert main(["run", str(path), "--start", "start", "--var", 'items=["x"]', "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [line["message"] for trace in record["traces"] for line in trace["logs"]] == ["begin", "x", "few"]
    assert record["variables"]["items"] == ["x"] and record["status"] == "Success"


def test_a_run_that_would_reach_nodes_we_lack_is_refused_naming_them(board_file, capsys):
    assert main(["run", str(board_file), "--start", "offline"]) == 2
    err = capsys.readouterr().err
    assert "'Acme Frobnicate' (n-acme): missing acme_frobnicate (unknown pack" in err
    assert "'Copilot Abort' (n-copilot): missing copilot_abort (Flow-Like pack 'llm')" in err


def test_flowlike_validate_lists_the_nodes_we_lack(board_file, capsys):
    assert main(["validate", str(board_file)]) == 1
    out = capsys.readouterr().out
    assert "'Copilot Abort' (n-copilot)" in out and "[unknown-node-type]" in out and "2 problems" in out


@pytest.mark.parametrize(("content", "message"), [
    (b"\x10\x00\x00\x00garbage that is no LZ4 block", "not a Flow-Like file (a length prefix and an LZ4 block)"),
    (b'{"cells": [], "metadata": {}}', "not a board document: none of its keys (cells, metadata)"),
    (b'{"nodes": {"n1": {"id": "n1", "pins": {}}}}', "nodes['n1'].name: missing"),
    (b"{not json", ":1:2: not valid JSON"),
])
def test_a_file_that_is_no_board_says_what_it_is_and_where(tmp_path, capsys, content, message):
    path = tmp_path / "x.board"
    path.write_bytes(content)
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}" in err and message in err


def test_an_app_manifest_given_to_run_says_to_give_a_board(tmp_path, capsys):
    path = tmp_path / "manifest.app"
    path.write_bytes(formats.write_app("app", ["b1", "b2"]))
    assert main(["run", str(path)]) == 2
    assert "an app manifest listing 2 boards, not a board; give one of its .board files" in capsys.readouterr().err


def test_an_empty_required_input_off_the_path_of_the_run_does_not_stop_it(tmp_path, capsys):
    """Flow-Like boards often have nodes whose inputs are filled only when used; a run that never reaches them
    goes ahead, one that would reach them is refused before anything runs, naming node and input."""
    fl = fresh()
    fl["nodes"]["pack-data"]["pins"]["pack-data.name"]["default_value"] = None
    path = tmp_path / "empty.board"
    path.write_bytes(board_bytes(fl))
    assert main(["run", str(path), "--start", "start"]) == 0
    assert "Success: board 'Trial four'" in capsys.readouterr().out
    assert main(["run", str(path), "--start", "offline"]) == 2
    err = capsys.readouterr().err
    assert "[required-input-empty] input 'name' of 'Open Local Db' (pack-data) is required" in err
