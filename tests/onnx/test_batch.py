from __future__ import annotations

import pytest
from flowlike_catalog.media.image import keep_image
from onnx import helper
from onnx_models import graph_model, loaded, tensor
from PIL import Image


def image_means(batch) -> bytes:
    """[batch, 3, 4, 4] -> [batch]: the mean of each image."""
    return graph_model([helper.make_node("ReduceMean", ["images"], ["means"], axes=[1, 2, 3], keepdims=0)],
                       [tensor("images", [batch, 3, 4, 4])], [tensor("means", [batch])], opset=13)


@pytest.mark.parametrize(("batch", "batches"), [("n", 3), (1, 5)])
def test_batches_keep_the_image_order(board, batch, batches) -> None:
    greys = [0, 51, 102, 153, 204]
    images = [keep_image(None, Image.new("RGB", (10, 6), (g, g, g))) for g in greys]
    run, node = board.one("onnx_batch_image_inference", {"model": loaded(board, image_means(batch)),
                                                         "images": images}, batch_size=2, normalize=False)
    assert [r["means"].item() for r in run.output(node.id, "results")] == pytest.approx([g / 255 for g in greys])
    result = run.output(node.id, "batch_result")
    assert (result.count, result.batches, result.output_names) == (5, batches, ["means"])
