"""Read and write images: files, the content store, bytes, data URLs and http(s) URLs."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Annotated

from flowlike_catalog.content import App, Location, given_bytes, read_bytes, write_bytes
from flowlike_catalog.media.image import (
    MEDIA_TYPES,
    ImageIn,
    ImageRef,
    encode,
    format_named,
    image_of,
    keep_image,
    open_image,
)

from flowlike_core import Context, Pin, node
from flowlike_core.storage import BlobRef

CATEGORY = "Image/Content"
ApplyExif = Annotated[bool, Pin("Apply EXIF", description="Turn the image as its EXIF orientation says")]
ImageOut = Annotated[ImageRef, Pin("Image", name="image_out")]
Format = Annotated[str, Pin(valid_values=("JPEG", "PNG", "TIFF", "WebP", "AVIF", "BMP", "GIF", "ICO", "PNM", "QOI",
                                           "TGA"))]
"""Flow-Like's image types Pillow writes (not its Farbfeld and HDR), and GIF; any case, JPG and TIF do too."""
EXTENSIONS = {"PNG": ".png", "JPEG": ".jpeg", "WEBP": ".webp", "BMP": ".bmp", "GIF": ".gif", "TIFF": ".tiff",
              "AVIF": ".avif", "ICO": ".ico", "PPM": ".pnm", "QOI": ".qoi", "TGA": ".tga"}
"""The extension a file written in a format gets when its path names another (Flow-Like's; other formats Pillow
writes, Pillow's first)."""


def decode_data_url(url: str) -> bytes:
    """The bytes of a `data:[type][;base64],payload` URL."""
    header, comma, payload = url.partition(",")
    if not url.startswith("data:") or not comma:
        raise ValueError(f"not a data URL: {url[:40]!r}")
    if header.endswith(";base64"):
        try:
            return base64.b64decode(payload, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"the data URL's base64 payload is broken: {exc}") from None
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(payload)


@node(exec_pins=True, capabilities=["files"])
def read_image(ctx: Context, path: Location = None, apply_exif: ApplyExif = False, app: App = "default") -> ImageOut:
    """Reads an image file (PNG, JPEG, WEBP, GIF, BMP, TIFF...) from a path or the content store."""
    return keep_image(ctx, open_image(read_bytes(path, app, "image"), apply_exif, f"image {path!r}"))


@node(friendly_name="Read Image (Bytes)", exec_pins=True)
def read_image_bytes(ctx: Context, data: bytes = None, apply_exif: ApplyExif = False) -> ImageOut:
    """Decodes an image from its bytes."""
    data = given_bytes(data, "the bytes of an image (To Bytes of an API Call's response, for one)")
    return keep_image(ctx, open_image(data, apply_exif))


@node(friendly_name="Read Image from URL", exec_pins=True, capabilities=["network"])
async def read_image_url(ctx: Context, signed_url: Annotated[str, Pin("URL", description=(
        "A data: URL, or an http(s) URL (signed URLs work: nothing is added to them)"))] = "",
        apply_exif: ApplyExif = False, timeout: float = 30.0) -> ImageOut:
    """Reads an image from a data URL or downloads it over http(s)."""
    if signed_url.startswith("data:"):
        data = decode_data_url(signed_url)
    elif signed_url.startswith(("http://", "https://")):
        import httpx

        async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
            try:
                response = await client.get(signed_url)
            except httpx.HTTPError as exc:
                detail = str(exc) or (f"no answer within {timeout:g} s" if isinstance(exc, httpx.TimeoutException)
                                      else type(exc).__name__)
                raise ConnectionError(f"could not download the image from {signed_url}: {detail}") from None
        if not response.is_success:
            raise ConnectionError(f"could not download the image from {signed_url}: it answered status "
                                  f"{response.status_code}")
        data = response.content
    else:
        raise ValueError(f"the image URL must be a data: or http(s) URL, got {signed_url[:40]!r}")
    return keep_image(ctx, open_image(data, apply_exif, "the data URL" if signed_url.startswith("data:")
                                      else f"the download of {signed_url}"))


@node(exec_pins=True, capabilities=["files"])
def write_image(ctx: Context, image_in: ImageIn = None, path: Location = "", type: Format = "JPEG",
                quality: Annotated[int, Pin(range=(1, 100))] = 100, app: App = "default") -> Annotated[
        BlobRef | None, Pin(name="blob", description="The content-store reference when no path was given")]:
    """Writes the image in a format (quality 1-100 for JPEG, AVIF and WebP, which is lossless at 100) to a path, or
    to the content store. The file gets the format's extension (JPEG asked for `out.png` writes `out.jpeg`, as
    Flow-Like does); one that already names it (`.jpg`, `.tif`) stays."""
    kind = format_named(type)
    data = encode(image_of(ctx, image_in), kind, quality)
    if isinstance(path, str | Path) and str(path):
        path = path_for_format(ctx, path, kind)
    return write_bytes(data, path, app, MEDIA_TYPES.get(kind, "image/*"))


def path_for_format(ctx: Context | None, path: str | Path, kind: str) -> str | Path:
    """The path with an extension naming the format `kind`: its own when it does, else the format's (a warning
    says so); so no file's name says another format than its bytes."""
    from PIL import Image

    target, known = Path(path), Image.registered_extensions()
    if known.get(target.suffix.lower()) == kind:
        return path
    extension = EXTENSIONS.get(kind) or next(ext for ext, format in known.items() if format == kind)
    renamed = target.with_suffix(extension)
    if ctx is not None:
        ctx.warn(f"wrote {renamed}: the image is {kind}, the path asked for {target}")
    return renamed if isinstance(path, Path) else str(renamed)


@node(friendly_name="Image to Bytes")
def image_to_bytes(ctx: Context, image_in: ImageIn = None, type: Format = "PNG",
                   quality: Annotated[int, Pin(range=(1, 100))] = 95) -> bytes:
    """The image encoded in a format, as bytes."""
    return encode(image_of(ctx, image_in), type, quality)
