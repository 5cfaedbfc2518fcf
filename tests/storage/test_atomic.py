"""A save that fails half-way leaves the previous file whole, on every store kind."""

from __future__ import annotations

import errno
import os

import pytest
from storage_nodes import Say, Start

from flowlike_core import Board, commands
from flowlike_core.errors import StorageError
from flowlike_core.storage import Storage
from flowlike_core.storage import bucket as bucket_module


def saved_board(store: Storage) -> tuple[Board, bytes]:
    board = Board(name="flow")
    board.apply(commands.AddNode(Start.create(node_id="start")))
    board.apply(commands.AddNode(Say.create(node_id="say", message="original")))
    app = store.app("demo")
    app.save(board)
    return board, store.meta.read(app._board_key("flow"))


def edited(board: Board) -> Board:
    board.apply(commands.UpdateNode("say", defaults={"message": "x" * 100_000}))
    return board


def assert_unchanged(store: Storage, before: bytes) -> None:
    app = store.app("demo")
    assert store.meta.read(app._board_key("flow")) == before
    assert app.load("flow").node("say").pin("message").default_value == "original"
    assert store.meta.list("apps/demo/boards") == ["apps/demo/boards/flow.board.json"], "no temporary file left"


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_local_disk_full_after_a_partial_write(store: Storage, monkeypatch: pytest.MonkeyPatch) -> None:
    board, before = saved_board(store)
    real_fdopen = os.fdopen

    class HalfWritten:
        """The file object of the temporary file: writes half the bytes, then the disk is full."""

        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bucket_module.os, "fdopen", lambda fd, mode: HalfWritten(real_fdopen(fd, mode)))
    with pytest.raises(StorageError, match="No space left on device.*previous version is kept"):
        store.app("demo").save(edited(board))
    assert_unchanged(store, before)


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_local_process_killed_before_the_rename(store: Storage, monkeypatch: pytest.MonkeyPatch) -> None:
    board, before = saved_board(store)

    def killed(src, dst):
        raise KeyboardInterrupt  # what a signal looks like half-way through a save

    monkeypatch.setattr(bucket_module.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        store.app("demo").save(edited(board))
    assert_unchanged(store, before)


@pytest.mark.parametrize("store", ["memory", pytest.param("s3", marks=pytest.mark.s3)], indirect=True)
def test_object_store_put_failing_mid_upload(store: Storage, monkeypatch: pytest.MonkeyPatch) -> None:
    """On object stores a write is one PUT: a connection lost during it leaves the old object."""
    board, before = saved_board(store)

    def lost(path, data, **kwargs):
        raise ConnectionResetError(f"connection reset after {len(data) // 2} of {len(data)} bytes")

    monkeypatch.setattr(store.meta.fs, "pipe_file", lost)
    with pytest.raises(StorageError, match="connection reset.*previous version is kept"):
        store.app("demo").save(edited(board))
    monkeypatch.undo()
    assert_unchanged(store, before)
