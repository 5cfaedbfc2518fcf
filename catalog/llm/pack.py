"""The llm pack's `PACK`, made when first asked for (see the package)."""

from flowlike_catalog.llm import (
    agents,
    chat_files,
    chunking,
    embedding,
    generative,
    history,
    messages,
    preferences,
    providers,
    responses,
)

from flowlike_core import Pack

PACK = Pack(
    "llm",
    modules=[providers, preferences, history, messages, responses, generative, agents, embedding, chunking,
             chat_files],
    description="Language models (OpenAI-compatible, Anthropic, Ollama), agents with tools, offline embeddings",
)
