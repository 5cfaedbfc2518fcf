"""On Stream fires only for chunks that carry something; a model that goes quiet fails naming the read timeout."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from flowlike_catalog.llm import wire
from flowlike_catalog.llm.structs import History, HistoryMessage, LanguageModel, ResponseChunk
from flowlike_catalog.llm.testing import Raw, Reply
from pydantic import SecretStr

HISTORY = History(messages=[HistoryMessage(role="user", content="Count")])


def model(server, provider: str) -> LanguageModel:
    endpoint = server.url + ("/v1" if provider == "openai" else "")
    return LanguageModel(provider=provider, endpoint=endpoint, model_id="m1", api_key=SecretStr("sk"), label=provider)


def streamed(server, provider: str) -> list[ResponseChunk]:
    chunks: list[ResponseChunk] = []

    async def on_chunk(chunk: ResponseChunk) -> None:
        chunks.append(chunk)

    asyncio.run(wire.complete(model(server, provider), HISTORY, on_chunk))
    return chunks


def carries_something(chunk: ResponseChunk) -> bool:
    return bool(chunk.content or chunk.tool_calls or chunk.finish_reason or chunk.usage)


@pytest.mark.parametrize("provider", ["openai", "anthropic", "ollama"])
def test_each_streamed_chunk_carries_something(server, provider):
    server.expect(Reply("one two"))
    chunks = streamed(server, provider)
    assert chunks[0].content == "one", "OpenAI's opening chunk (a role, empty content) is no chunk"
    assert all(carries_something(chunk) for chunk in chunks)
    assert "".join(chunk.content for chunk in chunks) == "one two"


def test_keep_alive_chunks_of_a_server_do_not_fire(server):
    """llama.cpp and vLLM send deltas with a null content (or none) between tokens."""
    def event(delta: dict, finish: str | None = None) -> str:
        return f"data: {json.dumps({'choices': [{'index': 0, 'delta': delta, 'finish_reason': finish}]})}\n\n"

    body = "".join([event({"role": "assistant"}), event({"content": "Hi"}), event({"content": None}), event({}),
                    event({"content": "!"}), event({}, "stop"), "data: [DONE]\n\n"])
    server.expect(Raw(body, "text/event-stream"))
    assert [(c.content, c.finish_reason) for c in streamed(server, "openai")] == [("Hi", None), ("!", None),
                                                                                   ("", "stop")]


def test_a_board_fires_on_stream_once_per_token_and_once_for_the_end(b, server):
    server.expect(Reply("one two three"))
    provider, history = b.provider(server, "ollama"), b.add("ai_generative_history_from_string", message="Count")
    invoke, token, log = b.add("ai_generative_invoke"), b.add("ai_generative_llm_response_chunk_get_token"), \
        b.add("log_info")
    b.wire(provider, "model", invoke, "model")
    b.wire(history, "history", invoke, "history")
    b.wire(invoke, "on_stream", log, "exec_in")
    b.wire(invoke, "chunk", token, "chunk")
    b.wire(token, "token", log, "message")
    b.chain(b.add("events_simple"), provider, invoke)
    run = b.run()
    run.raise_for_status()
    assert b.messages(run) == ["one", " two", " three", ""], "the last: Ollama's done line (finish reason, usage)"


@pytest.mark.parametrize("stream", [False, True])
def test_a_model_that_goes_quiet_fails_naming_the_read_timeout(server, monkeypatch, stream):
    released = threading.Event()

    def stall(request):
        released.wait(60)
        return Reply("too late")

    monkeypatch.setenv("FLOWLIKE_LLM_TIMEOUT", "0.3")
    server.expect(stall)
    try:
        with pytest.raises(TimeoutError, match=r"openai at http://127\.0\.0\.1:\d+/v1/chat/completions sent nothing "
                                               r"for 0\.3 s \(the read timeout of a model call, "
                                               r"FLOWLIKE_LLM_TIMEOUT=0\.3\)"):
            if stream:
                streamed(server, "openai")
            else:
                asyncio.run(wire.complete(model(server, "openai"), HISTORY))
    finally:
        released.set()
