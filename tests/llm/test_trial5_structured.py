"""Structured output into a Struct with a JSON Schema, both ways a pipeline asks for it: Set Response Format (the
provider's JSON mode) then Parse JSON with Schema, and LLM Extractor. OpenAI takes a json_schema's name only as
letters, digits, '_' and '-' (at most 64): a schema titled 'Meeting summary' was sent as that name, which OpenAI
refuses."""

from __future__ import annotations

import json

import pytest
from flowlike_catalog.llm.testing import Raw, Reply

from flowlike_core import RunStatus

SCHEMA = {"title": "Meeting summary (v2)", "type": "object", "required": ["topic", "minutes"],
          "properties": {"topic": {"type": "string"}, "minutes": {"type": "integer"}}}


def json_mode_board(b, server):
    """History -> Set Response Format (the schema) -> Invoke -> Last Content -> Parse JSON with Schema -> result."""
    model = b.provider(server, "openai")
    history = b.add("ai_generative_history_from_string", message="We spoke 25 minutes about the budget.")
    shaped, invoke = b.add("ai_generative_set_history_response_format", response_format=SCHEMA), \
        b.add("ai_generative_invoke")
    content, parse = b.add("ai_generative_llm_response_last_content"), \
        b.add("parse_with_schema", schema=json.dumps(SCHEMA))
    b.wire(history, "history", shaped, "history")
    b.wire(model, "model", invoke, "model")
    b.wire(shaped, "history_out", invoke, "history")
    b.wire(invoke, "result", content, "response")
    b.wire(content, "content", parse, "data")
    start, back = b.add("events_simple"), b.add("events_generic_return_result")
    b.chain(start, model, shaped, (invoke, "done"), parse, back)
    b.wire(parse, "parsed", back, "response")
    return b.run()


def test_json_mode_sends_a_schema_name_openai_takes_and_parses_the_answer(b, server):
    server.expect(Reply('{"topic": "budget", "minutes": 25}'))
    run = json_mode_board(b, server)
    run.raise_for_status()
    assert run.result == {"topic": "budget", "minutes": 25}
    sent = server.requests[0].body["response_format"]
    assert sent == {"type": "json_schema", "json_schema": {"name": "Meeting_summary__v2_", "schema": SCHEMA}}


@pytest.mark.parametrize(("answer", "error"), [
    ('{"topic": "budget", "minutes": "25"}', "at $.minutes: '25' is not of type 'integer'"),
    ('{"topic": "budget", "minutes": 2', "the data is not valid JSON"),
])
def test_an_answer_that_breaks_the_schema_fails_at_the_parse(b, server, answer, error):
    server.expect(Reply(answer))
    run = json_mode_board(b, server)
    assert run.status is RunStatus.FAILED
    assert "node 'Parse JSON with Schema'" in run.error and error in run.error, run.error


def test_the_extractor_fills_a_struct_variable(b, server):
    from flowlike_core import DataType, Variable, commands

    b.board.apply(commands.UpsertVariable(Variable(id="summary", name="summary", data_type=DataType.STRUCT,
                                                   schema=SCHEMA)))
    server.expect(Reply(tool_calls=[("extract", {"topic": "budget"})]),
                  Reply(tool_calls=[("extract", {"topic": "budget", "minutes": 25})]))
    model = b.provider(server, "openai")
    extractor = b.add("llm_extractor", schema=json.dumps(SCHEMA), text="We spoke 25 minutes about the budget.")
    keep, read = b.add("variable_set", var_ref="summary"), b.add("variable_get", var_ref="summary")
    b.wire(model, "model", extractor, "model")
    b.wire(extractor, "response", keep, "value_in")
    assert b.result(read, "value_ref", model, extractor, keep) == {"topic": "budget", "minutes": 25}
    repair = server.requests[1].body["messages"][-1]
    assert repair["role"] == "tool" and "(root): 'minutes' is a required property" in repair["content"]


@pytest.mark.parametrize(("answer", "error"), [
    ({"choices": [{"index": 0, "finish_reason": "stop", "message": {
        "role": "assistant", "content": None, "refusal": "I'm sorry, I cannot help with that."}}]},
     "OpenAI refused to answer: I'm sorry, I cannot help with that."),
    ({"id": "x", "choices": []}, "OpenAI answered without a message (no choices): "),
], ids=["refusal", "no-choices"])
def test_a_refusal_or_an_answer_without_a_message_fails_saying_so(b, server, answer, error):
    """OpenAI's structured outputs put a refusal beside a null content: the run went on with an empty answer and
    failed later at the parse (the data is not valid JSON); an answer without choices was an empty text."""
    server.expect(Raw(json.dumps(answer)))
    run = json_mode_board(b, server)
    assert run.status is RunStatus.FAILED
    assert f"node 'Invoke Model' ({run.error_node}) failed: ValueError: {error}" in run.error, run.error
