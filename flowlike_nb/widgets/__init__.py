"""Jupyter widgets for Boards: `BoardEditor`, the graph editor (an anywidget module).

    import flowlike_nb as fnb
    from flowlike_nb.widgets import BoardEditor
    board = fnb.Board("hello")
    board.add("events_simple", "start")
    BoardEditor(board.core, path="hello.board.json")  # in a cell: the canvas (board.editor() adds feeds, bindings)
"""

from flowlike_nb.widgets.editor import BoardEditor

__all__ = ["BoardEditor"]
