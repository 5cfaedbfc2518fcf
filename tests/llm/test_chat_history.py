"""Histories, messages, responses and provider handles: the pure and exec nodes, called directly and on boards."""

from __future__ import annotations

import json

import pytest
from flowlike_catalog.llm import history as h
from flowlike_catalog.llm import messages as m
from flowlike_catalog.llm import providers as p
from flowlike_catalog.llm import responses as r
from flowlike_catalog.llm.structs import ContentPart, History, HistoryMessage, Response, ResponseChunk, ToolCallDelta
from flowlike_catalog.llm.testing import Reply


def test_make_history_and_from_string():
    assert h.ai_generative_make_history.func("gpt-x") == History(model="gpt-x")
    made = h.ai_generative_history_from_string.func("gpt-x", "hi")
    assert made.messages == [HistoryMessage(role="user", content="hi")]


def test_from_messages_accepts_dicts_with_flowlike_roles():
    made = h.ai_generative_from_messages.func("m", [{"role": "System", "content": "be nice"},
                                                    {"role": "User", "content": "hi"}])
    assert [(x.role, x.content) for x in made.messages] == [("system", "be nice"), ("user", "hi")]


def test_system_prompt_is_replaced_or_put_first_and_read_back():
    start = h.ai_generative_history_from_string.func("", "hi")
    assert h.ai_generative_get_system_prompt.func(start) == (HistoryMessage(role="system"), False)
    once = h.ai_generative_set_system_prompt_message.func(start, "A")
    twice = h.ai_generative_set_system_prompt_message.func(once, "B")
    assert [(x.role, x.content) for x in twice.messages] == [("system", "B"), ("user", "hi")]
    assert h.ai_generative_get_system_prompt.func(twice) == (HistoryMessage(role="system", content="B"), True)
    assert start.messages == [HistoryMessage(role="user", content="hi")]  # inputs are never changed


def test_push_and_clear_keep_the_system_prompt():
    history = h.ai_generative_set_system_prompt_message.func(History(), "S")
    history = h.ai_generative_add_history_message.func(history, HistoryMessage(content="q"))
    assert [x.role for x in history.messages] == ["system", "user"]
    assert [x.role for x in h.ai_generative_clear_history.func(history).messages] == ["system"]


@pytest.mark.parametrize(("node", "value", "field"), [
    (h.ai_generative_set_history_temperature, 0.3, "temperature"),
    (h.ai_generative_set_history_max_tokens, 77, "max_completion_tokens"),
    (h.ai_generative_set_history_top_p, 0.9, "top_p"),
    (h.ai_generative_set_history_presence_penalty, 0.5, "presence_penalty"),
    (h.ai_generative_set_history_frequency_penalty, -0.5, "frequency_penalty"),
    (h.ai_generative_set_history_seed, 42, "seed"),
    (h.ai_generative_set_history_user, "u-1", "user"),
    (h.ai_generative_set_history_n, 3, "n"),
    (h.ai_generative_set_history_stream, True, "stream"),
    (h.ai_generative_set_history_stop_words, ["END"], "stop"),
])
def test_each_setter_sets_its_parameter(node, value, field):
    assert getattr(node.func(History(), value), field) == value


@pytest.mark.parametrize(("given", "expected"), [
    ("json", {"type": "json_object"}),
    ("text", None),
    ({"title": "P", "type": "object"}, {"type": "json_schema", "json_schema": {"name": "P",
                                                                                "schema": {"title": "P",
                                                                                           "type": "object"}}}),
])
def test_response_format_from_words_or_a_schema(given, expected):
    assert h.ai_generative_set_history_response_format.func(History(), given).response_format == expected


def test_response_format_refuses_nonsense():
    with pytest.raises(ValueError, match="response_format must be"):
        h.response_format_of(5)


def test_a_missing_history_names_what_to_wire():
    with pytest.raises(ValueError, match="no history: wire one"):
        h.ai_generative_set_history_seed.func(None, 1)


def test_pop_fires_empty_on_an_empty_history(b):
    make, pop = b.add("ai_generative_make_history"), b.add("ai_generative_pop_history_message")
    empty, popped = b.add("log_info", message="empty"), b.add("log_info", message="popped")
    b.wire(make, "history", pop, "history")
    b.wire(pop, "empty", empty, "exec_in")
    b.wire(pop, "exec_out", popped, "exec_in")
    b.chain(b.add("events_simple"), pop)
    assert b.messages(b.run()) == ["empty"]


def test_pop_gives_the_last_message_and_the_rest(b):
    make = b.add("ai_generative_history_from_string", message="first")
    pop, content = b.add("ai_generative_pop_history_message"), b.add("ai_generative_message_extract_content")
    b.wire(make, "history", pop, "history")
    b.wire(pop, "message", content, "message")
    assert b.result(content, "content", pop) == "first"


def test_messages_with_text_and_image_parts():
    text = m.ai_generative_make_history_message.func("Assistant", "Text", "hello")
    assert (text.role, text.content) == ("assistant", "hello")
    mixed = m.ai_generative_push_content.func(text, "Image", image="data:image/png;base64,AA==")
    assert mixed.content == [ContentPart(type="text", text="hello"),
                             ContentPart(type="image_url", image_url="data:image/png;base64,AA==")]
    more = m.ai_generative_push_content.func(mixed, "Text", "again")
    assert m.ai_generative_message_extract_content.func(more) == "hello\nagain"
    with pytest.raises(ValueError, match="content type must be 'Text' or 'Image'"):
        m.ai_generative_push_content.func(text, "Video", "x")


def test_responses_fold_chunks_text_tools_and_finish():
    response = r.ai_generative_llm_response_make.func()
    for chunk in [ResponseChunk(content="Hel"), ResponseChunk(content="lo"),
                  ResponseChunk(tool_calls=[ToolCallDelta(index=0, id="c1", name="f", arguments='{"a"')]),
                  ResponseChunk(tool_calls=[ToolCallDelta(index=0, arguments=": 1}")]),
                  ResponseChunk(finish_reason="tool_calls")]:
        response = r.ai_generative_llm_response_push_chunk.func(response, chunk)
    assert r.ai_generative_llm_response_last_content.func(response) == ("Hello", True)
    message, ok = r.ai_generative_llm_response_last_message.func(response)
    assert ok and message.tool_calls[0].parsed_arguments() == {"a": 1}
    assert response.choices[0].finish_reason == "tool_calls"
    assert r.ai_generative_llm_response_message_get_role.func(message) == "assistant"
    assert r.ai_generative_llm_response_message_get_content.func(message) == ("Hello", True)


def test_response_and_chunk_from_string():
    assert r.ai_generative_llm_response_last_content.func(r.ai_generative_llm_response_from_string.func("x")) == \
        ("x", True)
    assert r.ai_generative_llm_response_last_content.func(Response()) == ("", False)
    assert r.ai_generative_llm_response_chunk_get_token.func(r.ai_generative_llm_chunk_from_string.func("t")) == "t"


@pytest.mark.parametrize(("node", "endpoint", "provider"), [
    (p.ai_generative_build_groq, "https://api.groq.com/openai/v1", "openai"),
    (p.ai_generative_build_mistral, "https://api.mistral.ai/v1", "openai"),
    (p.ai_generative_build_gemini, "https://generativelanguage.googleapis.com/v1beta/openai", "openai"),
    (p.ai_generative_build_anthropic, "https://api.anthropic.com", "anthropic"),
])
def test_builders_make_handles_with_their_wire_format(node, endpoint, provider):
    handle = node.func(api_key="k")
    assert (handle.endpoint, handle.provider, handle.api_key.get_secret_value()) == (endpoint, provider, "k")


def test_a_builder_refuses_an_endpoint_that_is_not_a_url():
    with pytest.raises(ValueError, match="DeepSeek: endpoint must be an http"):
        p.ai_generative_build_deepseek.func(endpoint="api.deepseek.com")


def test_headers_go_with_every_request_and_the_key_stays_out_of_the_record(b, server):
    server.expect(Reply("ok"))
    model = b.provider(server, "openai", api_key="sk-do-not-leak")
    headers = b.add("ai_generative_add_headers", header={"OpenAI-Organization": "org-1"})
    history = b.add("ai_generative_history_from_string", message="hi")
    invoke, start = b.add("ai_generative_invoke"), b.add("events_simple")
    b.wire(model, "model", headers, "model")
    b.wire(headers, "model_out", invoke, "model")
    b.wire(history, "history", invoke, "history")
    b.chain(start, model, headers, invoke)
    run = b.run()
    run.raise_for_status()
    assert server.requests[0].headers["openai-organization"] == "org-1"
    assert server.requests[0].headers["authorization"] == "Bearer sk-do-not-leak"
    assert "sk-do-not-leak" not in json.dumps(run.record().model_dump(mode="json"))


def test_a_model_handle_in_a_run_record_shows_a_masked_key(b, server):
    model = b.provider(server, "anthropic", api_key="sk-do-not-leak")
    back, start = b.add("events_generic_return_result"), b.add("events_simple")
    b.chain(start, model, back)
    b.wire(model, "model", back, "response")
    record = b.run().record()
    assert record.result["api_key"] == "**********" and record.result["provider"] == "anthropic"
