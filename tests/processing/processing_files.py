"""Documents for the processing tests, made on the spot: PNG images with Pillow, PDFs with fpdf2."""

from __future__ import annotations

import io
from pathlib import Path


def png(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (8, 6)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def make_pdf(path: Path, pages: list[str], image_on_page: int | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
        if number == image_on_page:
            pdf.image(io.BytesIO(png()), x=10, y=100, w=20)
    pdf.output(str(path))
    return path
