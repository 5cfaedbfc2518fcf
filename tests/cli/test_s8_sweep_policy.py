"""What the runs of `flowlike sweep` may reach: what `--allow` / `--allow-path` grant, as for `flowlike run` (a
sweep is many runs of the same kind; it allowed everything). `flowlike notebook` runs a notebook, arbitrary code
anyway: it allows everything, and its --help says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowlike_core import Board, DataType, NodeType, Variable, commands, default_registry, exec_in, exec_out
from flowlike_core.cli import main
from flowlike_core.policy import Capability


class Start(NodeType):
    name = "cli_s8_sweep_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class Fetch(NodeType):
    name = "cli_s8_sweep_fetch"
    friendly_name = "Fetch"
    capabilities = (Capability.NETWORK,)
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.activate("exec_out")


for node_type in (Start, Fetch):
    default_registry().register(node_type, pack="cli-s8-sweep-policy", replace=True)


@pytest.fixture
def fetching_board(tmp_path: Path) -> Path:
    board = Board(name="fetching")
    board.apply(commands.UpsertVariable(Variable(name="n", data_type=DataType.INTEGER, default_value=0, exposed=True)))
    start = board.apply(commands.AddNode(Start.create()))
    fetch = board.apply(commands.AddNode(Fetch.create()))
    board.apply(commands.Connect(start.id, "exec_out", fetch.id, "exec_in"))
    return board.save(tmp_path / "fetching.board.json")


def test_a_sweep_refuses_what_is_not_allowed(fetching_board, capsys):
    assert main(["sweep", str(fetching_board), "-p", "n=1,2", "--no-history", "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [row["status"] for row in rows] == ["Failed", "Failed"]
    assert all("needs network" in row["error"] and "--allow network" in row["error"] for row in rows), rows


def test_a_sweep_runs_what_allow_grants(fetching_board, capsys):
    assert main(["sweep", str(fetching_board), "-p", "n=1,2", "--no-history", "--json", "--allow", "network"]) == 0
    assert [row["status"] for row in json.loads(capsys.readouterr().out)] == ["Success", "Success"]


def test_notebooks_help_says_its_runs_allow_everything(capsys):
    assert main(["notebook", "--help"]) == 0
    assert "allow everything" in " ".join(capsys.readouterr().out.split())
