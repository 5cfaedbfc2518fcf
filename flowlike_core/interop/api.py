"""Open any Flow-Like board file or JSON as our Board with a report; write a Board as a Flow-Like file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from flowlike_core.board import Board
from flowlike_core.errors import BoardFileError
from flowlike_core.interop.check import check_board
from flowlike_core.interop.formats import Document, lz4_framed, read_document, read_json, write_board
from flowlike_core.interop.mapping import board_from_flowlike, board_to_flowlike
from flowlike_core.interop.report import ImportReport
from flowlike_core.plain_json import board_content, read_bounded
from flowlike_core.registry import Registry, default_registry
from flowlike_core.wording import counted

MANIFEST = "manifest.app"
FLOWLIKE_SUFFIX = ".board"
"""The name of Flow-Like's board files: a file so named that no reader takes is a damaged one of theirs."""
_KIND_NAMES = {"board": ".board", "serde": "Flow-Like board JSON", "export": "Flow-Like editor export",
               "clipboard": "Flow-Like clipboard", "flowlike-nb": "flowlike-nb board"}


OWN_FORMAT = _KIND_NAMES["flowlike-nb"]
"""An `ImportReport`'s format when the file was a board of ours: nothing was imported, nothing to show."""


def board_from_document(document: Document, source: str, registry: Registry | None = None
                        ) -> tuple[Board, ImportReport]:
    registry = registry if registry is not None else default_registry()
    fmt = _KIND_NAMES.get(document.kind, document.kind)
    if document.layout:
        fmt += f", {document.layout} pin layout"
    if document.kind == "flowlike-nb":
        return _own(Board.from_dict(document.boards[0], source), source)
    report = ImportReport(source=source, format=fmt)
    check_board(document.boards[0], source)
    try:
        board = board_from_flowlike(document.boards[0], registry, report)
    except (KeyError, TypeError, ValueError) as exc:
        raise BoardFileError(f"{source}: not a Flow-Like board this importer understands: "
                             f"{type(exc).__name__}: {exc}") from exc
    if document.kind == "export":
        for layer in board.layers.values():
            if not layer.nodes and not any(other.parent_id == layer.id for other in board.layers.values()):
                report.add("note", f"layer {layer.name!r} ({layer.id}): the nodes inside it are not in the editor "
                                   f"export (it holds the open layer's); export the board file for them")
    return board, report


def _own(board: Board, source: str) -> tuple[Board, ImportReport]:
    report = ImportReport(source=source, format=OWN_FORMAT, board=board.name, nodes=len(board.nodes),
                          mapped=len(board.nodes), wires=len(board.connections))
    return board, report


def imported(report: ImportReport) -> bool:
    """Whether opening the file imported a Flow-Like board: the report then says what the import did."""
    return report.format != OWN_FORMAT


def open_board(source: str | os.PathLike[str] | bytes, registry: Registry | None = None, *, name: str = "<bytes>"
               ) -> tuple[Board, ImportReport]:
    """The one way to open a board a user gives, whichever form it is in: our own `.board.json` (a file read this
    way is `Board.load`'s, so `save()` writes back to it), else Flow-Like's (a `.board`, its board JSON, an editor
    export, clipboard JSON), or the bytes of one (`name` is what errors and the report call them: a server gives
    the file's path under its root). Entry points show the report where they show messages when `imported(report)`.

    A file that is neither raises a `BoardFileError` naming it: our loader's when it is JSON (it says what a board
    needs), the Flow-Like reader's for a damaged `.board` (so named, or an LZ4 block inside), else both readers'
    refusal, ours first (random bytes in a `.board.json`); an app manifest says to give one of its boards."""
    if not isinstance(source, bytes):
        name = os.fspath(source)
    data = board_content(source if isinstance(source, bytes) else read_bounded(source, "board file"), name)
    try:
        board = Board.from_json(data.decode("utf-8"), name)
    except UnicodeDecodeError as exc:
        ours = BoardFileError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})")
    except BoardFileError as failure:
        ours = failure
    else:
        return _own(board if isinstance(source, bytes) else board.read_from(source), name)
    try:
        document = read_document(data, name)
    except BoardFileError:
        if data.lstrip()[:1] in (b"{", b"["):
            if not _flowlike_json(data):
                raise ours from None
            raise
        if name.endswith(FLOWLIKE_SUFFIX) or lz4_framed(data):  # meant as Flow-Like's: its reader says what is wrong
            raise
        reason = str(ours).removeprefix(name).lstrip(": ")
        raise BoardFileError(f"{name}: not a board: {reason}; not a Flow-Like .board either (no length prefix and "
                             f"LZ4 block)") from None
    if document.kind == "flowlike-nb":
        raise ours
    if document.kind == "app":
        listing = counted(len(document.board_ids), "board")
        raise BoardFileError(f"{name}: an app manifest listing {listing}, not a board; give one of its .board files, "
                             f"or import its folder (`flowlike import FOLDER`, import_path())")
    return board_from_document(document, name, registry)


def _flowlike_json(data: bytes) -> bool:
    """Whether JSON that neither loader took is Flow-Like's (a `nodes` field, no `format`): its reader's error then
    names the field that is wrong, where ours would list every field our own format wants."""
    try:
        parsed = json.loads(data)
    except ValueError:
        return False
    return isinstance(parsed, dict) and "nodes" in parsed and "format" not in parsed


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
        document = read_document(board_content(read_bounded(path, "file"), str(path)), str(path))
        if document.kind != "app":
            return [board_from_document(document, str(path), registry)]
        return _app_boards(path.parent, document.board_ids, registry)
    manifest = path / MANIFEST
    if manifest.exists():
        document = read_document(read_bounded(manifest, "file"), str(manifest))
        if document.kind != "app":
            raise BoardFileError(f"{manifest}: not an app manifest (it holds a document of kind {document.kind!r})")
        return _app_boards(path, document.board_ids, registry)
    files = sorted(p for p in path.iterdir() if p.suffix == ".board")
    if not files:
        raise BoardFileError(f"{path}: no {MANIFEST} and no .board files in this folder")
    return [open_board(file, registry) for file in files]


def _app_boards(folder: Path, board_ids: list[str], registry: Registry | None) -> list[tuple[Board, ImportReport]]:
    missing = [board_id for board_id in board_ids if not (folder / f"{board_id}.board").exists()]
    if missing:
        raise BoardFileError(f"{folder}: the app lists {counted(len(missing), 'board')} with no file here: "
                             + ", ".join(f"{board_id}.board" for board_id in missing))
    return [open_board(folder / f"{board_id}.board", registry) for board_id in board_ids]


FLOWLIKE_BOARDS = {"board", "serde"}
"""What `read_document` calls a Flow-Like board file (its .board, its serde JSON): an export may write over one."""
OTHER_FILES = {"flowlike-nb": "a flowlike-nb board", "app": "a Flow-Like app manifest", "export": "an editor export",
               "clipboard": "clipboard JSON"}


def _not_a_flowlike_board(data: bytes) -> str | None:
    """What a file that is not a Flow-Like board is (None for one: an earlier export may be replaced)."""
    try:
        kind = read_document(data, "").kind
    except BoardFileError:
        kind = None
    if kind in FLOWLIKE_BOARDS:
        return None
    return OTHER_FILES.get(kind or "") or ("text" if _is_text(data) else "binary data")


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def export_board(board: Board, path: str | os.PathLike[str], *, as_json: bool = False,
                 registry: Registry | None = None) -> Path:
    """Write `board` for Flow-Like: a `.board` file (LZ4 + protobuf), or its serde JSON with `as_json`."""
    from flowlike_core.files import atomic_write, refuse_to_replace

    path = Path(path)
    refuse_to_replace(path, "a Flow-Like board", "exporting", _not_a_flowlike_board)
    data = board_to_flowlike(board, registry if registry is not None else default_registry())
    atomic_write(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode() if as_json
                 else write_board(data))
    return path

