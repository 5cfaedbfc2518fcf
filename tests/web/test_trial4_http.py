"""A tinkerer's HTTP boards against the local server: fetch JSON and pick a field, post to a webhook, and the
errors a misbehaving server gives (not JSON, an error status, no answer in time), each saying what and where."""

from __future__ import annotations

import json

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
