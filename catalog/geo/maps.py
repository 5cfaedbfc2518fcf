"""Static map images stitched from a slippy-map tile server (OpenStreetMap's by default; respect its tile
usage policy, or point `tile_url` at your own server)."""

from __future__ import annotations

import asyncio
import math
from typing import Any

from flowlike_catalog.geo.coordinates import GeoCoordinate, as_coordinate
from flowlike_catalog.geo.service import ServiceNode, get, outcome_pins
from flowlike_catalog.media.image import ImageRef, keep_image, open_image

from flowlike_core import Context, DataType, PinOptions, data_in, data_out, exec_in

CATEGORY = "Web/Geo/Map"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
TILE = 256
STYLES = {"Standard": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
          "Humanitarian": "https://a.tile.openstreetmap.fr/hot/{z}/{x}/{y}.png",
          "Topographic": "https://a.tile.opentopomap.org/{z}/{x}/{y}.png"}
ATTRIBUTION = "© OpenStreetMap contributors"


def world_pixel(point: GeoCoordinate, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel position of a point at a zoom (the world is 256 x 2^zoom pixels wide)."""
    size = TILE * 2 ** zoom
    latitude = math.radians(max(-85.05112878, min(85.05112878, point.latitude)))
    x = (point.longitude + 180) / 360 * size
    y = (1 - math.log(math.tan(latitude) + 1 / math.cos(latitude)) / math.pi) / 2 * size
    return x, y


class MapImage(ServiceNode):
    name = "geo_get_map_image"
    friendly_name = "Map Image"
    description = ("A map picture centred on a coordinate, stitched from map tiles, with a marker at the centre "
                   "and the map's attribution.")
    pins = (
        exec_in(),
        data_in("coordinate", DataType.STRUCT, schema=GeoCoordinate.model_json_schema(),
                options=PinOptions(required=True)),
        data_in("zoom", DataType.INTEGER, default=15, options=PinOptions(range=(0, 19))),
        data_in("width", DataType.INTEGER, default=512),
        data_in("height", DataType.INTEGER, default=512),
        data_in("style", DataType.STRING, default="Standard", options=PinOptions(valid_values=list(STYLES))),
        data_in("tile_url", DataType.STRING, default="",
                description="A tile URL template with {z}, {x}, {y} (empty: the style's server)"),
        data_in("marker", DataType.BOOLEAN, default=True),
        *outcome_pins(),
        data_out("image", DataType.STRUCT, schema=ImageRef.model_json_schema()),
    )

    async def call(self, ctx: Context, *, coordinate: Any, zoom: int, width: int, height: int, style: str,
                   tile_url: str, marker: bool) -> dict[str, Any]:
        from PIL import Image, ImageDraw

        if not 0 <= zoom <= 19 or not (1 <= width <= 4096 and 1 <= height <= 4096):
            raise ValueError(f"zoom must be 0..19 and the size 1..4096 pixels, got {zoom} and {width}x{height}")
        if not tile_url and style not in STYLES:
            raise ValueError(f"unknown map style {style!r}: use one of {', '.join(STYLES)} or give a tile_url")
        template = tile_url or STYLES[style]
        try:
            template.format(z=0, x=0, y=0)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"tile_url {template!r} is not a template with {{z}}, {{x}} and {{y}} only (it has "
                             f"{exc!r})") from None
        cx, cy = world_pixel(as_coordinate(coordinate), zoom)
        left, top = math.floor(cx - width / 2), math.floor(cy - height / 2)
        tiles = [(tx, ty) for tx in range(left // TILE, (left + width - 1) // TILE + 1)
                 for ty in range(top // TILE, (top + height - 1) // TILE + 1) if 0 <= ty < 2 ** zoom]
        responses = await asyncio.gather(*(get(ctx, template.format(z=zoom, x=tx % 2 ** zoom, y=ty))
                                           for tx, ty in tiles))
        canvas = Image.new("RGB", (width, height), (221, 221, 221))
        for (tx, ty), response in zip(tiles, responses, strict=True):
            tile = open_image(response.content, what=f"tile {zoom}/{tx}/{ty}").convert("RGB")
            canvas.paste(tile, (tx * TILE - left, ty * TILE - top))
        draw = ImageDraw.Draw(canvas)
        if marker:
            mx, my = cx - left, cy - top
            draw.ellipse((mx - 6, my - 6, mx + 6, my + 6), fill=(220, 30, 30), outline=(255, 255, 255), width=2)
        text_box = draw.textbbox((0, 0), ATTRIBUTION)
        tw, th = text_box[2] - text_box[0], text_box[3] - text_box[1]
        draw.rectangle((width - tw - 6, height - th - 6, width, height), fill=(255, 255, 255))
        draw.text((width - tw - 3, height - th - 4), ATTRIBUTION, fill=(0, 0, 0))
        return {"image": keep_image(ctx, canvas)}
