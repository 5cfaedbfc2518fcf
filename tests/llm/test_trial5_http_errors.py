"""A provider that rate-limits (HTTP 429, or 503 while overloaded) and says when to come back (Retry-After): the
request is sent again after that wait, a few times, with a warning in the run's log; a wait longer than a node
waits, or none given, fails at once saying so. They failed at once, as any other HTTP error. A refusal (401, 403) of a
request sent without a key says the key was empty."""

from __future__ import annotations

import json

import pytest
from flowlike_catalog.llm.testing import Raw, Reply
from flowlike_catalog.llm.wire import RATE_LIMIT_RETRIES

from flowlike_core import RunStatus

LIMITED = json.dumps({"error": {"message": "Rate limit reached for requests", "code": "rate_limit_exceeded"}})


def limited(seconds: str | None, status: int = 429, header: str = "Retry-After") -> Raw:
    return Raw(LIMITED, status=status, headers={header: seconds} if seconds is not None else {})


def ask_board(b, server, provider: str = "openai", stream: bool = False):
    """start -> provider -> Invoke Simple (streaming when `stream`) -> return its text."""
    model = b.provider(server, provider)
    simple = b.add("ai_generative_invoke_simple", prompt="Hi")
    b.wire(model, "model", simple, "model")
    if stream:
        b.wire(simple, "on_stream", b.add("log_info", message="token"), "exec_in")
    start, back = b.add("events_simple"), b.add("events_generic_return_result")
    b.chain(start, model, (simple, "done"), back)
    b.wire(simple, "result", back, "response")
    return b.run()


@pytest.mark.parametrize("provider", ["openai", "anthropic", "ollama"])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_429_with_retry_after_is_waited_out_and_sent_again(b, server, provider, stream):
    server.expect(limited("0"), limited("0.01", status=503), limited("0", status=529), Reply("Hello"))
    run = ask_board(b, server, provider, stream)
    run.raise_for_status()
    assert run.result == "Hello"
    assert len(server.requests) == 4
    waits = [line.message for line in run.logs() if line.level.value == "Warn"]
    assert len(waits) == 3, waits
    assert "answered HTTP 429 (Rate limit reached for requests (code rate_limit_exceeded)): waiting 0 s, as its " \
        f"Retry-After says, then asking again (retry 1 of {RATE_LIMIT_RETRIES})" in waits[0]
    assert "answered HTTP 503" in waits[1] and "retry 2 of" in waits[1]
    assert "answered HTTP 529" in waits[2] and "retry 3 of" in waits[2]  # Anthropic's overloaded_error


def test_openais_retry_after_ms_is_read_too(b, server):
    server.expect(limited("5", header="retry-after-ms"), Reply("Hello"))
    run = ask_board(b, server)
    assert run.result == "Hello"
    assert "waiting 0.005 s" in b.messages(run)[0]


def test_a_provider_still_limiting_after_the_retries_fails_saying_so(b, server):
    server.always(limited("0"))
    run = ask_board(b, server)
    assert run.status is RunStatus.FAILED
    assert len(server.requests) == RATE_LIMIT_RETRIES + 1
    assert f"answered HTTP 429 (rate limited) still after {RATE_LIMIT_RETRIES} retries" in run.error
    assert "Rate limit reached for requests" in run.error


@pytest.mark.parametrize(("header", "says"), [
    (None, "without saying when to retry (no Retry-After)"),
    ("3600", "asks to retry after 3600 s, longer than the 60 s a node waits"),
    ("Wed, 21 Oct 2099 07:28:00 GMT", "asks to retry after "),
])
def test_a_429_without_a_usable_retry_after_fails_at_once(b, server, header, says):
    server.expect(limited(header), Reply("never asked"))
    run = ask_board(b, server)
    assert run.status is RunStatus.FAILED
    assert len(server.requests) == 1
    assert "answered HTTP 429 (rate limited)" in run.error and says in run.error, run.error


def test_other_errors_are_not_retried(b, server):
    server.expect(Raw(LIMITED, status=500, headers={"Retry-After": "0"}), Reply("never asked"))
    run = ask_board(b, server)
    assert run.status is RunStatus.FAILED
    assert len(server.requests) == 1


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_401_to_a_request_without_a_key_says_the_key_is_empty(b, server, provider):
    """A secret variable has no value in a papermill or CLI run (it never reaches board files or notebooks): the
    request went without a key and the run said only HTTP 401."""
    server.expect(Reply("You didn't provide an API key.", status=401))
    model = b.provider(server, provider, api_key="")
    simple = b.add("ai_generative_invoke_simple", prompt="Hi")
    b.wire(model, "model", simple, "model")
    b.chain(b.add("events_simple"), model, simple)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "answered HTTP 401: " in run.error and "You didn't provide an API key." in run.error
    assert run.error.endswith("(no API key was sent: the model's API Key is empty; feed it from a secret variable "
                              "with a value, or from Get Environment Variable)"), run.error


def test_a_401_to_a_request_with_a_key_does_not_blame_an_empty_key(b, server):
    server.expect(Reply("Incorrect API key provided.", status=401))
    run = ask_board(b, server)
    assert "answered HTTP 401" in run.error and "no API key was sent" not in run.error
