from __future__ import annotations

import pytest
from flowlike_catalog.media import pil_image
from flowlike_catalog.media.annotate import PALETTE, draw_boxes, make_box
from flowlike_catalog.media.image import BoundingBox, keep_image
from PIL import Image


def test_make_box_from_each_definition() -> None:
    corners = (10.0, 20.0, 30.0, 60.0)
    assert make_box.func("xyxy", 1, 0.5, *corners) == BoundingBox(x1=10, y1=20, x2=30, y2=60, class_idx=1, score=0.5)
    sized = make_box.func("x1y1wh", 0, 1.0, 10, 20, w=20, h=40)  # Flow-Like's corner and size, in its w and h pins
    assert (sized.x1, sized.y1, sized.x2, sized.y2) == corners
    box = make_box.func("cxcywh", 0, 1.0, 20, 40, w=20, h=40)
    assert (box.x1, box.y1, box.x2, box.y2) == corners
    with pytest.raises(ValueError, match="unknown box definition 'yxyx'"):
        make_box.func("yxyx")


def test_draw_boxes_outlines_in_the_class_colour() -> None:
    ref = keep_image(None, Image.new("L", (100, 100), 0))
    boxes = [BoundingBox(x1=20, y1=30, x2=60, y2=80, class_idx=1, score=0.9, label="cat"),
             {"x1": 70, "y1": 0, "x2": 90, "y2": 20, "class_idx": 2}]
    drawn = pil_image(draw_boxes.func(None, ref, boxes, line_width=2))
    assert drawn.mode == "RGB"
    assert drawn.getpixel((20, 50)) == PALETTE[1] and drawn.getpixel((21, 50)) == PALETTE[1]
    assert drawn.getpixel((22, 50)) == (0, 0, 0)  # inside the 2-pixel outline
    assert drawn.getpixel((59, 79)) == PALETTE[1] and drawn.getpixel((80, 20)) == PALETTE[2]
    assert PALETTE[1] in {drawn.getpixel((x, y)) for x in range(20, 60) for y in range(18, 30)}  # the label band
    assert pil_image(ref).getpixel((20, 50)) == 0  # the input stays as it was


def test_draw_boxes_keeps_transparency() -> None:
    """Flow-Like draws on the image as it is: a transparent PNG stays transparent outside the boxes."""
    ref = keep_image(None, Image.new("RGBA", (40, 40), (0, 0, 0, 0)))
    drawn = pil_image(draw_boxes.func(None, ref, [BoundingBox(x1=10, y1=20, x2=30, y2=35)], show_labels=False))
    assert drawn.mode == "RGBA"
    assert drawn.getpixel((0, 0)) == (0, 0, 0, 0) and drawn.getpixel((10, 25)) == (*PALETTE[0], 255)


def test_a_flow_like_box_brings_its_class_name() -> None:
    """Flow-Like's BoundingBox names the class in class_name (null when unnamed): a box of an imported board or
    a Flow-Like service keeps its name as the label."""
    named = BoundingBox.model_validate({"x1": 1, "y1": 2, "x2": 3, "y2": 4, "score": 0.5, "class_idx": 3,
                                        "class_name": "cat"})
    assert (named.label, named.class_idx) == ("cat", 3)
    assert BoundingBox.model_validate({"x1": 1, "y1": 2, "x2": 3, "y2": 4, "class_name": None}).label == ""
    assert BoundingBox(x1=0, y1=0, x2=1, y2=1, label="dog").model_dump()["label"] == "dog"
