"""Structured output with a schema kept as text (read from a schema.json, or typed into the pin): Set Response
Format refused it ('must be a JSON Schema object'), so the text had to go through Parse JSON first."""

from __future__ import annotations

import json

import pytest
from flowlike_catalog.llm.history import ai_generative_set_history_response_format as set_format
from flowlike_catalog.llm.structs import History
from flowlike_catalog.llm.testing import Reply

SCHEMA = {"title": "Person", "type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}


def test_a_schema_given_as_json_text_is_asked_for(b, server, tmp_path):
    (tmp_path / "person.schema.json").write_text(json.dumps(SCHEMA))
    server.expect(Reply('{"name": "Ada"}'))
    model, history = b.provider(server, "openai"), b.add("ai_generative_history_from_string", message="Ada, 36")
    schema = b.add("read_to_string", path=str(tmp_path / "person.schema.json"))
    form, invoke = b.add("ai_generative_set_history_response_format"), b.add("ai_generative_invoke")
    content = b.add("ai_generative_llm_response_last_content")
    b.wire(history, "history", form, "history")
    b.wire(schema, "content", form, "response_format")
    b.wire(model, "model", invoke, "model")
    b.wire(form, "history_out", invoke, "history")
    b.wire(invoke, "result", content, "response")
    assert b.result(content, "content", model, schema, form, (invoke, "done")) == '{"name": "Ada"}'
    assert server.requests[0].body["response_format"] == {"type": "json_schema",
                                                           "json_schema": {"name": "Person", "schema": SCHEMA}}


def test_text_that_is_no_json_object_is_refused_saying_so():
    with pytest.raises(ValueError, match=r"response_format must be 'text', 'json' or a JSON Schema object"):
        set_format.func(History(), '["not", "an object"]')
