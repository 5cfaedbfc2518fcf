"""`open_board` is the one way to open a board file a user gives: ours through `Board.load` (saving writes back
there), Flow-Like's through the importer, and a file that is neither gets the error that says most, naming it."""

from __future__ import annotations

import pytest
from flowlike_json import board_bytes

from flowlike_core import Board
from flowlike_core.errors import BoardFileError
from flowlike_core.interop import open_board
from flowlike_core.interop.api import imported
from flowlike_core.interop.formats import write_app


def test_ours_and_flowlikes_open_the_same_way(hello, registry, tmp_path):
    flowlike = tmp_path / "hello.board"
    flowlike.write_bytes(board_bytes(hello))
    board, report = open_board(flowlike, registry)
    assert imported(report) and report.placeholders and board.path is None, "a Flow-Like file is never saved over"
    ours = board.save(tmp_path / "hello.board.json")
    again, own = open_board(ours, registry)
    assert not imported(own) and again == Board.load(ours) and again.path == ours


@pytest.mark.parametrize(("content", "message"), [
    ('{"format": "flowlike-nb/board@1", "name": "x", "nodes": {"a": {}}}', "invalid board: at nodes.a"),
    ('{"cells": [], "metadata": {}}', "not a board document: none of its keys (cells, metadata)"),
    ('{\n  "name": "x",\n  "nodes": {,}\n}\n', ":3:13: not valid JSON"),
])
def test_json_that_is_neither_gets_our_loaders_error(tmp_path, registry, content, message):
    path = tmp_path / "x.board.json"
    path.write_text(content)
    with pytest.raises(BoardFileError) as raised:
        open_board(path, registry)
    assert str(raised.value).startswith(f"{path}") and message in str(raised.value)


def test_an_app_manifest_or_a_folder_is_not_a_board(tmp_path, registry):
    manifest = tmp_path / "manifest.app"
    manifest.write_bytes(write_app("app", ["b1"]))
    with pytest.raises(BoardFileError, match=r"an app manifest listing 1 board, not a board; give one of"):
        open_board(manifest, registry)
    with pytest.raises(BoardFileError, match=f"{tmp_path}: not a regular file"):
        open_board(tmp_path, registry)
