"""The `flowlike` module docstring opens with commands; they run as written (a board file named there as
`my.board.json` is the example board; the notebook line, which starts a kernel, is left to test_cli_notebook)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from flowlike_core import cli

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_docstring_commands_run(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    lines = [line.strip().split("  #", 1)[0] for line in (cli.__doc__ or "").split("\n\n")[1].splitlines()]
    commands = [shlex.split(line)[1:] for line in lines if line.startswith("flowlike ")]
    assert [argv[0] for argv in commands] == ["run", "validate", "catalog", "schema", "notebook"]
    board = "notebooks/boards/loop_and_branch.board.json"
    for argv in commands[:-1]:
        assert cli.main([board if word == "my.board.json" else word for word in argv]) == 0, argv
        assert capsys.readouterr().out, argv
