"""Depth: estimate a depth map from one image (MiDaS-like relative or metric models), colour it, and turn it
into a point cloud. The map itself stays a live float array; pins carry a `DepthMap` naming it."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.live import LiveHandle
from flowlike_catalog.media.image import ImageIn, ImageRef, image_of, keep_image
from flowlike_catalog.onnx.session import Model, run_session, session_of
from flowlike_catalog.onnx.tensors import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    image_input,
    image_tensor,
    resized,
)

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/ONNX/Vision"
PROVIDERS = ("MiDaSLike", "Metric")
COLOURS = ("#000004", "#bc3754", "#fcffa4")
"""Far to near: black, crimson, pale yellow (the ends and middle of matplotlib's inferno)."""


class DepthMap(LiveHandle):
    """Names a live depth array (rows x columns, the image's size) and says how to read it."""

    KIND = "depth-map"
    width: int
    height: int
    min: float
    max: float
    inverse: bool
    """True for relative inverse depth (MiDaS: larger is nearer); False for metric depth (larger is farther)."""


class Depth(NamedTuple):
    depth_map: DepthMap
    depth_image: Annotated[ImageRef, Pin(description="Grey image of the depth: near is bright")]


class PointCloud(NamedTuple):
    points: Annotated[Any, Pin(description="A numpy array of x, y, z rows, one per pixel, row by row")]
    point_count: int


def depth_array(ctx: Context | None, depth_map: Any) -> tuple[DepthMap, Any]:
    handle = DepthMap.given(depth_map)
    return handle, DepthMap.resolve(ctx, handle)


def nearness(handle: DepthMap, depth: Any) -> Any:
    """Depth as 0..255 with near bright."""
    import numpy as np

    span = handle.max - handle.min
    scaled = (depth - handle.min) / span if span else np.zeros_like(depth)
    return np.round((scaled if handle.inverse else 1 - scaled) * 255).astype(np.uint8)


@node(friendly_name="Depth Estimation", exec_pins=True, capabilities=["native"])
def onnx_depth_estimation(ctx: Context, model: Model = None, image: ImageIn = None,
                          provider: Annotated[Any, Pin(valid_values=PROVIDERS, description=(
                              "MiDaSLike: relative inverse depth (larger is nearer); Metric: distances (a name, "
                              "where Flow-Like has an enum)"))] = "MiDaSLike", input_size: int = 384) -> Depth:
    """Runs a depth model (one output [1, h, w] or [1, 1, h, w]) and scales the map to the image's size."""
    import numpy as np
    from PIL import Image

    if provider not in PROVIDERS:
        raise ValueError(f"unknown depth provider {provider!r}: use one of {', '.join(PROVIDERS)}")
    session = session_of(ctx, model)
    spec = image_input(session, input_size)
    picture = image_of(ctx, image)
    tensor = image_tensor(resized(picture, spec), spec, IMAGENET_MEAN, IMAGENET_STD)
    raw = np.asarray(next(iter(run_session(session, {spec.name: tensor}).values())), dtype=np.float32)
    if raw.ndim not in (3, 4) or (raw.ndim == 4 and raw.shape[1] != 1):
        raise ValueError(f"expected a depth output [1, h, w] or [1, 1, h, w], got {list(raw.shape)}")
    small = Image.fromarray(raw.reshape(raw.shape[-2:]), "F")
    depth = np.asarray(small.resize((picture.width, picture.height), Image.Resampling.BILINEAR), dtype=np.float32)
    handle = DepthMap.make(ctx, depth, width=picture.width, height=picture.height, min=float(depth.min()),
                           max=float(depth.max()), inverse=provider == "MiDaSLike")
    return Depth(handle, keep_image(ctx, Image.fromarray(nearness(handle, depth), "L")))


@node(friendly_name="Colorize Depth", exec_pins=True)
def depth_colorize(ctx: Context, depth_map: DepthMap = None) -> Annotated[ImageRef, Pin(name="colored_image")]:
    """A colour picture of the depth: far black, then crimson, near pale yellow."""
    from PIL import Image, ImageOps

    handle, depth = depth_array(ctx, depth_map)
    grey = Image.fromarray(nearness(handle, depth), "L")
    return keep_image(ctx, ImageOps.colorize(grey, black=COLOURS[0], white=COLOURS[2], mid=COLOURS[1]))


@node(friendly_name="Depth to Point Cloud", exec_pins=True)
def depth_to_point_cloud(ctx: Context, depth_map: DepthMap = None,
                         focal_length: Annotated[float, Pin(description="In pixels")] = 500.0,
                         scale: Annotated[float, Pin(description="Depth units to your units")] = 1.0) -> PointCloud:
    """Back-projects every pixel through a pinhole camera centred on the image: z = depth x scale (inverse
    depth is inverted first), x = (column - cx) z / f, y = (row - cy) z / f."""
    import numpy as np

    if focal_length <= 0:
        raise ValueError(f"focal_length must be positive, got {focal_length}")
    handle, depth = depth_array(ctx, depth_map)
    if handle.inverse:
        with np.errstate(divide="ignore"):
            depth = np.where(depth > 0, 1.0 / depth, np.inf)
    z = depth.astype(np.float64) * scale
    rows, columns = np.indices(z.shape)
    x = (columns - (handle.width - 1) / 2) * z / focal_length
    y = (rows - (handle.height - 1) / 2) * z / focal_length
    points = np.stack([x.ravel(), y.ravel(), z.ravel()], axis=1)
    points = points[np.isfinite(points).all(axis=1)]
    return PointCloud(points, len(points))
