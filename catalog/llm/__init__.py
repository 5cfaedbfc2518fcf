"""The llm pack: chat models over three wire formats, histories, responses, agents, offline embeddings, chunking."""

from flowlike_catalog.llm import agents, chunking, embedding, generative, history, messages, providers, responses

from flowlike_core import Pack

PACK = Pack(
    "llm",
    modules=[providers, history, messages, responses, generative, agents, embedding, chunking],
    description="Language models (OpenAI-compatible, Anthropic, Ollama), agents with tools, offline embeddings",
)
