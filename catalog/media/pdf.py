"""PDF pages: count them and render them to images (pypdfium2, the PDFium engine)."""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.content import App, read_bytes
from flowlike_catalog.media.image import ImageRef, keep_image, within_limit

from flowlike_core import Context, Pin, node

CATEGORY = "Image/PDF"
Pdf = Annotated[Any, Pin("PDF", description="A PDF file: a path or a content-store reference (BlobRef)")]
Scale = Annotated[float, Pin(description="Pixels per PDF point (1.0: 72 dpi)")]


def open_pdf(pdf: Any, app: str) -> Any:
    import pypdfium2
    from pypdfium2.raw import FPDF_ERR_PASSWORD

    try:
        return pypdfium2.PdfDocument(read_bytes(pdf, app, "PDF"))
    except pypdfium2.PdfiumError as exc:
        if exc.err_code == FPDF_ERR_PASSWORD:
            raise ValueError(f"PDF {pdf!r} is encrypted: it opens only with its password, which these nodes do not "
                             f"take (save a copy without the password)") from None
        raise ValueError(f"PDF {pdf!r} cannot be opened: {exc}") from None


def render(document: Any, index: int, scale: float) -> Any:
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    page = document[index]
    width, height = page.get_size()
    within_limit(round(width * scale), round(height * scale))
    return page.render(scale=scale).to_pil()


@node(friendly_name="PDF Page Count", exec_pins=True, capabilities=["files"])
def pdf_page_count(pdf: Pdf = None, app: App = "default") -> Annotated[int, Pin(name="page_count")]:
    """How many pages the PDF has."""
    return len(open_pdf(pdf, app))


@node(friendly_name="PDF Page to Image", exec_pins=True, capabilities=["files"])
def pdf_page_to_image(ctx: Context, pdf: Pdf = None, page: Annotated[int, Pin(description="Page number, from 1")] = 1,
                      scale: Scale = 1.0, app: App = "default") -> Annotated[ImageRef, Pin(name="image")]:
    """Renders one page to an image."""
    document = open_pdf(pdf, app)
    if not 1 <= page <= len(document):
        pages = "its only page is 1" if len(document) == 1 else f"its pages are 1 to {len(document)}"
        raise ValueError(f"page {page} is not in the PDF: {pages}{' (they count from 1)' if page == 0 else ''}")
    return keep_image(ctx, render(document, page - 1, scale))


@node(friendly_name="PDF to Images", exec_pins=True, capabilities=["files"])
def pdf_to_images(ctx: Context, pdf: Pdf = None, scale: Scale = 1.0, app: App = "default") -> Annotated[
        list[ImageRef], Pin(name="images")]:
    """Renders every page to an image, in page order."""
    document = open_pdf(pdf, app)
    images = []
    for index in range(len(document)):
        ctx.check_cancelled()
        images.append(keep_image(ctx, render(document, index, scale)))
        ctx.progress(index + 1, len(document))
    return images
