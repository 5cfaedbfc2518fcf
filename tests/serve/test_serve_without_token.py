"""`flowlike serve` without a token binds to loopback only; it also answers only requests a web page cannot forge:
a page on another site (an Origin that is not this server) or a DNS name rebound to 127.0.0.1 (a Host that is not
loopback) could otherwise start runs of the served boards from the user's browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serve_boards import flowlike_serve, make_boards


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    root = tmp_path_factory.mktemp("open")
    make_boards(root)
    with flowlike_serve(root, "--no-history", token=None) as (client, _):
        yield client


def test_a_request_from_this_machine_is_served_without_a_token(open_server: httpx.Client) -> None:
    port = open_server.base_url.port
    for headers in ({}, {"Origin": f"http://127.0.0.1:{port}"}, {"Origin": f"http://localhost:{port}",
                                                                  "Host": f"localhost:{port}"}):
        answer = open_server.post("/flowlike/runs?wait=1", json={"board": "hooks/echo.board.json", "payload": 1},
                                  headers=headers)
        assert (answer.status_code, answer.json()["result"]) == (200, 101), (headers, answer.text)


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Origin": "http://127.0.0.1:1"}, {"Origin": "http://[::1"},
                                     {"Host": "rebound.example:80"}],
                         ids=["other site", "opaque origin", "other port", "malformed origin", "rebound DNS name"])
def test_a_request_a_web_page_could_forge_is_refused_and_starts_nothing(open_server: httpx.Client,
                                                                         headers: dict[str, str]) -> None:
    before = len(open_server.get("/flowlike/runs").json()["runs"])
    answer = open_server.post("/flowlike/runs", content=b'{"board": "hooks/echo.board.json", "payload": 1}',
                              headers={"Content-Type": "text/plain", **headers})
    assert answer.status_code == 403, answer.text
    assert "without a token" in answer.json()["error"] and "--token" in answer.json()["error"], answer.text
    assert len(open_server.get("/flowlike/runs").json()["runs"]) == before


def test_a_server_with_a_token_takes_any_origin_that_sends_it(tmp_path: Path) -> None:
    """A page on another site cannot send the token's header without the server's leave (CORS): no check needed."""
    make_boards(tmp_path)
    with flowlike_serve(tmp_path, "--no-history") as (client, _):
        answer = client.post("/flowlike/runs?wait=1", json={"board": "hooks/echo.board.json", "payload": 2},
                             headers={"Origin": "https://app.example"})
        assert (answer.status_code, answer.json()["result"]) == (200, 102), answer.text
