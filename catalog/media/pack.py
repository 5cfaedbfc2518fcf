"""The media pack's `PACK`, made when first asked for (see the package)."""

from flowlike_catalog.media import annotate, bits, codes, content, metadata, pdf, transform, web

from flowlike_core import Pack

PACK = Pack(
    "media",
    modules=[content, transform, metadata, annotate, codes, pdf, web, bits],
    description="Images, QR codes and barcodes, PDF pages (pip install 'flowlike-nb[media]')",
)
