from __future__ import annotations

import numpy as np
import pytest
from flowlike_catalog.media.image import keep_image, pil_image
from onnx_models import constant_output, loaded
from PIL import Image

DEPTH = [[[[1.0, 2.0], [3.0, 4.0]]]]


def estimate(board, provider: str):
    model = loaded(board, constant_output([1, 3, 2, 2], "depth", DEPTH))
    image = keep_image(None, Image.new("RGB", (2, 2)))
    return board.fresh().one("onnx_depth_estimation", {"model": model, "image": image}, provider=provider)


def test_depth_map_and_its_grey_image(board) -> None:
    run, node = estimate(board, "MiDaSLike")
    depth = run.output(node.id, "depth_map")
    assert (depth.width, depth.height, depth.min, depth.max, depth.inverse) == (2, 2, 1.0, 4.0, True)
    assert np.asarray(pil_image(run.output(node.id, "depth_image"))).tolist() == [[0, 85], [170, 255]]
    run, node = estimate(board, "Metric")
    assert np.asarray(pil_image(run.output(node.id, "depth_image"))).tolist() == [[255, 170], [85, 0]]


def test_colorize_runs_from_black_to_pale_yellow(board) -> None:
    run, node = estimate(board, "MiDaSLike")
    colour = board.fresh().one("depth_colorize", {"depth_map": run.output(node.id, "depth_map")})
    image = pil_image(colour[0].output(colour[1].id, "colored_image"))
    assert image.getpixel((0, 0)) == (0, 0, 4) and image.getpixel((1, 1)) == (252, 255, 164)


def test_point_cloud_through_a_pinhole(board) -> None:
    run, node = estimate(board, "Metric")
    cloud = board.fresh().one("depth_to_point_cloud", {"depth_map": run.output(node.id, "depth_map")},
                              focal_length=1.0, scale=2.0)
    points = cloud[0].output(cloud[1].id, "points")
    assert cloud[0].output(cloud[1].id, "point_count") == 4
    assert points.tolist() == [[-1.0, -1.0, 2.0], [2.0, -2.0, 4.0], [-3.0, 3.0, 6.0], [4.0, 4.0, 8.0]]
    run, node = estimate(board, "MiDaSLike")
    cloud = board.fresh().one("depth_to_point_cloud", {"depth_map": run.output(node.id, "depth_map")},
                              focal_length=1.0)
    assert cloud[0].output(cloud[1].id, "points")[:, 2].tolist() == pytest.approx([1, 1 / 2, 1 / 3, 1 / 4])
