"""papermill glue: a board's exposed variables are a notebook's parameters.

    import flowlike_nb as fnb
    from flowlike_nb.kernel.papermill import parameters
    board = fnb.load("notebooks/boards/loop_and_branch.board.json")
    parameters(board)                      # {'numbers': [3, 8, 1, 9, 4], 'threshold': 5}: each one a `-p`

In the notebook, a cell tagged `parameters` holds `board_path` and one assignment per exposed variable (None: the
board's default); `papermill nb.ipynb out.ipynb -p rows 1000` overrides them and the notebook runs the board with
`board.run(variables_from(board))`. The run's record rides in the output notebook (see `RUN_MIME`),
so `run_board_notebook` can hand it back, e.g. to the CLI. `sweep_board_notebook` runs the notebook once per
combination of parameter values (one after another, or several at once on worker processes) and gathers the runs
into one table, as `board.sweep` does.
"""

from __future__ import annotations

import keyword
import multiprocessing
import multiprocessing.context
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from flowlike_core.board import Board as CoreBoard
from flowlike_core.cli import parse_value
from flowlike_core.errors import BoardError
from flowlike_core.interop import open_board
from flowlike_core.run import RunRecord, RunStatus
from flowlike_core.sweep import SweepResult, SweepRow, combinations
from flowlike_core.types import DataType, ValueType, type_label
from flowlike_nb.kernel import namespace
from flowlike_nb.kernel.handles import Board
from flowlike_nb.kernel.runs import RUN_MIME


def _core(board: Board | CoreBoard | str | Path) -> CoreBoard:
    """The engine board of a handle, or of a board file (ours or Flow-Like's: `Board.open` shows what importing
    it did in the cell)."""
    if isinstance(board, Board):
        return board.core
    if isinstance(board, CoreBoard):
        return board
    return Board.open(board).core


def parameters(board: Board | CoreBoard | str | Path) -> dict[str, Any]:
    """The board's exposed variables with their defaults: the parameters papermill can set (those named as Python
    variables: papermill assigns them in a cell)."""
    return {v.name: v.default_value for v in _core(board).variables.values()
            if v.exposed and not v.secret and v.name.isidentifier() and not keyword.iskeyword(v.name)}


board_parameters = parameters
"""`parameters` under a name that `run_board_notebook`'s argument `parameters` does not hide."""


def parameters_cell(board: Board | CoreBoard | str | Path, board_path: str = "") -> str:
    """Source of a `parameters` cell for this board (tag the cell `parameters`)."""
    lines = [f"board_path = {board_path!r}  # a board file; empty: the board this notebook builds"]
    core = _core(board)
    for name, value in parameters(core).items():
        variable = core.lookup_variable(name)
        lines.append(f"{name} = {value!r}  # {type_label(variable.data_type, variable.value_type)}"
                     + (f": {variable.description}" if variable.description else ""))
    return "\n".join(lines) + "\n"


def variables_from(board: Board | CoreBoard, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Values of the board's exposed variables found in `values` (default: the notebook's namespace). Text for a
    variable that does not hold text is read as `flowlike run --var` reads it, as JSON: `papermill -p numbers
    '[1, 2]'` passes the text. A value None is no value: the variable keeps the board's default, so a `parameters`
    cell of `name = None` lets a board file loaded from `board_path` run with its own defaults, where values
    written in the cell (made for another board) would stand in for them."""
    core = _core(board)
    found = namespace.user_namespace() if values is None else values
    return {name: _typed(core, name, found[name]) for name in parameters(core) if found.get(name) is not None}


TEXT_TYPES = (DataType.STRING, DataType.PATHBUF, DataType.DATE)
"""Variables whose value is text: papermill's `-p` turns text that looks like a number into one."""


def _typed(board: CoreBoard, name: str, value: Any) -> Any:
    variable = board.lookup_variable(name)
    anything = variable.data_type is DataType.GENERIC and variable.value_type is ValueType.NORMAL  # text is a value
    if variable.value_type is ValueType.NORMAL and variable.data_type in TEXT_TYPES and isinstance(value, int | float):
        raise BoardError(f"variable {name!r} holds text ({variable.data_type.value}), but papermill -p read {value!r} "
                         f"as a number (the text cannot be told back: 007 is 7): pass the text with `papermill -r "
                         f"{name} {value!r}` or `flowlike notebook BOARD NOTEBOOK OUT -p {name} {value!r}`")
    return parse_value(board, name, value) if isinstance(value, str) and not anything else value


def run_board_notebook(board_path: str | Path, notebook: str | Path, out: str | Path,
                       parameters: dict[str, Any] | None = None, *, kernel_name: str = "python3",
                       cwd: str | Path | None = None) -> RunRecord | None:
    """Execute `notebook` with papermill for a board file; returns the record of the last run of that board it
    showed (not one of another board, such as a demo board the notebook builds itself).

    `parameters` set exposed variables (papermill injects them after the `parameters` cell); the others that cell
    names are injected with the board's defaults, so that the notebook's own (made for its demo board) never stand
    in for them (one it does not name takes the board's default in `variables_from` anyway; passed, papermill
    would warn of an unknown parameter). `board_path` is passed as a parameter too. A failing cell raises
    papermill's execution error.
    """
    import papermill

    board, _ = open_board(board_path)  # ours or Flow-Like's; the caller shows an import (flowlike notebook: stderr)
    named = papermill.inspect_notebook(str(notebook))
    defaults = {name: value for name, value in board_parameters(board).items() if name in named}
    values = {"board_path": str(Path(board_path).resolve()), **defaults, **(parameters or {})}
    papermill.execute_notebook(str(notebook), str(out), parameters=values, kernel_name=kernel_name,
                               cwd=str(cwd) if cwd else str(Path(notebook).resolve().parent),
                               progress_bar=False, log_output=False)
    return last_run_record(out, board)


def sweep_board_notebook(board_path: str | Path, notebook: str | Path, out: str | Path,
                         grid: Mapping[str, Sequence[Any]], *, kernel_name: str = "python3",
                         cwd: str | Path | None = None, workers: int = 1) -> SweepResult:
    """Execute `notebook` once per combination of `grid` (exposed variable -> values, the last varying fastest)
    and gather the runs it showed into one table (`.to_dataframe()`): parameters, status, duration, the run's
    result, the executed notebook, the error.

    `out` names each executed copy: papermill fills `{name}` placeholders with the combination's values
    (`out_{alpha}.ipynb`); without any, several combinations are numbered (`out-1.ipynb`, `out-2.ipynb`...).
    A run whose notebook fails a cell, or shows no run of the board, is a Failed row saying so. `workers` > 1
    runs that many notebooks at once, each from its own process (rows stay in the order of the combinations).
    """
    if workers < 1:
        raise ValueError(f"workers={workers}: at least one notebook runs at a time")
    points = combinations(grid)
    template = str(out)
    if len(points) > 1 and "{" not in template:
        path = Path(template)
        template = str(path.with_name(f"{path.stem}-{{_run}}{path.suffix}"))
    try:
        template.replace("{_run}", "").format(**points[0])
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"output path {str(out)!r}: {{...}} must name a parameter ({', '.join(grid)}); "
                         f"{type(exc).__name__}: {exc}") from exc
    paths = [template.replace("{_run}", str(number)).format(**point) for number, point in enumerate(points, start=1)]
    jobs = [(board_path, notebook, path, point, kernel_name, cwd) for path, point in zip(paths, points, strict=True)]
    if workers == 1 or len(jobs) == 1:
        rows = [_row(*job) for job in jobs]
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=_worker_context()) as pool:
            rows = list(pool.map(_row, *zip(*jobs, strict=True)))
    return SweepResult(list(grid), ["result", "notebook"], rows)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fork server that has imported this module once (papermill and nbformat take seconds
    to import), not from this process: a fork of a process holding kernel clients, threads and zmq sockets is not
    safe. Spawned where there is no fork server (Windows)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _row(board_path: str | Path, notebook: str | Path, path: str, point: dict[str, Any], kernel_name: str,
         cwd: str | Path | None) -> SweepRow:
    """One combination's run of the notebook, as a row of the sweep's table."""
    import papermill

    started = time.perf_counter()
    try:
        record = run_board_notebook(board_path, notebook, path, point, kernel_name=kernel_name, cwd=cwd)
    except papermill.PapermillExecutionError as exc:
        record, error = None, f"a cell failed ({exc.ename}: {exc.evalue}); see {path}"
    else:
        error = None if record is not None else f"{path}: the notebook ran but showed no run of the board"
    if record is None:
        return SweepRow(point, RunStatus.FAILED.value, time.perf_counter() - started,
                        {"result": None, "notebook": path}, error)
    return SweepRow(point, record.status.value, record.duration, {"result": record.result, "notebook": path},
                    record.error)


def last_run_record(path: str | Path, board: CoreBoard | None = None) -> RunRecord | None:
    """The record of the last run displayed in an executed notebook, if any; given a board, of that board (by id:
    every load of a board file is the same board, see `Board.read_from`)."""
    notebook = nbformat.read(str(path), as_version=4)
    found = None
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(RUN_MIME)
            if record is not None and (board is None or board.id == record.get("board_id")):
                found = record
    return RunRecord.model_validate(found) if found is not None else None
