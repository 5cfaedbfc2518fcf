"""PDF Page Count and PDF Page to Image on a PDF that opens only with its password say so, where they said
PDFium's "Failed to load document (PDFium: Incorrect password error)."."""

from __future__ import annotations

import pytest
from PIL import Image


@pytest.mark.parametrize(("key", "defaults"), [("pdf_page_count", {}), ("pdf_page_to_image", {"page": 1})])
def test_a_pdf_that_needs_its_password_says_so(board, tmp_path, key, defaults) -> None:
    from pypdf import PdfWriter

    from flowlike_core import NodeFailed

    Image.new("RGB", (144, 72), (255, 0, 0)).save(tmp_path / "plain.pdf", "PDF", resolution=72)
    writer = PdfWriter(clone_from=tmp_path / "plain.pdf")
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(tmp_path / "locked.pdf")
    with pytest.raises(NodeFailed, match=r"PDF '.*locked\.pdf' is encrypted: it opens only with its password, which "
                                         r"these nodes do not take \(save a copy without the password\)"):
        board.one(key, pdf=str(tmp_path / "locked.pdf"), **defaults)
