"""The media pack: images with Pillow (read, write, transform, annotate, metadata), QR codes and barcodes,
PDF pages as images, Flow-Like's Bit branching.

Images travel as `ImageRef` handles; `pil_image(ref)` gives a notebook cell the Pillow image.
"""

from flowlike_catalog import lazy_pack
from flowlike_catalog.media.image import BoundingBox, ImageRef, pil_image

__getattr__ = lazy_pack(__name__)

__all__ = ["PACK", "BoundingBox", "ImageRef", "pil_image"]
