"""Vision models: image classification (top-k), YOLO-style object detection and pose, semantic segmentation,
feature vectors and their similarity. Each node prepares the image as the model's input says (layout and size
read from the model) and decodes the outputs into plain results in image coordinates."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog import struct_given
from flowlike_catalog.media.image import BoundingBox, ImageIn, ImageRef, image_of, keep_image
from flowlike_catalog.onnx import tensors
from flowlike_catalog.onnx.session import Model, run_session, session_of
from flowlike_catalog.onnx.tensors import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    center_crop,
    corners,
    image_input,
    image_tensor,
    letterbox,
    nms,
    predictions_first,
    resized,
)
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/ONNX"
COCO_KEYPOINTS = ("nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
                  "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
                  "right_knee", "left_ankle", "right_ankle")
Labels = Annotated[list[str], Pin(description="Class names by index (optional)")]


class ClassPrediction(BaseModel):
    class_idx: int
    score: float
    label: str = ""


class Keypoint(BaseModel):
    x: float
    y: float
    confidence: float
    name: str


class PoseDetection(BaseModel):
    bbox: BoundingBox
    score: float
    keypoints: list[Keypoint]


class SegmentationMask(BaseModel):
    width: int
    height: int
    classes: list[int]
    """The classes present, ascending."""
    pixel_counts: list[int]
    """Pixels of each present class, in the order of `classes`."""
    mask: ImageRef
    """A grey image (mode L) whose pixel values are class indices, at the image's size."""


class FeatureVector(BaseModel):
    values: list[float]
    dimensions: int


class Features(NamedTuple):
    features: FeatureVector
    dimensions: int


class Similarity(NamedTuple):
    cosine_similarity: float
    l2_distance: float


def label_of(labels: list[str] | None, index: int) -> str:
    return labels[index] if labels and 0 <= index < len(labels) else ""


def only_output(outputs: dict[str, Any]) -> Any:
    return next(iter(outputs.values()))


@node(exec_pins=True, capabilities=["native"])
def image_classification(ctx: Context, model: Model = None, image_in: ImageIn = None,
                         mean: tuple[float, ...] = IMAGENET_MEAN, std: tuple[float, ...] = IMAGENET_STD,
                         crop_pct: Annotated[float, Pin(description="Centre crop: the share of the shorter side "
                                                                    "kept (1: none)")] = 0.875,
                         softmax: Annotated[bool, Pin(description="Turn logits into probabilities")] = True,
                         top_k: int = 5, labels: Labels = None) -> Annotated[
        list[ClassPrediction], Pin(name="predictions", description="The top k classes, best first")]:
    """Classifies the image: resize and centre crop, normalise with mean and std, run, rank the classes."""
    import numpy as np

    if top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    session = session_of(ctx, model)
    spec = image_input(session, 224)
    image = image_of(ctx, image_in)
    image = center_crop(image if image.mode in ("RGB", "L") else image.convert("RGB"), spec, crop_pct)
    scores = only_output(run_session(session, {spec.name: image_tensor(image, spec, mean, std)}))
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    if softmax:
        scores = tensors.softmax(scores)
    best = np.argsort(-scores, kind="stable")[:top_k]
    return [ClassPrediction(class_idx=int(i), score=float(scores[i]), label=label_of(labels, int(i))) for i in best]


def detect(ctx: Context, model: Any, image_in: Any, fallback: int) -> tuple[Any, Any, Any]:
    """Letterbox the image into the model, run it: (predictions x values, letterbox, session)."""
    session = session_of(ctx, model)
    spec = image_input(session, fallback)
    canvas, box = letterbox(image_of(ctx, image_in), spec)
    outputs = run_session(session, {spec.name: image_tensor(canvas, spec)})
    return predictions_first(only_output(outputs)), box, session


def check_thresholds(conf: float, iou: float) -> None:
    if not (0 <= conf <= 1 and 0 <= iou <= 1):
        raise ValueError(f"conf and iou are fractions in [0, 1], got {conf} and {iou}")


@node(exec_pins=True, capabilities=["native"])
def object_detection(ctx: Context, model: Model = None, image_in: ImageIn = None,
                     conf: Annotated[float, Pin(description="Lowest class score kept")] = 0.25,
                     iou: Annotated[float, Pin(description="Overlap above which the weaker box of a class goes")
                                    ] = 0.7, max: Annotated[int, Pin(description="Most boxes returned")] = 300,
                     labels: Labels = None, input_size: int = 640) -> Annotated[
        list[BoundingBox], Pin(name="bboxes", description="Boxes in image pixels, best first")]:
    """Detects objects with a YOLO-style model (YOLOv8 layout: one output [1, 4 + classes, candidates] of
    centre x, centre y, width, height in input pixels, then class scores). The image is letterboxed in;
    boxes above `conf` survive per-class non-max suppression and come back in image coordinates."""
    import numpy as np

    check_thresholds(conf, iou)
    predictions, box, _ = detect(ctx, model, image_in, input_size)
    if predictions.shape[1] < 5:
        raise ValueError(f"a detection output needs 4 box values and at least one class, got {predictions.shape[1]}")
    scores_all = predictions[:, 4:]
    classes = scores_all.argmax(axis=1)
    scores = scores_all[np.arange(len(classes)), classes]
    keep = scores >= conf
    boxes, scores, classes = corners(predictions[keep, :4]), scores[keep], classes[keep]
    offset = classes[:, None] * (boxes.max(initial=0) + 1)  # boxes of different classes never overlap
    kept = nms(boxes + offset, scores, iou)[:max]
    boxes = box.to_image(boxes[kept])
    return [BoundingBox(x1=float(b[0]), y1=float(b[1]), x2=float(b[2]), y2=float(b[3]), class_idx=int(c),
                        score=float(s), label=label_of(labels, int(c)))
            for b, c, s in zip(boxes, classes[kept], scores[kept], strict=True)]


@node(exec_pins=True, capabilities=["native"])
def pose_estimation(ctx: Context, model: Model = None, image_in: ImageIn = None, conf: float = 0.3,
                    max_poses: int = 10, iou: float = 0.7, input_size: int = 640) -> Annotated[
        list[PoseDetection], Pin(name="poses", description="People found, best first")]:
    """Finds people and their keypoints with a YOLO-pose model (output [1, 5 + 3 x keypoints, candidates]:
    box, score, then x, y, confidence per keypoint; 17 keypoints are named as COCO's)."""
    check_thresholds(conf, iou)
    predictions, box, _ = detect(ctx, model, image_in, input_size)
    count = (predictions.shape[1] - 5) // 3
    if count < 1 or predictions.shape[1] != 5 + 3 * count:
        raise ValueError(f"a pose output has 5 + 3 x keypoints values per candidate, got {predictions.shape[1]}")
    predictions = predictions[predictions[:, 4] >= conf]
    boxes = corners(predictions[:, :4])
    kept = nms(boxes, predictions[:, 4], iou)[:max_poses]
    names = COCO_KEYPOINTS if count == len(COCO_KEYPOINTS) else tuple(f"keypoint_{i}" for i in range(count))
    poses = []
    for i, b in zip(kept, box.to_image(boxes[kept]), strict=True):
        points = predictions[i, 5:].reshape(count, 3)
        keypoints = [Keypoint(x=float(x), y=float(y), confidence=float(c), name=name)
                     for (x, y), c, name in zip((box.point(px, py) for px, py, _ in points), points[:, 2], names,
                                                strict=True)]
        poses.append(PoseDetection(bbox=BoundingBox(x1=float(b[0]), y1=float(b[1]), x2=float(b[2]), y2=float(b[3]),
                                                    score=float(predictions[i, 4]), label="person"),
                                   score=float(predictions[i, 4]), keypoints=keypoints))
    return poses


class KeypointOut(NamedTuple):
    x: float
    y: float
    confidence: float
    name: str
    found: bool


@node
def extract_keypoint(pose: PoseDetection = None, keypoint_idx: int = 0) -> KeypointOut:
    """One keypoint of a pose by index (COCO: 0 nose ... 16 right ankle); found is false past the last."""
    keypoints = struct_given(PoseDetection, pose, "pose").keypoints
    if not 0 <= keypoint_idx < len(keypoints):
        return KeypointOut(0.0, 0.0, 0.0, "", False)
    point = keypoints[keypoint_idx]
    return KeypointOut(point.x, point.y, point.confidence, point.name, True)


@node(exec_pins=True, capabilities=["native"])
def semantic_segmentation(ctx: Context, model: Model = None, image_in: ImageIn = None,
                          num_classes: Annotated[int, Pin(description="Classes the model scores (checked)")] = 21,
                          mean: tuple[float, ...] = IMAGENET_MEAN, std: tuple[float, ...] = IMAGENET_STD,
                          input_size: int = 512) -> Annotated[SegmentationMask, Pin(name="mask")]:
    """Labels every pixel with its best class (output [1, classes, h, w] of scores), scaled back to the image."""
    import numpy as np
    from PIL import Image

    session = session_of(ctx, model)
    spec = image_input(session, input_size)
    image = image_of(ctx, image_in)
    scores = only_output(run_session(session, {spec.name: image_tensor(resized(image, spec), spec, mean, std)}))
    if scores.ndim != 4 or scores.shape[1] != num_classes:
        raise ValueError(f"expected scores of shape [1, {num_classes}, h, w], got {list(scores.shape)}")
    labels = scores[0].argmax(axis=0).astype(np.uint8)
    mask = Image.fromarray(labels, "L").resize((image.width, image.height), Image.Resampling.NEAREST)
    classes, counts = np.unique(np.asarray(mask), return_counts=True)
    return SegmentationMask(width=image.width, height=image.height, classes=classes.tolist(),
                            pixel_counts=counts.tolist(), mask=keep_image(ctx, mask))


@node(exec_pins=True, capabilities=["native"])
def feature_extraction(ctx: Context, model: Model = None, image_in: ImageIn = None,
                       normalize: Annotated[bool, Pin(description="Scale the vector to length 1")] = True,
                       mean: tuple[float, ...] = IMAGENET_MEAN, std: tuple[float, ...] = IMAGENET_STD,
                       input_size: int = 224) -> Features:
    """The model's first output for the image as one vector (an embedding for search and comparison)."""
    import numpy as np

    session = session_of(ctx, model)
    spec = image_input(session, input_size)
    tensor = image_tensor(resized(image_of(ctx, image_in), spec), spec, mean, std)
    vector = np.asarray(only_output(run_session(session, {spec.name: tensor})), dtype=np.float64).reshape(-1)
    if normalize:
        length = np.linalg.norm(vector)
        vector = vector / length if length else vector
    return Features(FeatureVector(values=vector.tolist(), dimensions=len(vector)), len(vector))


def vectors(a: Any, b: Any) -> tuple[Any, Any]:
    import numpy as np

    x = np.asarray(struct_given(FeatureVector, a, "features_a").values, dtype=np.float64)
    y = np.asarray(struct_given(FeatureVector, b, "features_b").values, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"cannot compare vectors of {len(x)} and {len(y)} dimensions")
    return x, y


def cosine(x: Any, y: Any) -> float:
    import numpy as np

    lengths = np.linalg.norm(x) * np.linalg.norm(y)
    return float(x @ y / lengths) if lengths else 0.0


@node
def feature_similarity(features_a: FeatureVector = None, features_b: FeatureVector = None) -> Similarity:
    """Cosine similarity (1: same direction) and Euclidean distance of two feature vectors."""
    import numpy as np

    x, y = vectors(features_a, features_b)
    return Similarity(cosine(x, y), float(np.linalg.norm(x - y)))
