"""Text chunking for retrieval: pieces of at most `capacity` characters or tokens, with `overlap` carried over.

Text is cut at the largest boundary that makes pieces fit: Markdown headings (when `markdown` is on), then
paragraphs, lines, sentences, words, and characters as a last resort. Pieces are then packed greedily into
chunks; each new chunk starts with the previous chunk's last pieces that fit in `overlap`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from flowlike_catalog.llm.embedding import CachedEmbeddingModel, encoder_of

from flowlike_core import Pin, node

CATEGORY = "AI/Preprocessing"

Capacity = Annotated[int, Pin(range=(1, 1_000_000), description="Largest chunk")]
Overlap = Annotated[int, Pin(range=(0, 1_000_000), description="How much of a chunk's end the next one repeats")]
Markdown = Annotated[bool, Pin(description="Prefer cutting at Markdown headings")]
Chunks = Annotated[list[str], Pin(name="chunks")]

_HEADINGS = [re.compile(rf"(?<=\n)(?=#{{1,{level}}} )") for level in range(1, 7)]
_PLAIN = [re.compile(r"(?<=\n\n)"), re.compile(r"(?<=\n)"), re.compile(r"(?<=[.!?] )"), re.compile(r"(?<= )")]


def split_text(text: str, capacity: int, overlap: int, size: Callable[[str], int], markdown: bool) -> list[str]:
    """Chunks of at most `capacity` by `size` (sizes of pieces are added up), stripped, none empty."""
    if capacity < 1 or overlap < 0 or overlap >= capacity:
        raise ValueError(f"need capacity >= 1 and 0 <= overlap < capacity, got capacity={capacity}, "
                         f"overlap={overlap}")
    levels = (_HEADINGS if markdown else []) + _PLAIN
    pieces = [(p, size(p)) for p in _pieces(text, capacity, size, levels)]
    chunks: list[str] = []
    current: list[tuple[str, int]] = []
    for piece in pieces:
        if current and sum(n for _, n in current) + piece[1] > capacity:
            chunks.append("".join(p for p, _ in current))
            carried: list[tuple[str, int]] = []
            for old in reversed(current):
                if sum(n for _, n in carried) + old[1] > overlap:
                    break
                carried.insert(0, old)
            while carried and sum(n for _, n in carried) + piece[1] > capacity:
                carried.pop(0)
            current = carried
        current.append(piece)
    if current:
        chunks.append("".join(p for p, _ in current))
    return [c.strip() for c in chunks if c.strip()]


def _pieces(text: str, capacity: int, size: Callable[[str], int], levels: list[re.Pattern[str]]) -> list[str]:
    """The text cut into pieces that each fit (their concatenation is the text)."""
    if size(text) <= capacity or len(text) == 1:
        return [text] if text else []
    for index, pattern in enumerate(levels):
        parts = [p for p in pattern.split(text) if p]
        if len(parts) > 1:
            return [piece for part in parts for piece in _pieces(part, capacity, size, levels[index + 1:])]
    step = max(1, len(text) * capacity // max(size(text), 1))  # no boundary left: cut the characters
    return [cut for start in range(0, len(text), step) for cut in _pieces(text[start:start + step], capacity, size, [])]


@node(friendly_name="Chunk Text (Characters)", exec_pins=True)
def chunk_text_char(text: str, capacity: Capacity = 512, overlap: Overlap = 20, markdown: Markdown = True) -> Chunks:
    """Chunks of at most `capacity` characters."""
    return split_text(text, capacity, overlap, len, markdown)


@node(friendly_name="Chunk Text (Tokens)", exec_pins=True, capabilities=["files"])
def chunk_text(text: str, model: CachedEmbeddingModel, capacity: Capacity = 512,
               overlap: Overlap = 20, markdown: Markdown = True) -> Chunks:
    """Chunks of at most `capacity` tokens of the embedding model (keep it under the model's limit, 256 for
    MiniLM, or the rest of a chunk is not seen)."""
    encoder: Any = encoder_of(model)
    return split_text(text, capacity, overlap, encoder.count_tokens, markdown)
