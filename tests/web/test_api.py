"""API Call, streaming and downloads against the local server: redirects, retries, timeouts, errors, progress."""

from __future__ import annotations

import json

import pytest
from flowlike_catalog.web import responses as rs
from flowlike_catalog.web.http import HttpResponse

from flowlike_core import Listener, RunStatus, storage


def request_board(b, key: str, url: str, **options):
    """start -> a `key` node (with these input defaults) whose request is a Make Request of `url`."""
    start = b.add("events_simple")
    made = b.add("http_make_request", url=url)
    node = b.add(key, **options)
    b.chain(start, node)
    b.wire(made, "request", node, "request")
    return node


def fetch_board(b, url: str, **fetch_options):
    return request_board(b, "http_fetch", url, **fetch_options)


def response_of(b, url: str, **fetch_options) -> HttpResponse:
    fetch = fetch_board(b, url, **fetch_options)
    return b.result_of(fetch, fetch, "response", out="exec_success")


def test_get_text_status_and_headers(b, http_server) -> None:
    response = response_of(b, f"{http_server}/status/201")
    assert rs.http_response_get_status.func(response) == 201
    assert rs.http_response_is_success.func(response) is True
    assert rs.http_response_to_text.func(response) == "status 201"
    assert tuple(rs.http_response_get_header.func(response, "Content-Type")) == (True, "text/plain; charset=utf-8")
    assert tuple(rs.http_response_get_header.func(response, "x-none")) == (False, "")
    assert rs.http_response_get_headers.func(response)["content-length"] == "10"


def test_error_status_is_still_a_response(b, http_server) -> None:
    response = response_of(b, f"{http_server}/status/404")
    assert (response.status_code, rs.http_response_is_success.func(response)) == (404, False)


def test_redirects_are_followed(b, http_server) -> None:
    response = response_of(b, f"{http_server}/redirect")
    assert rs.http_response_to_json.func(response)["query"] == {"from": "redirect"}
    assert response.url == f"{http_server}/echo?from=redirect"


def test_charset_and_bad_json_are_handled(b, http_server) -> None:
    response = response_of(b, f"{http_server}/latin1")
    assert rs.http_response_to_text.func(response) == "café"
    assert rs.http_response_to_bytes.func(response) == b"caf\xe9"
    with pytest.raises(ValueError, match=r"/latin1 is not JSON .* it starts 'café'"):
        rs.http_response_to_json.func(response)


def test_get_is_retried_on_503_with_warnings(b, http_server) -> None:
    fetch = fetch_board(b, f"{http_server}/flaky/get-twice/2")
    to_text = b.add("http_response_to_text")
    b.wire(fetch, "exec_success", to_text, "exec_in")
    b.wire(fetch, "response", to_text, "response")
    back = b.add("events_generic_return_result")
    b.wire(to_text, "exec_out", back, "exec_in")
    b.wire(to_text, "text", back, "response")
    run = b.run()
    assert run.result == "ok after 3 calls"
    assert [line.message for line in run.logs()] == [
        f"GET {http_server}/flaky/get-twice/2: status 503, retrying (1/2)",
        f"GET {http_server}/flaky/get-twice/2: status 503, retrying (2/2)",
    ]


def test_post_is_not_retried(b, http_server) -> None:
    start = b.add("events_simple")
    made = b.add("http_make_request", method="POST", url=f"{http_server}/flaky/post-once/1")
    fetch = b.add("http_fetch")
    b.chain(start, fetch)
    b.wire(made, "request", fetch, "request")
    assert b.result_of(fetch, fetch, "response", out="exec_success").status_code == 503


def test_server_down_fires_error_when_wired(b, closed_port) -> None:
    url = f"http://127.0.0.1:{closed_port}/x"
    fetch = fetch_board(b, url, retries=1)
    message = b.result_of(fetch, fetch, "error_message", out="exec_error")
    assert message.startswith(f"GET {url} failed: ConnectError")


def test_server_down_fails_the_run_when_error_is_not_wired(b, closed_port) -> None:
    fetch_board(b, f"http://127.0.0.1:{closed_port}/x", retries=0)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "failed: ConnectError" in run.error


def test_timeout(b, http_server) -> None:
    fetch = fetch_board(b, f"{http_server}/slow", timeout_seconds=0.2, retries=0)
    assert b.result_of(fetch, fetch, "error_message", out="exec_error") == \
        f"GET {http_server}/slow failed: ReadTimeout: no answer within 0.2 s"


def test_streaming_fires_per_chunk(b, http_server) -> None:
    stream = request_board(b, "streaming_http_fetch", f"{http_server}/stream/5")
    log = b.add("log_info")
    b.wire(stream, "streaming_exec", log, "exec_in")
    b.wire(stream, "streaming_response", log, "message")
    back = b.add("events_generic_return_result")
    b.wire(stream, "exec_success", back, "exec_in")
    b.wire(stream, "response", back, "response")
    run = b.run()
    expected = b"".join(f"chunk {i}\n".encode() for i in range(5))
    assert run.result.body == expected
    chunks = [bytes(json.loads(line.message)) for line in run.logs()]
    assert len(chunks) >= 1 and b"".join(chunks) == expected


def test_download_streams_to_a_file_with_progress(b, http_server, tmp_path) -> None:
    class Progress(Listener):
        def __init__(self) -> None:
            self.fractions: list[float] = []

        def progress(self, run, node_id, fraction, message) -> None:
            self.fractions.append(fraction)

    target = tmp_path / "sub" / "data.bin"
    request_board(b, "http_download", f"{http_server}/bytes/200000", flow_path=str(target))
    watcher = Progress()
    run = b.run(listeners=[watcher])
    run.raise_for_status()
    assert target.read_bytes() == bytes(i % 251 for i in range(200000))
    assert watcher.fractions[-1] == 1.0 and len(watcher.fractions) >= 2
    assert sorted(p.name for p in target.parent.iterdir()) == ["data.bin"]


def test_download_into_the_content_store(b, http_server, tmp_path) -> None:
    store = storage.configure(str(tmp_path / "store"), record_runs=False)
    download = request_board(b, "http_download", f"{http_server}/bytes/70000", app="demo")
    ref = b.result_of(download, download, "blob", out="exec_success")
    assert (ref["size"], ref["media_type"]) == (70000, "application/octet-stream")
    assert store.app("demo").blobs.get(ref) == bytes(i % 251 for i in range(70000))


def test_camera_frame_is_an_image_handle(b, http_server) -> None:
    from flowlike_catalog.media.image import image_of

    grab = request_board(b, "web_camera_grab_frame", f"{http_server}/snapshot.png")
    ref = b.result_of(grab, grab, "image", out="exec_success")
    assert (ref.width, ref.height, ref.mode) == (4, 3, "RGB")
    assert image_of(None, ref).getpixel((0, 0)) == (200, 10, 10)


def test_camera_answer_that_is_no_image_fires_error(b, http_server) -> None:
    grab = request_board(b, "web_camera_grab_frame", f"{http_server}/latin1")
    message = b.result_of(grab, grab, "error_message", out="exec_error")
    assert message.startswith(f"the answer of {http_server}/latin1 is not an image Pillow can read")


def test_failed_download_leaves_no_file(b, http_server, tmp_path) -> None:
    request_board(b, "http_download", f"{http_server}/status/500", flow_path={"path": str(tmp_path / "x.bin")},
                  retries=0)
    run = b.run()
    assert run.status is RunStatus.FAILED and "status 500" in run.error
    assert list(tmp_path.iterdir()) == []


def test_response_to_content_store(b, http_server, tmp_path) -> None:
    store = storage.configure(str(tmp_path / "store"), record_runs=False)
    fetch = fetch_board(b, f"{http_server}/bytes/1000")
    blob = b.add("http_response_to_blob", app="demo")
    b.wire(fetch, "exec_success", blob, "exec_in")
    b.wire(fetch, "response", blob, "response")
    ref = b.result_of(blob, blob, "blob")
    assert ref["size"] == 1000 and ref["media_type"] == "application/octet-stream"
    assert store.app("demo").blobs.get(ref) == bytes(i % 251 for i in range(1000))
