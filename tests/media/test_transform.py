from __future__ import annotations

import pytest
from flowlike_catalog.media import pil_image
from flowlike_catalog.media.image import BoundingBox, keep_image
from flowlike_catalog.media.transform import (
    contrast_image,
    convert_image,
    crop_image,
    resize_image,
    rotate_image,
    target_size,
)
from media_images import quadrants
from PIL import Image


def test_convert_to_grey_uses_the_luma_weights() -> None:
    ref = keep_image(None, quadrants())
    grey = convert_image.func(None, ref, "Luma", False)
    assert grey.mode == "L" and grey.id != ref.id
    assert [pil_image(grey).getpixel(p) for p in ((0, 0), (39, 0), (0, 19), (39, 19))] == [76, 150, 29, 255]


def test_in_place_changes_keep_the_handle() -> None:
    ref = keep_image(None, quadrants())
    grey = convert_image.func(None, ref, "Luma", True)
    assert grey.id == ref.id and pil_image(ref).mode == "L"


def test_crop_is_clipped_to_the_image() -> None:
    ref = keep_image(None, quadrants())
    cropped = crop_image.func(None, ref, BoundingBox(x1=15, y1=5, x2=100, y2=15))
    image = pil_image(cropped)
    assert image.size == (25, 10)
    assert image.getpixel((0, 0)) == (255, 0, 0) and image.getpixel((24, 9)) == (255, 255, 255)
    with pytest.raises(ValueError, match="leaves nothing of a 40x20 image"):
        crop_image.func(None, ref, BoundingBox(x1=50, y1=0, x2=60, y2=10))


def test_crop_truncates_as_flow_like() -> None:
    """Flow-Like crops at the box's corner cut to whole pixels and its width and height cut, not rounded."""
    ref = keep_image(None, Image.linear_gradient("L").resize((40, 20)))
    image = pil_image(crop_image.func(None, ref, BoundingBox(x1=1.6, y1=2.7, x2=5.4, y2=9.9)))
    assert image.size == (3, 7)  # from (1, 2): width 5.4 - 1.6 = 3.8 cut to 3, height 7.2 cut to 7
    assert image.tobytes() == pil_image(ref).crop((1, 2, 4, 9)).tobytes()
    left = pil_image(crop_image.func(None, ref, BoundingBox(x1=-3.5, y1=0, x2=4.9, y2=20)))
    assert left.size == (4, 20), "a box past the left edge keeps what lies inside the image"


def test_resize_modes() -> None:
    assert target_size(40, 20, "keep_aspect", 10, 10) == (10, 5)
    assert target_size(40, 20, "exact", 10, 10) == (10, 10)
    assert target_size(5, 2, "keep_aspect", 50, 5) == (13, 5), "a half rounds up, as in Flow-Like (12.5 -> 13)"
    ref = keep_image(None, quadrants())
    out, width, height = resize_image.func(None, ref, False, "keep_aspect", "Nearest", 20, 20)
    assert (width, height) == (20, 10) and pil_image(out).getpixel((0, 0)) == (255, 0, 0)
    out, width, height = resize_image.func(None, ref, False, "fill", "Nearest", 10, 10)
    assert (width, height) == (10, 10) and pil_image(out).getpixel((9, 9)) == (255, 255, 255)
    with pytest.raises(ValueError, match="unknown resize mode 'stretchy'"):
        resize_image.func(None, ref, False, "stretchy")


def test_rotate_counter_clockwise() -> None:
    ref = keep_image(None, quadrants())
    turned = pil_image(rotate_image.func(None, ref, 90.0))
    assert turned.size == (20, 40)
    assert turned.getpixel((0, 0)) == (0, 255, 0) and turned.getpixel((19, 39)) == (0, 0, 255)
    assert pil_image(rotate_image.func(None, ref, 180.0)).getpixel((0, 0)) == (255, 255, 255)


def test_contrast_as_flow_like_makes_it() -> None:
    """Flow-Like's (the image crate's adjust_contrast): each colour channel moves away from mid-grey by
    ((100 + contrast) / 100) squared, clipped and cut to an integer; alpha stays."""
    image = Image.new("L", (3, 1))
    image.putdata([0, 200, 128])
    ref = keep_image(None, image)
    assert list(pil_image(contrast_image.func(None, ref, -100.0, False)).tobytes()) == [127, 127, 127]
    assert list(pil_image(contrast_image.func(None, ref, 100.0, False)).tobytes()) == [0, 255, 129]
    assert list(pil_image(contrast_image.func(None, ref, 0.0, False)).tobytes()) == [0, 200, 128]
    colour = keep_image(None, Image.new("RGBA", (1, 1), (100, 200, 50, 77)))
    assert pil_image(contrast_image.func(None, colour, 50.0, False)).getpixel((0, 0)) == (65, 255, 0, 77)


def test_a_pipeline_on_a_board(board, tmp_path) -> None:
    quadrants().save(tmp_path / "q.png")
    read = board.add("read_image", path=str(tmp_path / "q.png"))
    resize = board.add("resize_image", width_in=20, height_in=20, filter="Nearest", use_ref=False)
    grey = board.add("convert_image", use_ref=False)
    size = board.add("get_dimensions")
    board.wire(read, "image_out", resize, "image_in")
    board.wire(resize, "image_out", grey, "image_in")
    board.wire(grey, "image_out", size, "image_in")
    run = board.steps(read, resize, grey, size)
    assert (run.output(size.id, "width"), run.output(size.id, "height")) == (20, 10)
    assert pil_image(run.output(grey.id, "image_out")).getpixel((19, 9)) == 255
