"""Change images: contrast, pixel type, crop, resize and rotate (Pillow)."""

from __future__ import annotations

import functools
import math
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.media.image import (
    DEEP_MODES,
    BoundingBox,
    ImageIn,
    ImageRef,
    UseRef,
    changed,
    converted,
    has_alpha,
    image_of,
    within_limit,
)

from flowlike_core import Context, Pin, node

CATEGORY = "Image/Transform"
ImageOut = Annotated[ImageRef, Pin("Image", name="image_out")]
PIXEL_TYPES = {"Luma": "L", "LumaA": "LA", "Rgb": "RGB", "Rgba": "RGBA", "L": "L", "LA": "LA", "RGB": "RGB",
               "RGBA": "RGBA", "CMYK": "CMYK", "1": "1"}
FILTERS = {"Nearest": "NEAREST", "Triangle": "BILINEAR", "CatmullRom": "BICUBIC", "Gaussian": "BOX",
           "Lanczos3": "LANCZOS"}
MODES = ("keep_aspect", "exact", "to_fill")


class Resized(NamedTuple):
    image_out: Annotated[ImageRef, Pin("Image")]
    width_out: int
    height_out: int


@node(friendly_name="Contrast", exec_pins=True)
def contrast_image(ctx: Context, image_in: ImageIn = None, contrast: Annotated[float, Pin(description=(
        "As Flow-Like's: 0 keeps the image, -100 makes it flat grey, 100 moves each channel four times as far from "
        "mid-grey"))] = 0.0, use_ref: UseRef = True) -> ImageOut:
    """Raises or lowers the contrast around mid-grey, as Flow-Like does (each colour channel times
    ((100 + contrast) / 100) squared, clipped; alpha stays)."""
    return changed(ctx, image_in, contrasted(image_of(ctx, image_in), contrast), use_ref)


def contrasted(image: Any, contrast: float) -> Any:
    """The image crate's `adjust_contrast`, which Flow-Like's node calls: each colour channel moved from the middle of
    its range by the factor, clipped to the range and cut to an integer. Black and white is taken as grey, a palette
    as its colours; deep pixels stay deep (`DEEP_MODES`: integers 0-65535, floats 0.0-1.0)."""
    factor = ((100 + contrast) / 100) ** 2
    if image.mode in DEEP_MODES:
        top = 1.0 if image.mode == "F" else 65535.0
        moved = image.convert("F").point(lambda value: value * factor + top / 2 * (1 - factor))
        if image.mode == "F":
            from PIL import ImageMath

            return ImageMath.lambda_eval(lambda ops: ops["min"](ops["max"](ops["im"], 0.0), 1.0), im=moved)
        return moved.convert("I").convert("I;16").convert(image.mode)  # cut, then clipped to 0-65535
    if image.mode == "1":
        image = image.convert("L")
    elif image.mode in ("P", "PA"):
        image = image.convert("RGBA" if has_alpha(image) else "RGB")
    alpha = image.mode in ("LA", "RGBA")
    return image.point(contrast_curve(factor) * (len(image.getbands()) - alpha) + [*range(256)] * alpha)


@functools.lru_cache(maxsize=64)
def contrast_curve(factor: float) -> list[int]:
    """The 8-bit lookup table of a contrast factor, made once per factor (a board runs it per image)."""
    return [min(255, max(0, math.floor(((value / 255 - 0.5) * factor + 0.5) * 255 + 1e-6))) for value in range(256)]


@node(exec_pins=True)
def convert_image(ctx: Context, image_in: ImageIn = None, pixel_type: Annotated[str, Pin(
        valid_values=tuple(PIXEL_TYPES))] = "Luma", use_ref: UseRef = True) -> ImageOut:
    """Converts the pixels: Luma (grey), LumaA, Rgb, Rgba, CMYK or 1 (black and white)."""
    if pixel_type not in PIXEL_TYPES:
        raise ValueError(f"unknown pixel type {pixel_type!r}: use one of {', '.join(PIXEL_TYPES)}")
    return changed(ctx, image_in, converted(image_of(ctx, image_in), PIXEL_TYPES[pixel_type]), use_ref)


@node(exec_pins=True)
def crop_image(ctx: Context, image_in: ImageIn = None, bbox: Annotated[BoundingBox, Pin(
        description="The part to keep (pixels, cut to whole ones; clipped to the image)")] = None,
        use_ref: UseRef = False) -> ImageOut:
    """Cuts out the part of the image inside the box: from its top-left corner cut to whole pixels, as wide and
    high as the box's width and height cut to whole pixels (as Flow-Like crops). A box reaching past the left or top
    edge keeps what lies inside the image (Flow-Like moves it inside, widening the crop by the part outside)."""
    image = image_of(ctx, image_in)
    if bbox is None:
        raise TypeError("no bounding box given (None): wire one (Make Bounding Box), or set the bbox input's fields")
    box = BoundingBox.model_validate(bbox)
    x, y = math.floor(box.x1), math.floor(box.y1)
    left, top = max(0, x), max(0, y)
    right = min(image.width, x + math.trunc(box.x2 - box.x1))
    bottom = min(image.height, y + math.trunc(box.y2 - box.y1))
    if right <= left or bottom <= top:
        raise ValueError(f"the box ({box.x1}, {box.y1})-({box.x2}, {box.y2}) leaves nothing of a "
                         f"{image.width}x{image.height} image")
    return changed(ctx, image_in, image.crop((left, top, right, bottom)), use_ref)


def target_size(width: int, height: int, mode: str, wanted_w: int, wanted_h: int) -> tuple[int, int]:
    """The size a resize makes: exact and to_fill take the wanted size; keep_aspect fits inside it."""
    if mode not in MODES:
        raise ValueError(f"unknown resize mode {mode!r}: use one of {', '.join(MODES)}")
    if wanted_w < 1 or wanted_h < 1:
        raise ValueError(f"width and height must be at least 1, got {wanted_w}x{wanted_h}")
    if mode == "keep_aspect":
        scale = min(wanted_w / width, wanted_h / height)
        # halves round up, as Flow-Like's image crate rounds (Python's round goes to even: 12.5 -> 12)
        wanted_w, wanted_h = max(1, math.floor(width * scale + 0.5)), max(1, math.floor(height * scale + 0.5))
    return within_limit(wanted_w, wanted_h)


@node(exec_pins=True)
def resize_image(ctx: Context, image_in: ImageIn = None, use_ref: UseRef = True,
                 mode: Annotated[str, Pin(valid_values=MODES, description=(
                     "keep_aspect: fit inside the size; exact: stretch; to_fill: cover the size, crop the rest"))
                 ] = "keep_aspect",
                 filter: Annotated[str, Pin(valid_values=tuple(FILTERS))] = "Lanczos3",
                 width_in: Annotated[int, Pin("Width")] = 512,
                 height_in: Annotated[int, Pin("Height")] = 512) -> Resized:
    """Scales the image to a size, keeping its aspect ratio unless told not to."""
    from PIL import Image, ImageOps

    if filter not in FILTERS:
        raise ValueError(f"unknown filter {filter!r}: use one of {', '.join(FILTERS)}")
    mode = "to_fill" if mode == "fill" else mode  # (its name before it took Flow-Like's, in saved boards)
    image = image_of(ctx, image_in)
    size = target_size(image.width, image.height, mode, width_in, height_in)
    resample = getattr(Image.Resampling, FILTERS[filter])
    result = ImageOps.fit(image, size, resample) if mode == "to_fill" else image.resize(size, resample)
    return Resized(changed(ctx, image_in, result, use_ref), result.width, result.height)


@node(exec_pins=True)
def rotate_image(ctx: Context, image_in: ImageIn = None, degrees: Annotated[float, Pin(
        description="Counter-clockwise")] = 90.0, expand: Annotated[bool, Pin(
        description="Grow the canvas to hold the whole turned image")] = True, use_ref: UseRef = False) -> ImageOut:
    """Turns the image counter-clockwise (multiples of 90 are exact; other angles fill corners with black)."""
    from PIL import Image

    image = image_of(ctx, image_in)
    turns = {90.0: Image.Transpose.ROTATE_90, 180.0: Image.Transpose.ROTATE_180, 270.0: Image.Transpose.ROTATE_270}
    angle = degrees % 360
    if angle == 0:
        result = image.copy()
    elif angle in turns and expand:
        result = image.transpose(turns[angle])
    else:
        result = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=expand)
    return changed(ctx, image_in, result, use_ref)
