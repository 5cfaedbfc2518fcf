"""Embeddings from a chat provider's handle, into the local vector database: an OpenAI-compatible server gets
OpenAI's embeddings request (VoyageAI's input_type, which OpenAI refuses as an unknown argument, went to every
provider), Ollama its own /api/embed (its handle posted to /embeddings, which Ollama does not serve), Anthropic,
which has no embeddings API, is refused naming the alternatives (a 404 from its server); a rate limit with a
Retry-After is waited out as for chat."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flowlike_catalog.llm.embedding import embed_documents
from flowlike_catalog.llm.structs import LanguageModel
from flowlike_catalog.llm.testing import Raw
from pydantic import SecretStr

from flowlike_core import storage

QUIET = SimpleNamespace(warn=lambda message: None)
"""What the Embed nodes use of a Context when called as functions: warn (of rate-limit waits)."""


def hosted(server, provider: str, key: str = "sk-test") -> LanguageModel:
    endpoint = server.url + ("/v1" if provider in ("openai", "voyageai") else "")
    return LanguageModel(provider=provider, endpoint=endpoint, model_id="embedder", api_key=SecretStr(key),
                         label=provider)


def test_an_openai_compatible_model_gets_openais_embeddings_request(server):
    vectors = embed_documents.func(QUIET, ["one", "two words"], hosted(server, "openai")).vectors
    assert vectors == [[3.0, 1.0], [9.0, 2.0]]
    request = server.requests[-1]
    assert (request.path, request.body) == ("/v1/embeddings", {"input": ["one", "two words"], "model": "embedder"})
    assert request.headers["authorization"] == "Bearer sk-test"


def test_voyageai_keeps_its_input_type(server):
    embed_documents.func(QUIET, ["one"], hosted(server, "voyageai"))
    assert server.requests[-1].body["input_type"] == "document"


def test_ollama_embeds_through_its_own_api(server):
    vectors = embed_documents.func(QUIET, ["one", "two words"], hosted(server, "ollama", key="")).vectors
    assert vectors == [[3.0, 1.0], [9.0, 2.0]]
    request = server.requests[-1]
    assert (request.path, request.body) == ("/api/embed", {"model": "embedder", "input": ["one", "two words"]})
    assert "authorization" not in request.headers


def test_anthropic_is_refused_naming_what_embeds(server):
    with pytest.raises(ValueError, match=r"^Anthropic's API has no embeddings: wire an OpenAI-compatible, Ollama "
                                         r"or VoyageAI model, or Load Model \(offline\), into the Embed node$"):
        embed_documents.func(QUIET, ["one"], hosted(server, "anthropic"))
    assert server.requests == []


def test_a_rate_limited_embedding_is_waited_out(server):
    server.expect(Raw('{"error": {"message": "slow down"}}', status=429, headers={"Retry-After": "0"}))
    warnings: list[str] = []
    assert embed_documents.func(SimpleNamespace(warn=warnings.append), ["one"], hosted(server, "openai")).vectors \
        == [[3.0, 1.0]]
    assert len(server.requests) == 2
    assert warnings == [f"openai at {server.url}/v1/embeddings answered HTTP 429 (slow down): waiting 0 s, as its "
                        "Retry-After says, then asking again (retry 1 of 3)"]


@pytest.fixture
def store(tmp_path):
    return storage.configure(storage.StorageConfig.at(str(tmp_path / "store")), record_runs=False)


def test_openai_embeddings_into_the_local_database_are_searched(b, server, store):
    """Provider -> Embed Documents -> Insert into the local database; Embed Query -> Vector Search."""
    model = b.provider(server, "openai")
    embed = b.add("embed_documents", texts=["a", "bb bb", "ccc ccc ccc"])
    table, insert = b.add("open_local_db", name="notes"), b.add("batch_insert_local_db")
    query, search = b.add("embed_query", query_string="xx xx"), b.add("vector_search_local_db", limit=1)
    b.wire(model, "model", embed, "model")
    b.wire(model, "model", query, "model")
    b.wire(table, "database", insert, "database")
    b.wire(embed, "records", insert, "value")
    b.wire(table, "database", search, "database")
    b.wire(query, "vector", search, "vector")
    rows = b.result(search, "values", model, embed, table, insert, query, search)
    assert rows[0]["text"] == "bb bb"
    assert all("input_type" not in request.body for request in server.requests)
