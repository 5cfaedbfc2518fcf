"""A board's JSON Schema resolves only its own references: no URL is fetched and no file is read."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flowlike_catalog.llm.structured import _read
from flowlike_catalog.std.structs import validated

from flowlike_core import NodeFailed


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(self.path)
        body = b'{"type": "integer"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/schema+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def schema_server() -> Iterator[tuple[str, list[str]]]:
    """A server that would answer any schema request, and the paths it was asked for."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def _schemas(base: str) -> list[dict]:
    return [
        {"$ref": f"{base}/root.json"},
        {"type": "object", "properties": {"a": {"$ref": f"{base}/a.json"}}},
        {"$id": f"{base}/root.json", "$ref": "relative.json"},
        {"$ref": "file:///etc/hostname"},
    ]


def test_parse_with_schema_fetches_no_remote_reference(b, schema_server):
    base, requests = schema_server
    for schema in _schemas(base):
        with pytest.raises(NodeFailed, match="which is not inside it: only local references are resolved"):
            b.compute("parse_with_schema", "parsed", schema=json.dumps(schema), data='{"a": 1}')
    assert requests == []


def test_local_references_still_resolve():
    schema = {"$defs": {"age": {"type": "integer", "minimum": 0}}, "properties": {"age": {"$ref": "#/$defs/age"}}}
    assert validated({"age": 3}, schema) == {"age": 3}
    with pytest.raises(ValueError, match=r"at \$.age: -1 is less than the minimum of 0"):
        validated({"age": -1}, schema)


def test_structured_answers_fetch_no_remote_reference(schema_server):
    base, requests = schema_server

    class Answer:
        def tool_calls(self) -> list:
            return []

        def content(self) -> str:
            return '{"a": 1}'

    for schema in _schemas(base):
        with pytest.raises(ValueError, match="only local references are resolved"):
            _read(Answer(), "extract", schema)  # type: ignore[arg-type]
    assert requests == []
