"""Images as data URLs, for web pages and chat messages."""

from __future__ import annotations

import base64
from typing import Annotated

from flowlike_catalog.media.image import MEDIA_TYPES, ImageIn, encode, format_named, image_of

from flowlike_core import Context, Pin, node

CATEGORY = "Web/Camera"


@node(friendly_name="Image to Data URL", exec_pins=True)
def image_write_dataurl(ctx: Context, image: ImageIn = None, format: Annotated[str, Pin(
        valid_values=("png", "jpeg", "webp"))] = "png") -> Annotated[str, Pin(name="url")]:
    """The image encoded as a `data:image/...;base64,` URL: WebP lossless and JPEG at quality 75, as Flow-Like's
    image crate writes them."""
    kind = format_named(format)
    if kind not in MEDIA_TYPES:
        raise ValueError(f"cannot make a data URL of the image as {kind}: use png, jpeg or webp (gif, bmp and tiff "
                         f"work too)")
    data = encode(image_of(ctx, image), kind, 75 if kind == "JPEG" else 100)
    return f"data:{MEDIA_TYPES[kind]};base64,{base64.b64encode(data).decode('ascii')}"
