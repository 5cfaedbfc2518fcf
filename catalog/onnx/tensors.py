"""Images to input tensors and back: the layout a vision model takes, resizing, letterboxing, NMS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class ImageInput:
    """Where an image goes into a model: the input's name, layout and pixel size."""

    name: str
    channels_first: bool
    height: int
    width: int
    channels: int


def image_input(session: Any, fallback: int) -> ImageInput:
    """The model's 4-D image input; dynamic sizes take `fallback` (the node's input_size), which must make an image
    Pillow would open: a larger one is a typo far more often than a wish, and took the machine's memory."""
    from flowlike_catalog.media.image import too_many_pixels

    for tensor in session.get_inputs():
        if len(tensor.shape) != 4:
            continue
        shape = [d if isinstance(d, int) and d > 0 else None for d in tensor.shape]
        channels_first = shape[1] in (1, 3) or shape[3] not in (1, 3)
        c, h, w = (shape[1], shape[2], shape[3]) if channels_first else (shape[3], shape[1], shape[2])
        if not (h and w):
            if fallback < 1:
                raise ValueError(f"input_size must be at least 1 (the model's input size is not fixed), got "
                                 f"{fallback}")
            if why := too_many_pixels(w or fallback, h or fallback):
                raise ValueError(f"input_size {fallback} makes a {w or fallback}x{h or fallback} input: {why}")
        return ImageInput(tensor.name, channels_first, h or fallback, w or fallback, c or 3)
    raise ValueError("the model has no 4-D image input (batch, channels, height, width)")


def check_normalisation(mean: Any, std: Any, channels: int) -> None:
    """A mean and std for (x - mean) / std: one value per channel (or one for all), no std of zero or below (every
    value NaN or infinite)."""
    if mean is None:
        return
    if {len(mean), len(std)} - {1, channels}:
        raise ValueError(f"mean and std need {channels} values (one per channel), got {len(mean)} and {len(std)}")
    if any(value <= 0 for value in std):
        raise ValueError(f"std values must be positive, got {[float(value) for value in std]}")


def pixels(image: Any, channels: int) -> Any:
    """An image's pixels as float32 in [0, 1], height x width x channels."""
    import numpy as np

    mode = "L" if channels == 1 else "RGB"
    array = np.asarray(image if image.mode == mode else image.convert(mode), dtype=np.float32) / 255.0
    return array[:, :, None] if array.ndim == 2 else array


def image_tensor(image: Any, spec: ImageInput, mean: Any = None, std: Any = None) -> Any:
    """An image (already at the input's size) as a batch of one in the model's layout: pixels scaled to [0, 1],
    then (x - mean) / std. One pass from the 8-bit pixels into a preallocated float array, scaled in place."""
    import numpy as np

    check_normalisation(mean, std, spec.channels)
    mode = "L" if spec.channels == 1 else "RGB"
    data = np.asarray(image if image.mode == mode else image.convert(mode))
    data = data[:, :, None] if data.ndim == 2 else data
    scale = np.full(spec.channels, 1 / 255, np.float32)
    shift = np.zeros(spec.channels, np.float32)
    if mean is not None:
        deviation = np.asarray(std, np.float32)
        scale, shift = scale / deviation, -np.asarray(mean, np.float32) / deviation
    height, width, channels = data.shape
    if spec.channels_first:
        out = np.empty((1, channels, height, width), np.float32)
        out[0] = data.transpose(2, 0, 1)
        out[0] *= scale[:, None, None]
        out[0] += shift[:, None, None]
    else:
        out = np.empty((1, height, width, channels), np.float32)
        out[0] = data
        out[0] *= scale
        out[0] += shift
    return out


def to_tensor(array: Any, spec: ImageInput, mean: Any = None, std: Any = None) -> Any:
    """H x W x C floats to a batch of one in the model's layout, normalised as (x - mean) / std."""
    import numpy as np

    check_normalisation(mean, std, spec.channels)
    if mean is not None:
        array = (array - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    tensor = array.transpose(2, 0, 1) if spec.channels_first else array
    return np.ascontiguousarray(tensor[None], dtype=np.float32)


def resized(image: Any, spec: ImageInput) -> Any:
    from PIL import Image

    return image.resize((spec.width, spec.height), Image.Resampling.BILINEAR)


def center_crop(image: Any, spec: ImageInput, crop_pct: float) -> Any:
    """Resize so the crop is `crop_pct` of the shorter side, then cut the centre (timm's evaluation transform)."""
    from PIL import Image

    if not 0 < crop_pct <= 1:
        raise ValueError(f"crop_pct must be in (0, 1], got {crop_pct}")
    scale = max(spec.width, spec.height) / crop_pct / min(image.width, image.height)
    image = image.resize((max(spec.width, round(image.width * scale)), max(spec.height, round(image.height * scale))),
                         Image.Resampling.BILINEAR)
    left, top = (image.width - spec.width) // 2, (image.height - spec.height) // 2
    return image.crop((left, top, left + spec.width, top + spec.height))


@dataclass(frozen=True)
class Letterbox:
    """How an image was scaled and padded into a square input: model coordinates -> image coordinates."""

    scale: float
    pad_x: float
    pad_y: float
    width: int
    height: int

    def to_image(self, boxes: Any) -> Any:
        """x1, y1, x2, y2 columns from model pixels to image pixels, clipped to the image."""
        import numpy as np

        out = boxes.copy()
        out[:, [0, 2]] = np.clip((out[:, [0, 2]] - self.pad_x) / self.scale, 0, self.width)
        out[:, [1, 3]] = np.clip((out[:, [1, 3]] - self.pad_y) / self.scale, 0, self.height)
        return out

    def point(self, x: Any, y: Any) -> tuple[Any, Any]:
        return (x - self.pad_x) / self.scale, (y - self.pad_y) / self.scale


def letterbox(image: Any, spec: ImageInput) -> tuple[Any, Letterbox]:
    """The image scaled to fit the input, centred on grey (114) padding, as YOLO models expect."""
    from PIL import Image

    scale = min(spec.width / image.width, spec.height / image.height)
    w, h = round(image.width * scale), round(image.height * scale)
    canvas = Image.new("RGB", (spec.width, spec.height), (114, 114, 114))
    pad_x, pad_y = (spec.width - w) // 2, (spec.height - h) // 2
    canvas.paste(image.convert("RGB").resize((w, h), Image.Resampling.BILINEAR), (pad_x, pad_y))
    return canvas, Letterbox(scale, pad_x, pad_y, image.width, image.height)


def nms(boxes: Any, scores: Any, iou: float) -> list[int]:
    """Indices kept by greedy non-max suppression (highest score first; drops boxes overlapping a kept one
    by more than `iou`)."""
    import numpy as np

    order = np.argsort(-scores, kind="stable")
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    keep: list[int] = []
    while order.size:
        best, rest = order[0], order[1:]
        keep.append(int(best))
        x1 = np.maximum(boxes[best, 0], boxes[rest, 0])
        y1 = np.maximum(boxes[best, 1], boxes[rest, 1])
        x2 = np.minimum(boxes[best, 2], boxes[rest, 2])
        y2 = np.minimum(boxes[best, 3], boxes[rest, 3])
        overlap = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
        union = areas[best] + areas[rest] - overlap
        order = rest[overlap / np.where(union > 0, union, 1) <= iou]
    return keep


def corners(centre_boxes: Any) -> Any:
    """cx, cy, w, h columns to x1, y1, x2, y2."""
    import numpy as np

    cx, cy, w, h = centre_boxes.T
    return np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)


def softmax(values: Any, axis: int = -1) -> Any:
    import numpy as np

    shifted = np.exp(values - values.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def predictions_first(output: Any) -> Any:
    """A YOLO output of one image as predictions x values. YOLOv8 gives [1, values, N] with far more
    candidates N than values; [1, N, values] (YOLOv5 without objectness, exported transposed) also reads."""
    array = output[0]
    if output.ndim != 3:
        raise ValueError(f"expected a detection output of shape [1, values, boxes], got {list(output.shape)}")
    return array.T if array.shape[0] < array.shape[1] else array
