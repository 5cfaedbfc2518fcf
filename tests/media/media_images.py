"""Images with known pixels."""

from __future__ import annotations

from PIL import Image


def quadrants(width: int = 40, height: int = 20) -> Image.Image:
    """Red, green / blue, white quadrants."""
    image = Image.new("RGB", (width, height))
    w, h = width // 2, height // 2
    for box, colour in (((0, 0, w, h), (255, 0, 0)), ((w, 0, width, h), (0, 255, 0)),
                        ((0, h, w, height), (0, 0, 255)), ((w, h, width, height), (255, 255, 255))):
        image.paste(colour, box)
    return image
