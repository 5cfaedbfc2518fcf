"""A user's HTTP boards against a server that misbehaves in the ways real ones do: a redirect loop, a body that
is not the gzip it claims, a form with numbers and booleans, a download onto a folder."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import Any

import pytest

from flowlike_core import Listener, RunStatus


def odd_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    async def loop(request: Request) -> RedirectResponse:
        return RedirectResponse("/loop", status_code=302)

    async def broken_gzip(request: Request) -> Response:
        return Response(b"this is not gzip", headers={"Content-Encoding": "gzip"}, media_type="text/plain")

    async def good_gzip(request: Request) -> Response:
        return Response(gzip.compress(b'{"ok": true}'), headers={"Content-Encoding": "gzip"},
                        media_type="application/json")

    async def form(request: Request) -> JSONResponse:
        return JSONResponse({"body": (await request.body()).decode(), "type": request.headers.get("content-type")})

    async def legacy(request: Request) -> Response:
        """A page whose charset only its markup names (the Content-Type says text/html, nothing more)."""
        kind = request.path_params["kind"]
        if kind == "meta":
            body = '<html><head><meta charset="windows-1252"><title>Café</title></head><body>Café</body></html>'
        elif kind == "http-equiv":
            body = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
                    '</head><body>Café</body></html>')
        else:
            body = '<?xml version="1.0" encoding="ISO-8859-1"?><feed><title>Café</title></feed>'
        media = "application/xml" if kind == "xml" else "text/html"
        return Response(body.encode("cp1252"), headers={"Content-Type": media})

    return Starlette(routes=[Route("/loop", loop), Route("/broken-gzip", broken_gzip), Route("/gzip", good_gzip),
                             Route("/form", form, methods=["POST"]), Route("/legacy/{kind}", legacy)])


@pytest.fixture(scope="module")
def odd_server() -> Iterator[str]:
    from fake_server import serve

    with serve(odd_app()) as url:
        yield url


def fetch_board(b, url: str, method: str = "GET"):
    start, made = b.add("events_simple"), b.add("http_make_request", method=method, url=url)
    fetch = b.add("http_fetch", retries=0)
    b.chain(start, fetch)
    b.wire(made, "request", fetch, "request")
    return made, fetch


@pytest.mark.parametrize(("path", "why"), [
    ("/loop", "TooManyRedirects: Exceeded maximum allowed redirects."),
    ("/broken-gzip", "DecodingError: Error -3 while decompressing data: incorrect header check"),
])
def test_a_bad_answer_goes_to_error_saying_what_and_where(b, odd_server, path, why) -> None:
    made, fetch = fetch_board(b, f"{odd_server}{path}")
    said = b.add("log_info")
    b.wire(fetch, "exec_error", said, "exec_in")
    b.wire(fetch, "error_message", said, "message")
    message = b.result_of(said, fetch, "error_message")
    assert message.startswith(f"GET {odd_server}{path} failed")
    assert why in message


def test_a_gzipped_answer_is_read_as_sent(b, odd_server) -> None:
    made, fetch = fetch_board(b, f"{odd_server}/gzip")
    to_json = b.add("http_response_to_json")
    b.wire(fetch, "exec_success", to_json, "exec_in")
    b.wire(fetch, "response", to_json, "response")
    assert b.result_of(to_json, to_json, "struct") == {"ok": True}


def test_form_fields_that_are_not_text_are_sent_as_json_text_like_flow_like(b, odd_server) -> None:
    """{"subscribe": true, "n": 2, "tags": ["a", "b"], "note": null} was posted as subscribe=True&...&note=None:
    Python's spelling, which no server reads as a boolean; Flow-Like writes each as its JSON text."""
    made, fetch = fetch_board(b, f"{odd_server}/form", "POST")
    form = b.add("http_set_form_body", fields={"subscribe": True, "n": 2, "tags": ["a", "b"], "note": None,
                                               "name": "Zoë & co"})
    b.wire(made, "request", form, "request")
    b.wire(form, "request_out", fetch, "request")
    to_json = b.add("http_response_to_json")
    b.wire(fetch, "exec_success", to_json, "exec_in")
    b.wire(fetch, "response", to_json, "response")
    seen = b.result_of(to_json, to_json, "struct")
    from urllib.parse import parse_qs

    assert parse_qs(seen["body"], keep_blank_values=True) == {
        "subscribe": ["true"], "n": ["2"], "tags": ['["a","b"]'], "note": ["null"], "name": ["Zoë & co"]}


def test_set_form_body_keeps_a_content_type_set_before_like_flow_like(b, odd_server) -> None:
    made, fetch = fetch_board(b, f"{odd_server}/form", "POST")
    kind = b.add("http_set_content_type", content_type="application/x-www-form-urlencoded; charset=utf-8")
    form = b.add("http_set_form_body", fields={"a": "1"})
    b.wire(made, "request", kind, "request")
    b.wire(kind, "request_out", form, "request")
    b.wire(form, "request_out", fetch, "request")
    to_json = b.add("http_response_to_json")
    b.wire(fetch, "exec_success", to_json, "exec_in")
    b.wire(fetch, "response", to_json, "response")
    assert b.result_of(to_json, to_json, "struct")["type"] == "application/x-www-form-urlencoded; charset=utf-8"


def test_a_download_onto_a_folder_says_so_and_leaves_nothing(b, http_server, tmp_path) -> None:
    start, made = b.add("events_simple"), b.add("http_make_request", url=f"{http_server}/bytes/1000")
    download = b.add("http_download", flow_path=str(tmp_path))
    b.chain(start, download)
    b.wire(made, "request", download, "request")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"{tmp_path} is a folder" in run.error
    assert list(tmp_path.iterdir()) == []


def test_runs_that_call_an_api_share_one_tls_context(b, http_server, ca_loads) -> None:
    """A board called as a function (a webhook served by `flowlike serve`) built a new client each run, and with it
    a TLS context reading certifi's CA bundle: 170 ms a run before the first byte, even for plain http."""
    fetch_board(b, f"{http_server}/echo")
    for _ in range(3):
        b.run().raise_for_status()
    assert len(ca_loads) <= 1


def cut_app() -> Any:
    """A raw ASGI app that promises 1,000,000 bytes and stops after 300,000 (a server that died mid-download)."""

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", b"1000000"), (b"content-type", b"application/zip")]})
        for _ in range(3):
            await send({"type": "http.response.body", "body": b"\1" * 100_000, "more_body": True})
        raise RuntimeError("the server died")

    return app


def test_a_download_cut_short_fails_naming_the_url_and_leaves_no_file(b, tmp_path) -> None:
    from fake_server import serve

    target = tmp_path / "archive.zip"
    with serve(cut_app()) as url:
        start, made = b.add("events_simple"), b.add("http_make_request", url=f"{url}/archive.zip")
        download = b.add("http_download", flow_path=str(target), retries=0)
        b.chain(start, download)
        b.wire(made, "request", download, "request")
        run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"GET {url}/archive.zip failed while reading the answer" in run.error
    assert list(tmp_path.iterdir()) == []


def gzip_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    body = gzip.compress(b"0123456789" * 200_000)  # 2 MB of text, a few KB on the wire

    async def log(request: Request) -> Response:
        return Response(body, headers={"Content-Encoding": "gzip"}, media_type="text/plain")

    return Starlette(routes=[Route("/server.log", log)])


class Progress(Listener):
    """The progress fractions a run reports."""

    def __init__(self) -> None:
        self.fractions: list[float] = []

    def progress(self, run, node_id, fraction, message) -> None:
        self.fractions.append(fraction)


@pytest.mark.parametrize("key", ["http_download", "streaming_http_fetch"])
def test_progress_of_a_gzipped_answer_stays_within_its_length(b, tmp_path, key) -> None:
    """Content-Length counts the gzipped bytes; progress counted the unpacked ones: 'downloaded 9,000%'."""
    from fake_server import serve

    watcher = Progress()
    with serve(gzip_app()) as url:
        start, made = b.add("events_simple"), b.add("http_make_request", url=f"{url}/server.log")
        options = {"flow_path": str(tmp_path / "server.log")} if key == "http_download" else {}
        node = b.add(key, **options)
        b.chain(start, node)
        b.wire(made, "request", node, "request")
        b.run(listeners=[watcher]).raise_for_status()
    assert watcher.fractions and max(watcher.fractions) <= 1.0 and watcher.fractions[-1] == 1.0
    if key == "http_download":
        assert (tmp_path / "server.log").read_bytes() == b"0123456789" * 200_000


@pytest.mark.parametrize("key", ["http_download", "streaming_http_fetch"])
def test_progress_of_an_answer_of_unknown_length_is_a_fraction(b, http_server, tmp_path, key) -> None:
    """A chunked answer has no Content-Length: progress gave the byte count as the fraction (1,234.0 = 123,400 %)."""
    watcher = Progress()
    start, made = b.add("events_simple"), b.add("http_make_request", url=f"{http_server}/stream/200")
    node = b.add(key, **({"flow_path": str(tmp_path / "out.txt")} if key == "http_download" else {}))
    b.chain(start, node)
    b.wire(made, "request", node, "request")
    b.run(listeners=[watcher]).raise_for_status()
    assert watcher.fractions and all(0.0 <= f <= 1.0 for f in watcher.fractions) and watcher.fractions[-1] == 1.0



@pytest.mark.parametrize("timeout", [0, -1])
def test_a_timeout_that_is_not_positive_is_refused_before_sending(b, http_server, timeout) -> None:
    """Timeout 0 (meant as 'no limit') failed every call as 'ConnectTimeout: no answer within 0 s', -1 as
    'no answer within -1 s', both routed to Error as if the server were down."""
    start, made = b.add("events_simple"), b.add("http_make_request", url=f"{http_server}/echo")
    fetch, failed = b.add("http_fetch", timeout_seconds=timeout), b.add("log_info", message="server down")
    b.chain(start, fetch)
    b.wire(made, "request", fetch, "request")
    b.wire(fetch, "exec_error", failed, "exec_in")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"timeout_seconds must be more than 0 s (per attempt), got {timeout}" in run.error


@pytest.mark.parametrize("kind", ["meta", "http-equiv", "xml"])
def test_a_page_whose_markup_names_its_charset_reads_as_text(b, odd_server, kind) -> None:
    """A legacy page in windows-1252 that says so only in <meta charset> (or its XML declaration): To Text failed
    with 'not text in utf-8'; browsers, and the HTML standard's prescan, read the charset from the markup."""
    made, fetch = fetch_board(b, f"{odd_server}/legacy/{kind}")
    text = b.add("http_response_to_text")
    b.wire(fetch, "exec_success", text, "exec_in")
    b.wire(fetch, "response", text, "response")
    assert "Café" in b.result_of(text, text, "text")


def test_a_url_httpx_cannot_parse_goes_to_error_naming_it(b) -> None:
    """'http://[::1' (a bracket left open) failed the node with 'InvalidURL: Invalid port: ':1'', no URL."""
    made, fetch = fetch_board(b, "http://[::1/status")
    said = b.add("log_info")
    b.wire(fetch, "exec_error", said, "exec_in")
    b.wire(fetch, "error_message", said, "message")
    assert b.result_of(said, fetch, "error_message") == "GET http://[::1/status failed: InvalidURL: Invalid port: ':1'"
