"""Invoke (whole and streamed), Invoke Simple, tools, LLM Branch and the extractors on boards against the server."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

import pytest
from flowlike_catalog.llm.generative import llm_extractor, parse_tools
from flowlike_catalog.llm.structs import LanguageModel
from flowlike_catalog.llm.testing import Reply

from flowlike_core import Listener

QUIET = SimpleNamespace(warn=lambda message: None)
"""What the extractor uses of a Context when called as a function: warn (of rate-limit waits)."""


@pytest.mark.parametrize("provider", ["openai", "anthropic", "ollama"])
def test_invoke_returns_the_response_on_a_board(b, server, provider):
    server.expect(Reply("Paris"))
    model, history = b.provider(server, provider), b.add("ai_generative_history_from_string", message="Capital?")
    invoke, content = b.add("ai_generative_invoke"), b.add("ai_generative_llm_response_last_content")
    b.wire(model, "model", invoke, "model")
    b.wire(history, "history", invoke, "history")
    b.wire(invoke, "result", content, "response")
    assert b.result(content, "content", model, (invoke, "done")) == "Paris"
    assert server.requests[0].body["stream"] is False
    assert server.requests[0].last_text() == "Capital?"


def test_invoke_streams_each_chunk_through_on_stream_and_progress(b, server):
    server.expect(Reply("one two three"))
    model, history = b.provider(server, "openai"), b.add("ai_generative_history_from_string", message="Count")
    invoke, token, log = b.add("ai_generative_invoke"), b.add("ai_generative_llm_response_chunk_get_token"), \
        b.add("log_info")
    b.wire(model, "model", invoke, "model")
    b.wire(history, "history", invoke, "history")
    b.wire(invoke, "on_stream", log, "exec_in")
    b.wire(invoke, "chunk", token, "chunk")
    b.wire(token, "token", log, "message")
    progress: list[str] = []

    class Progress(Listener):
        def progress(self, run, node_id, fraction, message):
            progress.append(message)

    start = b.add("events_simple")
    b.chain(start, model, invoke)
    run = b.run(listeners=[Progress()])
    run.raise_for_status()
    assert [m for m in b.messages(run) if m.strip()] == ["one", " two", " three"]
    assert progress == ["one", " two", " three"]
    assert server.requests[0].body["stream"] is True


def test_invoke_simple_streams_tokens_and_returns_text(b, server):
    server.expect(Reply("Hello there"))
    model = b.provider(server, "anthropic")
    simple, log = b.add("ai_generative_invoke_simple", system_prompt="Greet.", prompt="Hi"), b.add("log_info")
    b.wire(model, "model", simple, "model")
    b.wire(simple, "on_stream", log, "exec_in")
    b.wire(simple, "token", log, "message")
    start, back = b.add("events_simple"), b.add("events_generic_return_result")
    b.chain(start, model, simple)
    b.wire(simple, "done", back, "exec_in")
    b.wire(simple, "result", back, "response")
    run = b.run()
    run.raise_for_status()
    assert run.result == "Hello there"
    assert b.messages(run) == ["Hello", " there"]
    assert server.requests[0].body["system"] == "Greet."


def test_invoke_with_tools_gives_the_first_calls_arguments(b, server):
    server.expect(Reply(tool_calls=[("get_weather", {"city": "Oslo"})]))
    tools = json.dumps([{"name": "get_weather", "parameters": {"type": "object",
                                                                "properties": {"city": {"type": "string"}}}}])
    model, history = b.provider(server, "openai"), b.add("ai_generative_history_from_string", message="Weather?")
    invoke = b.add("invoke_llm_with_tools", tools=tools, tool_choice="Required")
    b.wire(model, "model", invoke, "model")
    b.wire(history, "history", invoke, "history")
    assert b.result(invoke, "tool_call_args", model, (invoke, "exec_done")) == {"city": "Oslo"}
    assert server.requests[0].body["tool_choice"] == "required"
    assert server.requests[0].body["tools"][0]["function"]["name"] == "get_weather"


def test_parse_tools_wraps_bare_functions_and_names_bad_input():
    assert parse_tools('[{"name": "f"}]') == [{"type": "function", "function": {
        "name": "f", "description": "", "parameters": {"type": "object", "properties": {}}}}]
    with pytest.raises(ValueError, match="each tool needs a name"):
        parse_tools('[{"description": "x"}]')
    with pytest.raises(ValueError, match="tools is not JSON"):
        parse_tools("[oops")


@pytest.mark.parametrize(("decision", "log"), [(True, "yes"), (False, "no")])
def test_llm_branch_follows_the_models_decision(b, server, decision, log):
    server.expect(Reply(tool_calls=[("decide", {"decision": decision})]))
    model, branch = b.provider(server, "openai"), b.add("llm_branch", prompt="Is 7 prime?")
    yes, no = b.add("log_info", message="yes"), b.add("log_info", message="no")
    b.wire(model, "model", branch, "model")
    b.wire(branch, "true", yes, "exec_in")
    b.wire(branch, "false", no, "exec_in")
    b.chain(b.add("events_simple"), model, branch)
    run = b.run()
    run.raise_for_status()
    assert b.messages(run)[-1] == log
    body = server.requests[0].body
    assert body["tool_choice"] == {"type": "function", "function": {"name": "decide"}}
    assert body["messages"][-1] == {"role": "user", "content": "Is 7 prime?"}


PERSON = json.dumps({"type": "object", "required": ["name", "age"], "additionalProperties": False,
                     "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}}})


def model_for(server, provider: str = "openai") -> LanguageModel:
    return LanguageModel(provider=provider, endpoint=server.url + ("/v1" if provider == "openai" else ""),
                         model_id="m")


def test_extractor_returns_valid_data_first_time(server):
    server.expect(Reply(tool_calls=[("extract", {"name": "Ada", "age": 36})]))
    result = asyncio.run(llm_extractor.func(QUIET, model_for(server), PERSON, "Ada Lovelace, 36.",
                                            hint="Use the full age."))
    assert result.response == {"name": "Ada", "age": 36}
    body = server.requests[0].body
    assert body["tools"][0]["function"]["parameters"] == json.loads(PERSON)
    assert body["messages"][0]["content"].endswith("Use the full age.")


@pytest.mark.parametrize("provider", ["openai", "anthropic", "ollama"])
def test_extractor_sends_the_errors_back_once_and_takes_the_repair(server, provider):
    server.expect(Reply(tool_calls=[("extract", {"name": "Ada", "age": "thirty-six"})]),
                  Reply(tool_calls=[("extract", {"name": "Ada", "age": 36})]))
    result = asyncio.run(llm_extractor.func(QUIET, model_for(server, provider), PERSON, "Ada Lovelace, 36."))
    assert result.response == {"name": "Ada", "age": 36}
    assert len(server.requests) == 2
    repair = server.requests[1].last_text()
    assert "age: 'thirty-six' is not of type 'integer'" in repair


def test_extractor_fails_after_one_repair(server):
    server.always(Reply(tool_calls=[("extract", {"name": "Ada"})]))
    with pytest.raises(ValueError, match=r"even after a repair request: \(root\): 'age' is a required property"):
        asyncio.run(llm_extractor.func(QUIET, model_for(server), PERSON, "Ada"))
    assert len(server.requests) == 2


def test_extractor_takes_json_text_and_wraps_non_object_schemas(server):
    server.expect(Reply('```json\n{"value": ["a", "b"]}\n```'))
    schema = '{"type": "array", "items": {"type": "string"}}'
    result = asyncio.run(llm_extractor.func(QUIET, model_for(server, "ollama"), schema, "a and b"))
    assert result.response == ["a", "b"]


def test_extractor_refuses_a_bad_schema(server):
    with pytest.raises(ValueError, match="schema is not a valid JSON Schema"):
        asyncio.run(llm_extractor.func(QUIET, model_for(server), '{"type": 5}', "x"))
    assert server.requests == []


def test_extractor_history_on_a_board(b, server):
    server.expect(Reply(tool_calls=[("extract", {"name": "Bo", "age": 3})]))
    model, history = b.provider(server, "ollama"), b.add("ai_generative_history_from_string", message="Bo is 3")
    extractor = b.add("llm_extractor_history", schema=PERSON)
    b.wire(model, "model", extractor, "model")
    b.wire(history, "history", extractor, "history")
    assert b.result(extractor, "response", model, extractor) == {"name": "Bo", "age": 3}


def test_a_missing_model_is_refused_before_the_run_naming_the_input(b, server):
    from flowlike_core.errors import BoardError

    history = b.add("ai_generative_history_from_string", message="x")
    invoke = b.add("ai_generative_invoke")
    b.wire(history, "history", invoke, "history")
    b.chain(b.add("events_simple"), invoke)
    with pytest.raises(BoardError, match=r"input 'model' of 'Invoke Model' .*: required, but with neither a wire"):
        b.run()
