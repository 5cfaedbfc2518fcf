"""Open any Flow-Like board file or JSON as our Board with a report; write a Board as a Flow-Like file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TextIO

from flowlike_core.board import Board
from flowlike_core.errors import BoardFileError
from flowlike_core.interop.check import check_board
from flowlike_core.interop.formats import Document, read_document, read_json, write_board
from flowlike_core.interop.mapping import board_from_flowlike, board_to_flowlike
from flowlike_core.interop.report import ImportReport
from flowlike_core.plain_json import read_bounded
from flowlike_core.registry import Registry, default_registry

MANIFEST = "manifest.app"
_KIND_NAMES = {"board": ".board", "serde": "Flow-Like board JSON", "export": "Flow-Like editor export",
               "clipboard": "Flow-Like clipboard", "flowlike-nb": "flowlike-nb board"}


def board_from_document(document: Document, source: str, registry: Registry | None = None
                        ) -> tuple[Board, ImportReport]:
    registry = registry if registry is not None else default_registry()
    fmt = _KIND_NAMES.get(document.kind, document.kind)
    if document.layout:
        fmt += f", {document.layout} pin layout"
    report = ImportReport(source=source, format=fmt)
    if document.kind == "flowlike-nb":
        board = Board.from_dict(document.boards[0], source)
        report.board, report.nodes = board.name, len(board.nodes)
        report.mapped, report.wires = len(board.nodes), len(board.connections)
        return board, report
    check_board(document.boards[0], source)
    try:
        board = board_from_flowlike(document.boards[0], registry, report)
    except (KeyError, TypeError, ValueError) as exc:
        raise BoardFileError(f"{source}: not a Flow-Like board this importer understands: "
                             f"{type(exc).__name__}: {exc}") from exc
    return board, report


def open_board(source: str | os.PathLike[str] | bytes, registry: Registry | None = None
               ) -> tuple[Board, ImportReport]:
    """One board from a file (a `.board`, Flow-Like JSON of any shape, or our own `.board.json`) or its bytes."""
    if isinstance(source, bytes):
        data, name = source, "<bytes>"
    else:
        data, name = read_bounded(source, "file"), str(source)
    document = read_document(data, name)
    if document.kind == "app":
        raise BoardFileError(f"{name}: an app manifest listing {len(document.board_ids)} board(s); import its folder "
                             f"with import_path() or `flowlike import FOLDER`")
    board, report = board_from_document(document, name, registry)
    if document.kind == "flowlike-nb" and not isinstance(source, bytes):
        board.read_from(source)  # our own file: save() writes back to it (never over a Flow-Like file)
    return board, report


def board_for_command(path: str | os.PathLike[str], failure: BoardFileError, notes: TextIO) -> Board:
    """The Flow-Like board in a file given to a command (`flowlike run`, `validate`) that is no board of ours
    (`failure` says why): imported, its report written to `notes`. A file that is neither raises `failure` when
    it is JSON (ours says what a board needs) and the Flow-Like reader's error otherwise (a damaged `.board`)."""
    data = read_bounded(path, "board file")
    try:
        document = read_document(data, str(path))
    except BoardFileError:
        if data.lstrip()[:1] in (b"{", b"["):
            raise failure from None
        raise
    if document.kind == "flowlike-nb":
        raise failure
    if document.kind == "app":
        raise BoardFileError(f"{path}: an app manifest listing {len(document.board_ids)} board(s), not a board; "
                             f"give one of its .board files, or `flowlike import` its folder")
    board, report = board_from_document(document, str(path))
    print(report, file=notes)
    return board


def clipboard_board(text: str, registry: Registry | None = None) -> tuple[Board, ImportReport]:
    """What Flow-Like's editor copied (`{nodes, comments}` JSON) as a board to paste from."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BoardFileError(f"clipboard: not JSON: {exc}") from exc
    return board_from_document(read_json(data, "clipboard"), "clipboard", registry)


def import_path(path: str | os.PathLike[str], registry: Registry | None = None) -> list[tuple[Board, ImportReport]]:
    """Every board of a file or a folder: an app folder's boards by its `manifest.app`, else its `.board` files."""
    path = Path(path)
    if not path.is_dir():
        document = read_document(read_bounded(path, "file"), str(path))
        if document.kind != "app":
            return [board_from_document(document, str(path), registry)]
        return _app_boards(path.parent, document.board_ids, registry)
    manifest = path / MANIFEST
    if manifest.exists():
        document = read_document(read_bounded(manifest, "file"), str(manifest))
        if document.kind != "app":
            raise BoardFileError(f"{manifest}: not an app manifest (it holds a {document.kind})")
        return _app_boards(path, document.board_ids, registry)
    files = sorted(p for p in path.iterdir() if p.suffix == ".board")
    if not files:
        raise BoardFileError(f"{path}: no {MANIFEST} and no .board files in this folder")
    return [open_board(file, registry) for file in files]


def _app_boards(folder: Path, board_ids: list[str], registry: Registry | None) -> list[tuple[Board, ImportReport]]:
    missing = [board_id for board_id in board_ids if not (folder / f"{board_id}.board").exists()]
    if missing:
        raise BoardFileError(f"{folder}: the app lists board(s) with no file here: "
                             + ", ".join(f"{board_id}.board" for board_id in missing))
    return [open_board(folder / f"{board_id}.board", registry) for board_id in board_ids]


def export_board(board: Board, path: str | os.PathLike[str], *, as_json: bool = False,
                 registry: Registry | None = None) -> Path:
    """Write `board` for Flow-Like: a `.board` file (LZ4 + protobuf), or its serde JSON with `as_json`."""
    from flowlike_core.board import atomic_write_text

    path = Path(path)
    data = board_to_flowlike(board, registry if registry is not None else default_registry())
    if as_json:
        atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return path
    payload = write_board(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, path)
    return path

