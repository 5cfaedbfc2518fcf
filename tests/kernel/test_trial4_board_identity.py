"""A board file that names no id is one board across loads: its id comes from the file's resolved path, so its runs
stay one run history (a random id per load split them)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import flowlike_nb as fnb
from flowlike_core import Board
from flowlike_core.interop import open_board
from flowlike_core.storage import Storage, StorageConfig


def write_board_without_id(path: Path) -> Path:
    board = fnb.Board("no id")
    start = board.add("events_simple", "start")
    say = board.add("log_info", "say", message="hi")
    start.outputs.exec_out >> say.inputs.exec_in
    data = json.loads(board.core.to_json())
    del data["id"]
    path.write_text(json.dumps(data))
    return path


def test_every_load_of_a_file_without_id_is_the_same_board(tmp_path: Path, monkeypatch) -> None:
    path = write_board_without_id(tmp_path / "flow.board.json")
    monkeypatch.chdir(tmp_path)
    ids = {Board.load(path).id, Board.load("flow.board.json").id, fnb.load(str(path)).core.id,
           open_board(path)[0].id, fnb.Board.open(path).core.id}
    assert len(ids) == 1
    other = write_board_without_id(tmp_path / "other.board.json")
    assert Board.load(other).id not in ids, "another file is another board"


def test_saving_writes_the_id_and_a_file_with_an_id_keeps_it(tmp_path: Path) -> None:
    path = write_board_without_id(tmp_path / "flow.board.json")
    board = Board.load(path)
    board.save()
    assert json.loads(path.read_text())["id"] == board.id
    moved = tmp_path / "moved.board.json"
    os.replace(path, moved)
    assert Board.load(moved).id == board.id, "once written, the id travels with the file"


def test_the_runs_of_every_load_are_one_history(tmp_path: Path) -> None:
    path = write_board_without_id(tmp_path / "flow.board.json")
    store = Storage(StorageConfig.at(str(tmp_path / "store")))
    for _ in range(3):
        store.record(Board.load(path).run())
    board_id = Board.load(path).id
    assert [r.board_id for r in store.runs.query(board=board_id)] == [board_id] * 3
