"""Named entities: token classification models (BERT-style NER exported to ONNX) with a tokenizer.json."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.content import App, Location, decoded, read_bytes
from flowlike_catalog.onnx.session import Model, run_session, session_of
from flowlike_catalog.onnx.tensors import softmax
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/ONNX/NLP"
SCHEMES = ("BIO", "BIOES", "IO")


class NamedEntity(BaseModel):
    text: str
    label: str
    start: int
    """Character offset of the first character in the text."""
    end: int
    """Character offset just after the last character."""
    score: float
    """Mean probability of the entity's tokens."""


class NerResult(BaseModel):
    text: str
    entities: list[NamedEntity]


class Entities(NamedTuple):
    result: NerResult
    entities: list[NamedEntity]
    entity_count: int


def tag_parts(tag: str) -> tuple[str, str]:
    """("B", "PER") from "B-PER"; ("O", "") from "O"; a bare type reads as inside ("I", type)."""
    if tag == "O" or not tag:
        return "O", ""
    prefix, dash, kind = tag.partition("-")
    return (prefix.upper(), kind) if dash and prefix.upper() in ("B", "I", "E", "S") else ("I", tag)


def spans(tags: list[str], scheme: str) -> list[tuple[int, int, str]]:
    """(first token, last token, type) of each entity in a tag sequence (BIO, BIOES or IO)."""
    found: list[tuple[int, int, str]] = []
    current: list[Any] | None = None
    for i, tag in enumerate(tags):
        prefix, kind = tag_parts(tag)
        continues = current is not None and current[2] == kind and prefix in ("I", "E")
        if prefix == "O" or (not continues and scheme == "BIOES" and prefix in ("I", "E")):
            current = None
            continue
        if continues:
            current[1] = i
        else:
            current = [i, i, kind]
            found.append(current)  # type: ignore[arg-type]
        if prefix in ("E", "S"):
            current = None
    return [(a, b, kind) for a, b, kind in found]


@node(friendly_name="Named Entities", exec_pins=True, capabilities=["files", "native"])
def onnx_ner(ctx: Context, model: Model = None, tokenizer: Location = None, text: str = "",
             labels: Annotated[list[str], Pin(description="The model's tags by class: O, B-PER, I-PER...")] = None,
             scheme: Annotated[Any, Pin(valid_values=SCHEMES, description="Tagging scheme (a name, where Flow-Like "
                                                                          "has an enum)")] = "BIO",
             threshold: Annotated[float, Pin(description="Tokens below this probability count as O")] = 0.5,
             max_length: int = 512, app: App = "default") -> Entities:
    """Finds names, places, organisations... with a token classification model: the text is tokenized
    (Hugging Face tokenizer.json), tags are read per token (softmax of the logits [1, tokens, tags]) and joined
    into entities with their character offsets."""
    import numpy as np
    from tokenizers import Tokenizer

    if scheme not in SCHEMES:
        raise ValueError(f"unknown tagging scheme {scheme!r}: use one of {', '.join(SCHEMES)}")
    if not labels:
        raise ValueError("labels are needed: the model's tag names by class index")
    key = ("tokenizer", str(tokenizer), app)
    if key not in ctx.cache:
        complaint = f"tokenizer {tokenizer!r} is not a Hugging Face tokenizer.json"
        text_json = decoded(read_bytes(tokenizer, app, "tokenizer"), complaint)
        try:
            ctx.cache[key] = Tokenizer.from_str(text_json)
        except Exception as exc:  # the tokenizers library raises plain Exceptions ("expected value at line 1 ...")
            raise ValueError(f"{complaint}: {exc}") from None
    encoding = ctx.cache[key].encode(text)
    encoding.truncate(max_length)
    session = session_of(ctx, model)
    arrays = {"input_ids": [encoding.ids], "attention_mask": [encoding.attention_mask],
              "token_type_ids": [encoding.type_ids]}
    feeds = {i.name: arrays[i.name] for i in session.get_inputs() if i.name in arrays}
    logits = np.asarray(next(iter(run_session(session, feeds).values())), np.float64)[0]
    if logits.shape[-1] != len(labels):
        raise ValueError(f"the model scores {logits.shape[-1]} tags, but {len(labels)} labels are given")
    probabilities = softmax(logits)
    best, score = probabilities.argmax(axis=1), probabilities.max(axis=1)
    special = encoding.special_tokens_mask
    tags = ["O" if special[i] or score[i] < threshold else labels[best[i]] for i in range(len(best))]
    entities = []
    for first, last, kind in spans(tags, scheme):
        start, end = encoding.offsets[first][0], encoding.offsets[last][1]
        entities.append(NamedEntity(text=text[start:end], label=kind, start=start, end=end,
                                    score=float(score[first:last + 1].mean())))
    return Entities(NerResult(text=text, entities=entities), entities, len(entities))
