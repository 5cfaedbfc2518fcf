"""VoyageAI: its handle embeds through the hosted `/embeddings` API in the Embed nodes, and refuses chat."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flowlike_catalog.llm.embedding import embed_documents
from flowlike_catalog.llm.providers import ai_generative_build_voyageai

QUIET = SimpleNamespace(warn=lambda message: None)
"""What the Embed nodes use of a Context when called as functions: warn (of rate-limit waits)."""


def voyage(b, server, key: str, **inputs):
    model = b.add("ai_generative_build_voyageai", endpoint=server.url + "/v1", api_key="pa-key", model_id="voyage-3")
    embed = b.add(key, **inputs)
    b.wire(model, "model", embed, "model")
    return model, embed


def test_embed_query_calls_voyageai_with_its_key_and_input_type(b, server):
    model, query = voyage(b, server, "embed_query", query_string="where is it")
    assert b.result(query, "vector", model, query) == [11.0, 3.0]
    assert server.requests[-1].body == {"input": ["where is it"], "model": "voyage-3", "input_type": "query"}
    assert server.requests[-1].headers["authorization"] == "Bearer pa-key"
    assert server.requests[-1].path == "/v1/embeddings"


def test_embed_documents_keeps_the_texts_order(b, server):
    model, many = voyage(b, server, "embed_documents", texts=["one", "two words", "three short words"])
    assert b.result(many, "vectors", model, many) == [[3.0, 1.0], [9.0, 2.0], [17.0, 3.0]]
    assert server.requests[-1].body["input_type"] == "document"


def test_voyageai_refuses_chat_and_a_down_server_is_named(b, closed_port):
    handle = ai_generative_build_voyageai.func()
    assert (handle.endpoint, handle.model_id, handle.provider) == ("https://api.voyageai.com/v1", "voyage-3",
                                                                   "voyageai")
    model = b.add("ai_generative_build_voyageai", endpoint="http://127.0.0.1:9/v1")
    simple = b.add("ai_generative_invoke_simple", prompt="Hi")
    b.wire(model, "model", simple, "model")
    start = b.add("events_simple")
    b.chain(start, model, simple)
    assert "VoyageAI serves embeddings, not chat" in str(b.run().error)
    port = closed_port
    with pytest.raises(RuntimeError, match=f"VoyageAI at http://127.0.0.1:{port}/v1/embeddings"):
        embed_documents.func(QUIET, ["x"], ai_generative_build_voyageai.func(endpoint=f"http://127.0.0.1:{port}/v1"))
