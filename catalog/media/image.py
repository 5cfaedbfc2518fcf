"""The image handle (Flow-Like's NodeImage) and bounding boxes, shared by the media, onnx and geo nodes.

Pixels stay a live Pillow image (run cache and recent memory, `flowlike_catalog.live`); pins carry an
`ImageRef` with its id and size, so run records never hold pixels. In a notebook an ImageRef shows as a
thumbnail, and `pil_image(ref)` gives the Pillow image back.
"""

from __future__ import annotations

import io
import sys
from typing import Annotated, Any, Self

from flowlike_catalog.live import LiveHandle
from pydantic import AliasChoices, BaseModel, Field, ModelWrapValidatorHandler, field_validator, model_validator

from flowlike_core import Context, Pin

THUMBNAIL = (256, 256)


class ImageRef(LiveHandle):
    """Names a live image (Pillow) and says its size and pixel mode. A Pillow image validates into its handle, so
    one that a notebook's own node returns or a variable holds feeds any image input."""

    KIND = "image"
    width: int
    height: int
    mode: str

    @model_validator(mode="wrap")
    @classmethod
    def _from_pillow(cls, value: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        pillow = sys.modules.get("PIL.Image")  # (a Pillow image exists only once PIL.Image was imported)
        if pillow is not None and isinstance(value, pillow.Image):
            return keep_image(None, value)
        return handler(value)

    def _repr_png_(self) -> bytes | None:
        """A thumbnail, so that a notebook cell showing the handle shows the picture."""
        try:
            image = pil_image(self).copy()
        except LookupError:
            return None
        image.thumbnail(THUMBNAIL)
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()


class BoundingBox(BaseModel):
    """A box in pixel coordinates of its image: corners (x1, y1) top left and (x2, y2) bottom right."""

    x1: float
    y1: float
    x2: float
    y2: float
    class_idx: int = 0
    score: float = 1.0
    label: str = Field("", validation_alias=AliasChoices("label", "class_name"))
    """The class's name; Flow-Like's boxes call it class_name (null when unnamed)."""

    @field_validator("label", mode="before")
    @classmethod
    def _unnamed(cls, label: Any) -> Any:
        return "" if label is None else label


ImageIn = Annotated[ImageRef, Pin("Image", description="An image, from Read Image or another image node")]
UseRef = Annotated[bool, Pin("In Place", description="Change the input image itself (its handle keeps its id) "
                                                    "instead of making a new one")]


def keep_image(ctx: Context | None, image: Any, replace: ImageRef | dict | None = None) -> ImageRef:
    """A handle for a Pillow image; with `replace`, the image takes that handle's id (changed in place)."""
    ident = None if replace is None else ImageRef.model_validate(replace).id
    return ImageRef.make(ctx, image, ident, width=image.width, height=image.height, mode=image.mode)


def image_of(ctx: Context | None, ref: Any) -> Any:
    """The live Pillow image a handle names."""
    return ImageRef.resolve(ctx, ref)


def pil_image(ref: ImageRef | dict[str, Any]) -> Any:
    """The Pillow image behind a handle, for a notebook cell (from a recent run of this kernel)."""
    return image_of(None, ref)


def changed(ctx: Context | None, ref: Any, image: Any, use_ref: bool) -> ImageRef:
    """The handle of a transformed image: the input's own (in place) or a new one."""
    return keep_image(ctx, image, ref if use_ref else None)


def open_image(data: bytes, apply_exif: bool = False, what: str = "image") -> Any:
    """Decode image bytes (any format Pillow reads); EXIF orientation applied on request."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except UnidentifiedImageError:
        raise ValueError(f"{what} is not an image Pillow can read (no format it knows): it starts "
                         f"{data[:16]!r}") from None
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError(f"{what} is not an image Pillow can read: {exc}") from None
    return ImageOps.exif_transpose(image) if apply_exif else image


def within_limit(width: int, height: int) -> tuple[int, int]:
    """The size of an image to make, unless it has more pixels than Pillow reads (its decompression-bomb limit):
    such a size is a typo far more often than a wish, and making it would take the machine's memory (4 bytes a
    pixel)."""
    if why := too_many_pixels(width, height):
        raise ValueError(f"{width}x{height} is {why}")
    return width, height


def too_many_pixels(width: int, height: int) -> str:
    """Why an image of this size is not made (its pixels over Pillow's limit), or nothing."""
    from PIL import Image

    limit = Image.MAX_IMAGE_PIXELS
    if limit and width * height > limit:
        return f"{width * height:,} pixels, over the {limit:,} Pillow allows (PIL.Image.MAX_IMAGE_PIXELS)"
    return ""


DEEP_MODES = frozenset({"I", "F", "I;16", "I;16L", "I;16B", "I;16N"})
"""Pixel modes of more than 8 bits a channel: 16- and 32-bit integers (depth maps, scientific and 16-bit PNGs) and
floats."""


def eight_bit(image: Any) -> Any:
    """A deep image (`DEEP_MODES`) as 8-bit grey (L), scaled as Flow-Like's image crate scales it: integer pixels
    are 0-65535, float pixels 0.0-1.0. Pillow's own conversion clips them instead (a 16-bit depth map turns
    white). Other images as they are."""
    if image.mode not in DEEP_MODES:
        return image
    if image.mode == "F":
        return image.point(lambda value: value * 255 + 0.5).convert("L")
    return image.convert("F").point(lambda value: value / 257 + 0.5).convert("L")


def converted(image: Any, mode: str) -> Any:
    """`image.convert(mode)`, a deep image scaled into 8 bits first (`eight_bit`) unless `mode` is deep too."""
    return (image if mode in DEEP_MODES else eight_bit(image)).convert(mode)


def has_alpha(image: Any) -> bool:
    return "A" in image.mode or "transparency" in image.info


FORMAT_ALIASES = {"JPG": "JPEG", "TIF": "TIFF", "PNM": "PPM"}


def format_named(text: str) -> str:
    """Pillow's name of the image format a pin names in any case (Flow-Like's WebP is WEBP, its PNM Pillow's
    PPM)."""
    name = text.upper()
    return FORMAT_ALIASES.get(name, name)


LEFT_OUT = {"FARBFELD": ("Farbfeld", "PNG keeps 16-bit pixels, losslessly"),
            "HDR": ("HDR", "TIFF keeps float pixels (mode F)")}
"""Flow-Like's image types Pillow cannot write, and what to write instead."""


def encode(image: Any, format: str, quality: int = 95) -> bytes:
    """Image bytes in a format (PNG, JPEG, WEBP, BMP, GIF, TIFF...). A pixel mode the format does not hold is
    converted: deep pixels to 8 bits (`eight_bit`; PNG keeps 16-bit grey, TIFF every depth), then to RGB, or RGBA
    for an image with transparency (JPEG drops it)."""
    format = format_named(format)
    if format in LEFT_OUT:
        name, instead = LEFT_OUT[format]
        raise ValueError(f"cannot write the image as {name}: Flow-Like's {name} type is left out here (Pillow writes "
                         f"no {name}); {instead}")
    if image.mode in DEEP_MODES and format != "TIFF" and not (format == "PNG" and image.mode == "I;16"):
        image = eight_bit(image)
    if format == "JPEG" and image.mode not in ("RGB", "L", "CMYK", "1"):
        image = image.convert("RGB")
    try:
        try:
            return _saved(image, format, quality)
        except (OSError, ValueError):  # a mode the format does not hold (CMYK as PNG, LA as BMP): in colour then
            colour = "RGBA" if has_alpha(image) else "RGB"
            if image.mode == colour:
                raise
            return _saved(image.convert(colour), format, quality)
    except KeyError:
        from PIL import Image

        raise ValueError(f"cannot write the image as {format}: Pillow writes no such format (it writes "
                         f"{', '.join(sorted(Image.SAVE))})") from None
    except (ValueError, OSError) as exc:
        raise ValueError(f"cannot write the image as {format}: {exc}") from None


def _saved(image: Any, format: str, quality: int) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if format == "ICO":  # an icon of the image's own size (up to ICO's 256), not Pillow's set of smaller ones
        options["sizes"] = [(min(image.width, 256), min(image.height, 256))]
    elif format == "WEBP":  # lossless at 100, as Flow-Like always writes it
        options["lossless"] = quality >= 100
    image.save(out, format, quality=quality, **options)
    return out.getvalue()


MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif",
               "BMP": "image/bmp", "TIFF": "image/tiff"}
