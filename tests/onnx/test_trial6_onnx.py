"""A model exported with a fixed batch of 4 given 5 images: the last, short batch."""

from __future__ import annotations

import pytest
from flowlike_catalog.media.image import keep_image
from onnx import helper
from onnx_models import graph_model, loaded, tensor
from PIL import Image


def test_a_fixed_batch_model_takes_a_short_last_batch(board) -> None:
    """5 images through a model fixed to batch 4 failed on the fifth: 'Got: 1 Expected: 4'."""
    model = graph_model([helper.make_node("ReduceMean", ["images"], ["means"], axes=[1, 2, 3], keepdims=0)],
                        [tensor("images", [4, 3, 4, 4])], [tensor("means", [4])], opset=13)
    greys = [0, 51, 102, 153, 204]
    images = [keep_image(None, Image.new("RGB", (10, 6), (g, g, g))) for g in greys]
    run, node = board.one("onnx_batch_image_inference", {"model": loaded(board, model), "images": images},
                          batch_size=8, normalize=False)
    assert [r["means"].item() for r in run.output(node.id, "results")] == pytest.approx([g / 255 for g in greys])
    result = run.output(node.id, "batch_result")
    assert (result.count, result.batches) == (5, 2)
