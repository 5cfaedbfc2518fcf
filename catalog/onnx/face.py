"""Faces: find them (UltraFace-style detectors), embed them (ArcFace-style), compare embeddings, crop them."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog import struct_given
from flowlike_catalog.media.image import BoundingBox, ImageIn, ImageRef, image_of, keep_image
from flowlike_catalog.onnx.session import Model, run_session, session_of
from flowlike_catalog.onnx.tensors import image_input, image_tensor, nms, resized
from flowlike_catalog.onnx.vision import cosine
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/ONNX/Face"
ULTRAFACE_MEAN, ULTRAFACE_STD = (127 / 255,) * 3, (128 / 255,) * 3
ARCFACE_MEAN, ARCFACE_STD = (0.5,) * 3, (0.5,) * 3


class FaceDetection(BaseModel):
    bbox: BoundingBox
    score: float


class FaceEmbedding(BaseModel):
    values: list[float]
    dimensions: int


class Faces(NamedTuple):
    faces: Annotated[list[FaceDetection], Pin(description="Faces found, best first")]
    count: int


class FaceMatch(NamedTuple):
    is_match: bool
    similarity: Annotated[float, Pin(description="Cosine similarity of the embeddings")]
    distance: Annotated[float, Pin(description="Euclidean distance of the embeddings")]


def ultraface_outputs(outputs: dict[str, Any]) -> tuple[Any, Any]:
    """(face scores [N], boxes [N, 4]) of an UltraFace-style model's outputs `scores` [1, N, 2] and `boxes`
    [1, N, 4] (by name, else the first two); outputs of any other shape fail naming what the model gave."""
    arrays = list(outputs.values())
    scores = outputs.get("scores", arrays[0])
    boxes = outputs.get("boxes", arrays[1] if len(arrays) > 1 else None)
    if boxes is None or scores.ndim != 3 or scores.shape[-1] != 2 or boxes.ndim != 3 or boxes.shape[-1] != 4 \
            or scores.shape[1] != boxes.shape[1]:
        gave = ", ".join(f"{name} {list(value.shape)}" for name, value in outputs.items())
        raise ValueError(f"expected UltraFace-style outputs scores [1, N, 2] and boxes [1, N, 4], got {gave}")
    return scores[0][:, 1], boxes[0]


@node(friendly_name="Face Detection", exec_pins=True, capabilities=["native"])
def onnx_face_detection(ctx: Context, model: Model = None, image: ImageIn = None, threshold: float = 0.5,
                        nms_threshold: float = 0.4, input_size: Annotated[int, Pin(description=(
                            "Input size when the model's is not fixed"))] = 640) -> Faces:
    """Finds faces with an UltraFace-style model: outputs `scores` [1, N, 2] (background, face) and `boxes`
    [1, N, 4] as corners in 0..1 of the image; the image is stretched to the input, pixels (x - 127) / 128."""
    import numpy as np

    session = session_of(ctx, model)
    spec = image_input(session, input_size)
    picture = image_of(ctx, image)
    tensor = image_tensor(resized(picture, spec), spec, ULTRAFACE_MEAN, ULTRAFACE_STD)
    outputs = run_session(session, {spec.name: tensor})
    scores, boxes = ultraface_outputs(outputs)
    keep = scores >= threshold
    scores, boxes = scores[keep], boxes[keep] * np.array([picture.width, picture.height] * 2, dtype=np.float32)
    faces = [FaceDetection(bbox=BoundingBox(x1=float(b[0]), y1=float(b[1]), x2=float(b[2]), y2=float(b[3]),
                                            score=float(s), label="face"), score=float(s))
             for b, s in ((boxes[i], scores[i]) for i in nms(boxes, scores, nms_threshold))]
    return Faces(faces, len(faces))


@node(friendly_name="Face Embedding", exec_pins=True, capabilities=["native"])
def onnx_face_embedding(ctx: Context, model: Model = None, image: ImageIn = None,
                        input_size: int = 112) -> Annotated[FaceEmbedding, Pin(name="embedding")]:
    """The face's embedding from an ArcFace-style model (an aligned face crop in; pixels (x - 127.5) / 127.5),
    scaled to length 1."""
    import numpy as np

    session = session_of(ctx, model)
    spec = image_input(session, input_size)
    tensor = image_tensor(resized(image_of(ctx, image), spec), spec, ARCFACE_MEAN, ARCFACE_STD)
    vector = np.asarray(next(iter(run_session(session, {spec.name: tensor}).values())), np.float64).reshape(-1)
    length = np.linalg.norm(vector)
    vector = vector / length if length else vector
    return FaceEmbedding(values=vector.tolist(), dimensions=len(vector))


@node(exec_pins=True)
def compare_faces(embedding_a: FaceEmbedding = None, embedding_b: FaceEmbedding = None,
                  threshold: Annotated[float, Pin(description="Lowest similarity that counts as the same person")
                                       ] = 0.5) -> FaceMatch:
    """Whether two face embeddings are the same person: cosine similarity at or above the threshold."""
    import numpy as np

    a = np.asarray(struct_given(FaceEmbedding, embedding_a, "embedding_a").values, np.float64)
    b = np.asarray(struct_given(FaceEmbedding, embedding_b, "embedding_b").values, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare embeddings of {len(a)} and {len(b)} dimensions")
    similarity = cosine(a, b)
    return FaceMatch(similarity >= threshold, similarity, float(np.linalg.norm(a - b)))


def crop_boxes(ctx: Context, image: Any, boxes: list[BoundingBox], grow: Any) -> list[ImageRef]:
    """Each box grown by `grow(width, height)` pixels on every side, clipped, cut out of the image."""
    picture = image_of(ctx, image)
    crops = []
    for box in boxes:
        dx, dy = grow(box.x2 - box.x1, box.y2 - box.y1)
        left, top = max(0, round(box.x1 - dx)), max(0, round(box.y1 - dy))
        right, bottom = min(picture.width, round(box.x2 + dx)), min(picture.height, round(box.y2 + dy))
        if right <= left or bottom <= top:
            raise ValueError(f"box ({box.x1}, {box.y1})-({box.x2}, {box.y2}) is outside the image")
        crops.append(keep_image(ctx, picture.crop((left, top, right, bottom))))
    return crops


@node(exec_pins=True)
def crop_faces(ctx: Context, image: ImageIn = None, faces: list[FaceDetection] = None,
               margin: Annotated[float, Pin(description="Added on each side, as a share of the face's size")
                                 ] = 0.2) -> Annotated[list[ImageRef], Pin(name="crops")]:
    """Cuts each face out of the image with a margin around it."""
    boxes = [FaceDetection.model_validate(face).bbox for face in faces or []]
    return crop_boxes(ctx, image, boxes, lambda w, h: (w * margin, h * margin))
