from __future__ import annotations

import math

import numpy as np
import pytest
from flowlike_catalog.media.image import keep_image, pil_image
from flowlike_catalog.onnx.face import FaceEmbedding, compare_faces
from onnx import helper, numpy_helper
from onnx_models import graph_model, loaded, tensor
from PIL import Image


def ultraface() -> bytes:
    """Two outputs as UltraFace gives them, fixed: three candidates, two of them the same face."""
    scores = np.array([[[0.1, 0.9], [0.2, 0.8], [0.7, 0.3]]], np.float32)
    boxes = np.array([[[0.1, 0.2, 0.5, 0.6], [0.12, 0.2, 0.5, 0.6], [0.6, 0.6, 0.9, 0.9]]], np.float32)
    nodes = [helper.make_node("ReduceMean", ["input"], ["mean"], keepdims=0),
             helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
             helper.make_node("Add", ["s", "nothing"], ["scores"]),
             helper.make_node("Add", ["b", "nothing"], ["boxes"])]
    inits = [numpy_helper.from_array(scores, "s"), numpy_helper.from_array(boxes, "b"),
             numpy_helper.from_array(np.zeros((), np.float32), "zero")]
    return graph_model(nodes, [tensor("input", [1, 3, 240, 320])],
                       [tensor("scores", [1, 3, 2]), tensor("boxes", [1, 3, 4])], inits)


def test_detect_then_crop_faces(board) -> None:
    image = keep_image(None, Image.new("RGB", (200, 100), (9, 9, 9)))
    run, node = board.one("onnx_face_detection", {"model": loaded(board, ultraface()), "image": image})
    faces = run.output(node.id, "faces")
    assert run.output(node.id, "count") == 1
    assert faces[0].score == pytest.approx(0.9)
    assert [faces[0].bbox.x1, faces[0].bbox.y1, faces[0].bbox.x2, faces[0].bbox.y2] == pytest.approx([20, 20, 100, 60])
    crops = board.fresh().one("crop_faces", {"image": image, "faces": faces}, margin=0.25)
    (crop,) = crops[0].output(crops[1].id, "crops")
    assert pil_image(crop).size == (120, 60)  # 80 x 40 plus a quarter on each side, clipped at the top


def embedder() -> bytes:
    """[1, 3, 4, 4] -> [1, 3]: channel means (an embedding with a known answer)."""
    return graph_model([helper.make_node("GlobalAveragePool", ["data"], ["pooled"]),
                        helper.make_node("Flatten", ["pooled"], ["embedding"])],
                       [tensor("data", [1, 3, 4, 4])], [tensor("embedding", [1, 3])])


def test_embedding_and_comparison(board) -> None:
    model = loaded(board, embedder())
    run, node = board.one("onnx_face_embedding", {"model": model, "image": keep_image(
        None, Image.new("RGB", (8, 8), (255, 0, 255)))})
    embedding = run.output(node.id, "embedding")
    assert embedding.values == pytest.approx([1 / math.sqrt(3), -1 / math.sqrt(3), 1 / math.sqrt(3)])
    other = FaceEmbedding(values=[1 / math.sqrt(3), 1 / math.sqrt(3), 1 / math.sqrt(3)], dimensions=3)
    match, similarity, distance = compare_faces.func(embedding, other, 0.5)
    assert (match, similarity) == (False, pytest.approx(1 / 3))
    assert distance == pytest.approx(2 / math.sqrt(3))
    assert compare_faces.func(embedding, embedding, 0.5)[:2] == (True, pytest.approx(1.0))
