from __future__ import annotations

from flowlike_catalog.media import pil_image
from flowlike_catalog.media.codes import read_barcodes
from flowlike_catalog.media.image import keep_image
from PIL import Image


def test_qr_code_round_trip_on_a_board(board) -> None:
    write = board.add("write_qrcode", data="https://example.org/flow?id=42", scale=4, margin=4)
    read = board.add("read_barcodes")
    board.wire(write, "image_out", read, "image_in")
    run = board.steps(write, read)
    image = pil_image(run.output(write.id, "image_out"))
    assert image.mode == "L" and image.width == image.height and image.getpixel((0, 0)) == 255
    (code,) = run.output(read.id, "results")
    assert (code.text, code.format, code.valid) == ("https://example.org/flow?id=42", "QRCode", True)
    assert code.position[0] == [16, 16]  # the quiet zone is 4 modules of 4 pixels


def test_an_ean13_barcode_and_an_empty_image() -> None:
    import zxingcpp

    barcode = zxingcpp.create_barcode("4006381333931", zxingcpp.BarcodeFormat.EAN13)
    image = Image.fromarray(zxingcpp.write_barcode_to_image(barcode, scale=3))
    (code,) = read_barcodes.func(None, keep_image(None, image.convert("L")))
    assert (code.text, code.format) == ("4006381333931", "EAN13")
    assert read_barcodes.func(None, keep_image(None, Image.new("L", (50, 50), 255))) == []
