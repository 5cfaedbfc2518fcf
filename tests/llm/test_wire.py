"""Each wire format against the scripted server: request shapes, JSON and streamed answers, tool calls, errors."""

from __future__ import annotations

import asyncio
import json

import pytest
from flowlike_catalog.llm.structs import History, HistoryMessage, LanguageModel, ResponseChunk, ToolCall, ToolFunction
from flowlike_catalog.llm.testing import Reply
from flowlike_catalog.llm.wire import complete
from pydantic import SecretStr

PROVIDERS = ["openai", "anthropic", "ollama"]


def model(server, provider: str, key: str = "sk-secret") -> LanguageModel:
    endpoint = server.url + ("/v1" if provider == "openai" else "")
    return LanguageModel(provider=provider, endpoint=endpoint, model_id="m1", api_key=SecretStr(key), label=provider)


def ask(server, provider: str, history: History, stream: bool = False) -> tuple:
    chunks: list[ResponseChunk] = []

    async def on_chunk(chunk: ResponseChunk) -> None:
        chunks.append(chunk)

    response = asyncio.run(complete(model(server, provider), history, on_chunk if stream else None))
    return response, chunks


HISTORY = History(messages=[HistoryMessage(role="system", content="Be brief."),
                            HistoryMessage(role="user", content="Capital of France?")],
                  temperature=0.2, max_completion_tokens=50, stop=["\n\n"], seed=7)


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_text_answer_comes_back_whole_or_streamed(server, provider, stream):
    server.expect(Reply("The capital is Paris."))
    response, chunks = ask(server, provider, HISTORY, stream)
    assert response.content() == "The capital is Paris."
    assert response.choices[0].finish_reason in ("stop", "end_turn")
    assert response.usage.completion_tokens == 4
    if stream:
        assert [c.content for c in chunks if c.content] == ["The", " capital", " is", " Paris."]
    else:
        assert chunks == []
    assert server.requests[0].body["stream"] is stream


def test_openai_request_shape(server):
    server.expect(Reply("ok"))
    ask(server, "openai", HISTORY.model_copy(update={"presence_penalty": 0.5, "frequency_penalty": 0.25, "user": "u1"}))
    request = server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-secret"
    assert request.body == {
        "model": "m1", "stream": False, "temperature": 0.2, "max_completion_tokens": 50, "stop": ["\n\n"], "seed": 7,
        "presence_penalty": 0.5, "frequency_penalty": 0.25, "user": "u1",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Capital of France?"}],
    }


def test_anthropic_request_shape(server):
    server.expect(Reply("ok"))
    ask(server, "anthropic", HISTORY)
    request = server.requests[0]
    assert request.path == "/v1/messages"
    assert request.headers["x-api-key"] == "sk-secret"
    assert request.headers["anthropic-version"] == "2023-06-01"
    assert request.body == {
        "model": "m1", "stream": False, "max_tokens": 50, "system": "Be brief.", "temperature": 0.2,
        "stop_sequences": ["\n\n"],
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Capital of France?"}]}],
    }


def test_ollama_request_shape(server):
    server.expect(Reply("ok"))
    ask(server, "ollama", HISTORY)
    request = server.requests[0]
    assert request.path == "/api/chat"
    assert request.body == {
        "model": "m1", "stream": False,
        "options": {"temperature": 0.2, "num_predict": 50, "stop": ["\n\n"], "seed": 7},
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Capital of France?"}],
    }


def test_the_history_model_name_wins_over_the_provider_model_id(server):
    server.expect(Reply("ok"))
    ask(server, "openai", HISTORY.model_copy(update={"model": "gpt-other"}))
    assert server.requests[0].body["model"] == "gpt-other"


TOOLS = [{"type": "function", "function": {"name": "add", "description": "Adds",
                                           "parameters": {"type": "object", "properties": {"a": {"type": "integer"}}}}}]


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_tool_calls_are_parsed(server, provider, stream):
    server.expect(Reply(tool_calls=[("add", {"a": 1, "b": 2}), ("add", {"a": 3, "b": 4})]))
    response, _ = ask(server, provider, HISTORY.model_copy(update={"tools": TOOLS, "tool_choice": "Auto"}), stream)
    calls = response.tool_calls()
    assert [(c.function.name, c.parsed_arguments()) for c in calls] == [("add", {"a": 1, "b": 2}),
                                                                         ("add", {"a": 3, "b": 4})]
    assert all(c.id for c in calls) and len({c.id for c in calls}) == 2


def test_tools_and_tool_choice_per_format(server):
    history = HISTORY.model_copy(update={"tools": TOOLS, "tool_choice": "add"})
    server.always(Reply("ok"))
    for provider in PROVIDERS:
        ask(server, provider, history)
    openai, anthropic, ollama = (r.body for r in server.requests)
    assert openai["tools"] == TOOLS and openai["tool_choice"] == {"type": "function", "function": {"name": "add"}}
    assert anthropic["tools"] == [{"name": "add", "description": "Adds",
                                   "input_schema": TOOLS[0]["function"]["parameters"]}]
    assert anthropic["tool_choice"] == {"type": "tool", "name": "add"}
    assert ollama["tools"] == TOOLS and "tool_choice" not in ollama


def test_tool_results_travel_in_each_format(server):
    call = ToolCall(id="call_7", function=ToolFunction(name="add", arguments='{"a": 1}'))
    history = History(messages=[HistoryMessage(role="user", content="1+?"),
                                HistoryMessage(role="assistant", content="", tool_calls=[call]),
                                HistoryMessage(role="tool", tool_call_id="call_7", name="add", content="2")])
    server.always(Reply("2"))
    for provider in PROVIDERS:
        ask(server, provider, history)
    openai, anthropic, ollama = (r.body["messages"] for r in server.requests)
    assert openai[1]["tool_calls"] == [{"id": "call_7", "type": "function",
                                        "function": {"name": "add", "arguments": '{"a": 1}'}}]
    assert openai[2] == {"role": "tool", "content": "2", "tool_call_id": "call_7", "name": "add"}
    assert anthropic[1] == {"role": "assistant", "content": [{"type": "tool_use", "id": "call_7", "name": "add",
                                                               "input": {"a": 1}}]}
    assert anthropic[2] == {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "call_7",
                                                          "content": "2"}]}
    assert ollama[1]["tool_calls"] == [{"function": {"name": "add", "arguments": {"a": 1}}}]
    assert ollama[2] == {"role": "tool", "content": "2", "tool_name": "add"}


def test_images_travel_as_parts_blocks_or_base64(server):
    from flowlike_catalog.llm.structs import ContentPart

    image = "data:image/png;base64,iVBORw0KGgo="
    history = History(messages=[HistoryMessage(role="user", content=[ContentPart(type="text", text="What is it?"),
                                                                      ContentPart(type="image_url", image_url=image)])])
    server.always(Reply("a pixel"))
    for provider in PROVIDERS:
        ask(server, provider, history)
    openai, anthropic, ollama = (r.body["messages"][0] for r in server.requests)
    assert openai["content"][1] == {"type": "image_url", "image_url": {"url": image}}
    assert anthropic["content"][1] == {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                                                   "data": "iVBORw0KGgo="}}
    assert ollama == {"role": "user", "content": "What is it?", "images": ["iVBORw0KGgo="]}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_http_error_names_the_provider_status_and_body(server, provider):
    server.expect(Reply("model overloaded", status=429))
    with pytest.raises(RuntimeError, match=r"answered HTTP 429 \(rate limited\) without saying when to retry "
                                           r"\(no Retry-After\): .*model overloaded"):
        ask(server, provider, HISTORY)


def test_a_server_that_is_down_is_a_clear_error():
    down = LanguageModel(endpoint="http://127.0.0.1:9/v1", model_id="m", label="Local")
    with pytest.raises(ConnectionError, match=r"cannot reach Local at http://127.0.0.1:9/v1/chat/completions"):
        asyncio.run(complete(down, HISTORY))


def test_options_a_provider_lacks_are_refused():
    with pytest.raises(ValueError, match="n must be 1"):
        asyncio.run(complete(LanguageModel(provider="anthropic", model_id="m"), HISTORY.model_copy(update={"n": 2})))
    with pytest.raises(ValueError, match="no response_format"):
        asyncio.run(complete(LanguageModel(provider="anthropic", model_id="m"),
                             HISTORY.model_copy(update={"response_format": {"type": "json_object"}})))


def test_the_key_never_shows_in_dumps():
    handle = LanguageModel(api_key=SecretStr("sk-very-secret"))
    assert "sk-very-secret" not in json.dumps(handle.model_dump(mode="json"))
    assert "sk-very-secret" not in repr(handle)
