"""Embedding a long document through a provider: OpenAI takes at most 2,048 inputs a request (VoyageAI 1,000) and
refuses more with HTTP 400, so Embed Documents sent every chunk in one request and failed on a big document. It now
asks in batches and keeps the order."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flowlike_catalog.llm import wire
from flowlike_catalog.llm.embedding import embed_documents
from flowlike_catalog.llm.structs import LanguageModel
from pydantic import SecretStr

QUIET = SimpleNamespace(warn=lambda message: None)


@pytest.mark.parametrize("provider", ["openai", "ollama"])
def test_many_texts_are_embedded_in_batches_in_order(server, provider):
    texts = ["x" * (i + 1) + " word" * (i % 3) for i in range(wire.EMBED_BATCH * 2 + 5)]
    model = LanguageModel(provider=provider, endpoint=server.url + ("/v1" if provider == "openai" else ""),
                          model_id="embedder", api_key=SecretStr("sk"), label=provider)
    embedded = embed_documents.func(QUIET, texts, model)
    assert [len(request.body["input"]) for request in server.requests] == [wire.EMBED_BATCH, wire.EMBED_BATCH, 5]
    assert embedded.vectors == [[float(len(t)), float(len(t.split()))] for t in texts]
    assert wire.EMBED_BATCH <= 1000, "within every provider's limit of inputs per request"

