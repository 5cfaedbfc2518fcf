"""Pin values of the editor's last run, as small previews: the canvas never gets a large value whole.

A preview is `{"type", "text", "truncated", "shape"?, "table"?, "image"?}`: `text` is a short repr, `table` the
first rows of a table-like value (Arrow, pandas, a list of dicts) as `{"columns", "rows"}` with its full `shape`,
`image` a small thumbnail of an image value (`flowlike_nb.widgets.thumbnails`) with its full size as `shape`.
An input pin shows the value its wire brought (the source output's), or its default when unwired.
"""

from __future__ import annotations

import keyword
from typing import TYPE_CHECKING, Any

from flowlike_core.board import Board
from flowlike_core.errors import FlowLikeError
from flowlike_core.run import Run, value_key
from flowlike_nb.widgets.thumbnails import thumbnail

if TYPE_CHECKING:
    from flowlike_core.debugger import Debugger

TEXT_CHARS = 300
TABLE_ROWS = 5
TABLE_COLUMNS = 8
CELL_CHARS = 40


def _short(value: Any, limit: int) -> tuple[str, bool]:
    text = value if isinstance(value, str) else repr(value)
    return (text, False) if len(text) <= limit else (text[: limit - 1] + "…", True)


def _table(value: Any) -> tuple[list[str], list[list[Any]], tuple[int, int]] | None:
    """Columns, first rows and shape of a table-like value; None for anything else."""
    if type(value).__name__ == "Table" and hasattr(value, "slice") and hasattr(value, "column_names"):
        head = value.slice(0, TABLE_ROWS).to_pylist()
        columns = list(value.column_names)
        return columns, [[row[c] for c in columns] for row in head], (value.num_rows, value.num_columns)
    if type(value).__name__ == "DataFrame" and hasattr(value, "head") and hasattr(value, "shape"):
        columns = [str(c) for c in value.columns]
        return columns, value.head(TABLE_ROWS).values.tolist(), tuple(value.shape)
    if isinstance(value, list) and value and all(isinstance(row, dict) for row in value[:TABLE_ROWS]):
        columns = list(dict.fromkeys(k for row in value[:TABLE_ROWS] for k in row))
        return columns, [[row.get(c) for c in columns] for row in value[:TABLE_ROWS]], (len(value), len(columns))
    return None


def preview(value: Any) -> dict[str, Any]:
    """What the canvas shows of a value: bounded in size whatever the value."""
    text, truncated = _short(value, TEXT_CHARS)
    shown: dict[str, Any] = {"type": type(value).__name__, "text": text, "truncated": truncated}
    table = _table(value)
    image = thumbnail(value) if table is None else None
    if image is not None:
        shown["image"] = image
        shown["shape"] = image["size"]
    elif table is not None:
        columns, rows, shape = table
        shown["shape"] = list(shape)
        shown["table"] = {
            "columns": [_short(c, CELL_CHARS)[0] for c in columns[:TABLE_COLUMNS]],
            "rows": [[_short(cell, CELL_CHARS)[0] for cell in row[:TABLE_COLUMNS]] for row in rows],
        }
    elif isinstance(value, list | tuple | set | dict | str | bytes):
        shown["shape"] = [len(value)]
    elif hasattr(value, "shape") and isinstance(getattr(value, "shape", None), tuple):
        shown["shape"] = list(value.shape)
    return shown


def pin_value(run: Run | None, board: Board, node_id: str, pin_id: str,
              debugger: Debugger | None = None) -> tuple[bool, Any]:
    """(found, value) of a pin in `run`: an output's last value; an input's from its wire, else its default. While
    `debugger` holds the run paused, as the paused node sees it (`Debugger.pin_value`: a loop's last iteration left
    values the paused one has not made yet)."""
    if debugger is not None and debugger.is_paused:
        return debugger.pin_value(node_id, pin_id)
    node = board.node(node_id)
    pin = node.pin(pin_id)
    if pin.is_input:
        wires = board.wires_into(node.id, pin.id)
        if not wires:
            return pin.default_value is not None, pin.default_value
        node, pin_key = board.nodes[wires[0].from_node], wires[0].from_pin
        pin = node.pins[pin_key]
    if run is None:
        return False, None
    key = value_key(node.id, pin.id)
    return (key in run.values, run.values.get(key))


def pin_preview(run: Run | None, board: Board, node_id: str, pin_id: str,
                debugger: Debugger | None = None) -> dict[str, Any] | None:
    """The preview of a pin's value in `run` (None: it has none), with the run's secrets masked."""
    has, value = pin_value(run, board, node_id, pin_id, debugger)
    if not has:
        return None
    shown = preview(value)
    return run.redactor.value(shown) if run is not None and run.redactor else shown


def node_previews(run: Run | None, board: Board, node_id: str,
                  debugger: Debugger | None = None) -> dict[str, dict[str, Any]]:
    """Pin id -> preview, for every data pin of the node that has a value in `run` (inputs: wired or default)."""
    found: dict[str, dict[str, Any]] = {}
    for pin in board.node(node_id).pins.values():
        if not pin.is_exec and (shown := pin_preview(run, board, node_id, pin.id, debugger)) is not None:
            found[pin.id] = shown
    return found


def bind(namespace: dict[str, Any], name: str, value: Any) -> None:
    """Give a notebook variable the value (a pin's, sent from the canvas)."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise FlowLikeError(f"{name!r} is not a Python variable name")
    namespace[name] = value
