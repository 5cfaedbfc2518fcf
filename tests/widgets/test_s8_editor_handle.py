"""`BoardEditor(board)` with a notebook board (the handle `fnb.Board` gives) failed deep inside with
"AttributeError: 'Board' object has no attribute 'revision'", and then once more while the half-made widget was
collected ('BoardEditor' object has no attribute '_unsubscribe')."""

from __future__ import annotations

import gc
import sys

import pytest

import flowlike_nb as fnb
from flowlike_nb.widgets import BoardEditor


def test_an_editor_given_a_notebook_board_says_to_call_its_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    board = fnb.Board("hello")
    with pytest.raises(TypeError, match=r"a notebook board: call board\.editor\(\.\.\.\)"):
        BoardEditor(board, path="hello.board.json")
    gc.collect()
    assert unraisable == []


def test_an_editor_opens_the_engine_board_of_a_notebook_board() -> None:
    board = fnb.Board("hello")
    board.add("events_simple", "start")
    editor = BoardEditor(board.core)
    try:
        assert editor.board is board.core and editor.revision == board.core.revision
    finally:
        editor.close()
