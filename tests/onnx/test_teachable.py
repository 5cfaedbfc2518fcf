from __future__ import annotations

import math

import pytest
from flowlike_catalog.media.image import keep_image
from flowlike_catalog.onnx.teachable import ai_ml_pred_class_or_label, ai_ml_pred_score, read_labels
from flowlike_catalog.onnx.vision import ClassPrediction
from onnx import helper
from onnx_models import graph_model, tensor
from PIL import Image


def teachable_model() -> bytes:
    """Keras layout [1, 4, 4, 3] -> softmax of the channel means, as a Teachable Machine export gives."""
    return graph_model([helper.make_node("ReduceMean", ["input"], ["means"], axes=[1, 2], keepdims=0),
                        helper.make_node("Softmax", ["means"], ["probabilities"])],
                       [tensor("input", [1, 4, 4, 3])], [tensor("probabilities", [1, 3])], opset=13)


def test_teachable_machine_model_with_labels(board, tmp_path) -> None:
    (tmp_path / "model.onnx").write_bytes(teachable_model())
    (tmp_path / "labels.txt").write_text("0 Red things\n1 Green\n2 Blue\n")
    image = Image.new("RGB", (12, 4), (0, 0, 0))
    image.paste((255, 0, 0), (4, 0, 8, 4))  # the centre square is red
    run, node = board.one("ai_ml_teachable_machine", {"image_in": keep_image(None, image)},
                          model=str(tmp_path / "model.onnx"), labels=str(tmp_path / "labels.txt"),
                          input_width=4, input_height=4)
    predictions = run.output(node.id, "predictions")
    total = math.e + 2 / math.e  # scaled to [-1, 1]: means 1, -1, -1
    assert [(p.class_idx, p.label) for p in predictions] == [(0, "Red things"), (1, "Green"), (2, "Blue")]
    assert [p.score for p in predictions] == pytest.approx([math.e / total, 1 / math.e / total, 1 / math.e / total])


def test_prediction_parts() -> None:
    prediction = ClassPrediction(class_idx=3, score=0.25, label="owl")
    assert ai_ml_pred_class_or_label.func(prediction) == (3, "owl")
    assert ai_ml_pred_score.func(prediction.model_dump()) == 0.25
    assert read_labels("0 Cats\n\n1 Big dogs\n") == ["Cats", "Big dogs"]
