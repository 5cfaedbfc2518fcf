from __future__ import annotations

import base64
import io

import pytest
from flowlike_catalog.media import ImageRef, pil_image
from flowlike_catalog.media.content import image_to_bytes, read_image, read_image_bytes, write_image
from media_images import quadrants
from PIL import Image


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_read_a_file_keeps_every_pixel(board, tmp_path) -> None:
    quadrants().save(tmp_path / "q.png")
    run, node = board.one("read_image", path=str(tmp_path / "q.png"))
    ref = run.output(node.id, "image_out")
    assert (ref.width, ref.height, ref.mode) == (40, 20, "RGB")
    assert pil_image(ref).tobytes() == quadrants().tobytes()


def test_apply_exif_turns_the_image(tmp_path) -> None:
    image = quadrants()
    exif = image.getexif()
    exif[0x0112] = 6  # orientation: turn 90 degrees clockwise to view
    image.save(tmp_path / "turned.jpg", exif=exif, quality=100)
    plain = read_image.func(None, str(tmp_path / "turned.jpg"))
    upright = read_image.func(None, str(tmp_path / "turned.jpg"), apply_exif=True)
    assert (plain.width, plain.height) == (40, 20) and (upright.width, upright.height) == (20, 40)


def test_bytes_data_urls_and_http(board, http_files) -> None:
    base, folder = http_files
    data = png(quadrants())
    (folder / "q.png").write_bytes(data)
    from_bytes = read_image_bytes.func(None, data)
    assert pil_image(from_bytes).getpixel((39, 19)) == (255, 255, 255)
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    for source in (url, f"{base}/q.png"):
        run, node = board.fresh().one("read_image_url", signed_url=source)
        assert pil_image(run.output(node.id, "image_out")).tobytes() == quadrants().tobytes()
    with pytest.raises(Exception, match="could not download the image from .*missing.png: .*404"):
        board.fresh().one("read_image_url", signed_url=f"{base}/missing.png")


def test_write_formats_to_files_and_the_store(tmp_path) -> None:
    from flowlike_core import storage

    ref = read_image_bytes.func(None, png(quadrants()))
    assert write_image.func(None, ref, str(tmp_path / "out" / "q.png"), "PNG") is None
    assert Image.open(tmp_path / "out" / "q.png").tobytes() == quadrants().tobytes()
    write_image.func(None, ref, str(tmp_path / "q.jpg"), "JPEG", 90)
    assert Image.open(tmp_path / "q.jpg").format == "JPEG"
    storage.configure("memory://media-write", record_runs=False)
    blob = write_image.func(None, ref, "", "WEBP", 100, "pics")
    assert blob.media_type == "image/webp"
    again = read_image.func(None, blob, app="pics")
    assert (again.width, again.height) == (40, 20)
    assert image_to_bytes.func(None, ref, "PNG") == png(quadrants())


def test_bad_inputs_fail_clearly(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="image .*nope.png' does not exist"):
        read_image.func(None, str(tmp_path / "nope.png"))
    with pytest.raises(ValueError, match="is not an image Pillow can read"):
        read_image_bytes.func(None, b"not an image")
    with pytest.raises(LookupError, match="no longer in memory"):
        write_image.func(None, ImageRef(id="gone", width=1, height=1, mode="L"), str(tmp_path / "x.png"))
    ref = read_image_bytes.func(None, png(quadrants()))
    with pytest.raises(ValueError, match="cannot write the image as PSD"):
        write_image.func(None, ref, str(tmp_path / "x.psd"), "PSD")


@pytest.mark.parametrize("kind", ["Farbfeld", "HDR"])
def test_flow_likes_types_pillow_cannot_write_are_named_as_left_out(tmp_path, kind) -> None:
    """An imported Flow-Like board may ask for its Farbfeld or HDR type: the error says why and what to use."""
    ref = read_image_bytes.func(None, png(quadrants()))
    with pytest.raises(ValueError, match=rf"cannot write the image as {kind}: Flow-Like's {kind} type is left out "
                                         rf"here \(Pillow writes no {kind}\); (PNG|TIFF) keeps"):
        write_image.func(None, ref, str(tmp_path / "x"), kind)
    assert list(tmp_path.iterdir()) == []


def test_a_handle_shows_as_a_thumbnail() -> None:
    ref = read_image_bytes.func(None, png(quadrants(800, 400)))
    thumbnail = Image.open(io.BytesIO(ref._repr_png_()))
    assert thumbnail.size == (256, 128)


def test_a_kept_handle_outlives_many_newer_images() -> None:
    from flowlike_catalog.live import RECENT_LIMIT

    ref = read_image_bytes.func(None, png(quadrants()))
    for _ in range(RECENT_LIMIT + 10):
        read_image_bytes.func(None, png(quadrants(4, 4)))
    assert pil_image(ref).size == (40, 20)
    rebuilt = ImageRef.model_validate(ref.model_dump())  # from JSON: no object of its own, and long evicted
    with pytest.raises(LookupError, match="no longer in memory"):
        pil_image(rebuilt)
