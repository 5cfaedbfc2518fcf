"""`fnb.Board.open(path)` in a notebook: the reader is picked by content and the import report is shown."""

from __future__ import annotations

from flowlike_json import board_bytes

import flowlike_nb as fnb


def test_open_a_flowlike_board_shows_and_keeps_the_report(tmp_path, hello, capsys):
    path = tmp_path / "hello.board"
    path.write_bytes(board_bytes(hello))
    board = fnb.Board.open(path)
    assert "1 placeholder(s)" in capsys.readouterr().out
    assert board.import_report is not None and board.import_report.placeholders[0].node_id == "n-fetch"
    assert board.nodes["n-fetch"].type == "telegram_send_sticker"
    board.nodes["n-log"].set(message="from a cell")
    saved = fnb.Board.open(board.save(tmp_path / "mine"))
    assert capsys.readouterr().out == ""  # our own file: nothing to report
    assert saved.core == board.core
