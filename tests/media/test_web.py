from __future__ import annotations

import base64
import io

from flowlike_catalog.media.image import keep_image, pil_image
from flowlike_catalog.media.web import image_write_dataurl
from media_images import quadrants
from PIL import Image


def test_data_url_round_trip(board) -> None:
    url = image_write_dataurl.func(None, keep_image(None, quadrants()), "png")
    assert url.startswith("data:image/png;base64,")
    decoded = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert decoded.format == "PNG" and decoded.tobytes() == quadrants().tobytes()
    run, node = board.one("read_image_url", signed_url=url)
    assert pil_image(run.output(node.id, "image_out")).tobytes() == quadrants().tobytes()
    assert image_write_dataurl.func(None, keep_image(None, quadrants()), "jpeg").startswith("data:image/jpeg;base64,")


def test_data_url_encodes_as_flow_like() -> None:
    """Flow-Like's image crate writes WebP lossless and JPEG at quality 75 (its encoders' defaults)."""
    from flowlike_catalog.media.image import encode

    noisy = Image.effect_noise((64, 48), 60).convert("RGB")
    webp = image_write_dataurl.func(None, keep_image(None, noisy), "webp")
    assert webp.startswith("data:image/webp;base64,")
    assert Image.open(io.BytesIO(base64.b64decode(webp.split(",", 1)[1]))).convert("RGB").tobytes() == noisy.tobytes()
    jpeg = image_write_dataurl.func(None, keep_image(None, noisy), "jpeg")
    tables = Image.open(io.BytesIO(base64.b64decode(jpeg.split(",", 1)[1]))).quantization
    assert tables == Image.open(io.BytesIO(encode(noisy, "JPEG", 75))).quantization
    assert tables != Image.open(io.BytesIO(encode(noisy, "JPEG", 95))).quantization
