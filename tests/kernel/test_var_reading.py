"""`flowlike run --var` and `%flowlike run --var` read a value the same way (one `parse_value`): the text itself for a
String variable, JSON for the others."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core import RunStatus


@pytest.fixture
def board_file(tmp_path: Path) -> Path:
    board = fnb.Board("vars")
    board.variable("code", str, "", exposed=True)
    board.variable("n", int, 0, exposed=True)
    board.add("events_simple", "start")
    return board.save(tmp_path / "vars.board.json")


@pytest.mark.parametrize(("var", "value"), [("code=123", "123"), ('code="3"', '"3"'), ("n=41", 41)])
def test_the_cli_and_the_magic_read_a_var_alike(shell: InteractiveShell, board_file: Path, var: str,
                                               value: object) -> None:
    name = var.partition("=")[0]
    cli = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "run", str(board_file), "--json", "--var", var],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["variables"][name] == value
    run = shell.run_line_magic("flowlike", f"run {board_file} --var '{var}'")
    assert run.status is RunStatus.SUCCESS and run.variables[name] == value
