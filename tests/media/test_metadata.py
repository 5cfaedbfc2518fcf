from __future__ import annotations

from flowlike_catalog.media.content import read_image
from flowlike_catalog.media.image import keep_image
from flowlike_catalog.media.metadata import get_dimensions, image_exif
from media_images import quadrants
from PIL import ExifTags


def test_dimensions() -> None:
    assert get_dimensions.func(None, keep_image(None, quadrants(30, 12))) == (30, 12)


def test_exif_tags_and_gps(tmp_path) -> None:
    image = quadrants()
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "Acme"
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.5)
    image.save(tmp_path / "tagged.jpg", exif=exif)
    tags = image_exif.func(None, read_image.func(None, str(tmp_path / "tagged.jpg")))
    assert tags["Make"] == "Acme" and tags["Orientation"] == 1
    assert tags["GPSInfo"] == {"GPSLatitudeRef": "N", "GPSLatitude": [52.0, 31.0, 12.5]}
    assert image_exif.func(None, keep_image(None, quadrants())) == {}
