"""QR codes and barcodes: write QR codes (segno), read any common barcode (zxing-cpp)."""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.media.image import ImageIn, ImageRef, image_of, keep_image, open_image, within_limit
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "Data/QR"


class Barcode(BaseModel):
    text: str
    format: str
    """QRCode, EAN13, Code128, DataMatrix..."""
    position: list[list[int]]
    """The four corners (x, y): top left, top right, bottom right, bottom left."""
    valid: bool


@node(friendly_name="Write QR Code", exec_pins=True)
def write_qrcode(ctx: Context, data: str = "", scale: Annotated[int, Pin(description="Pixels per module")] = 8,
                 margin: Annotated[int, Pin(description="Quiet zone, in modules")] = 4,
                 error: Annotated[str, Pin(valid_values=("L", "M", "Q", "H"))] = "M") -> Annotated[
        ImageRef, Pin("Image", name="image_out")]:
    """A QR code of the text as a black-on-white image (the smallest version that holds it)."""
    import io

    import segno

    if not data:
        raise ValueError("a QR code needs some data")
    try:
        code = segno.make_qr(data, error=error.lower(), boost_error=False)
    except segno.DataOverflowError:
        raise ValueError(f"{len(data.encode()):,} bytes do not fit in a QR code at error correction level {error} (a "
                         f"QR code holds at most 2,953 bytes, at level L): shorten the data, or put it behind a "
                         f"URL") from None
    within_limit(*code.symbol_size(scale=scale, border=margin))
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=margin)
    return keep_image(ctx, open_image(out.getvalue()).convert("L"))


@node(category="Image/Content", exec_pins=True)
def read_barcodes(ctx: Context, image_in: ImageIn = None, filter: Annotated[bool, Pin(
        description="Keep only codes that decoded without errors")] = False) -> Annotated[
        list[Barcode], Pin(name="results")]:
    """Finds and decodes every QR code and barcode in the image (zxing-cpp: QR, Data Matrix, Aztec, PDF417,
    EAN, UPC, Code 39/93/128, ITF, Codabar...)."""
    import zxingcpp

    found = zxingcpp.read_barcodes(image_of(ctx, image_in))
    codes = [Barcode(text=code.text, format=code.format.name, valid=code.valid,
                     position=[[p.x, p.y] for p in (code.position.top_left, code.position.top_right,
                                                    code.position.bottom_right, code.position.bottom_left)])
             for code in found]
    return [code for code in codes if code.valid] if filter else codes
