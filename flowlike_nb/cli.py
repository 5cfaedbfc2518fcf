"""`flowlike notebook`: run a board through a parameterized notebook (papermill). The notebook layer adds this
subcommand to the engine's `flowlike` command through the `flowlike.commands` entry point, so the engine
imports nothing from here."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from flowlike_core.board import Board
from flowlike_core.cli import BOARD_HELP, EXIT_FAILED, EXIT_OK, BadInput, load_board, parse_value, shown
from flowlike_core.run import RunStatus
from flowlike_core.sweep import combinations
from flowlike_core.sweep_cli import parse_parameter, show
from flowlike_core.types import ValueType
from flowlike_core.wording import counted, duration


def add_notebook_command(subparsers: Any) -> None:
    notebook = subparsers.add_parser(
        "notebook", help="run a board through a parameterized notebook (papermill)",
        description="Execute NOTEBOOK with papermill for BOARD and write the executed copy to OUT. The notebook's "
                    "`parameters` cell gets `board_path` and the -p values (exposed variables of the board); the "
                    "run it shows decides the exit status. Several values (-p alpha 0.1,0.2) run the notebook once "
                    "per combination and print one row per run; OUT then names each copy by papermill's {name} "
                    "placeholders (out_{alpha}.ipynb), else by number (out-1.ipynb, ...). The runs allow everything "
                    "(no --allow): a notebook runs any code anyway, so only run notebooks you trust. Needs the "
                    "notebook extra.",
        epilog="Exit status: 0 every run succeeded, 1 one failed or a cell failed, 2 bad input.",
    )
    notebook.add_argument("board", metavar="BOARD", help=BOARD_HELP)
    notebook.add_argument("notebook", metavar="NOTEBOOK", help="the notebook to execute")
    notebook.add_argument("out", metavar="OUT", help="where to write the executed notebook")
    notebook.add_argument("-p", "--parameter", nargs=2, metavar=("NAME", "VALUE"), action="append", default=[],
                          help="set an exposed variable (VALUE read as for `flowlike run --var`); several values "
                               "separated by commas (for a list variable: a JSON list of lists) sweep it")
    notebook.add_argument("-r", "--parameter-raw", nargs=2, metavar=("NAME", "VALUE"), action="append", default=[],
                          help="set an exposed variable to VALUE as a string, commas and all (as papermill -r)")
    notebook.add_argument("--json", action="store_true", help="print the runs as a JSON list (one per combination)")
    notebook.add_argument("--kernel", default="python3", help="kernel to run the notebook in (default python3)")
    notebook.add_argument("--workers", metavar="N", type=int, default=1,
                          help="run up to N notebooks of a sweep at once, each from its own process (default 1: one "
                               "after another); the table is the same")
    notebook.set_defaults(handler=cmd_notebook)


def cmd_notebook(args: argparse.Namespace) -> int:
    try:
        import papermill  # (and nbformat, which papermill needs: read_notebook)
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        from flowlike_nb.kernel.papermill import parameters, run_board_notebook, sweep_board_notebook
    except ImportError as exc:
        raise BadInput(f"running through a notebook needs the notebook extra "
                       f"(pip install 'flowlike-nb[notebook]'): {exc}") from exc

    board = load_board(args.board)
    exposed = {v.name for v in board.variables.values() if v.exposed}
    given = [*args.parameter, *args.parameter_raw]
    unknown = sorted({name for name, _ in given} - exposed)
    if unknown:
        raise BadInput(f"board {board.name!r} has no exposed variable {', '.join(map(repr, unknown))} "
                       f"(exposed: {', '.join(sorted(exposed)) or 'none'})")
    unnamed = sorted({name for name, _ in given} - set(parameters(board)))
    if unnamed:
        raise BadInput(f"variable {', '.join(map(repr, unnamed))} of board {board.name!r} cannot be a notebook "
                       f"parameter: papermill assigns parameters in a cell, which takes a Python name, and a secret "
                       f"variable is never one")
    grid = {name: values_of(board, name, raw) for name, raw in args.parameter}
    grid.update({name: [raw] for name, raw in args.parameter_raw})
    if not Path(args.notebook).is_file():
        raise BadInput(f"{args.notebook}: no such notebook")
    if not any("parameters" in cell.metadata.get("tags", []) for cell in read_notebook(args.notebook).cells):
        raise BadInput(f"{args.notebook}: no cell tagged 'parameters', where papermill would set board_path and the "
                       f"exposed variables (see notebooks/parameterized.ipynb)")
    if args.workers < 1:
        raise BadInput(f"--workers {args.workers}: give at least 1")
    if not Path(args.out).parent.is_dir():
        raise BadInput(f"{args.out}: no folder {str(Path(args.out).parent)!r} to write the executed notebook into")
    if Path(args.out).is_dir():  # (papermill's write, after the whole run: IsADirectoryError in a traceback)
        raise BadInput(f"{args.out}: a folder; give the executed notebook's file name, e.g. "
                       f"{Path(args.out) / Path(args.notebook).name}")
    if Path(args.out).is_file() and Path(args.out).stat().st_size:
        try:
            read_notebook(args.out)
        except BadInput:
            raise BadInput(f"{args.out} holds a file that is not a Jupyter notebook; writing the executed notebook "
                           "would replace it: choose another name, or remove that file first") from None
    try:
        KernelSpecManager().get_kernel_spec(args.kernel)
    except NoSuchKernel:
        raise BadInput(f"--kernel {args.kernel}: no such Jupyter kernel (installed: "
                       f"{', '.join(sorted(KernelSpecManager().find_kernel_specs()))})") from None
    if len(combinations(grid)) > 1 or args.json:
        try:
            result = sweep_board_notebook(args.board, args.notebook, args.out, grid, kernel_name=args.kernel,
                                          workers=args.workers)
        except ValueError as exc:
            raise BadInput(str(exc)) from exc
        return show(result, as_json=args.json)
    try:
        record = run_board_notebook(args.board, args.notebook, args.out, {n: v[0] for n, v in grid.items()},
                                    kernel_name=args.kernel)
    except papermill.PapermillExecutionError as exc:
        print(f"{args.notebook}: a cell failed ({exc.ename}: {exc.evalue}); see {args.out}", file=sys.stderr)
        return EXIT_FAILED
    if record is None:
        print(f"{args.out}: the notebook ran but showed no run of board {board.name!r} (does it run the board "
              f"it loads from board_path?)", file=sys.stderr)
        return EXIT_FAILED
    executions = len(record.traces) + sum(folded.count for folded in record.folded)
    print(f"{record.status.value}: board {record.board_name!r}, {counted(executions, 'node execution')} in "
          f"{duration(record.duration)} (run {record.id}); notebook written to {args.out}")
    if record.result is not None:
        print(f"result: {shown(record.result)}")
    if record.error:
        print(f"error: {record.error}")
    return EXIT_OK if record.status is RunStatus.SUCCESS else EXIT_FAILED


def read_notebook(path: str) -> Any:
    """The notebook at `path`; a file that is not one is bad input naming it (nbformat raises whatever its reader
    met: NotJSONError, a jsonschema ValidationError, AttributeError, TypeError...)."""
    import nbformat

    try:
        return nbformat.read(path, 4)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "no detail"
        raise BadInput(f"{path}: not a Jupyter notebook ({type(exc).__name__}: {reason})") from None


def values_of(board: Board, name: str, raw: str) -> list[Any]:
    """The values of `-p NAME VALUE`: one, or several separated by commas (as `flowlike sweep -p` reads them); for
    a variable that holds a list, VALUE is one JSON list, or a JSON list of lists for several."""
    if board.lookup_variable(name).value_type is not ValueType.NORMAL:
        value = parse_value(board, name, raw)
        several = isinstance(value, list) and bool(value) and all(isinstance(item, list) for item in value)
        return value if several else [value]
    return parse_parameter(board, f"{name}={raw}")[1]
