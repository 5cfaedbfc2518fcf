"""Teachable Machine image models (exported to ONNX) and reading class predictions."""

from __future__ import annotations

import re
from typing import Annotated, Any, NamedTuple

from flowlike_catalog import struct_given
from flowlike_catalog.content import App, Location, decoded, read_bytes
from flowlike_catalog.media.image import ImageIn, image_of
from flowlike_catalog.onnx.session import open_session, run_session
from flowlike_catalog.onnx.tensors import image_input, pixels, to_tensor
from flowlike_catalog.onnx.vision import ClassPrediction, label_of

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML"
_NUMBERED = re.compile(r"^\d+\s+")


class ClassOrLabel(NamedTuple):
    class_idx: int
    label: str


def read_labels(text: str) -> list[str]:
    """Teachable Machine's labels.txt: one class a line, "0 Cats", "1 Dogs"; the number is dropped."""
    return [_NUMBERED.sub("", line.strip()) for line in text.splitlines() if line.strip()]


def square(image: Any) -> Any:
    """The centre square of the image, as Teachable Machine crops before resizing."""
    side = min(image.width, image.height)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    return image.crop((left, top, left + side, top + side))


@node(friendly_name="Teachable Machine", exec_pins=True, capabilities=["files", "native"])
def ai_ml_teachable_machine(ctx: Context, model: Location = None, image_in: ImageIn = None, labels: Location = None,
                            input_width: int = 224, input_height: int = 224, app: App = "default") -> Annotated[
        list[ClassPrediction], Pin(name="predictions", description="Every class, best first")]:
    """Classifies an image with a Teachable Machine image model converted to ONNX and its labels.txt: centre
    square, resize, pixels scaled to [-1, 1] as Teachable Machine trains them. The model loads once per run."""
    import numpy as np
    from PIL import Image

    key = ("teachable-machine", str(model), str(labels))
    not_the_models = f"labels file {labels!r} is not this model's"
    if key not in ctx.cache:
        ctx.cache[key] = (open_session(read_bytes(model, app, "Teachable Machine model"), f"model {model!r}"),
                          read_labels(decoded(read_bytes(labels, app, "labels file"), not_the_models))
                          if labels else None)
    session, names = ctx.cache[key]
    spec = image_input(session, input_width)
    size = (input_width, input_height) if spec.width == input_width or not spec.width else (spec.width, spec.height)
    image = square(image_of(ctx, image_in).convert("RGB")).resize(size, Image.Resampling.BILINEAR)
    tensor = to_tensor(pixels(image, spec.channels) * 2.0 - 1.0, spec)
    scores = np.asarray(next(iter(run_session(session, {spec.name: tensor}).values())), np.float64).reshape(-1)
    if names is not None and len(names) != len(scores):
        raise ValueError(f"{not_the_models}: it names {len(names)} classes and the model scores {len(scores)}")
    order = np.argsort(-scores, kind="stable")
    return [ClassPrediction(class_idx=int(i), score=float(scores[i]), label=label_of(names, int(i))) for i in order]


@node(friendly_name="Class or Label")
def ai_ml_pred_class_or_label(prediction: ClassPrediction = None) -> ClassOrLabel:
    """The class number and label of a prediction."""
    found = struct_given(ClassPrediction, prediction, "prediction")
    return ClassOrLabel(found.class_idx, found.label)


@node(friendly_name="Prediction Score", category="AI/ML/Teachable Machine")
def ai_ml_pred_score(prediction: ClassPrediction = None) -> Annotated[float, Pin(name="score")]:
    """The score of a prediction."""
    return struct_given(ClassPrediction, prediction, "prediction").score
