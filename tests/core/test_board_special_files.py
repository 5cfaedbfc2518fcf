"""Board.load reads regular files only, of bounded size: a FIFO, a device or a folder is refused at once."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest

from flowlike_core import Board, plain_json
from flowlike_core.errors import BoardFileError


def load_in_time(path: os.PathLike[str], opener: Callable[[os.PathLike[str]], Any] = Board.load
                 ) -> BaseException | None:
    """What `opener` raises for `path`; fails the test if it blocks (then unblocks it by opening the FIFO)."""
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            opener(path)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            outcome.append(exc)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(timeout=30)
    if thread.is_alive():
        with open(path, "w"):  # the writer end releases a reader blocked on the FIFO
            pass
        thread.join(timeout=30)
        pytest.fail(f"Board.load blocked on {path}")
    return outcome[0]


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "x.board.json"
    os.mkfifo(fifo)
    error = load_in_time(fifo)
    assert isinstance(error, BoardFileError) and "x.board.json: not a regular file" in str(error)


def test_a_flowlike_import_refuses_a_fifo_too(tmp_path):
    from flowlike_core.interop import open_board

    fifo = tmp_path / "x.board"
    os.mkfifo(fifo)
    error = load_in_time(fifo, open_board)
    assert isinstance(error, BoardFileError) and "x.board: not a regular file" in str(error)


def test_devices_and_folders_are_refused(tmp_path):
    folder = tmp_path / "f.board.json"
    folder.mkdir()
    for path in (folder, "/dev/null", "/dev/zero"):
        with pytest.raises(BoardFileError, match="not a regular file"):
            Board.load(path)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = Board(name="big").save(tmp_path / "big.board.json")
    monkeypatch.setattr(plain_json, "MAX_FILE_BYTES", 64)
    with pytest.raises(BoardFileError, match=r"big\.board\.json: [\d,]+ bytes, over the 64 a board file may have"):
        Board.load(path)


def test_undecodable_and_unreadable_files_say_so(tmp_path):
    path = tmp_path / "latin.board.json"
    path.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(BoardFileError, match=r"latin\.board\.json: not UTF-8 text \(invalid continuation byte"):
        Board.load(path)
    locked = Board(name="locked").save(tmp_path / "locked.board.json")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads anything
        return
    with pytest.raises(BoardFileError, match="cannot read board file: Permission denied"):
        Board.load(locked)
