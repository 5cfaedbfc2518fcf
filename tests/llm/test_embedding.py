"""Offline MiniLM embeddings (numpy encoder), real semantics, chunking, and retrieval through the vector table."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from flowlike_catalog.llm import chunking, embedding
from flowlike_catalog.llm.encoder import load_encoder

from flowlike_core import storage

QUIET = SimpleNamespace(warn=lambda message: None)
"""What the Embed nodes use of a Context when called as functions: warn (of rate-limit waits)."""


MODEL = embedding.CachedEmbeddingModel(model_id="all-MiniLM-L6-v2", path="", dimensions=384, max_tokens=256)


def cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))


def test_the_encoder_matches_sentence_transformers_published_similarities():
    """sentence-transformers' README shows these cosine similarities for all-MiniLM-L6-v2."""
    vectors = load_encoder().embed(["The weather is lovely today.", "It's so sunny outside!",
                                    "He drove to the stadium."])
    similarities = vectors @ vectors.T
    assert similarities[0, 1] == pytest.approx(0.6660, abs=5e-4)
    assert similarities[0, 2] == pytest.approx(0.1046, abs=5e-4)
    assert similarities[1, 2] == pytest.approx(0.1411, abs=5e-4)


def test_a_paraphrase_scores_closer_than_an_unrelated_sentence():
    query = embedding.embed_query.func(QUIET, "How do I reset my password?", MODEL)
    paraphrase = embedding.embed_document.func(QUIET, "Steps to change a forgotten login password", MODEL)
    unrelated = embedding.embed_document.func(QUIET, "The recipe needs two cups of flour and an egg", MODEL)
    assert len(query) == 384 and np.linalg.norm(query) == pytest.approx(1.0, abs=1e-5)
    assert cosine(query, paraphrase) > 0.5 > 0.1 > cosine(query, unrelated)


def test_batches_give_the_same_vectors_as_single_texts():
    texts = ["short", "a somewhat longer sentence with more tokens in it", "medium length text"]
    batch = embedding.embed_documents.func(QUIET, texts, MODEL)
    for text, vector, record in zip(texts, batch.vectors, batch.records, strict=True):
        assert np.allclose(vector, embedding.embed_document.func(QUIET, text, MODEL), atol=1e-5)
        assert record == {"text": text, "vector": vector}


def test_prefixes_of_the_model_are_applied():
    prefixed = MODEL.model_copy(update={"query_prefix": "query: "})
    assert np.allclose(embedding.embed_query.func(QUIET, "cats", prefixed),
                       embedding.embed_query.func(QUIET, "query: cats", MODEL))


def test_load_model_describes_the_packaged_model_and_refuses_a_wrong_folder(b, tmp_path):
    load = b.add("load_model")
    model = b.result(load, "model", load)
    assert (model.model_id, model.dimensions, model.max_tokens) == ("all-MiniLM-L6-v2", 384, 256)
    with pytest.raises(FileNotFoundError, match="is not a sentence-transformers model folder"):
        load_encoder(str(tmp_path))


TEXT = """# Cats
Cats sleep a lot. They purr when happy. Kittens play with string.

# Dogs
Dogs bark at strangers. They love long walks.

## Puppies
Puppies chew shoes. They need training every day."""


def test_character_chunks_fit_overlap_and_follow_headings():
    chunks = chunking.chunk_text_char.func(TEXT, capacity=80, overlap=20, markdown=True)
    assert all(len(c) <= 80 for c in chunks)
    assert chunks[0].startswith("# Cats") and any(c.startswith("# Dogs") for c in chunks)
    assert "".join(chunks).replace(" ", "").replace("\n", "").count("Puppieschewshoes") == 1
    whole = chunking.chunk_text_char.func(TEXT, capacity=1000, overlap=0)
    assert whole == [TEXT]


def test_overlap_repeats_the_end_of_the_previous_chunk():
    text = " ".join(f"w{i}" for i in range(40))
    chunks = chunking.chunk_text_char.func(text, capacity=30, overlap=10, markdown=False)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.split()[0] in before.split()
    assert " ".join(dict.fromkeys(w for c in chunks for w in c.split())) == text


def test_token_chunks_fit_the_tokenizer():
    encoder = load_encoder()
    chunks = chunking.chunk_text.func(TEXT * 3, MODEL, capacity=24, overlap=4, markdown=True)
    assert len(chunks) > 3
    assert all(encoder.count_tokens(c) <= 24 for c in chunks)


def test_a_word_longer_than_the_capacity_is_cut():
    assert chunking.chunk_text_char.func("abcdefghij", capacity=4, overlap=0) == ["abcd", "efgh", "ij"]


def test_bad_capacity_and_overlap_are_refused():
    with pytest.raises(ValueError, match="0 <= overlap < capacity"):
        chunking.chunk_text_char.func("x", capacity=10, overlap=10)


@pytest.fixture
def store(tmp_path):
    return storage.configure(storage.StorageConfig.at(str(tmp_path / "store")), record_runs=False)


def test_chunks_embedded_into_the_local_database_are_retrieved_by_meaning(b, store):
    """Load the model, chunk, embed into rows, insert into the local database, embed a query, search."""
    load, chunk = b.add("load_model"), b.add("chunk_text_char", text=TEXT, capacity=80, overlap=0)
    embed, table = b.add("embed_documents"), b.add("open_local_db", name="animals")
    insert, query = b.add("batch_insert_local_db"), b.add("embed_query", query_string="Which young animals ruin shoes?")
    search = b.add("vector_search_local_db", limit=1)
    b.wire(chunk, "chunks", embed, "texts")
    b.wire(load, "model", embed, "model")
    b.wire(table, "database", insert, "database")
    b.wire(embed, "records", insert, "value")
    b.wire(load, "model", query, "model")
    b.wire(table, "database", search, "database")
    b.wire(query, "vector", search, "vector")
    rows = b.result(search, "values", load, chunk, embed, table, insert, query, search)
    assert rows[0]["text"] == "## Puppies\nPuppies chew shoes. They need training every day."
