"""Where widgets do not show (a notebook rendered on GitHub, nbconvert to text, a terminal), the editor's place read
`<flowlike_nb.widgets.editor.BoardEditor object at 0x7f...>`, an address that changed on every run."""

from __future__ import annotations

import flowlike_nb as fnb
from flowlike_nb.widgets import BoardEditor


def test_an_editor_reads_as_its_board_where_widgets_do_not_show() -> None:
    board = fnb.Board("hello")
    start, say = board.add("events_simple", "start"), board.add("log_info", "say", message="hi")
    start.outputs.exec_out >> say.inputs.exec_in
    editor = BoardEditor(board.core)
    try:
        assert repr(editor) == "<BoardEditor of board 'hello': 2 nodes, 1 wire>"
    finally:
        editor.close()
