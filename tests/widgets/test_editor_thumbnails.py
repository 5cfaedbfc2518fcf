"""Image values reach the canvas as small thumbnails (never the image): Pillow images, image handles, blob refs."""

from __future__ import annotations

import base64
import io
import json

import pytest

from flowlike_nb.widgets.thumbnails import THUMBNAIL, thumbnail
from flowlike_nb.widgets.values import preview

Image = pytest.importorskip("PIL.Image")


def decoded(shown: dict) -> Image.Image:
    header, payload = shown["src"].split(",", 1)
    assert header == "data:image/webp;base64"
    return Image.open(io.BytesIO(base64.b64decode(payload)))


def test_a_large_image_previews_as_a_small_thumbnail_with_its_size() -> None:
    photo = Image.new("RGB", (4000, 2000), (200, 30, 30))
    shown = preview(photo)
    assert shown["shape"] == [4000, 2000]
    image = shown["image"]
    assert (image["width"], image["height"]) == (THUMBNAIL, THUMBNAIL // 2)
    assert decoded(image).size == (THUMBNAIL, THUMBNAIL // 2)
    assert photo.size == (4000, 2000), "the run's image is left as it was"
    assert len(json.dumps(shown)) < 4000


def test_a_media_pack_image_handle_and_a_content_store_reference_show_as_images() -> None:
    from flowlike_catalog.media.image import keep_image

    from flowlike_core import storage

    handle = keep_image(None, Image.new("RGBA", (90, 300), (0, 0, 255, 128)))
    shown = thumbnail(handle)
    assert shown and shown["height"] == THUMBNAIL and shown["width"] in (47, 48) and shown["size"] == [90, 300]

    png = io.BytesIO()
    Image.new("L", (640, 480), 128).save(png, "PNG")
    store = storage.configure("memory://thumbnails", record_runs=False)
    ref = store.app("default").blobs.put(png.getvalue(), "image/png")
    for value in (ref, ref.model_dump()):
        shown = preview(value)
        assert shown["shape"] == [640, 480] and decoded(shown["image"]).size == (THUMBNAIL, 120)
    text = store.app("default").blobs.put(b"not a picture", "text/plain")
    assert "image" not in preview(text)


def test_values_that_are_not_images_have_no_thumbnail() -> None:
    for value in (3, "text", [1, 2], {"key": "x"}, None, Image):
        assert thumbnail(value) is None
