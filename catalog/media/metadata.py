"""What an image is: its size and its EXIF metadata."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.media.image import ImageIn, image_of

from flowlike_core import Context, Pin, node

CATEGORY = "Image/Metadata"


class Dimensions(NamedTuple):
    width: int
    height: int


def _plain(value: Any) -> Any:
    """EXIF values as JSON-clean values (rationals as floats, bytes as text where they decode)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").rstrip("\x00")
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, int | str | bool) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


LEFT_OUT = {0x8825, 0x8769, 0xA005, 0x927C}
"""EXIF tags that are no values: where the GPS, Exif and Interop sub-IFDs start, and MakerNote (a camera maker's
binary block)."""


@node(exec_pins=True)
def get_dimensions(ctx: Context, image_in: ImageIn = None) -> Dimensions:
    """Width and height in pixels."""
    image = image_of(ctx, image_in)
    return Dimensions(image.width, image.height)


@node(friendly_name="Get EXIF", exec_pins=True)
def image_exif(ctx: Context, image_in: ImageIn = None) -> Annotated[dict[str, Any], Pin(
        name="exif", description="Tag name -> value (camera, date, orientation, GPS...); empty without EXIF")]:
    """The image's EXIF metadata by tag name (the camera's settings and the time taken with the rest), the GPS tags
    under "GPSInfo"."""
    from PIL import ExifTags

    exif = image_of(ctx, image_in).getexif()
    found = {**exif, **exif.get_ifd(ExifTags.IFD.Exif)}  # exposure, aperture, ISO, DateTimeOriginal: a sub-IFD
    tags = {ExifTags.TAGS.get(tag, str(tag)): _plain(value) for tag, value in found.items() if tag not in LEFT_OUT}
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if gps:
        tags["GPSInfo"] = {ExifTags.GPSTAGS.get(tag, str(tag)): _plain(value) for tag, value in gps.items()}
    return tags
