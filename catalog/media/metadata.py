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


USER_COMMENT = 0x9286
TEXTS = {USER_COMMENT, 0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F}
"""Tags whose bytes are text in a code of their own: UserComment, and Windows' XPTitle, XPComment, XPAuthor,
XPKeywords and XPSubject (UTF-16, little-endian)."""
CHARACTER_CODES = {b"ASCII\0\0\0": "ascii", b"JIS\0\0\0\0\0": "shift_jis", b"\0" * 8: "utf-8"}


def _text(tag: int, value: bytes) -> str:
    """A text tag's bytes as text. UserComment starts with an 8-byte character code; its UNICODE is UTF-16 in the
    byte order the text shows (cameras differ), a byte-order mark first if there is one."""
    if tag != USER_COMMENT:
        return value.decode("utf-16-le", "replace").rstrip("\0")
    code, body = value[:8], value[8:]
    if code == b"UNICODE\0":
        encoding = "utf-16" if body[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-16-be" if body[:1] == b"\0" else (
            "utf-16-le")
    elif code in CHARACTER_CODES:
        encoding = CHARACTER_CODES[code]
    else:  # no character code: the text itself
        encoding, body = "utf-8", value
    return body.decode(encoding, "replace").rstrip("\0 ")


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
    tags = {ExifTags.TAGS.get(tag, str(tag)): _text(tag, value) if isinstance(value, bytes) and tag in TEXTS
            else _plain(value) for tag, value in found.items() if tag not in LEFT_OUT}
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if gps:
        tags["GPSInfo"] = {ExifTags.GPSTAGS.get(tag, str(tag)): _plain(value) for tag, value in gps.items()}
    return tags
