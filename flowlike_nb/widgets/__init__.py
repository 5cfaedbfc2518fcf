"""Jupyter widgets for Boards: `BoardEditor`, the graph editor (an anywidget module)."""

from flowlike_nb.widgets.editor import BoardEditor

__all__ = ["BoardEditor"]
