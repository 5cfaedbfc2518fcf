from __future__ import annotations

import math

import numpy as np
import pytest
from flowlike_catalog.media.image import keep_image, pil_image
from onnx import helper
from onnx_models import constant_output, graph_model, loaded, tensor
from PIL import Image


def solid(colour, size=(8, 8)):
    return keep_image(None, Image.new("RGB", size, colour))


def channel_means() -> bytes:
    """[1, 3, 8, 8] -> [1, 3]: the mean of each channel."""
    return graph_model([helper.make_node("GlobalAveragePool", ["images"], ["pooled"]),
                        helper.make_node("Flatten", ["pooled"], ["scores"])],
                       [tensor("images", [1, 3, 8, 8])], [tensor("scores", [1, 3])])


def test_classification_ranks_the_channels(board) -> None:
    model = loaded(board, channel_means())
    run, node = board.fresh().one("image_classification", {"model": model, "image_in": solid((255, 51, 0)),
                                                           "labels": ["red", "green", "blue"]},
                                  mean=[0, 0, 0], std=[1, 1, 1], softmax=False, top_k=2, crop_pct=1.0)
    assert [p.model_dump() for p in run.output(node.id, "predictions")] == [
        {"class_idx": 0, "score": 1.0, "label": "red"}, {"class_idx": 1, "score": pytest.approx(0.2), "label": "green"}]


def test_classification_softmax_top_k(board) -> None:
    model = loaded(board, constant_output([1, 3, 8, 8], "logits", [[1.0, 3.0, 2.0, 0.0]]))
    run, node = board.fresh().one("image_classification", {"model": model, "image_in": solid((0, 0, 0), (20, 10))},
                                  top_k=3)
    predictions = run.output(node.id, "predictions")
    total = sum(math.exp(v) for v in (1, 3, 2, 0))
    assert [p.class_idx for p in predictions] == [1, 2, 0]
    assert [p.score for p in predictions] == pytest.approx([math.exp(3) / total, math.exp(2) / total,
                                                            math.exp(1) / total])


YOLO = np.zeros((1, 6, 8), np.float32)
YOLO[0, :, 0] = (16, 32, 16, 16, 0.9, 0.1)   # A: class 0, kept
YOLO[0, :, 1] = (17, 32, 16, 16, 0.8, 0.0)   # B: overlaps A in class 0: suppressed
YOLO[0, :, 2] = (17, 32, 16, 16, 0.0, 0.85)  # C: same place, class 1: kept
YOLO[0, :, 3] = (48, 40, 8, 8, 0.3, 0.2)     # D: class 0, just above the threshold
YOLO[0, :, 4] = (50, 10, 4, 4, 0.1, 0.2)     # E: below the threshold


def test_detection_decodes_thresholds_suppresses_and_maps_back(board) -> None:
    model = loaded(board, constant_output([1, 3, 64, 64], "output0", YOLO))
    image = keep_image(None, Image.new("RGB", (128, 64)))  # letterboxed: scale 0.5, 16 pixels of padding on top
    run, node = board.fresh().one("object_detection", {"model": model, "image_in": image, "labels": ["cat", "dog"]})
    boxes = [b.model_dump() for b in run.output(node.id, "bboxes")]
    assert boxes == [
        {"x1": 16.0, "y1": 16.0, "x2": 48.0, "y2": 48.0, "class_idx": 0, "score": pytest.approx(0.9), "label": "cat"},
        {"x1": 18.0, "y1": 16.0, "x2": 50.0, "y2": 48.0, "class_idx": 1, "score": pytest.approx(0.85), "label": "dog"},
        {"x1": 88.0, "y1": 40.0, "x2": 104.0, "y2": 56.0, "class_idx": 0, "score": pytest.approx(0.3), "label": "cat"},
    ]
    run, node = board.fresh().one("object_detection", {"model": model, "image_in": image}, conf=0.5, max=1)
    assert [(b.class_idx, b.label) for b in run.output(node.id, "bboxes")] == [(0, "")]


def test_detections_feed_draw_boxes(board) -> None:
    model = loaded(board, constant_output([1, 3, 64, 64], "output0", YOLO))
    detect = board.add("object_detection")
    draw = board.add("draw_boxes", line_width=1, show_labels=False)
    board.feed(detect, model=model, image_in=keep_image(None, Image.new("RGB", (128, 64))))
    board.wire(detect, "bboxes", draw, "bboxes")
    board.wire(board.value("img", keep_image(None, Image.new("RGB", (128, 64)))), "value_ref", draw, "image_in")
    run = board.steps(detect, draw)
    drawn = pil_image(run.output(draw.id, "image_out"))
    assert drawn.getpixel((16, 30)) != (0, 0, 0) and drawn.getpixel((88, 45)) != (0, 0, 0)


def pose_output() -> np.ndarray:
    values = np.zeros((1, 56, 60), np.float32)
    keypoints = [(20 + k, 20 + k, 0.5) for k in range(17)]
    values[0, :, 7] = [32, 32, 20, 40, 0.9, *[v for point in keypoints for v in point]]
    values[0, :5, 8] = [10, 10, 4, 4, 0.1]  # below the threshold
    return values


def test_pose_keypoints_and_extract(board) -> None:
    model = loaded(board, constant_output([1, 3, 64, 64], "output0", pose_output()))
    run, node = board.fresh().one("pose_estimation", {"model": model, "image_in": solid((0, 0, 0), (64, 64))})
    (pose,) = run.output(node.id, "poses")
    assert (pose.bbox.x1, pose.bbox.y1, pose.bbox.x2, pose.bbox.y2) == (22, 12, 42, 52)
    assert pose.score == pytest.approx(0.9)
    assert pose.keypoints[0].model_dump() == {"x": 20, "y": 20, "confidence": 0.5, "name": "nose"}
    from flowlike_catalog.onnx.vision import extract_keypoint

    assert extract_keypoint.func(pose, 16) == (36.0, 36.0, 0.5, "right_ankle", True)
    assert extract_keypoint.func(pose, 17) == (0.0, 0.0, 0.0, "", False)


def test_segmentation_labels_each_pixel(board) -> None:
    identity = graph_model([helper.make_node("Identity", ["images"], ["scores"])],
                           [tensor("images", [1, 3, 4, 4])], [tensor("scores", [1, 3, 4, 4])])
    image = Image.new("RGB", (4, 4), (255, 255, 255))
    image.paste((255, 0, 0), (0, 0, 2, 2))
    image.paste((0, 255, 0), (2, 0, 4, 2))
    image.paste((0, 0, 255), (0, 2, 2, 4))
    run, node = board.one("semantic_segmentation", {"model": loaded(board, identity), "image_in": keep_image(
        None, image)}, num_classes=3, mean=[0, 0, 0], std=[1, 1, 1])
    mask = run.output(node.id, "mask")
    assert (mask.classes, mask.pixel_counts) == ([0, 1, 2], [8, 4, 4])
    assert np.asarray(pil_image(mask.mask)).tolist() == [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 0, 0], [2, 2, 0, 0]]
    with pytest.raises(Exception, match=r"expected scores of shape \[1, 21, h, w\]"):
        board.fresh().one("semantic_segmentation", {"model": loaded(board, identity), "image_in": keep_image(
            None, image)})


def test_features_and_similarity(board) -> None:
    model = loaded(board, channel_means())
    run, node = board.one("feature_extraction", {"model": model, "image_in": solid((255, 0, 0))})
    features = run.output(node.id, "features")
    expected = np.array([(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0 - 0.406) / 0.225])
    assert features.values == pytest.approx((expected / np.linalg.norm(expected)).tolist(), rel=1e-5)
    assert run.output(node.id, "dimensions") == 3
    from flowlike_catalog.onnx.vision import FeatureVector, feature_similarity

    a, b = FeatureVector(values=[1, 0], dimensions=2), FeatureVector(values=[0, 1], dimensions=2)
    assert feature_similarity.func(a, b) == (0.0, pytest.approx(math.sqrt(2)))
    assert feature_similarity.func(a, a) == (1.0, 0.0)
    with pytest.raises(ValueError, match="cannot compare vectors of 2 and 3 dimensions"):
        feature_similarity.func(a, features)
