"""A tinkerer's image board with real files (read, resize, convert, write), and the sizes and files that must be
refused before they take the machine's memory: a resize, a PDF render or a QR code over Pillow's pixel limit, a
decompression bomb, a file that is no image."""

from __future__ import annotations

import io
import re
import socket

import pytest
from PIL import Image

from flowlike_core.errors import NodeFailed

LIMIT = Image.MAX_IMAGE_PIXELS


def pipeline(board, source, target, *, width: int = 100, height: int = 100, mode: str = "keep_aspect",
             pixel_type: str = "Rgb", kind: str = "JPEG"):
    """Read Image -> Resize -> Convert -> Write Image, as a chain from Start."""
    read = board.add("read_image", path=str(source))
    resize = board.add("resize_image", width_in=width, height_in=height, mode=mode)
    convert = board.add("convert_image", pixel_type=pixel_type)
    write = board.add("write_image", path=str(target), type=kind, quality=90)
    board.wire(read, "image_out", resize, "image_in")
    board.wire(resize, "image_out", convert, "image_in")
    board.wire(convert, "image_out", write, "image_in")
    board.chain(board.add("events_simple"), read, resize, convert, write)
    return board.board.run(registry=board.registry)


@pytest.mark.parametrize(("pixel_type", "kind", "mode"), [("Rgb", "JPEG", "RGB"), ("Rgba", "JPEG", "RGB"),
                                                           ("LumaA", "PNG", "LA"), ("1", "WEBP", "RGB")])
def test_resize_convert_and_write_a_real_file(board, tmp_path, pixel_type, kind, mode) -> None:
    Image.new("RGBA", (640, 480), (10, 200, 30, 128)).save(tmp_path / "photo.png")
    target = tmp_path / "out" / f"thumb.{kind.lower()}"
    pipeline(board, tmp_path / "photo.png", target, pixel_type=pixel_type, kind=kind).raise_for_status()
    with Image.open(target) as written:
        assert (written.format, written.size, written.mode) == (kind, (100, 75), mode)


def test_a_resize_over_the_pixel_limit_is_refused_before_it_is_made(board, tmp_path) -> None:
    Image.new("RGB", (64, 48)).save(tmp_path / "photo.png")
    run = pipeline(board, tmp_path / "photo.png", tmp_path / "big.png", width=10_000, height=9_000, mode="exact")
    assert run.status.value == "Failed"
    assert re.fullmatch(rf"node 'Resize Image' \(\w+\) failed: ValueError: 10000x9000 is 90,000,000 pixels, "
                        rf"over the {LIMIT:,} Pillow allows \(PIL.Image.MAX_IMAGE_PIXELS\)", run.error), run.error
    assert not (tmp_path / "big.png").exists()


def test_a_pdf_render_over_the_pixel_limit_is_refused(board, tmp_path) -> None:
    Image.new("RGB", (144, 72), (255, 0, 0)).save(tmp_path / "page.pdf", "PDF", resolution=72)
    with pytest.raises(NodeFailed, match=r"13392x6696 is 89,672,832 pixels, over the"):
        board.one("pdf_page_to_image", {"pdf": str(tmp_path / "page.pdf")}, scale=93.0)


def test_a_qr_code_over_the_pixel_limit_is_refused(board) -> None:
    with pytest.raises(NodeFailed, match=r"9483x9483 is 89,927,289 pixels, over the"):
        board.one("write_qrcode", data="hi", scale=327, margin=4, error="L")


def test_a_decompression_bomb_and_a_file_that_is_no_image_are_named(board, tmp_path) -> None:
    Image.new("1", (14_000, 14_000)).save(tmp_path / "bomb.png")
    with pytest.raises(NodeFailed, match=r"image '\S+bomb.png' is not an image Pillow can read: Image size "
                                           r"\(196000000 pixels\) exceeds limit"):
        board.one("read_image", path=str(tmp_path / "bomb.png"))
    (tmp_path / "notes.png").write_text("just some notes")
    with pytest.raises(NodeFailed, match=r"notes.png' is not an image Pillow can read \(no format it knows\): "
                                           r"it starts b'just some notes'$"):
        board.fresh().one("read_image", path=str(tmp_path / "notes.png"))


def test_an_image_url_that_fails_says_status_or_wait_in_one_line(board, http_files) -> None:
    url, folder = http_files
    (folder / "page.html").write_text("<html>not a picture</html>")
    with pytest.raises(NodeFailed, match=rf"could not download the image from {url}/gone.png: it answered status "
                                         r"404$"):
        board.one("read_image_url", signed_url=f"{url}/gone.png")
    with pytest.raises(NodeFailed, match=rf"the download of {url}/page.html is not an image Pillow can read \(no "
                                         r"format it knows\): it starts b'<html>not a pict'$"):
        board.fresh().one("read_image_url", signed_url=f"{url}/page.html")
    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        quiet = f"http://127.0.0.1:{silent.getsockname()[1]}/cam.jpg"
        with pytest.raises(NodeFailed, match=rf"could not download the image from {quiet}: no answer within 0.2 s$"):
            board.fresh().one("read_image_url", signed_url=quiet, timeout=0.2)


def test_read_image_bytes_with_nothing_wired_says_what_it_needs(board) -> None:
    with pytest.raises(NodeFailed, match=r"TypeError: input 'data' needs the bytes of an image \(To Bytes of an API "
                                         r"Call's response, for one\), got no bytes \(not wired, or wired to empty "
                                         r"bytes\)$"):
        board.one("read_image_bytes")
    with pytest.raises(NodeFailed, match=r"input 'data' needs the bytes of an image .*, got str$"):
        board.fresh().one("read_image_bytes", {"data": "not bytes"})


def test_read_image_bytes_takes_a_default_of_byte_values(board) -> None:
    """Data is an Array<Byte> as in Flow-Like, whose boards store such a default as a list of byte values."""
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), "red").save(buffer, "PNG")
    read = board.add("read_image_bytes", data=list(buffer.getvalue()))
    size = board.add("get_dimensions")
    board.wire(read, "image_out", size, "image_in")
    board.chain(read, size)
    run = board.steps(read)
    assert (run.output(size.id, "width"), run.output(size.id, "height")) == (3, 2)
