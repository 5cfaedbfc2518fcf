"""Boards of onnx, media and std nodes; ONNX models built here with onnx.helper (weights chosen so the answers
are known), never downloaded."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flowlike_catalog.media import PACK as MEDIA
from flowlike_catalog.onnx import PACK
from pack_builder import Builder


@pytest.fixture
def board() -> Builder:
    return Builder(PACK, MEDIA)


@pytest.fixture(scope="session")
def http_files(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """(base URL, folder): a static file server on 127.0.0.1 serving the folder."""
    folder = tmp_path_factory.mktemp("served")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    thread.join(10)
