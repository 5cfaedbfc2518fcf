"""Annotate images: make bounding boxes and draw them with their labels (detections feed it directly)."""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.media.image import (
    BoundingBox,
    ImageIn,
    ImageRef,
    UseRef,
    changed,
    converted,
    has_alpha,
    image_of,
)

from flowlike_core import Context, Pin, node

CATEGORY = "Image/Annotate"
DEFINITIONS = ("xyxy", "x1y1wh", "cxcywh")
PALETTE = ((230, 25, 75), (60, 180, 75), (0, 130, 200), (245, 130, 48), (145, 30, 180), (70, 240, 240),
           (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128))
Size = Annotated[float, Pin(description="Width or height of the box (x1y1wh and cxcywh)")]


def box_from(definition: str, x1: float, y1: float, x2: float, y2: float, w: float, h: float
             ) -> tuple[float, float, float, float]:
    """(x1, y1, x2, y2) from corners (xyxy), top-left corner and size (x1y1wh) or centre and size (cxcywh)."""
    if definition == "xyxy":
        return x1, y1, x2, y2
    if definition == "x1y1wh":
        return x1, y1, x1 + w, y1 + h
    if definition == "cxcywh":
        return x1 - w / 2, y1 - h / 2, x1 + w / 2, y1 + h / 2
    raise ValueError(f"unknown box definition {definition!r}: use one of {', '.join(DEFINITIONS)}")


@node(name="make_boxe", friendly_name="Make Bounding Box", exec_pins=True)
def make_box(definition: Annotated[str, Pin(valid_values=DEFINITIONS, description=(
        "What the numbers are: corners x1, y1, x2, y2 (xyxy); top-left corner x1, y1 and size w, h (x1y1wh, "
        "Flow-Like's); centre x1, y1 and size w, h (cxcywh)"))] = "xyxy", class_idx: int = 0, score: float = 1.0,
        x1: float = 0.0, y1: float = 0.0, x2: float = 0.0, y2: float = 0.0, label: str = "", w: Size = 0.0,
        h: Size = 0.0) -> Annotated[BoundingBox, Pin(name="bbox")]:
    """A bounding box in corner form from any of the three usual definitions."""
    left, top, right, bottom = box_from(definition, x1, y1, x2, y2, w, h)
    return BoundingBox(x1=left, y1=top, x2=right, y2=bottom, class_idx=class_idx, score=score, label=label)


@node(exec_pins=True)
def draw_boxes(ctx: Context, image_in: ImageIn = None, bboxes: list[BoundingBox] = None, use_ref: UseRef = False,
               line_width: int = 2, show_labels: bool = True) -> Annotated[ImageRef, Pin("Image", name="image_out")]:
    """Draws each box in a colour of its class, with its label (or class number) and score above it."""
    from PIL import ImageDraw

    image = image_of(ctx, image_in)
    result = converted(image, "RGBA" if has_alpha(image) else "RGB")  # transparency kept, as Flow-Like draws
    draw = ImageDraw.Draw(result)
    for i, raw in enumerate(bboxes or []):
        box = BoundingBox.model_validate(raw)
        if box.x2 < box.x1 or box.y2 < box.y1:  # (Pillow's refusal names no box)
            raise ValueError(f"box {i} ({box.x1}, {box.y1})-({box.x2}, {box.y2}) has its corners the wrong way round: "
                             f"(x1, y1) is the top left corner, (x2, y2) the bottom right")
        colour = PALETTE[box.class_idx % len(PALETTE)]
        draw.rectangle((box.x1, box.y1, box.x2, box.y2), outline=colour, width=line_width)
        if show_labels:
            text = f"{box.label or box.class_idx} {box.score:.2f}"
            left, top, right, bottom = draw.textbbox((box.x1, box.y1), text)
            lift = bottom - top + 2
            y = box.y1 - lift if box.y1 >= lift else box.y1
            draw.rectangle((left, y, right + 2, y + lift), fill=colour)
            draw.text((box.x1 + 1, y), text, fill=(255, 255, 255))
    return changed(ctx, image_in, result, use_ref)
