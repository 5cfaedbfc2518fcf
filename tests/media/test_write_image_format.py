"""Write Image writes what its file's name says. As in Flow-Like, the Type pin chooses the format and the file
gets that format's extension (JPEG asked for `out.png` writes `out.jpeg`, with a warning naming both); an
extension that already names the format stays (`.jpg`, `.tif`), and a path without one gets it."""

from __future__ import annotations

from pathlib import Path

import pytest
from media_images import quadrants
from PIL import Image

from flowlike_core import LogLevel


def write(board, tmp_path: Path, name: str, kind: str):
    """Read Image (a real PNG) -> Write Image to `name` in `kind`, from Start; the run."""
    quadrants().save(tmp_path / "source.png")
    read = board.add("read_image", path=str(tmp_path / "source.png"))
    written = board.add("write_image", path=str(tmp_path / name), type=kind, quality=90)
    board.wire(read, "image_out", written, "image_in")
    return board.steps(read, written)


def files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()} - {"source.png"}


@pytest.mark.parametrize(("name", "kind", "expected"), [
    ("out.png", "JPEG", "out.jpeg"), ("out.jpeg", "PNG", "out.png"), ("out.bmp", "WEBP", "out.webp"),
    ("out.gif", "TIFF", "out.tiff"), ("out", "PNG", "out.png"), ("my.photos/out", "GIF", "my.photos/out.gif"),
    ("out.png", "AVIF", "out.avif")])  # (a format Pillow writes beyond the pin's list: Flow-Like lists AVIF)
def test_the_type_decides_and_the_name_follows(board, tmp_path, name, kind, expected) -> None:
    run = write(board, tmp_path, name, kind)
    with Image.open(tmp_path / expected) as image:
        assert image.format == kind and image.size == (40, 20)
    assert not (tmp_path / name).exists()
    warnings = [line.message for line in run.logs(LogLevel.WARN)]
    assert warnings == [f"wrote {tmp_path / expected}: the image is {kind}, the path asked for {tmp_path / name}"]


@pytest.mark.parametrize(("name", "kind"), [("out.jpg", "JPEG"), ("out.JPEG", "JPEG"), ("out.tif", "TIFF"),
                                            ("out.webp", "WEBP"), ("out.png", "PNG"), ("out.bmp", "BMP")])
def test_an_extension_that_names_the_format_stays(board, tmp_path, name, kind) -> None:
    run = write(board, tmp_path, name, kind)
    assert files(tmp_path) == {name}
    with Image.open(tmp_path / name) as image:
        assert image.format == kind
    assert run.logs(LogLevel.WARN) == []


def test_every_format_written_is_the_one_its_extension_says(board, tmp_path) -> None:
    for kind in ("PNG", "JPEG", "WEBP", "BMP", "GIF", "TIFF"):
        write(board.fresh(), tmp_path, f"{kind}/picture.png", kind)
    for path in tmp_path.glob("*/picture.*"):
        with Image.open(path) as image:
            assert Image.registered_extensions()[path.suffix] == image.format == path.parent.name
    assert len(list(tmp_path.glob("*/picture.*"))) == 6
