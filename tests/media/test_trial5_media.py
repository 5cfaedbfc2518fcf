"""A tinkerer's images in real files, through boards: a phone photo's EXIF (the camera settings and the time it
was taken live in the Exif sub-IFD), and pixel modes beyond 8-bit RGB (16-bit and float depth maps, CMYK scans,
palette GIFs, black-and-white bitmaps, grey with alpha) through Contrast, Color Convert and Write Image."""

from __future__ import annotations

from pathlib import Path

import pytest
from flowlike_catalog.media import ImageRef, pil_image
from PIL import ExifTags, Image


def written(board, source: Path, target: Path, kind: str, *steps: tuple[str, dict]):
    """Read Image(source) -> steps... -> Write Image(target, kind), from Start; the run."""
    read = board.add("read_image", path=str(source))
    nodes, image = [read], read
    for key, defaults in steps:
        node = board.add(key, **defaults)
        board.wire(image, "image_out", node, "image_in")
        nodes.append(node)
        image = node
    write = board.add("write_image", path=str(target), type=kind)
    board.wire(image, "image_out", write, "image_in")
    return board.steps(*nodes, write)


def test_exif_has_the_camera_settings_and_the_time_taken(board, tmp_path) -> None:
    image = Image.new("RGB", (40, 30))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "Acme"
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = "2024:01:02 03:04:05"
    details[ExifTags.Base.FNumber] = 2.8
    details[ExifTags.Base.ISOSpeedRatings] = 200
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    image.save(tmp_path / "photo.jpg", exif=exif)
    read = board.add("read_image", path=str(tmp_path / "photo.jpg"))
    tags = board.add("image_exif")
    board.wire(read, "image_out", tags, "image_in")
    run = board.steps(read, tags)
    assert run.output(tags.id, "exif") == {"Make": "Acme", "DateTimeOriginal": "2024:01:02 03:04:05", "FNumber": 2.8,
                    "ISOSpeedRatings": 200, "GPSInfo": {"GPSLatitudeRef": "N"}}


SOURCES = {  # mode, value, file: what a tinkerer finds on disk
    "depth16": ("I;16", 40000, "png"), "depth32": ("I", 40000, "tiff"), "float": ("F", 0.5, "tiff"),
    "cmyk": ("CMYK", (0, 100, 100, 0), "jpg"), "palette": ("P", 1, "gif"), "bw": ("1", 1, "bmp"),
    "grey_alpha": ("LA", (100, 50), "png"), "rgba": ("RGBA", (0, 255, 0, 100), "png")}
EIGHT_BIT = {"depth16": 156, "depth32": 156, "float": 128}
"""16- and 32-bit integer pixels are 0-65535 (40000 is 156 of 255), float pixels 0.0-1.0, as Flow-Like's image
crate takes them; Pillow's own conversion clips them (every pixel white, or black)."""


def source(tmp_path: Path, name: str) -> Path:
    mode, value, suffix = SOURCES[name]
    image = Image.new(mode, (64, 48), value)
    if mode == "P":
        image.putpalette([0, 0, 0, 255, 0, 0] * 128)
    image.save(tmp_path / f"{name}.{suffix}")
    return tmp_path / f"{name}.{suffix}"


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"])
@pytest.mark.parametrize("name", list(SOURCES))
def test_every_pixel_mode_writes_to_every_format(board, tmp_path, name, kind) -> None:
    target = tmp_path / f"out.{kind.lower()}"
    written(board, source(tmp_path, name), target, kind)
    with Image.open(target) as image:
        assert image.format == kind and image.size == (64, 48)
        if name in EIGHT_BIT and image.mode in ("L", "RGB", "P") and kind != "JPEG":
            assert image.convert("L").getpixel((5, 5)) == EIGHT_BIT[name]
        if name in EIGHT_BIT and kind == "JPEG":
            assert abs(image.convert("L").getpixel((5, 5)) - EIGHT_BIT[name]) <= 2


@pytest.mark.parametrize("name", list(SOURCES))
def test_contrast_takes_every_pixel_mode(board, tmp_path, name) -> None:
    written(board, source(tmp_path, name), tmp_path / "out.png", "PNG", ("contrast_image", {"contrast": 50}))
    with Image.open(tmp_path / "out.png") as image:
        assert image.size == (64, 48)


def test_contrast_of_a_depth_map_stays_deep(board, tmp_path) -> None:
    """As Flow-Like's for 16-bit pixels: around mid-grey 32767.5, clipped to 0-65535, cut to an integer."""
    depth = Image.new("I;16", (3, 1))
    for x, value in enumerate((20000, 40000, 30000)):
        depth.putpixel((x, 0), value)
    depth.save(tmp_path / "depth.png")
    written(board, tmp_path / "depth.png", tmp_path / "out.png", "PNG", ("contrast_image", {"contrast": 50}))
    with Image.open(tmp_path / "out.png") as image:
        assert image.mode == "I;16" and [image.getpixel((x, 0)) for x in range(3)] == [4040, 49040, 26540]
    floats = Image.new("F", (3, 1))
    for x, value in enumerate((0.25, 0.5, 0.9)):
        floats.putpixel((x, 0), value)
    floats.save(tmp_path / "floats.tiff")
    written(board.fresh(), tmp_path / "floats.tiff", tmp_path / "out.tiff", "TIFF",
            ("contrast_image", {"contrast": 50}))
    with Image.open(tmp_path / "out.tiff") as image:
        assert image.mode == "F" and [image.getpixel((x, 0)) for x in range(3)] == [0.0, 0.5, 1.0]


def test_a_depth_map_converted_to_luma_keeps_its_shades(board, tmp_path) -> None:
    written(board, source(tmp_path, "depth16"), tmp_path / "out.png", "PNG", ("convert_image", {"pixel_type": "Luma"}))
    with Image.open(tmp_path / "out.png") as image:
        assert image.mode == "L" and image.getpixel((5, 5)) == EIGHT_BIT["depth16"]


def test_write_image_without_an_image_or_with_an_unknown_format_says_so(board, tmp_path) -> None:
    from flowlike_core.errors import NodeFailed

    with pytest.raises(NodeFailed, match=r"input 'image_in' got an empty struct where it needs an ImageRef: "):
        board.one("write_image", path=str(tmp_path / "x.png"))
    with pytest.raises(NodeFailed, match=r"cannot write the image as HEIC: Pillow writes no such format \(it writes "
                                         r".*\bJPEG\b.*\bPNG\b.*\)$"):
        written(board.fresh(), source(tmp_path, "rgba"), tmp_path / "x.heic", "HEIC")
    assert not (tmp_path / "x.heic").exists()


def test_resize_to_fill_as_flow_like_names_it(board, tmp_path) -> None:
    """Flow-Like's modes are keep_aspect, exact and to_fill (boards saved here before said fill)."""
    for mode in ("to_fill", "fill"):
        written(board.fresh(), source(tmp_path, "rgba"), tmp_path / f"{mode}.png", "PNG",
                ("resize_image", {"mode": mode, "width_in": 10, "height_in": 30}))
        with Image.open(tmp_path / f"{mode}.png") as image:
            assert image.size == (10, 30)
    assert "to_fill" in board.registry.get("resize_image").create().pin("mode").options.valid_values


@pytest.mark.parametrize(("kind", "extension", "format"), [
    ("WebP", ".webp", "WEBP"), ("AVIF", ".avif", "AVIF"), ("ICO", ".ico", "ICO"), ("PNM", ".pnm", "PPM"),
    ("QOI", ".qoi", "QOI"), ("TGA", ".tga", "TGA")])
def test_flow_likes_image_types_write_their_files(board, tmp_path, kind, extension, format) -> None:
    written(board, source(tmp_path, "rgba"), tmp_path / "out.png", kind)
    with Image.open(tmp_path / f"out{extension}") as image:
        assert image.format == format and image.size == (64, 48)
    assert kind in board.registry.get("write_image").create().pin("type").options.valid_values


def filtered(tmp_path: Path, key: str, colour: tuple[int, int, int]) -> Image.Image:
    """A notebook board that reads a 30x20 picture of one colour, puts it through the node `key` (its `image` input,
    its `result`) and writes it: the picture written, opened."""
    import flowlike_nb as fnb

    Image.new("RGB", (30, 20), colour).save(tmp_path / "photo.png")
    notebook = fnb.Board(f"filter {key}")
    start = notebook.add("events_simple", "start")
    read = notebook.add("read_image", "read", path=tmp_path / "photo.png")
    step = notebook.add(key, "filter")
    write = notebook.add("write_image", "write", path=tmp_path / "filtered.png", type="PNG")
    start.outputs.exec_out >> read.inputs.exec_in
    read.outputs.exec_out >> write.inputs.exec_in
    read.outputs.image_out >> step.inputs.image
    step.outputs.result >> write.inputs.image_in
    notebook.run().raise_for_status()
    return Image.open(tmp_path / "filtered.png")


def test_a_pillow_image_feeds_any_image_input(board, tmp_path) -> None:
    """What a notebook's own node returns, or a variable holds, can be a Pillow image: image inputs take it."""
    import flowlike_nb as fnb

    @fnb.node
    def trial5_blurred(image: ImageRef, radius: float = 2.0) -> Image.Image:
        """A tinkerer's filter: takes a handle (pil_image gives its Pillow image), returns a Pillow image."""
        from PIL import ImageFilter

        return pil_image(image).filter(ImageFilter.GaussianBlur(radius))

    with filtered(tmp_path, "trial5_blurred", (200, 10, 10)) as image:
        assert image.size == (30, 20) and image.getpixel((15, 10)) == (200, 10, 10)
    resize = board.add("resize_image", width_in=10, height_in=10, mode="exact")
    board.feed(resize, image_in=Image.new("RGB", (40, 40), (1, 2, 3)))
    run = board.steps(resize)
    assert (run.output(resize.id, "width_out"), pil_image(run.output(resize.id, "image_out")).getpixel((5, 5))) == (
        10, (1, 2, 3))


def test_exif_comments_are_text(board, tmp_path) -> None:
    """UserComment carries an 8-byte character code before its text; Windows' XP tags are UTF-16 text."""
    image = Image.new("RGB", (8, 8))
    exif = image.getexif()
    exif[ExifTags.Base.XPComment] = "Grüße".encode("utf-16-le") + b"\0\0"
    exif[ExifTags.Base.XPKeywords] = "sea;sun".encode("utf-16-le") + b"\0\0"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.UserComment] = b"ASCII\0\0\0Holiday"
    image.save(tmp_path / "a.jpg", exif=exif)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.UserComment] = b"UNICODE\0" + "Fjörd".encode("utf-16-be")
    image.save(tmp_path / "b.jpg", exif=exif)
    found = []
    for name in ("a.jpg", "b.jpg"):
        read = board.add("read_image", path=str(tmp_path / name))
        tags = board.add("image_exif")
        board.wire(read, "image_out", tags, "image_in")
        found.append(board.steps(read, tags).output(tags.id, "exif"))
        board = board.fresh()
    assert {key: found[0][key] for key in ("XPComment", "XPKeywords", "UserComment")} == {
        "XPComment": "Grüße", "XPKeywords": "sea;sun", "UserComment": "Holiday"}
    assert found[1]["UserComment"] == "Fjörd"


def test_webp_at_quality_100_is_lossless_as_in_flow_like(board, tmp_path) -> None:
    """Flow-Like writes WebP lossless; here quality 100 (the default) does, a lower quality writes it lossy."""
    noise = Image.effect_noise((64, 48), 60).convert("RGB")
    noise.save(tmp_path / "noise.png")
    for quality in (100, 50):
        read = board.add("read_image", path=str(tmp_path / "noise.png"))
        write = board.add("write_image", path=str(tmp_path / f"q{quality}.webp"), type="WebP", quality=quality)
        board.wire(read, "image_out", write, "image_in")
        board.steps(read, write)
        board = board.fresh()
    with Image.open(tmp_path / "q100.webp") as exact, Image.open(tmp_path / "q50.webp") as lossy:
        assert exact.convert("RGB").tobytes() == noise.tobytes() and lossy.convert("RGB").tobytes() != noise.tobytes()


def test_a_notebook_node_typed_with_pillow_images_takes_and_gives_them(tmp_path) -> None:
    """`image: Image.Image` gets the Pillow image an image node's handle names; the image it returns goes on."""
    import flowlike_nb as fnb

    @fnb.node
    def trial5_sharpened(image: Image.Image, amount: int = 150) -> Image.Image:
        """A tinkerer's filter on Pillow images."""
        from PIL import ImageFilter

        return image.filter(ImageFilter.UnsharpMask(percent=amount))

    with filtered(tmp_path, "trial5_sharpened", (10, 200, 10)) as image:
        assert image.size == (30, 20) and image.getpixel((15, 10)) == (10, 200, 10)
