"""papermill glue: a board's exposed variables are a notebook's parameters.

In the notebook, a cell tagged `parameters` holds `board_path` and one assignment per exposed variable;
`papermill nb.ipynb out.ipynb -p rows 1000` overrides them and the notebook runs the board with
`board.run(variables_from(board))`. The run's record rides in the output notebook (see `RUN_MIME`),
so `run_board_notebook` can hand it back, e.g. to the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from flowlike_core.board import Board as CoreBoard
from flowlike_core.run import RunRecord
from flowlike_nb.kernel import namespace
from flowlike_nb.kernel.handles import Board
from flowlike_nb.kernel.runs import RUN_MIME


def _core(board: Board | CoreBoard | str | Path) -> CoreBoard:
    if isinstance(board, Board):
        return board.core
    if isinstance(board, CoreBoard):
        return board
    return CoreBoard.load(board)


def parameters(board: Board | CoreBoard | str | Path) -> dict[str, Any]:
    """The board's exposed variables with their defaults: the parameters papermill can set."""
    return {v.name: v.default_value for v in _core(board).variables.values() if v.exposed and not v.secret}


def parameters_cell(board: Board | CoreBoard | str | Path, board_path: str = "") -> str:
    """Source of a `parameters` cell for this board (tag the cell `parameters`)."""
    lines = [f"board_path = {board_path!r}  # a board file; empty: the board this notebook builds"]
    core = _core(board)
    for name, value in parameters(core).items():
        variable = core.lookup_variable(name)
        lines.append(f"{name} = {value!r}  # {variable.value_type.value}<{variable.data_type.value}>"
                     + (f": {variable.description}" if variable.description else ""))
    return "\n".join(lines) + "\n"


def variables_from(board: Board | CoreBoard, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Values of the board's exposed variables found in `values` (default: the notebook's namespace)."""
    found = namespace.user_namespace() if values is None else values
    return {name: found[name] for name in parameters(_core(board)) if name in found}


def run_board_notebook(board_path: str | Path, notebook: str | Path, out: str | Path,
                       parameters: dict[str, Any] | None = None, *, kernel_name: str = "python3",
                       cwd: str | Path | None = None) -> RunRecord | None:
    """Execute `notebook` with papermill for a board file; returns the record of the last run it showed.

    `parameters` set exposed variables (papermill injects them after the `parameters` cell);
    `board_path` is passed as a parameter too. A failing cell raises papermill's execution error.
    """
    import papermill

    values = {"board_path": str(Path(board_path).resolve()), **(parameters or {})}
    papermill.execute_notebook(str(notebook), str(out), parameters=values, kernel_name=kernel_name,
                               cwd=str(cwd) if cwd else str(Path(notebook).resolve().parent),
                               progress_bar=False, log_output=False)
    return last_run_record(out)


def last_run_record(path: str | Path) -> RunRecord | None:
    """The record of the last run displayed in an executed notebook, if any."""
    notebook = nbformat.read(str(path), as_version=4)
    found = None
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RUN_MIME in data:
                found = data[RUN_MIME]
    return RunRecord.model_validate(found) if found is not None else None
