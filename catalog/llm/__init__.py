"""The llm pack: chat models over three wire formats, histories, responses, agents, offline embeddings, chunking."""

from flowlike_catalog import lazy_pack

__getattr__ = lazy_pack(__name__)
