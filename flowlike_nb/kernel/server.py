"""The `flowlike_nb` jupyter_server extension: the catalog and the boards under the server root, as JSON.

    GET /flowlike/catalog              {"nodes": [catalog entries]}   (?q=text filters)
    GET /flowlike/boards               {"boards": [{"path", "name", "nodes", "wires"}]}
    GET /flowlike/boards/<path>        the board document

Enabled on install by `jupyter-config/jupyter_server_config.d/flowlike_nb.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from flowlike_core.board import SUFFIX
from flowlike_core.board import Board as CoreBoard
from flowlike_core.errors import BoardFileError
from flowlike_core.registry import default_registry


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
    def get(self, path: str = "") -> None:
        if not path:
            self.reply({"boards": [self._summary(file) for file in sorted(self.root.rglob(f"*{SUFFIX}"))
                                   if not any(part.startswith(".") for part in file.relative_to(self.root).parts)]})
            return
        file = (self.root / path).resolve()
        if not file.is_relative_to(self.root) or not file.name.endswith(SUFFIX):
            raise tornado.web.HTTPError(404, f"no board file {path!r} under the server root")
        try:
            self.reply(CoreBoard.load(file).to_dict())
        except BoardFileError as exc:
            raise tornado.web.HTTPError(404 if not file.exists() else 422, str(exc)) from exc

    def _summary(self, file: Path) -> dict[str, Any]:
        entry: dict[str, Any] = {"path": file.relative_to(self.root).as_posix()}
        try:
            board = CoreBoard.load(file)
        except BoardFileError as exc:
            return {**entry, "error": str(exc)}
        return {**entry, "name": board.name, "nodes": len(board.nodes), "wires": len(board.connections)}


def load_server_extension(server_app: Any) -> None:
    web_app = server_app.web_app
    base = url_path_join(web_app.settings["base_url"], "flowlike")
    web_app.add_handlers(".*$", [
        (url_path_join(base, "catalog"), CatalogHandler),
        (url_path_join(base, "boards"), BoardsHandler),
        (url_path_join(base, "boards", "(.+)"), BoardsHandler),
    ])
    server_app.log.info("flowlike_nb: serving the catalog and boards under %s", base)
