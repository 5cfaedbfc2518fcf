"""Chat servers that answer badly: a proxy's HTML page, JSON cut short, a broken stream event, a server that ignores
`stream`. Each fails naming the provider and URL (or, for the last, answers as if streamed), never silently empty."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from flowlike_catalog.llm.structs import History, HistoryMessage, LanguageModel, ResponseChunk
from flowlike_catalog.llm.testing import Raw, Reply
from flowlike_catalog.llm.wire import complete
from pydantic import SecretStr

from flowlike_core import RunStatus

HISTORY = History(messages=[HistoryMessage(role="user", content="Grüße ✓")])
OPENAI_WHOLE = json.dumps({"id": "c1", "model": "m1", "usage": {"prompt_tokens": 3, "completion_tokens": 2,
                                                                "total_tokens": 5},
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": "Hallo ✓"}}]})
ANTHROPIC_WHOLE = json.dumps({"id": "m", "model": "m1", "stop_reason": "end_turn", "usage": {"input_tokens": 3},
                              "content": [{"type": "text", "text": "Hallo ✓"}]})


def model(server, provider: str) -> LanguageModel:
    endpoint = server.url + ("/v1" if provider == "openai" else "")
    return LanguageModel(provider=provider, endpoint=endpoint, model_id="m1", api_key=SecretStr("sk"), label=provider)


def ask(server, provider: str, stream: bool) -> tuple:
    chunks: list[ResponseChunk] = []

    async def on_chunk(chunk: ResponseChunk) -> None:
        chunks.append(chunk)

    return asyncio.run(complete(model(server, provider), HISTORY, on_chunk if stream else None)), chunks


def chat_board(b, server, stream: bool):
    """start -> OpenAI provider -> Invoke (a log on each chunk when `stream`) -> return the last content."""
    provider = b.provider(server, "openai")
    history = b.add("ai_generative_history_from_string", message="Grüße ✓")
    invoke, content = b.add("ai_generative_invoke"), b.add("ai_generative_llm_response_last_content")
    b.wire(provider, "model", invoke, "model")
    b.wire(history, "history", invoke, "history")
    b.wire(invoke, "result", content, "response")
    if stream:
        b.wire(invoke, "on_stream", b.add("log_info", message="chunk"), "exec_in")
    start, back = b.add("events_simple"), b.add("events_generic_return_result")
    b.chain(start, provider, (invoke, "done"), back)
    b.wire(content, "content", back, "response")
    return b.run()


@pytest.mark.parametrize("stream", [False, True])
def test_an_html_page_instead_of_an_answer_fails_the_node_naming_the_server(b, server, stream):
    server.expect(Raw("<html><body>Proxy login</body></html>", "text/html"))
    run = chat_board(b, server, stream)
    assert run.status is RunStatus.FAILED
    assert re.match(rf"node 'Invoke Model' \(\w+\) failed: ValueError: OpenAI at {re.escape(server.url)}"
                    r"/v1/chat/completions sent an answer that is not JSON", run.error), run.error
    assert "it starts '<html><body>Proxy login" in run.error


@pytest.mark.parametrize("provider", ["openai", "anthropic", "ollama"])
def test_an_answer_cut_short_names_provider_and_url(server, provider):
    server.expect(Raw('{"choices": [{"message": {"content": "Hal'))
    with pytest.raises(ValueError, match=rf"^{provider} at {server.url}/\S+ sent an answer that is not JSON "
                                         r"\(Unterminated string.*it starts '\{\"choices\"") as error:
        ask(server, provider, stream=provider != "ollama")
    assert error.type is ValueError


@pytest.mark.parametrize(("provider", "whole"), [("openai", OPENAI_WHOLE), ("anthropic", ANTHROPIC_WHOLE)],
                         ids=["openai", "anthropic"])
def test_a_server_that_ignores_stream_is_taken_whole_as_one_chunk(server, provider, whole):
    server.expect(Raw(whole))
    response, chunks = ask(server, provider, stream=True)
    assert server.requests[0].body["stream"] is True
    assert response.content() == "Hallo ✓"
    assert [(c.content, c.finish_reason) for c in chunks] == [("Hallo ✓", response.choices[0].finish_reason)]
    assert chunks[0].usage == response.usage


def test_a_streaming_board_answered_whole_fires_on_stream_once(b, server):
    server.expect(Raw(OPENAI_WHOLE))
    run = chat_board(b, server, stream=True)
    run.raise_for_status()
    assert run.result == "Hallo ✓"
    assert b.messages(run) == ["chunk"]


@pytest.mark.parametrize(("provider", "body", "kind"), [
    ("openai", 'data: {"choices": [{"index": 0, "delta": {"content": "Ha"}}]}\n\ndata: {"choices": [{"ind\n\n',
     "text/event-stream"),
    ("anthropic", 'event: ping\ndata: {"type": "ping"}\n\ndata: <html>\n\n', "text/event-stream"),
    ("ollama", '{"message": {"content": "Ha"}, "done": false}\n{"message": \n', "application/x-ndjson"),
], ids=["openai", "anthropic", "ollama"])
def test_a_broken_stream_event_names_provider_url_and_the_event(server, provider, body, kind):
    server.expect(Raw(body, kind))
    with pytest.raises(ValueError, match=rf"^{provider} at {server.url}/\S+ sent an event that is not JSON "):
        ask(server, provider, stream=True)


def test_an_error_event_in_an_openai_stream_fails_naming_it(server):
    """OpenRouter and other routers report an upstream failure mid-stream as an event with an `error` object; it was
    skipped, and the answer came back cut short as if complete."""
    server.expect(Raw('data: {"choices": [{"index": 0, "delta": {"content": "Hal"}}]}\n\n'
                      'data: {"error": {"message": "upstream provider timed out", "code": 502}}\n\n'
                      'data: [DONE]\n\n', "text/event-stream"))
    with pytest.raises(RuntimeError, match=rf"^openai at {server.url}/v1/chat/completions sent an error in its "
                                           r"stream: upstream provider timed out \(code 502\)$"):
        ask(server, "openai", stream=True)


@pytest.mark.parametrize("provider", ["openai", "anthropic", "ollama"])
def test_an_api_key_with_a_line_break_is_refused_without_showing_it(b, server, provider):
    """A key read from a file or pasted with its newline: httpx refused the header with the key in its message,
    which became the run's error."""
    server.always(Reply("never sent"))
    model = b.provider(server, provider, api_key="sk-verysecret\n")
    steps = [model]
    if provider == "ollama":  # its builder takes no key: a proxy's header instead
        steps.append(b.add("ai_generative_add_headers", header={"Authorization": "Bearer sk-verysecret\n"}))
        b.wire(model, "model", steps[-1], "model")
    history = b.add("ai_generative_history_from_string", message="Hi")
    invoke = b.add("ai_generative_invoke")
    b.wire(steps[-1], "model" if len(steps) == 1 else "model_out", invoke, "model")
    b.wire(history, "history", invoke, "history")
    b.chain(b.add("events_simple"), *steps, invoke)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "holds a line break or characters a header cannot carry" in run.error
    assert "verysecret" not in run.error and not any("verysecret" in line for line in b.messages(run))
    assert server.requests == []


def _sse(event: dict) -> str:
    return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n"


CUT_TOOL_CALL = {
    "anthropic": ("".join(_sse(event) for event in [
        {"type": "message_start", "message": {"id": "m", "usage": {"input_tokens": 5}}},
        {"type": "content_block_start", "index": 0,
         "content_block": {"type": "tool_use", "id": "toolu_1", "name": "int_add", "input": {}}},
        {"type": "content_block_delta", "index": 0,
         "delta": {"type": "input_json_delta", "partial_json": '{"integer1": 2, "inte'}},
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "max_tokens"}, "usage": {"output_tokens": 8}},
        {"type": "message_stop"}]), "text/event-stream"),
    "openai": ('data: {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "c1", "function": '
               '{"name": "int_add", "arguments": "{\\"integer1\\": 2, \\"inte"}}]}}]}\n\n'
               'data: {"choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]}\n\ndata: [DONE]\n\n',
               "text/event-stream"),
}


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_an_agent_goes_on_after_a_tool_call_cut_short(b, server, provider):
    """A streamed tool call cut at max_tokens leaves its arguments broken: the tool's error goes back to the model,
    and the history holding the broken call must still be sendable (Anthropic's failed: its input must be an
    object)."""
    server.expect(Raw(*CUT_TOOL_CALL[provider]), Reply("I will try again"))
    model = b.provider(server, provider)
    agent, tools = b.add("agent_from_model"), b.add("agent_register_function_tools", functions=["int_add"])
    history, invoke = b.add("ai_generative_history_from_string", message="2 + 3?"), b.add("agent_stream_invoke")
    b.wire(model, "model", agent, "model")
    b.wire(agent, "agent_out", tools, "agent_in")
    b.wire(tools, "agent_out", invoke, "agent")
    b.wire(history, "history", invoke, "history")
    content = b.add("ai_generative_llm_response_last_content")
    b.wire(invoke, "response", content, "response")
    assert b.result(content, "content", model, (invoke, "exec_done")) == "I will try again"
    messages = server.requests[1].body["messages"]
    assert "arguments are not JSON" in json.dumps(messages)
    if provider == "anthropic":
        assert messages[1]["content"][0]["input"] == {"unparsed_arguments": '{"integer1": 2, "inte'}


def test_attachment_links_that_cannot_be_fetched_say_which(closed_port: int) -> None:
    from flowlike_catalog.llm.chat_files import ai_gen_llm_history_extract_attachments as extract

    port = closed_port
    with pytest.raises(ConnectionError, match=rf"^Extract Attachments: cannot fetch 127.0.0.1:{port}/report.pdf: "
                                              r"All connection attempts failed$"):
        asyncio.run(extract.func(None, [f"http://127.0.0.1:{port}/report.pdf?signature=s3cret"]))
    with pytest.raises(ValueError, match=r"^Extract Attachments: the data: link \(image/png\) has a broken base64 "
                                         r"payload"):
        asyncio.run(extract.func(None, ["data:image/png;base64,iVBOR*w0K"]))
