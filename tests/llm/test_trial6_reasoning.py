"""A reasoning model's thinking (DeepSeek's and vLLM's reasoning_content, OpenRouter's reasoning, Ollama's
thinking, Anthropic's thinking blocks) was dropped: a streamed answer showed nothing while the model thought and the
response kept no trace of it. As in Flow-Like, it streams as reasoning chunks and the message keeps it; it is not
sent back with the history."""

from __future__ import annotations

import asyncio
import json

import pytest
from flowlike_catalog.llm.structs import History, HistoryMessage, LanguageModel, ResponseChunk
from flowlike_catalog.llm.testing import Raw
from flowlike_catalog.llm.wire import complete
from pydantic import SecretStr

HISTORY = History(messages=[HistoryMessage(role="user", content="2+2?")])


def sse(*events: dict, done: bool = True) -> str:
    return "".join(f"data: {json.dumps(event)}\n\n" for event in events) + ("data: [DONE]\n\n" if done else "")


def openai_delta(delta: dict, finish: str | None = None) -> dict:
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


STREAMS = {
    "openai": Raw(sse(openai_delta({"role": "assistant", "content": "", "reasoning_content": "Two and"}),
                      openai_delta({"reasoning_content": " two."}), openai_delta({"content": "4"}),
                      openai_delta({}, "stop")), "text/event-stream"),
    "openrouter": Raw(sse(openai_delta({"reasoning": "Two and"}), openai_delta({"reasoning": " two."}),
                          openai_delta({"content": "4"}), openai_delta({}, "stop")), "text/event-stream"),
    "ollama": Raw("".join(json.dumps(line) + "\n" for line in (
        {"message": {"role": "assistant", "content": "", "thinking": "Two and"}, "done": False},
        {"message": {"role": "assistant", "content": "", "thinking": " two."}, "done": False},
        {"message": {"role": "assistant", "content": "4"}, "done": False},
        {"message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop"})),
        "application/x-ndjson"),
    "anthropic": Raw("".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in (
        {"type": "message_start", "message": {"usage": {"input_tokens": 3}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "Two and"}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": " two."}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "sig"}},
        {"type": "content_block_stop", "index": 0},
        {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "4"}},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 5}},
        {"type": "message_stop"})), "text/event-stream"),
}
WHOLE = {
    "openai": {"choices": [{"index": 0, "finish_reason": "stop", "message": {
        "role": "assistant", "content": "4", "reasoning_content": "Two and two."}}]},
    "ollama": {"message": {"role": "assistant", "content": "4", "thinking": "Two and two."}, "done": True},
    "anthropic": {"content": [{"type": "thinking", "thinking": "Two and two.", "signature": "sig"},
                              {"type": "text", "text": "4"}], "stop_reason": "end_turn"},
}


def model(server, provider: str) -> LanguageModel:
    wire_format = "openai" if provider == "openrouter" else provider
    endpoint = server.url + ("/v1" if wire_format == "openai" else "")
    return LanguageModel(provider=wire_format, endpoint=endpoint, model_id="m1", api_key=SecretStr("sk"))


@pytest.mark.parametrize("provider", sorted(STREAMS))
def test_streamed_thinking_arrives_as_reasoning_chunks(server, provider):
    server.expect(STREAMS[provider])
    chunks: list[ResponseChunk] = []

    async def on_chunk(chunk: ResponseChunk) -> None:
        chunks.append(chunk)

    response = asyncio.run(complete(model(server, provider), HISTORY, on_chunk))
    assert [(c.reasoning, c.content) for c in chunks if c.reasoning or c.content] == [("Two and", ""), (" two.", ""),
                                                                                      ("", "4")]
    message = response.last_message()
    assert (message.reasoning, message.content) == ("Two and two.", "4")
    assert response.to_message().model_dump(exclude_defaults=True) == {"role": "assistant", "content": "4"}


@pytest.mark.parametrize("provider", sorted(WHOLE))
def test_a_whole_answer_keeps_its_reasoning(server, provider):
    server.expect(Raw(json.dumps(WHOLE[provider])))
    message = asyncio.run(complete(model(server, provider), HISTORY)).last_message()
    assert (message.reasoning, message.content) == ("Two and two.", "4")
