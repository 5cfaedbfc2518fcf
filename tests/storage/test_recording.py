"""Once a store is configured, every run of the process lands in its run history: cells, editor and CLI."""

from __future__ import annotations

import json
from pathlib import Path

import flowlike_nb as fnb
from flowlike_core import storage
from flowlike_core.cli import main

BOARDS = Path(__file__).parents[2] / "notebooks" / "boards"


def test_configured_store_records_every_run(tmp_path):
    store = storage.configure(str(tmp_path / "store"))
    board = fnb.Board("recorded")
    start = board.add("events_simple", "start")
    say = board.add("log_info", "say", message="kept")
    start.outputs.exec_out >> say.inputs.exec_in
    first, second = board.run(), board.run()
    ids = {record.id for record in store.runs.query(board="recorded")}
    assert ids == {first.core.id, second.core.id}
    storage.stop_recording()
    board.run()
    assert store.runs.count(board="recorded") == 2


def test_cli_runs_are_recorded_and_queryable(tmp_path, capsys):
    root = str(tmp_path / "cli-store")
    assert main(["run", str(BOARDS / "fails_on_purpose.board.json"), "--store", root]) == 1
    assert main(["run", str(BOARDS / "loop_and_branch.board.json"), "--store", root, "--no-history"]) == 0
    capsys.readouterr()
    assert main(["runs", "--store", root, "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [(r["board_name"], r["status"]) for r in records] == [("fails-on-purpose", "Failed")]
