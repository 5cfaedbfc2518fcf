"""Extract Attachments: links of a chat (http, file://, data:) and a history's images become in-memory files."""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import fsspec
import pytest
from flowlike_catalog.llm.chat_files import ai_gen_llm_history_extract_attachments, unique


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def files(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A static file server on 127.0.0.1 over a temp folder: (base URL, folder)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", tmp_path
    server.shutdown()
    thread.join()
    server.server_close()


def extract(history: object, attachments: list) -> list:
    return asyncio.run(ai_gen_llm_history_extract_attachments.func(history, attachments))


def read(path: object) -> bytes:
    return fsspec.filesystem("memory").cat_file(path.path)


def test_attachments_and_history_images_become_files_on_a_board(b, files):
    base, folder = files
    (folder / "report.pdf").write_bytes(b"%PDF-1.4 report")
    (folder / "cat.png").write_bytes(b"\x89PNG cat")
    history = {"messages": [{"role": "user", "content": [
        {"type": "text", "text": "Look"}, {"type": "image_url", "image_url": f"{base}/cat.png"}]}]}
    extract = b.add("ai_gen_llm_history_extract_attachments", history=history,
                    attachments=[{"url": f"{base}/report.pdf", "name": "Q3 report.pdf"}, f"{base}/cat.png"])
    paths = b.result(extract, "paths", extract)
    names = [path.path.rsplit("/", 1)[1] for path in paths]
    assert names == ["Q3_report.pdf", "cat.png", "cat_1.png"]
    assert [read(path) for path in paths] == [b"%PDF-1.4 report", b"\x89PNG cat", b"\x89PNG cat"]
    assert all(path.path.startswith("memory://chat-attachments/") for path in paths)


def test_data_and_file_links_are_read_and_each_run_gets_its_own_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("local notes")
    data_link = "data:image/png;base64," + base64.b64encode(b"pixels").decode()
    first = extract(None, [data_link, (tmp_path / "notes.txt").as_uri()])
    second = extract(None, [data_link])
    assert [p.path.rsplit("/", 1)[1] for p in first] == ["attachment.png", "notes.txt"]
    assert [read(p) for p in first] == [b"pixels", b"local notes"]
    assert first[0].path != second[0].path


def test_a_missing_file_or_bad_link_is_named(files):
    base, _ = files
    with pytest.raises(RuntimeError, match="missing.pdf answered 404"):
        extract(None, [f"{base}/missing.pdf"])
    with pytest.raises(ValueError, match="cannot fetch 'ftp://"):
        extract(None, ["ftp://host/file"])
    with pytest.raises(TypeError, match="must be a URL or"):
        extract(None, [42])


def test_names_are_made_safe_and_unique():
    used: set[str] = set()
    assert [unique(n, used) for n in ("a b.txt", "a b.txt", "../x", "")] == ["a_b.txt", "a_b_1.txt", "x",
                                                                              "attachment"]
