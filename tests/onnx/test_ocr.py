from __future__ import annotations

import numpy as np
import pytest
from flowlike_catalog.media.image import keep_image, pil_image
from onnx_models import constant_output, loaded
from PIL import Image


def probability_map() -> np.ndarray:
    text = np.zeros((1, 1, 8, 8), np.float32)
    text[0, 0, 1:3, 1:5] = 0.9
    text[0, 0, 5:7, 2:7] = 0.8
    text[0, 0, 5, 0] = 0.3  # below the threshold
    return text


def test_text_regions_are_found_and_cropped(board) -> None:
    model = loaded(board, constant_output([1, 3, 8, 8], "maps", probability_map()))
    image = keep_image(None, Image.new("RGB", (16, 16), (255, 255, 255)))
    run, node = board.one("onnx_text_detection", {"model": model, "image": image})
    regions = run.output(node.id, "regions")
    assert run.output(node.id, "count") == 2
    assert [(r.x1, r.y1, r.x2, r.y2) for r in regions] == [(2, 2, 10, 6), (4, 10, 14, 14)]
    assert [r.score for r in regions] == pytest.approx([0.9, 0.8])
    crops = board.fresh().one("crop_text_regions", {"image": image, "regions": regions}, padding=1)
    assert [pil_image(c).size for c in crops[0].output(crops[1].id, "crops")] == [(10, 6), (12, 6)]


def ctc_scores() -> np.ndarray:
    """Six steps over blank + 'abc': a, a, blank, a, b, b -> 'aab'."""
    steps = [1, 1, 0, 1, 2, 2]
    scores = np.zeros((1, 6, 4), np.float32)
    scores[0, np.arange(6), steps] = 1.0
    return scores


def test_text_recognition_decodes_ctc(board) -> None:
    model = loaded(board, constant_output([1, 1, 32, 100], "logits", ctc_scores()))
    line = keep_image(None, Image.new("L", (50, 16), 255))
    run, node = board.one("onnx_text_recognition", {"model": model, "image": line}, charset="abc")
    assert run.output(node.id, "text") == "aab"
    assert run.output(node.id, "result").confidence == 1.0
    with pytest.raises(Exception, match="the model predicts class 2, but the charset has only 1 characters"):
        board.fresh().one("onnx_text_recognition", {"model": model, "image": line}, charset="a")
