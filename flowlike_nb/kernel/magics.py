"""`%load_ext flowlike_nb`: the `%flowlike` line magic (`%flowlike --help`, `%flowlike run --help`, ...).

    %flowlike load boards/etl.board.json --as etl        # a handle in `etl` (shown as a picture; without --as:
                                                         # the file's name, made a Python name)
    %flowlike run etl --var rows=1000 --bind summary.result=stats
    %flowlike show etl                                   # the picture again
    %flowlike code etl                                   # the cell that rebuilds it
    %flowlike catalog math                               # node types matching "math"

A board is a notebook variable (a handle or an engine Board) or a board file path: ours or Flow-Like's (`.board`,
its board JSON), opened by `Board.open`, which shows what importing a Flow-Like board did. A line the magic cannot
read is a `UsageError` (one line, with the usage); a board or value it cannot use is a `BoardError` (or another
engine error), shown as one line too: its type and message.
"""

from __future__ import annotations

import argparse
import keyword
import re
import shlex
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class

from flowlike_core.board import Board as CoreBoard
from flowlike_core.cli import parse_value
from flowlike_core.errors import BoardError, FlowLikeError
from flowlike_nb.kernel import namespace
from flowlike_nb.kernel.handles import Board

BOARD_HELP = "a notebook variable holding a board, or a board file (ours or Flow-Like's)"
EXAMPLES = """examples:
  %flowlike load boards/etl.board.json --as etl
  %flowlike run etl --var rows=1000 --bind summary.result=stats
  %flowlike show etl
  %flowlike code etl
  %flowlike catalog math"""


class _HelpShown(Exception):
    """--help printed its text: the magic ends there (argparse would exit the kernel's process)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        hint = " (quote a value with spaces: --var 'items=[1, 2]')" if "unrecognized arguments" in message else ""
        raise UsageError(f"{self.prog}: {message}{hint}\n{self.format_usage()}")

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        raise _HelpShown


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="%flowlike", description="Load, run, show and list boards from a cell.", epilog=EXAMPLES,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    load = commands.add_parser("load", help="load a board file (ours or Flow-Like's) into a notebook variable")
    load.add_argument("path", help="the board file: NAME.board.json, or Flow-Like's .board or board JSON")
    load.add_argument("--as", dest="name", help="variable name (default: the file name)")
    run = commands.add_parser("run", help="run a board; shows the run (traces, timeline) and returns it")
    run.add_argument("board", help=BOARD_HELP)
    run.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                     help="set an exposed variable (the text for String, PathBuf, Date; JSON for the others)")
    run.add_argument("--bind", action="append", default=[], metavar="NODE.PIN=NAME",
                     help="after the run, assign the pin's value to the notebook variable NAME")
    run.add_argument("--start", help="start node (when the board has several events)")
    commands.add_parser("show", help="show the board's picture").add_argument("board", help=BOARD_HELP)
    commands.add_parser("code", help="print the cell that rebuilds the board").add_argument("board", help=BOARD_HELP)
    commands.add_parser("catalog", help="list the node types matching words (all of them without words)") \
        .add_argument("text", nargs="*", help="words to find in keys, names, categories and pin types")
    return parser


def resolve(board: str) -> Board:
    """A notebook variable holding a board (handle or engine Board), or a board file path."""
    value = namespace.user_namespace().get(board)
    if isinstance(value, Board):
        return value
    if isinstance(value, CoreBoard):
        return Board(value)
    if Path(board).exists():
        return Board.open(board)
    raise BoardError(f"%flowlike: {board!r} is neither a notebook variable holding a board nor a board file")


def _python_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def variable_name(path: str) -> str:
    """The notebook variable `%flowlike load` puts a board file in, from its name: what Python cannot have in a name
    becomes `_`, and a name that still cannot be one (`2024 sales`, `class`) gets the prefix `board_`."""
    name = re.sub(r"\W", "_", Path(path).name.removesuffix(".board.json").removesuffix(".json").removesuffix(".board"))
    return name if _python_name(name) else f"board_{name}"


def _pairs(items: list[str], flag: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise BoardError(f"%flowlike: {flag} {item!r}: write {flag} key=value")
        pairs.append((key.strip(), value))
    return pairs


def _shown_as_one_line(error: FlowLikeError) -> None:
    """The error, shown by IPython (and Jupyter) as its type and message alone (the `_render_traceback_` hook): the
    message names the file, variable or pin, the magic's line is the where, and a traceback would only walk the
    engine's modules. It stays the engine's error, so `except BoardError` still catches it."""
    error._render_traceback_ = lambda: [f"{type(error).__name__}: {error}"]  # type: ignore[attr-defined]


@magics_class
class FlowlikeMagics(Magics):
    @line_magic
    def flowlike(self, line: str) -> Any:
        """Load, run, show boards: `%flowlike load|run|show|code|catalog ...`; `%flowlike --help` says more."""
        try:
            return self._flowlike(line)
        except FlowLikeError as error:
            _shown_as_one_line(error)
            raise

    def _flowlike(self, line: str) -> Any:
        parser = _parser()
        try:
            args = parser.parse_args(shlex.split(line))
        except _HelpShown:
            return None
        except ValueError as error:  # shlex: an unclosed quote
            raise UsageError(f"%flowlike: {error} in {line!r}\n{parser.format_usage()}") from None
        if args.command is None:
            parser.print_help()
            return None
        if args.command == "load":
            if args.name is not None and not _python_name(args.name):
                raise BoardError(f"%flowlike load --as {args.name!r}: not a Python variable name")
            board = Board.open(args.path)
            namespace.assign(args.name or variable_name(args.path), board)
            return board
        if args.command == "catalog":
            from flowlike_core.registry import default_registry

            found = default_registry().described(" ".join(args.text))  # (kept descriptions: packs not imported)
            if not found:
                print(f"no node type matches {' '.join(args.text)!r}")
                return None
            return namespace.table([{"key": t.name, "name": t.friendly_name, "category": t.category,
                                     "pack": t.pack, "description": t.about} for t in found])
        board = resolve(args.board)
        if args.command == "show":
            return board
        if args.command == "code":
            print(board.to_code(args.board if args.board.isidentifier() else "board"), end="")
            return None
        for pin, name in _pairs(args.bind, "--bind"):
            board.bind(pin, name)
        variables = {name: parse_value(board.core, name, text) for name, text in _pairs(args.var, "--var")}
        return board.run(variables, start=args.start)


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magics(FlowlikeMagics)
