from __future__ import annotations

import numpy as np
import pytest
from flowlike_catalog.onnx.nlp import spans
from onnx import TensorProto, helper, numpy_helper
from onnx_models import graph_model, loaded, tensor

VOCAB = {"[UNK]": 0, "alice": 1, "lives": 2, "in": 3, "new": 4, "york": 5}
LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def tokenizer_json() -> str:
    from tokenizers import Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import WordLevel

    tokenizer = Tokenizer(WordLevel(VOCAB, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    return tokenizer.to_str()


def tagger() -> bytes:
    """Logits by token id: alice B-PER, new B-LOC, york I-LOC, everything else O."""
    weights = np.zeros((len(VOCAB), len(LABELS)), np.float32)
    for token, tag in ((0, 0), (1, 1), (2, 0), (3, 0), (4, 3), (5, 4)):
        weights[token, tag] = 10.0
    return graph_model([helper.make_node("Gather", ["w", "input_ids"], ["logits"])],
                       [tensor("input_ids", [1, "tokens"], TensorProto.INT64)],
                       [tensor("logits", [1, "tokens", len(LABELS)])], [numpy_helper.from_array(weights, "w")])


def test_entities_with_offsets(board, tmp_path) -> None:
    (tmp_path / "tokenizer.json").write_text(tokenizer_json())
    text = "Alice lives in New York"
    run, node = board.one("onnx_ner", {"model": loaded(board, tagger()), "labels": LABELS},
                          tokenizer=str(tmp_path / "tokenizer.json"), text=text)
    entities = [e.model_dump() for e in run.output(node.id, "entities")]
    score = float(np.exp(10) / (np.exp(10) + 4))
    assert entities == [
        {"text": "Alice", "label": "PER", "start": 0, "end": 5, "score": pytest.approx(score)},
        {"text": "New York", "label": "LOC", "start": 15, "end": 23, "score": pytest.approx(score)},
    ]
    assert run.output(node.id, "entity_count") == 2 and run.output(node.id, "result").text == text


def test_tag_schemes() -> None:
    assert spans(["B-PER", "I-PER", "O", "I-LOC", "I-LOC"], "BIO") == [(0, 1, "PER"), (3, 4, "LOC")]
    assert spans(["S-PER", "B-LOC", "E-LOC", "I-LOC"], "BIOES") == [(0, 0, "PER"), (1, 2, "LOC")]
    assert spans(["PER", "PER", "O", "LOC"], "IO") == [(0, 1, "PER"), (3, 3, "LOC")]
    assert spans(["B-PER", "B-PER"], "BIO") == [(0, 0, "PER"), (1, 1, "PER")]
