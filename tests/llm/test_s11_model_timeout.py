"""The read timeout of the llm pack's requests is a setting: a model's own `timeout` (Set Model Timeout), else
FLOWLIKE_LLM_TIMEOUT read as a call starts, else the default. It was a constant (300 s for chat, 120 s for
embeddings, 60 s for attachments) that neither a slow local model nor a user wanting a quick failure could change."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flowlike_catalog.llm import timeouts, wire
from flowlike_catalog.llm.chat_files import ai_gen_llm_history_extract_attachments
from flowlike_catalog.llm.structs import History, HistoryMessage, LanguageModel
from flowlike_catalog.llm.testing import Reply
from pydantic import SecretStr, ValidationError

from flowlike_core import RunStatus

HISTORY = History(messages=[HistoryMessage(role="user", content="Count")])
SETTING = "FLOWLIKE_LLM_TIMEOUT"


@pytest.fixture
def stall(server) -> Iterator[None]:
    """The chat server's next answer comes only when the test ends."""
    released = threading.Event()

    def stalled(request):
        released.wait(60)
        return Reply("too late")

    server.expect(stalled)
    yield
    released.set()


def model(server, provider: str = "openai", **fields) -> LanguageModel:
    return LanguageModel(provider=provider, endpoint=server.url + ("/v1" if provider == "openai" else ""),
                         model_id="m1", api_key=SecretStr("sk"), label=provider, **fields)


def call(model: LanguageModel, stream: bool) -> None:
    async def on_chunk(chunk) -> None:
        pass

    asyncio.run(wire.complete(model, HISTORY, on_chunk if stream else None))


@pytest.mark.parametrize("stream", [False, True])
def test_the_environment_sets_the_read_timeout_of_a_model_call(server, stall, monkeypatch, stream):
    monkeypatch.setenv(SETTING, "0.3")
    with pytest.raises(TimeoutError, match=r"openai at http://127\.0\.0\.1:\d+/v1/chat/completions sent nothing for "
                                           r"0\.3 s \(the read timeout of a model call, FLOWLIKE_LLM_TIMEOUT=0\.3"):
        call(model(server), stream)


def test_a_models_own_timeout_comes_before_the_environment(server, stall, monkeypatch):
    monkeypatch.setenv(SETTING, "600")
    with pytest.raises(TimeoutError, match=r"sent nothing for 0\.25 s \(the read timeout of a model call, the "
                                           r"model's timeout=0\.25 \(Set Model Timeout\)"):
        call(model(server, "ollama", timeout=0.25), stream=True)


def test_the_default_timeout_error_names_both_settings(monkeypatch):
    monkeypatch.delenv(SETTING, raising=False)
    timeout = timeouts.of_model(LanguageModel())
    assert timeout == (300, "the default: set FLOWLIKE_LLM_TIMEOUT=SECONDS, or wire the model through Set Model "
                            "Timeout")


@pytest.mark.parametrize("value", ["soon", "0", "-5", "nan", "inf", "1e999"])
def test_a_malformed_setting_is_refused_naming_it_and_its_value(server, monkeypatch, value):
    monkeypatch.setenv(SETTING, value)
    server.expect(Reply("never asked"))
    with pytest.raises(ValueError, match=rf"FLOWLIKE_LLM_TIMEOUT={value!r} is not a number of seconds more than 0"):
        call(model(server), stream=False)
    assert server.requests == [], "refused before anything is sent"


def test_the_default_wait_for_attachments_names_the_setting_but_no_model(monkeypatch):
    monkeypatch.delenv(SETTING, raising=False)
    assert timeouts.from_env(timeouts.ATTACHMENT) == (60, "the default: set FLOWLIKE_LLM_TIMEOUT=SECONDS")


def test_an_empty_setting_is_no_setting(monkeypatch):
    monkeypatch.setenv(SETTING, "")
    assert timeouts.of_model(LanguageModel()).seconds == 300


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), "soon"])
def test_a_model_with_a_malformed_timeout_is_refused(value):
    with pytest.raises(ValidationError, match="timeout"):
        LanguageModel(timeout=value)


def test_set_model_timeout_on_a_board_makes_a_model_call_fail_in_time(b, server, stall, monkeypatch):
    monkeypatch.delenv(SETTING, raising=False)
    provider = b.provider(server, "ollama")
    timed = b.add("ai_generative_set_model_timeout", seconds=0.3)
    history, invoke = b.add("ai_generative_history_from_string", message="Count"), b.add("ai_generative_invoke")
    b.wire(provider, "model", timed, "model")
    b.wire(timed, "model_out", invoke, "model")
    b.wire(history, "history", invoke, "history")
    b.chain(b.add("events_simple"), provider, timed, invoke)
    run = b.run()
    assert run.status is RunStatus.FAILED, run.status
    assert "sent nothing for 0.3 s" in run.error and "Set Model Timeout" in run.error, run.error


def test_set_model_timeout_refuses_a_malformed_number(b, server):
    provider, timed = b.provider(server, "ollama"), b.add("ai_generative_set_model_timeout", seconds=-2.0)
    b.wire(provider, "model", timed, "model")
    b.chain(b.add("events_simple"), provider, timed)
    run = b.run()
    assert run.status is RunStatus.FAILED, run.status
    assert "Set Model Timeout: seconds=-2.0 is not a number of seconds more than 0" in run.error, run.error


def test_the_models_timeout_passes_through_its_other_nodes(b, server):
    provider, timed = b.provider(server, "openai"), b.add("ai_generative_set_model_timeout", seconds=42.0)
    headers = b.add("ai_generative_add_headers", header={"X-Team": "a"})
    b.wire(provider, "model", timed, "model")
    b.wire(timed, "model_out", headers, "model")
    model_out = b.result(headers, "model_out", provider, timed, headers)
    assert LanguageModel.model_validate(model_out).timeout == 42.0


def test_an_embeddings_request_follows_the_setting(server, stall, monkeypatch):
    monkeypatch.setenv(SETTING, "0.3")
    with pytest.raises(TimeoutError, match=r"openai at http://127\.0\.0\.1:\d+/v1/embeddings sent nothing for 0\.3 s "
                                           r"\(the read timeout of a model call, FLOWLIKE_LLM_TIMEOUT=0\.3"):
        wire.embed(model(server), ["a text"], "document")


@pytest.fixture
def silent_files() -> Iterator[str]:
    """A file server on 127.0.0.1 that never answers (until the test ends)."""
    released = threading.Event()

    class Silent(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            released.wait(60)

        def log_message(self, *args: object) -> None:
            pass

    files = ThreadingHTTPServer(("127.0.0.1", 0), Silent)
    thread = threading.Thread(target=files.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{files.server_port}"
    released.set()
    files.shutdown()
    thread.join()
    files.server_close()


def test_extract_attachments_follows_the_setting(silent_files, monkeypatch):
    monkeypatch.setenv(SETTING, "0.3")
    with pytest.raises(TimeoutError, match=r"Extract Attachments: 127\.0\.0\.1:\d+/a\.png sent nothing for 0\.3 s "
                                           r"\(FLOWLIKE_LLM_TIMEOUT=0\.3\)"):
        asyncio.run(ai_gen_llm_history_extract_attachments.func(None, [f"{silent_files}/a.png?sig=secret"]))
