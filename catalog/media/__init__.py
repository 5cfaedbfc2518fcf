"""The media pack: images with Pillow (read, write, transform, annotate, metadata), QR codes and barcodes,
PDF pages as images, Flow-Like's Bit branching.

Images travel as `ImageRef` handles; `pil_image(ref)` gives a notebook cell the Pillow image.
"""

from flowlike_catalog.media import annotate, bits, codes, content, metadata, pdf, transform, web
from flowlike_catalog.media.image import BoundingBox, ImageRef, pil_image

from flowlike_core import Pack

PACK = Pack(
    "media",
    modules=[content, transform, metadata, annotate, codes, pdf, web, bits],
    description="Images, QR codes and barcodes, PDF pages (pip install 'flowlike-nb[media]')",
)

__all__ = ["PACK", "BoundingBox", "ImageRef", "pil_image"]
