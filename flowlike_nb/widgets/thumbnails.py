"""Thumbnails of image values for the editor (pin tooltips, the inspector): a small WebP, never the image itself.

An image reaches a pin as a Pillow image, as a handle that can draw itself (`_repr_png_`: the media pack's
`ImageRef`, which names a live image), or as a content-store reference (`BlobRef`) whose media type is an image
(read from the app's store, `default` unless given). The thumbnail fits in THUMBNAIL x THUMBNAIL pixels.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from flowlike_core.storage import BlobRef

THUMBNAIL = 160
"""The longest side of a thumbnail, in pixels."""


def _pillow_image(value: Any, app: str) -> Any:
    """The value as a Pillow image (opened lazily: a large file is not decoded whole), or None if it is not one."""
    if type(value).__module__.startswith("PIL."):
        from PIL import Image

        return value if isinstance(value, Image.Image) else None
    if isinstance(value, BlobRef) or (isinstance(value, dict) and value.keys() == {"key", "size", "media_type"}):
        ref = BlobRef.model_validate(value)
        if not ref.media_type.startswith("image/"):
            return None
        from PIL import Image

        from flowlike_core.storage import current

        return Image.open(io.BytesIO(current().app(app).blobs.get(ref)))
    draw = getattr(value, "_repr_png_", None)
    if callable(draw) and not isinstance(value, type):
        png = draw()
        if not png:
            return None
        from PIL import Image

        return Image.open(io.BytesIO(png))
    return None


def thumbnail(value: Any, app: str = "default") -> dict[str, Any] | None:
    """`{"src": data URL, "width", "height", "size": [w, h] of the image}` for an image value, else None."""
    try:
        image = _pillow_image(value, app)
    except ImportError:  # no Pillow: no image values either, only references we cannot draw
        return None
    if image is None:
        return None
    # a handle that draws itself may draw it smaller: its own width and height say the image's size
    size = [getattr(value, "width", image.width), getattr(value, "height", image.height)]
    if not all(isinstance(side, int) for side in size):
        size = [image.width, image.height]
    small = image.copy() if image is value else image  # the run's own image stays as it is
    small.thumbnail((THUMBNAIL, THUMBNAIL))  # a JPEG file decodes at a reduced scale
    if small.mode not in ("RGB", "RGBA"):
        small = small.convert("RGBA" if "A" in small.getbands() or "transparency" in small.info else "RGB")
    out = io.BytesIO()
    small.save(out, "WEBP", quality=80)
    return {"src": "data:image/webp;base64," + base64.b64encode(out.getvalue()).decode("ascii"),
            "width": small.width, "height": small.height, "size": size}
