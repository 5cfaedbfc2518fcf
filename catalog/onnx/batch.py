"""Batch inference: many images through one model, several at a time."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.media.image import image_of
from flowlike_catalog.onnx.session import Model, run_session, session_of
from flowlike_catalog.onnx.tensors import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    image_input,
    image_tensor,
    resized,
)
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/ONNX/Batch"


class BatchResult(BaseModel):
    count: int
    batches: int
    output_names: list[str]


class Batched(NamedTuple):
    results: Annotated[list[dict[str, Any]], Pin(description="Per image, in order: output name -> its array")]
    batch_result: BatchResult


def fixed_batch(session: Any, name: str) -> int | None:
    """The batch size a model insists on, if its first dimension is fixed."""
    first = next(t for t in session.get_inputs() if t.name == name).shape[0]
    return first if isinstance(first, int) and first > 0 else None


def item(ctx: Context, images: list[Any], index: int) -> Any:
    """The image of one item, a failure naming the item."""
    try:
        return image_of(ctx, images[index])
    except (TypeError, LookupError) as exc:
        raise type(exc)(f"images[{index}]: {exc}") from None


@node(friendly_name="Batch Image Inference", exec_pins=True, capabilities=["native"])
def onnx_batch_image_inference(ctx: Context, model: Model = None, images: Annotated[list[Any], Pin(
        description="Image handles")] = None, batch_size: int = 8, input_size: int = 224,
        normalize: Annotated[bool, Pin(description="ImageNet mean and std after scaling to [0, 1]")] = True) -> Batched:
    """Resizes every image to the model's input and runs them `batch_size` at a time (as many as the model's
    batch size when it is fixed, the last batch padded)."""
    import numpy as np

    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    session = session_of(ctx, model)
    spec = image_input(session, input_size)
    fixed = fixed_batch(session, spec.name)
    step = fixed or batch_size
    mean, std = (IMAGENET_MEAN, IMAGENET_STD) if normalize else (None, None)
    images = list(images or [])
    results: list[dict[str, Any]] = []
    batches = 0
    for start in range(0, len(images), step):
        ctx.check_cancelled()
        chunk = [image_tensor(resized(item(ctx, images, i), spec), spec, mean, std)
                 for i in range(start, min(start + step, len(images)))]
        # a model fixed to a batch of N takes a short last batch padded to N; the padding's answers are dropped
        padding = [chunk[-1]] * ((fixed or len(chunk)) - len(chunk))
        outputs = run_session(session, {spec.name: np.concatenate(chunk + padding)})
        results += [{name: value[i] for name, value in outputs.items()} for i in range(len(chunk))]
        batches += 1
        ctx.progress(min(start + step, len(images)), len(images))
    names = [o.name for o in session.get_outputs()]
    return Batched(results, BatchResult(count=len(results), batches=batches, output_names=names))
