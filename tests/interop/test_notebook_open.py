"""`fnb.Board.open(path)` in a notebook: the reader is picked by content and the import report is shown."""

from __future__ import annotations

import json

from flowlike_json import board_bytes

import flowlike_nb as fnb


def test_open_a_flowlike_board_shows_and_keeps_the_report(tmp_path, hello, capsys):
    path = tmp_path / "hello.board"
    path.write_bytes(board_bytes(hello))
    board = fnb.Board.open(path)
    assert "1 placeholder," in capsys.readouterr().out
    assert board.import_report is not None and board.import_report.placeholders[0].node_id == "n-fetch"
    assert board.nodes["n-fetch"].name == "copilot_abort"
    assert board.path is None  # save() never writes our format over the Flow-Like file
    board.nodes["n-log"].set(message="from a cell")
    saved = fnb.Board.open(board.save(tmp_path / "mine"))
    assert capsys.readouterr().out == ""  # our own file: nothing to report
    assert saved.core == board.core


def test_editor_pastes_flowlike_clipboard_json_and_marks_placeholders(hello):
    from flowlike_core import Board
    from flowlike_nb.widgets import BoardEditor

    editor = BoardEditor(Board(name="target"))
    replies = []
    editor.send = replies.append
    clip = {"nodes": [hello["nodes"]["n-log"], hello["nodes"]["n-fetch"]], "comments": []}
    editor._on_message(None, {"action": "paste_flowlike", "text": json.dumps(clip), "request": 1}, [])
    reply = replies[-1]
    assert reply["ok"], reply
    assert reply["reason"].startswith("pasted 2 Flow-Like nodes; 'Sticker' (n-fetch): missing copilot_abort")
    pasted = {n.name: n for n in editor.board.nodes.values()}
    assert set(pasted) == {"log_info", "copilot_abort"} and "n-fetch" not in editor.board.nodes
    assert pasted["copilot_abort"].coordinates == (440.0, 40.0, 0.0)
    assert len(editor.board.connections) == 1
    assert editor.missing == {"copilot_abort": "missing: copilot_abort (Flow-Like pack 'llm')"}
    editor.board.undo()
    assert not editor.board.nodes and editor.missing == {}
    editor._on_message(None, {"action": "paste_flowlike", "text": "{not json", "request": 2}, [])
    assert not replies[-1]["ok"] and "clipboard: not JSON" in replies[-1]["reason"]
