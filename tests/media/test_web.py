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
