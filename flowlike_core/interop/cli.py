"""`flowlike import` and `flowlike export`: Flow-Like boards in and out. The CLI calls `add_interop_commands`."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from flowlike_core.board import SUFFIX, Board
from flowlike_core.errors import BoardFileError
from flowlike_core.interop.api import export_board, import_path, open_board
from flowlike_core.wording import counted


def add_interop_commands(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="open Flow-Like boards (.board, app folders, JSON) as flowlike-nb boards",
        description="Read a Flow-Like .board file, an app folder (its manifest.app lists the boards), Flow-Like "
                    "board JSON, an editor export or clipboard JSON; write flowlike-nb boards and print what the "
                    "import did: nodes mapped, pins dropped or added, wires repaired, placeholders for node keys "
                    "no installed pack provides.",
        epilog="Exit status: 0 imported (placeholders included), 2 the input cannot be read.")
    parser.add_argument("source", metavar="FILE|FOLDER", help="a Flow-Like file, or an app folder")
    parser.add_argument("-o", "--out", metavar="OUT",
                        help=f"where to write: a {SUFFIX} file for one board, a folder for several (default: the "
                             f"current folder, NAME{SUFFIX} for each board)")
    parser.add_argument("--json", action="store_true", help="print the import reports as a JSON list")
    parser.set_defaults(handler=run_import)

    parser = subparsers.add_parser(
        "export", help="write a board as a Flow-Like .board file (or its JSON)",
        description="Write BOARD (a flowlike-nb board, or anything `flowlike import` reads) with Flow-Like's "
                    "node keys, pins, coordinates, variables, comments and layers.",
        epilog="Exit status: 0 written, 2 the board cannot be read.")
    parser.add_argument("board", metavar="BOARD", help="the board to export")
    parser.add_argument("-o", "--out", metavar="NAME.board", required=True, help="the file to write")
    parser.add_argument("--json", action="store_true", help="write Flow-Like's serde JSON instead of LZ4+protobuf")
    parser.set_defaults(handler=run_export)


def _file_name(board: Board) -> str:
    return (re.sub(r"[^\w.-]+", "_", board.name).strip("._") or board.id) + SUFFIX


def run_import(args: argparse.Namespace) -> int:
    source = Path(args.source)
    imported = import_path(source)
    if args.out and len(imported) == 1 and Path(args.out).suffix:
        targets = [Path(args.out)]
    else:
        folder = Path(args.out) if args.out else Path.cwd()  # never into a Flow-Like app folder unasked
        targets = [folder / _file_name(board) for board, _ in imported]
        if len(set(targets)) < len(targets):
            targets = [folder / f"{board.id}{SUFFIX}" for board, _ in imported]
    for (board, report), target in zip(imported, targets, strict=True):
        saved = board.save(target)
        if not args.json:
            print(f"{report}\n  written to {saved}")
    if args.json:
        print(json.dumps([{**report.to_dict(), "written_to": str(target)}
                          for (_, report), target in zip(imported, targets, strict=True)], indent=2))
    return 0


def run_export(args: argparse.Namespace) -> int:
    board, _ = open_board(args.board)
    out = Path(args.out)
    if out.is_dir():
        raise BoardFileError(f"{out}: is a folder; give the file to write, e.g. {out / _file_name(board)}")
    written = export_board(board, out, as_json=args.json)
    what = "Flow-Like board JSON" if args.json else "Flow-Like .board"
    print(f"{written}: {what} with {counted(len(board.nodes), 'node')}, {counted(len(board.connections), 'wire')}, "
          f"{counted(len(board.variables), 'variable')}, {counted(len(board.comments), 'comment')}, "
          f"{counted(len(board.layers), 'layer')}")
    return 0
