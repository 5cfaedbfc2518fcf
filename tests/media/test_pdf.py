from __future__ import annotations

import pytest
from flowlike_catalog.media import pil_image
from PIL import Image


def near(pixel: tuple, expected: tuple) -> bool:
    """Pillow stores RGB pages as JPEG inside the PDF: colours come back within 2 levels."""
    return all(abs(a - b) <= 2 for a, b in zip(pixel, expected, strict=True))


@pytest.fixture
def pdf(tmp_path):
    """A 3-page PDF: red, green and blue pages of 144 x 72 points."""
    pages = [Image.new("RGB", (144, 72), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    path = tmp_path / "colours.pdf"
    pages[0].save(path, "PDF", resolution=72, save_all=True, append_images=pages[1:])
    return path


def test_page_count(board, pdf) -> None:
    run, node = board.one("pdf_page_count", {"pdf": str(pdf)})
    assert run.output(node.id, "page_count") == 3


def test_one_page_at_a_scale(board, pdf) -> None:
    run, node = board.one("pdf_page_to_image", {"pdf": str(pdf)}, page=2, scale=0.5)
    image = pil_image(run.output(node.id, "image"))
    assert image.size == (72, 36) and near(image.convert("RGB").getpixel((36, 18)), (0, 255, 0))


def test_all_pages_in_order(board, pdf) -> None:
    run, node = board.one("pdf_to_images", {"pdf": str(pdf)})
    images = [pil_image(ref).convert("RGB") for ref in run.output(node.id, "images")]
    assert [im.size for im in images] == [(144, 72)] * 3
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    assert all(near(im.getpixel((70, 30)), colour) for im, colour in zip(images, colours, strict=True))


def test_bad_pages_and_files(board, pdf, tmp_path) -> None:
    from flowlike_catalog.media.pdf import pdf_page_count

    with pytest.raises(Exception, match=r"page 4 is not in the PDF: its pages are 1 to 3$"):
        board.one("pdf_page_to_image", {"pdf": str(pdf)}, page=4)
    with pytest.raises(Exception, match=r"page 0 is not in the PDF: its pages are 1 to 3 \(they count from 1\)$"):
        board.fresh().one("pdf_page_to_image", {"pdf": str(pdf)}, page=0)
    (tmp_path / "fake.pdf").write_bytes(b"hello")
    with pytest.raises(ValueError, match="fake.pdf' cannot be opened"):
        pdf_page_count.func(str(tmp_path / "fake.pdf"))
