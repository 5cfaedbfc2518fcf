"""Mira's builder: a handle that speaks OpenAI's chat format under the endpoint's /v1."""

from __future__ import annotations

from flowlike_catalog.llm.providers import ai_generative_build_mira
from flowlike_catalog.llm.testing import Reply


def test_mira_chats_through_v1_with_its_key(b, server):
    server.expect(Reply("Hi from Mira"))
    model = b.add("ai_generative_build_mira", endpoint=server.url, api_key="mira-key", model_id="mira-v1")
    simple = b.add("ai_generative_invoke_simple", system_prompt="Greet.", prompt="Hello")
    b.wire(model, "model", simple, "model")
    assert b.result(simple, "result", model, (simple, "done")) == "Hi from Mira"
    request = server.requests[0]
    assert (request.path, request.body["model"]) == ("/v1/chat/completions", "mira-v1")
    assert request.headers["authorization"] == "Bearer mira-key"


def test_mira_keeps_an_endpoint_that_already_names_v1():
    assert ai_generative_build_mira.func(endpoint="https://gw.example/v1/").endpoint == "https://gw.example/v1"
    assert ai_generative_build_mira.func().endpoint == "https://api.mira.network/v1"
