"""A tinkerer's HTTP boards against the local server: fetch JSON and pick a field, post to a webhook, and the
errors a misbehaving server gives (not JSON, an error status, no answer in time), each saying what and where."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from flowlike_core import RunStatus


def json_board(b, url: str, **fetch_options):
    """start -> API Call of `url` -> To Struct -> return the struct."""
    start, made = b.add("events_simple"), b.add("http_make_request", url=url)
    fetch, to_json = b.add("http_fetch", **fetch_options), b.add("http_response_to_json")
    b.chain(start, fetch)
    b.wire(made, "request", fetch, "request")
    b.wire(fetch, "exec_success", to_json, "exec_in")
    b.wire(fetch, "response", to_json, "response")
    return to_json


def test_a_webhook_gets_unicode_json_and_the_answer_is_read_back(b, http_server) -> None:
    start = b.add("events_simple")
    made = b.add("http_make_request", method="POST", url=f"{http_server}/echo")
    body = b.add("http_set_struct_body", body={"text": "Grüße ✓ 北京", "n": 3})
    fetch, to_json, field = b.add("http_fetch"), b.add("http_response_to_json"), b.add("struct_get", field="body")
    b.chain(start, fetch)
    b.wire(made, "request", body, "request")
    b.wire(body, "request_out", fetch, "request")
    b.wire(fetch, "exec_success", to_json, "exec_in")
    b.wire(fetch, "response", to_json, "response")
    b.wire(to_json, "struct", field, "struct")
    sent = b.result_of(to_json, field, "value")
    assert json.loads(sent.encode("latin-1")) == {"text": "Grüße ✓ 北京", "n": 3}


def test_an_error_page_that_is_not_json_names_url_and_status(b, http_server) -> None:
    json_board(b, f"{http_server}/status/404")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"the body of {http_server}/status/404 (status 404) is not JSON" in run.error
    assert "it starts 'status 404'" in run.error


def test_no_answer_in_time_says_how_long_it_waited(b, http_server) -> None:
    json_board(b, f"{http_server}/slow", timeout_seconds=0.2, retries=0)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"ConnectionError: GET {http_server}/slow failed: ReadTimeout: no answer within 0.2 s" in run.error


def test_set_query_keeps_the_query_the_url_came_with(b, http_server) -> None:
    """A URL pasted with its query (`?api_key=...&units=metric`) plus Set Query: httpx replaced the URL's query
    with the node's, and the API answered without the key."""
    start = b.add("events_simple")
    made = b.add("http_make_request", url=f"{http_server}/echo?units=metric&city=Bern")
    query = b.add("http_set_query", query={"city": "Zürich", "q": "a&b=c"})
    fetch, to_json = b.add("http_fetch"), b.add("http_response_to_json")
    b.chain(start, fetch)
    b.wire(made, "request", query, "request")
    b.wire(query, "request_out", fetch, "request")
    b.wire(fetch, "exec_success", to_json, "exec_in")
    b.wire(fetch, "response", to_json, "response")
    seen = b.result_of(to_json, to_json, "struct")
    assert seen["query"] == {"units": "metric", "city": "Zürich", "q": "a&b=c"}


@pytest.mark.parametrize(("name", "value", "why"), [
    ("X-Name", "Zoë ✓", "header 'X-Name': its value must be printable ASCII on one line, got 'Zoë ✓'"),
    ("X-Token", "abc\n", "header 'X-Token': its value must be printable ASCII on one line, got 'abc\\n'"),
    ("Bad Header", "x", "header name 'Bad Header' is not allowed"),
])
def test_a_header_that_cannot_be_sent_fails_at_set_header(b, http_server, name, value, why) -> None:
    start, made = b.add("events_simple"), b.add("http_make_request", url=f"{http_server}/echo")
    header, fetch = b.add("http_set_header", name=name, value=value), b.add("http_fetch", retries=0)
    b.chain(start, fetch)
    b.wire(made, "request", header, "request")
    b.wire(header, "request_out", fetch, "request")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "node 'Set Header'" in run.error and why in run.error


def test_a_bearer_token_with_a_line_break_is_refused_without_showing_it(b, http_server) -> None:
    start, made = b.add("events_simple"), b.add("http_make_request", url=f"{http_server}/echo")
    auth, fetch = b.add("http_set_bearer_auth", token="s3cret-token\n"), b.add("http_fetch")
    b.chain(start, fetch)
    b.wire(made, "request", auth, "request")
    b.wire(auth, "request_out", fetch, "request")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "header 'Authorization': its value must be printable ASCII on one line, and this secret holds" \
        in run.error
    assert "s3cret" not in run.error


def test_a_hosted_service_token_with_a_line_break_is_not_shown(b, github) -> None:
    """A GitHub token pasted with its newline: API Call's httpx error showed `Bearer <token>` in the run's error."""
    provider = b.add("data_github_provider_pat", token="ghp_verysecret\n", base_url=github.url)
    user = b.add("data_github_get_user")
    b.wire(provider, "provider", user, "provider")
    b.chain(b.add("events_simple"), user)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "header 'Authorization': its value must be printable ASCII on one line, and this secret holds" in run.error
    assert "verysecret" not in run.error and not any("verysecret" in line.message for line in run.logs())
    assert github.state.requests == []


@pytest.fixture(scope="module")
def cut_short() -> Iterator[str]:
    """A server that promises 1000 bytes of JSON, sends 12 and hangs up (a crashed backend, a dropped proxy)."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:  # closed: the fixture is done
                return
            with client:
                client.recv(65536)
                client.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                               b'{"partial": ')

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); a bare close() leaves it blocked
    server.close()
    thread.join(10)
    assert not thread.is_alive(), "the cut-short server did not stop"


def test_a_body_cut_short_fires_error_naming_the_url(b, cut_short) -> None:
    start, made = b.add("events_simple"), b.add("http_make_request", url=f"{cut_short}/data")
    fetch = b.add("http_fetch", retries=0)
    b.chain(start, fetch)
    b.wire(made, "request", fetch, "request")
    message = b.result_of(fetch, fetch, "error_message", out="exec_error")
    assert message == (f"GET {cut_short}/data failed while reading the answer: RemoteProtocolError: peer closed "
                       f"connection without sending complete message body (received 12 bytes, expected 1000)")


def test_a_download_cut_short_fails_and_leaves_no_file(b, cut_short, tmp_path) -> None:
    start, made = b.add("events_simple"), b.add("http_make_request", url=f"{cut_short}/big.bin")
    download = b.add("http_download", flow_path=str(tmp_path / "big.bin"), retries=0)
    b.chain(start, download)
    b.wire(made, "request", download, "request")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"ConnectionError: GET {cut_short}/big.bin failed while reading the answer: RemoteProtocolError" in run.error
    assert list(tmp_path.iterdir()) == []
