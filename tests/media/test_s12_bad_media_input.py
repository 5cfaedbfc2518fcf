"""Media nodes given the wrong thing say what and where: a box drawn with its corners the wrong way round (Pillow's
"x1 must be greater than or equal to x0", naming no box), a crop box read as None (a page of pydantic's text), a
data URL asked in a format it cannot name (an ICO labelled image/png), a Bit without its fields (pydantic's text)
or not a struct (a complaint about the output), and more data than a QR code holds (segno's "Data too large")."""

from __future__ import annotations

import base64

import pytest
from flowlike_catalog.media.image import keep_image
from media_images import quadrants


def test_a_box_drawn_with_its_corners_the_wrong_way_round_is_named(board) -> None:
    boxes = [{"x1": 1, "y1": 1, "x2": 9, "y2": 9}, {"x1": 30, "y1": 5, "x2": 10, "y2": 15}]
    error = board.failure("draw_boxes", {"image_in": keep_image(None, quadrants()), "bboxes": boxes})
    assert "box 1 (30.0, 5.0)-(10.0, 15.0) has its corners the wrong way round: (x1, y1) is the top left corner, " \
           "(x2, y2) the bottom right" in error, error


def test_a_crop_box_read_as_none_says_so(board) -> None:
    error = board.failure("crop_image", {"image_in": keep_image(None, quadrants()), "bbox": None})
    assert "no bounding box given (None): wire one (Make Bounding Box), or set the bbox input's fields" in error, error


def test_a_data_url_in_a_format_without_a_media_type_is_refused(board) -> None:
    error = board.failure("image_write_dataurl", {"image": keep_image(None, quadrants())}, format="ico")
    assert "cannot make a data URL of the image as ICO: use png, jpeg or webp (gif, bmp and tiff work too)" in error, \
        error


def test_a_data_url_names_its_format(board) -> None:
    run, node = board.one("image_write_dataurl", {"image": keep_image(None, quadrants())}, format="gif")
    url = run.output(node.id, "url")
    assert url.startswith("data:image/gif;base64,") and base64.b64decode(url.split(",")[1])[:4] == b"GIF8"


@pytest.mark.parametrize(("bit", "why"), [({"name": "llama"}, "the Bit has no id, type (a Bit struct has both)"),
                                          ("llama", "the Bit must be a struct with an id and a type, got str")])
@pytest.mark.parametrize("key", ["is_bit_of_type", "switch_on_bit"])
def test_a_bit_that_is_not_one_says_why(board, bit, why, key) -> None:
    error = board.failure(key, {"bit": bit})
    assert why in error, error


def test_more_data_than_a_qr_code_holds_says_how_much(board) -> None:
    error = board.failure("write_qrcode", {}, data="x" * 3000, error="H")
    assert "3,000 bytes do not fit in a QR code at error correction level H (a QR code holds at most 2,953 bytes, " \
           "at level L): shorten the data, or put it behind a URL" in error, error
