"""Text in images: find text regions (DB-style probability maps), read a line (CRNN with CTC), crop regions."""

from __future__ import annotations

from typing import Annotated, NamedTuple

from flowlike_catalog.media.image import BoundingBox, ImageIn, ImageRef, image_of
from flowlike_catalog.onnx.face import crop_boxes
from flowlike_catalog.onnx.session import Model, run_session, session_of
from flowlike_catalog.onnx.tensors import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    image_input,
    image_tensor,
    resized,
    softmax,
)
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/ONNX/OCR"
DEFAULT_CHARSET = "0123456789abcdefghijklmnopqrstuvwxyz"


class Regions(NamedTuple):
    regions: Annotated[list[BoundingBox], Pin(description="Text boxes in image pixels, top to bottom, left to right")]
    count: int


class RecognizedText(BaseModel):
    text: str
    confidence: float
    """Mean probability of the characters read (1.0 for nothing read)."""


class Recognized(NamedTuple):
    result: RecognizedText
    text: str


@node(friendly_name="Text Detection", exec_pins=True, capabilities=["native"])
def onnx_text_detection(ctx: Context, model: Model = None, image: ImageIn = None,
                        threshold: Annotated[float, Pin(description="Lowest text probability of a pixel")] = 0.5,
                        input_size: int = 640) -> Regions:
    """Finds text with a DB-style model (one output [1, 1, h, w]: the probability that a pixel is text):
    pixels above the threshold are grouped into connected regions, boxed and scaled to the image."""
    import numpy as np
    from scipy import ndimage

    session = session_of(ctx, model)
    spec = image_input(session, input_size)
    picture = image_of(ctx, image)
    tensor = image_tensor(resized(picture, spec), spec, IMAGENET_MEAN, IMAGENET_STD)
    probability = np.asarray(next(iter(run_session(session, {spec.name: tensor}).values())))
    if probability.ndim != 4 or probability.shape[:2] != (1, 1):
        raise ValueError(f"expected a probability map [1, 1, h, w], got {list(probability.shape)}")
    probability = probability[0, 0]
    labels, _ = ndimage.label(probability > threshold)
    sx, sy = picture.width / probability.shape[1], picture.height / probability.shape[0]
    regions = []
    for index, found in enumerate(ndimage.find_objects(labels), start=1):
        rows, columns = found
        score = float(probability[labels == index].mean())
        regions.append(BoundingBox(x1=columns.start * sx, y1=rows.start * sy, x2=columns.stop * sx,
                                   y2=rows.stop * sy, score=score, label="text"))
    regions.sort(key=lambda box: (box.y1, box.x1))
    return Regions(regions, len(regions))


@node(friendly_name="Text Recognition", exec_pins=True, capabilities=["native"])
def onnx_text_recognition(ctx: Context, model: Model = None, image: ImageIn = None,
                          charset: Annotated[str, Pin(description="Characters of classes 1, 2...; class 0 is the "
                                                                  "CTC blank")] = DEFAULT_CHARSET,
                          input_height: int = 32) -> Recognized:
    """Reads one line of text with a CRNN-style model: the crop is scaled to the input height (width kept in
    proportion unless fixed), pixels (x - 0.5) / 0.5; the output [1, steps, classes] is decoded greedily
    (best class per step, repeats merged, blanks dropped)."""
    import numpy as np
    from PIL import Image

    session = session_of(ctx, model)
    spec = image_input(session, input_height)
    picture = image_of(ctx, image)
    height = spec.height or input_height
    given = next(t for t in session.get_inputs() if t.name == spec.name).shape
    fixed_width = given[3] if spec.channels_first else given[2]
    width = fixed_width if isinstance(fixed_width, int) else max(1, round(picture.width * height / picture.height))
    line = picture.resize((width, height), Image.Resampling.BILINEAR)
    tensor = image_tensor(line, spec, (0.5,) * spec.channels, (0.5,) * spec.channels)
    scores = np.asarray(next(iter(run_session(session, {spec.name: tensor}).values())), np.float64)
    if scores.ndim != 3:
        raise ValueError(f"expected recognition scores [1, steps, classes], got {list(scores.shape)}")
    steps = scores[0] if scores.shape[0] == 1 else scores[:, 0]
    if not np.allclose(steps.sum(axis=1), 1.0, atol=1e-3) or steps.min() < 0:
        steps = softmax(steps)
    best, probability = steps.argmax(axis=1), steps.max(axis=1)
    characters, confidences, previous = [], [], 0
    for cls, p in zip(best.tolist(), probability.tolist(), strict=True):
        if cls != 0 and cls != previous:
            if cls - 1 >= len(charset):
                raise ValueError(f"the model predicts class {cls}, but the charset has only {len(charset)} characters")
            characters.append(charset[cls - 1])
            confidences.append(p)
        previous = cls
    text = "".join(characters)
    return Recognized(RecognizedText(text=text, confidence=float(np.mean(confidences)) if confidences else 1.0),
                      text)


@node(exec_pins=True)
def crop_text_regions(ctx: Context, image: ImageIn = None, regions: list[BoundingBox] = None,
                      padding: Annotated[int, Pin(description="Pixels added on each side")] = 2) -> Annotated[
        list[ImageRef], Pin(name="crops")]:
    """Cuts each text region out of the image, a few pixels wider, ready for Text Recognition."""
    boxes = [BoundingBox.model_validate(region) for region in regions or []]
    return crop_boxes(ctx, image, boxes, lambda w, h: (padding, padding))
