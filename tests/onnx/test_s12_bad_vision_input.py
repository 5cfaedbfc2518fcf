"""Vision nodes given settings or items that make no sense fail naming them, where they succeeded with a wrong
result or failed with pydantic's text: a zero std (every score NaN), a mean or std of another length than the
image's channels, top_k below 1 (no predictions), an item of a batch that is not an image (pydantic's page, naming
no item), a prediction, embedding or feature vector read as None."""

from __future__ import annotations

import pytest
from flowlike_catalog.media.image import keep_image
from onnx_models import loaded
from PIL import Image
from test_teachable import teachable_model


def quadrants() -> Image.Image:
    return Image.new("RGB", (12, 8), (200, 30, 30))


@pytest.fixture
def model(board):
    return loaded(board, teachable_model())


@pytest.mark.parametrize(("mean", "std", "why"), [
    ((0.5, 0.5, 0.5), (0.2, 0.0, 0.2), "std values must be positive, got [0.2, 0.0, 0.2]"),
    ((0.5, 0.5), (0.2, 0.2, 0.2), "mean and std need 3 values (one per channel), got 2 and 3"),
])
def test_a_normalisation_that_cannot_be_is_refused(board, model, mean, std, why) -> None:
    error = board.failure("image_classification", {"model": model, "image_in": keep_image(None, quadrants()),
                                                   "mean": mean, "std": std})
    assert why in error, error


def test_top_k_below_one_is_refused(board, model) -> None:
    error = board.failure("image_classification", {"model": model, "image_in": keep_image(None, quadrants())},
                   top_k=0)
    assert "top_k must be at least 1, got 0" in error, error


def test_a_batch_item_that_is_not_an_image_is_named(board, model) -> None:
    images = [keep_image(None, quadrants()), "photo.jpg"]
    error = board.failure("onnx_batch_image_inference", {"model": model, "images": images})
    assert "images[1]: 'photo.jpg' is not an ImageRef (a handle from the node that makes one), but a str" in error, \
        error


OTHER = {"feature_similarity": {"features_b": {"values": [1.0], "dimensions": 1}},
         "compare_faces": {"embedding_b": {"values": [1.0], "dimensions": 1}}}
"""The other input of a two-input node, set: only the one read as None is wrong."""


@pytest.mark.parametrize(("key", "pin", "output"), [
    ("ai_ml_pred_class_or_label", "prediction", "label"), ("ai_ml_pred_score", "prediction", "score"),
    ("feature_similarity", "features_a", "cosine_similarity"), ("compare_faces", "embedding_a", "similarity"),
    ("extract_keypoint", "pose", "x"),
])
def test_a_struct_read_as_none_names_the_input(board, key, pin, output) -> None:
    node = board.add(key)
    board.feed(node, **{pin: None}, **OTHER.get(key, {}))
    if "exec_in" not in [p.name for p in board.registry.get(key).pins]:
        back = board.add("events_generic_return_result")
        board.wire(node, output, back, "response")
        node = back
    error = board.failed_at(node)
    assert f"input {pin!r} got no " in error and "(None): wire one from the node that makes it" in error, error


@pytest.mark.parametrize("key", ["depth_colorize", "depth_to_point_cloud"])
def test_a_depth_map_read_as_none_says_so(board, key) -> None:
    error = board.failure(key, {"depth_map": None})
    assert "no DepthMap given (None): wire one from the node that makes it" in error, error


@pytest.mark.parametrize(("size", "why"), [
    (0, "input_size must be at least 1 (the model's input size is not fixed), got 0"),
    (100_000, "input_size 100000 makes a 100000x100000 input: 10,000,000,000 pixels, over the 89,478,485"),
])
def test_an_input_size_that_cannot_be_is_refused_before_any_pixel_is_made(board, size, why) -> None:
    """(A size that large took the machine's memory: 120 GB of floats.)"""
    from onnx_models import constant_output

    model = loaded(board, constant_output([1, 3, "height", "width"], "features", [[1.0, 2.0]]))
    error = board.failure("feature_extraction", {"model": model, "image_in": keep_image(None, quadrants())},
                   input_size=size)
    assert why in error, error
