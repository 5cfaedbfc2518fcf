"""Asking a vision model about a screen: the screenshot goes in as an image, the answer comes back as a struct.

Every automation LLM node works the same way: a screenshot (base64 as Flow-Like passes it, a data: URL, bytes,
or an image handle from the media or browser nodes) and a prompt go to a model from the llm pack's provider
nodes, which must answer through a forced tool call whose schema is the node's answer struct. Answers that
break the schema go back to the model once (the llm pack's `extract`); where the inputs list the choices
(candidate ids, expected states, available actions), the schema allows only those.
"""

from __future__ import annotations

import base64
import binascii
import copy
import io
from typing import Any, TypeVar

from flowlike_catalog.llm.structs import ContentPart, History, HistoryMessage, as_model
from flowlike_catalog.llm.structured import extract
from flowlike_catalog.llm.wire import data_url
from pydantic import BaseModel

from flowlike_core import Context

Answer = TypeVar("Answer", bound=BaseModel)
IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"))


def media_type(data: bytes) -> str | None:
    """The image type of the bytes, from their first bytes (PNG, JPEG, GIF, WebP); None for anything else."""
    for magic, kind in IMAGE_TYPES:
        if data.startswith(magic):
            return kind
    return "image/webp" if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else None


def image_url(ctx: Context | None, image: Any, pin: str = "screenshot") -> str:
    """A data: URL of the image on `pin`: base64 text, a data: URL, bytes, or an image handle (NodeImage)."""
    if isinstance(image, str) and image.startswith("data:"):
        if not image.startswith("data:image/") or ";base64," not in image:
            raise ValueError(f"{pin}: a data: URL must hold a base64 image (data:image/...;base64,...)")
        return image
    if isinstance(image, str):
        try:
            data = base64.b64decode("".join(image.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"{pin}: text must be a base64-encoded image or a data: URL, got {image[:40]!r}") \
                from None
    elif isinstance(image, bytes | bytearray):
        data = bytes(image)
    elif isinstance(image, dict | BaseModel):
        data = _handle_png(ctx, image, pin)
    else:
        raise TypeError(f"{pin}: expected an image (base64 text, data: URL, bytes or an image handle), "
                        f"got {type(image).__name__}")
    kind = media_type(data)
    if kind is None:
        raise ValueError(f"{pin}: the data is not a PNG, JPEG, GIF or WebP image")
    return data_url(data, kind)


def _handle_png(ctx: Context | None, handle: Any, pin: str) -> bytes:
    from flowlike_catalog.media.image import ImageRef, image_of
    from pydantic import ValidationError

    try:
        ref = ImageRef.model_validate(handle)
    except ValidationError:
        raise TypeError(f"{pin}: a struct here must be an image handle (NodeImage)") from None
    out = io.BytesIO()
    image_of(ctx, ref).save(out, "PNG")
    return out.getvalue()


def images(ctx: Context | None, **pins: Any) -> list[ContentPart]:
    """Image parts for the pins that hold an image (empty text means none), in the order given."""
    return [ContentPart(type="image_url", image_url=image_url(ctx, value, pin)) for pin, value in pins.items()
            if value is not None and value != ""]


def answer_schema(answer: type[BaseModel], choices: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """The answer struct's JSON Schema for the tool call; `choices` limits fields (by path 'a.b', '[]' for the
    items of a list) to listed values."""
    schema = copy.deepcopy(answer.model_json_schema())
    for path, values in (choices or {}).items():
        if values:
            _field(schema, path.split("."))["enum"] = list(values)
    return schema


def _field(schema: dict[str, Any], path: list[str]) -> dict[str, Any]:
    node = schema
    for step in path:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        node = node["items"] if step == "[]" else node["properties"][step]
    return node


async def ask(model: Any, instructions: str, text: str, pictures: list[ContentPart], answer: type[Answer],
              tool: str, choices: dict[str, list[Any]] | None = None) -> Answer:
    """The model's answer about the pictures, as the answer struct (the tool's name tells the model its job)."""
    content = [*pictures, ContentPart(text=text)] if pictures else text
    history = History(messages=[HistoryMessage(role="user", content=content)])
    data = await extract(as_model(model), history, answer_schema(answer, choices), instructions, name=tool)
    return answer.model_validate(data)
