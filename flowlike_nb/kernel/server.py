"""The `flowlike_nb` jupyter_server extension: the catalog and the boards under the server root, as JSON.

    GET /flowlike/catalog              {"nodes": [catalog entries]}   (?q=text filters)
    GET /flowlike/boards               {"boards": [{"path", "name", "nodes", "wires"}]}
    GET /flowlike/boards/<path>        the board document

Only regular files inside the server root are served: no symlinks that lead out of it, no hidden files or
folders, no FIFOs or devices (opening one would block), nothing over `MAX_BOARD_BYTES`. Files are read in
a worker thread, never on the server's event loop, and every refusal is a JSON error with a 4xx status;
a board that cannot be read is listed with its error instead of failing the listing.

Enabled on install by `jupyter-config/jupyter_server_config.d/flowlike_nb.json`.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from flowlike_core.board import SUFFIX
from flowlike_core.board import Board as CoreBoard
from flowlike_core.errors import BoardFileError
from flowlike_core.registry import default_registry

MAX_BOARD_BYTES = 20 * 1024 * 1024
"""Larger files are refused (413) and listed with an error: reading them would stall the server."""


class Refused(Exception):
    """A file the extension will not read; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def board_file(root: Path, relative: str) -> Path:
    """The board file `relative` names under `root`, resolved; Refused when it is not one to serve."""
    if "\x00" in relative:
        raise Refused(400, "a board path cannot contain a NUL byte")
    if not relative.endswith(SUFFIX):
        raise Refused(404, f"no board file {relative!r} under the server root (board files end in {SUFFIX})")
    if any(part.startswith(".") for part in Path(relative).parts):
        raise Refused(404, f"no board file {relative!r} under the server root (hidden files are not served)")
    file = (root / relative).resolve()
    if not file.is_relative_to(root) or any(part.startswith(".") for part in file.relative_to(root).parts):
        raise Refused(404, f"no board file {relative!r} under the server root")
    return file


def read_board(file: Path, name: str) -> CoreBoard:
    """Load a regular file of at most MAX_BOARD_BYTES; a FIFO or device is refused without blocking on it."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise Refused(404, f"no board file {name!r} under the server root") from None
    except OSError as exc:
        raise Refused(403, f"{name}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(415, f"{name}: not a regular file")
        if info.st_size > MAX_BOARD_BYTES:
            raise Refused(413, f"{name}: {info.st_size:,} bytes, over the {MAX_BOARD_BYTES:,} a board may have")
        data = handle.read(MAX_BOARD_BYTES + 1)
    if len(data) > MAX_BOARD_BYTES:
        raise Refused(413, f"{name}: over the {MAX_BOARD_BYTES:,} bytes a board may have")
    try:
        return CoreBoard.from_json(data.decode("utf-8"), name)
    except UnicodeDecodeError as exc:
        raise BoardFileError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def board_files(root: Path) -> list[Path]:
    """Regular board files under `root`: hidden folders are not entered, symlinks out of the root and
    special files (FIFOs, devices) are left out."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            file = Path(folder) / name
            if name.endswith(SUFFIX) and not name.startswith(".") and file.resolve().is_relative_to(root):
                try:
                    if stat.S_ISREG(file.stat().st_mode):
                        found.append(file)
                except OSError:
                    continue  # a dangling symlink
    return sorted(found)


def summary(root: Path, file: Path) -> dict[str, Any]:
    """One listing entry: name and size of the board, or why it cannot be read."""
    relative = file.relative_to(root).as_posix()
    entry: dict[str, Any] = {"path": relative}
    try:
        board = read_board(board_file(root, relative), relative)
    except (Refused, BoardFileError) as exc:
        return {**entry, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one unreadable board must not fail the whole listing
        return {**entry, "error": f"{relative}: cannot be read ({type(exc).__name__}: {exc})"}
    return {**entry, "name": board.name, "nodes": len(board.nodes), "wires": len(board.connections)}


def listing(root: Path) -> list[dict[str, Any]]:
    return [summary(root, file) for file in board_files(root)]


class _Handler(APIHandler):
    @property
    def root(self) -> Path:
        return Path(self.settings.get("server_root_dir", ".")).expanduser().resolve()

    def reply(self, data: Any) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))


class CatalogHandler(_Handler):
    @tornado.web.authenticated
    def get(self) -> None:
        found = default_registry().search(self.get_argument("q", ""))
        self.reply({"nodes": [node_type.describe() for node_type in found]})


class BoardsHandler(_Handler):
    @tornado.web.authenticated
    async def get(self, path: str = "") -> None:
        root = self.root
        if not path:
            self.reply({"boards": await asyncio.to_thread(listing, root)})
            return
        try:
            board = await asyncio.to_thread(lambda: read_board(board_file(root, path), path))
        except Refused as exc:
            raise tornado.web.HTTPError(exc.status, str(exc)) from exc
        except BoardFileError as exc:
            raise tornado.web.HTTPError(422, str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - whatever else breaks in a file is still the file's fault
            raise tornado.web.HTTPError(422, f"{path}: cannot be read ({type(exc).__name__}: {exc})") from exc
        self.reply(board.to_dict())


def load_server_extension(server_app: Any) -> None:
    web_app = server_app.web_app
    base = url_path_join(web_app.settings["base_url"], "flowlike")
    web_app.add_handlers(".*$", [
        (url_path_join(base, "catalog"), CatalogHandler),
        (url_path_join(base, "boards"), BoardsHandler),
        (url_path_join(base, "boards", "(.+)"), BoardsHandler),
    ])
    server_app.log.info("flowlike_nb: serving the catalog and boards under %s", base)
