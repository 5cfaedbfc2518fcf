"""Request building: each Set node's effect, checked on the struct and on what a real server receives."""

from __future__ import annotations

import json

import pytest
from flowlike_catalog.web import requests as rq
from flowlike_catalog.web.http import HttpRequest


def make(url: str = "http://127.0.0.1:1/x", method: str = "GET") -> HttpRequest:
    return rq.http_make_request.func(method, url)


def test_make_and_read_back() -> None:
    request = make("https://api.example.org/v1", "post")
    assert (rq.http_get_url.func(request), rq.http_get_method.func(request)) == ("https://api.example.org/v1", "POST")
    assert rq.http_get_headers.func(request) == {}


def test_bad_url_and_method_are_clear() -> None:
    with pytest.raises(ValueError, match="URL must start with http:// or https://, got 'ftp://x'"):
        rq.http_make_request.func("GET", "ftp://x")
    with pytest.raises(ValueError, match="unknown HTTP method 'FETCH'"):
        rq.http_set_method.func(make(), "fetch")
    with pytest.raises(TypeError, match="expected an HTTP request struct .* got str"):
        rq.http_get_url.func("http://x")


def test_setters_replace_and_keep() -> None:
    request = rq.http_set_url.func(make(), "http://127.0.0.1:2/y")
    request = rq.http_set_method.func(request, "PUT")
    request = rq.http_set_header.func(request, "X-Trace", "1")
    request = rq.http_set_header.func(request, "x-trace", "2")
    request = rq.http_set_accept.func(request, "text/csv")
    request = rq.http_set_content_type.func(request, "text/plain")
    assert request.url == "http://127.0.0.1:2/y" and request.method == "PUT"
    assert rq.http_get_headers.func(request) == {"x-trace": "2", "Accept": "text/csv", "Content-Type": "text/plain"}
    assert tuple(rq.http_get_header.func(request, "ACCEPT")) == (True, "text/csv")
    assert tuple(rq.http_get_header.func(request, "Missing")) == (False, "")


def test_set_headers_merges_or_replaces() -> None:
    request = rq.http_set_header.func(make(), "A", "1")
    assert rq.http_set_headers.func(request, {"B": "2"}, True).headers == {"A": "1", "B": "2"}
    assert rq.http_set_headers.func(request, {"B": "2"}, False).headers == {"B": "2"}


def test_secrets_are_masked_everywhere_but_the_wire() -> None:
    request = rq.http_set_bearer_auth.func(make(), "s3cr3t-token")
    assert tuple(rq.http_get_header.func(request, "authorization")) == (True, "***")
    assert "s3cr3t" not in json.dumps(request.model_dump(mode="json"))
    assert "s3cr3t" not in repr(request)
    assert request.all_headers() == {"Authorization": "Bearer s3cr3t-token"}
    with pytest.raises(ValueError, match="bearer token is empty"):
        rq.http_set_bearer_auth.func(make(), "")


def test_query_merges() -> None:
    request = rq.http_set_query.func(make(), {"a": "1", "b": "x y"}, True)
    request = rq.http_set_query.func(request, {"b": "2"}, True)
    assert request.query == {"a": "1", "b": "2"}
    assert rq.http_set_query.func(request, {"c": "3"}, False).query == {"c": "3"}


def test_struct_dict_from_a_board_default_is_accepted() -> None:
    request = rq.http_set_header.func({"url": "http://127.0.0.1:1/", "method": "get"}, "A", "1")
    assert (request.method, request.headers) == ("GET", {"A": "1"})


def test_multipart_missing_file_is_clear(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="multipart file for field 'doc' not found"):
        rq.http_set_multipart_body.func(make(), {}, {"doc": tmp_path / "nope.txt"})


# ---- what the server receives, through a board ------------------------------------------------------------


def send(b, request_node, server) -> dict:
    start, fetch = b.add("events_simple"), b.add("http_fetch")
    to_json = b.add("http_response_to_json")
    b.chain(start, fetch)
    b.wire(fetch, "exec_success", to_json, "exec_in")
    b.wire(request_node, "request_out", fetch, "request")
    b.wire(fetch, "response", to_json, "response")
    return b.result_of(to_json, to_json, "struct")


def with_request(b, server, method="POST"):
    return b.add("http_make_request", method=method, url=f"{server}/echo")


def test_struct_body_reaches_the_server_as_json(b, http_server) -> None:
    made = with_request(b, http_server)
    body = b.add("http_set_struct_body", body={"name": "ada", "n": [1, 2]})
    b.wire(made, "request", body, "request")
    seen = send(b, body, http_server)
    assert json.loads(seen["body"]) == {"name": "ada", "n": [1, 2]}
    assert seen["headers"]["content-type"] == "application/json"


def test_string_body_and_query(b, http_server) -> None:
    made = with_request(b, http_server, "PUT")
    query = b.add("http_set_query", query={"q": "a b", "page": "2"})
    body = b.add("http_set_string_body", body="héllo")
    b.wire(made, "request", query, "request")
    b.wire(query, "request_out", body, "request")
    seen = send(b, body, http_server)
    assert (seen["method"], seen["query"]) == ("PUT", {"q": "a b", "page": "2"})
    assert seen["body"] == "héllo".encode().decode("latin-1")
    assert seen["headers"]["content-type"] == "text/plain; charset=utf-8"


def test_bytes_body_from_another_response(b, http_server) -> None:
    start, download = b.add("events_simple"), b.add("http_fetch")
    source = b.add("http_make_request", url=f"{http_server}/bytes/300")
    to_bytes = b.add("http_response_to_bytes")
    made = with_request(b, http_server)
    body = b.add("http_set_bytes_body")
    b.chain(start, download)
    b.wire(source, "request", download, "request")
    b.wire(download, "exec_success", to_bytes, "exec_in")
    b.wire(download, "response", to_bytes, "response")
    b.wire(made, "request", body, "request")
    b.wire(to_bytes, "bytes", body, "body")
    upload, to_json = b.add("http_fetch"), b.add("http_response_to_json")
    b.chain(to_bytes, upload)
    b.wire(body, "request_out", upload, "request")
    b.wire(upload, "exec_success", to_json, "exec_in")
    b.wire(upload, "response", to_json, "response")
    seen = b.result_of(to_json, to_json, "struct")
    assert seen["body"] == bytes(i % 251 for i in range(300)).decode("latin-1")
    assert seen["headers"]["content-type"] == "application/octet-stream"


def test_bytes_body_takes_flow_likes_byte_arrays(b, http_server) -> None:
    """The body is an Array<Byte> as in Flow-Like: std's To Bytes wires to it."""
    made = with_request(b, http_server)
    value = b.add("val_to_bytes", value={"n": 1}, pretty=False)
    body = b.add("http_set_bytes_body")
    b.wire(made, "request", body, "request")
    b.wire(value, "bytes", body, "body")
    assert send(b, body, http_server)["body"] == '{"n":1}'


def test_bytes_body_default_is_a_list_of_byte_values(b, http_server) -> None:
    made = with_request(b, http_server)
    body = b.add("http_set_bytes_body", body=[104, 105])
    b.wire(made, "request", body, "request")
    assert send(b, body, http_server)["body"] == "hi"


def test_form_body(b, http_server) -> None:
    made = with_request(b, http_server)
    body = b.add("http_set_form_body", fields={"name": "Ada L", "age": 36})
    b.wire(made, "request", body, "request")
    seen = send(b, body, http_server)
    assert seen["form"] == {"name": "Ada L", "age": "36"}
    assert seen["body"] == "name=Ada+L&age=36"


def test_multipart_body_sends_fields_and_files(b, http_server, tmp_path) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text("first line\n")
    made = with_request(b, http_server)
    body = b.add("http_set_multipart_body", fields={"title": "Notes"}, files={"doc": str(doc)})
    b.wire(made, "request", body, "request")
    seen = send(b, body, http_server)
    assert seen["form"] == {"title": "Notes"}
    assert seen["files"] == {"doc": {"filename": "notes.txt", "content": "first line\n", "content_type": "text/plain"}}
    assert seen["headers"]["content-type"].startswith("multipart/form-data; boundary=")


def test_bearer_and_basic_auth_reach_the_server(b, http_server) -> None:
    made = with_request(b, http_server, "GET")
    bearer = b.add("http_set_bearer_auth", token="tok-123")
    b.wire(made, "request", bearer, "request")
    assert send(b, bearer, http_server)["headers"]["authorization"] == "Bearer tok-123"
    request = rq.http_set_basic_auth.func(make(), "ada", "pw:1")
    assert request.all_headers() == {"Authorization": "Basic YWRhOnB3OjE="}


def test_token_from_a_secret_variable_reaches_the_server_but_no_record(b, http_server) -> None:
    from flowlike_core import DataType, Variable, commands
    from flowlike_core.storage import redacted_record

    secret = "tok-from-the-vault-42"
    b.board.apply(commands.UpsertVariable(Variable(name="api_token", data_type=DataType.STRING,
                                                   default_value=secret, secret=True)))
    token = b.add("variable_get", var_ref="api_token")
    made = with_request(b, http_server, "GET")
    bearer = b.add("http_set_bearer_auth")
    b.wire(made, "request", bearer, "request")
    b.wire(token, "value_ref", bearer, "token")
    log = b.add("log_info")
    start, fetch, to_json = b.add("events_simple"), b.add("http_fetch"), b.add("http_response_to_json")
    b.chain(start, fetch)
    b.wire(bearer, "request_out", fetch, "request")
    b.wire(fetch, "exec_success", log, "exec_in")
    b.wire(bearer, "request_out", log, "message")
    b.chain(log, to_json)
    b.wire(fetch, "response", to_json, "response")
    back = b.add("events_generic_return_result")
    b.chain(to_json, back)
    b.wire(to_json, "struct", back, "response")
    run = b.run()
    run.raise_for_status()
    assert run.result["headers"]["authorization"] == f"Bearer {secret}"
    [line] = [entry.message for entry in run.logs()]
    assert '"Authorization": "**********"' in line and secret not in line
    assert secret not in redacted_record(run).model_dump_json()  # the echoed header in the result is masked too
