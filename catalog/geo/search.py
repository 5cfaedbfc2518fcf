"""Geocoding: places by name and addresses of points, from a Nominatim server (OpenStreetMap's geocoder, or
any server with its API). The public server asks for at most one request a second."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.geo.coordinates import GeoCoordinate, as_coordinate
from flowlike_catalog.geo.service import ServiceNode, get_json, outcome_pins, service_pins
from pydantic import BaseModel

from flowlike_core import Context, DataType, PinOptions, ValueType, data_in, data_out

CATEGORY = "Web/Geo/Search"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
NOMINATIM = "https://nominatim.openstreetmap.org"


class Place(BaseModel):
    display_name: str
    name: str
    coordinate: GeoCoordinate
    category: str
    type: str
    osm_type: str
    osm_id: int
    address: dict[str, str]
    bounding_box: list[float]
    """South, north, west, east latitude/longitude limits."""


class SearchResult(Place):
    importance: float


class ReverseGeocodeResult(Place):
    pass


PLACE_SCHEMA = SearchResult.model_json_schema()
REVERSE_SCHEMA = ReverseGeocodeResult.model_json_schema()
COORDINATE_SCHEMA = GeoCoordinate.model_json_schema()


def place_fields(item: dict[str, Any]) -> dict[str, Any]:
    """The fields of a Nominatim jsonv2 place."""
    if not isinstance(item, dict):
        raise ValueError(f"unexpected place in the geocoder's answer: {str(item)[:200]} is not a place (an object)")
    try:
        return {"display_name": item["display_name"], "name": item.get("name") or "",
                "coordinate": GeoCoordinate(latitude=float(item["lat"]), longitude=float(item["lon"])),
                "category": item.get("category", ""), "type": item.get("type", ""),
                "osm_type": item.get("osm_type", ""), "osm_id": int(item.get("osm_id", 0)),
                "address": {k: str(v) for k, v in (item.get("address") or {}).items()},
                "bounding_box": [float(v) for v in item.get("boundingbox", [])]}
    except (KeyError, TypeError, ValueError) as exc:
        why = f"{exc.args[0]!r} is missing" if isinstance(exc, KeyError) else str(exc)
        raise ValueError(f"unexpected place in the geocoder's answer: {why}") from None


class SearchLocation(ServiceNode):
    name = "geo_search_location"
    friendly_name = "Search Location"
    description = "Finds places by name or address (Nominatim's /search), best match first."
    pins = (
        *service_pins(NOMINATIM),
        data_in("query", DataType.STRING, default="", description="What to look for: a name or an address"),
        data_in("limit", DataType.INTEGER, default=5, options=PinOptions(range=(1, 40))),
        data_in("country_codes", DataType.STRING, default="", description="Limit to countries: 'de,at' (empty: all)"),
        *outcome_pins(),
        data_out("results", DataType.STRUCT, ValueType.ARRAY, schema=PLACE_SCHEMA),
        data_out("first_result", DataType.STRUCT, schema=PLACE_SCHEMA, description="Empty when nothing was found"),
    )

    async def call(self, ctx: Context, *, base_url: str, query: str, limit: int, country_codes: str
                   ) -> dict[str, Any]:
        if not query.strip():
            raise ValueError("the search query is empty")
        params = {"q": query, "format": "jsonv2", "limit": limit, "addressdetails": 1}
        if country_codes:
            params["countrycodes"] = country_codes.replace(" ", "").lower()
        found = await get_json(ctx, f"{base_url.rstrip('/')}/search", params)
        if not isinstance(found, list):
            raise ValueError(f"the geocoder answered {str(found)[:200]} instead of a list of places")
        results = [SearchResult(**place_fields(item), importance=float(item.get("importance", 0.0)))
                   for item in found]
        return {"results": results, "first_result": results[0] if results else None}


class ReverseGeocode(ServiceNode):
    name = "geo_reverse_geocode"
    friendly_name = "Reverse Geocode"
    description = "The address of a point (Nominatim's /reverse); zoom 18 is a building, 10 a city, 3 a country."
    pins = (
        *service_pins(NOMINATIM),
        data_in("coordinate", DataType.STRUCT, schema=COORDINATE_SCHEMA, options=PinOptions(required=True)),
        data_in("zoom", DataType.INTEGER, default=18, options=PinOptions(range=(3, 18))),
        *outcome_pins(),
        data_out("result", DataType.STRUCT, schema=REVERSE_SCHEMA),
        data_out("display_name", DataType.STRING),
    )

    async def call(self, ctx: Context, *, base_url: str, coordinate: Any, zoom: int) -> dict[str, Any]:
        point = as_coordinate(coordinate)
        found = await get_json(ctx, f"{base_url.rstrip('/')}/reverse", {
            "lat": point.latitude, "lon": point.longitude, "zoom": zoom, "format": "jsonv2", "addressdetails": 1})
        if not isinstance(found, dict) or "error" in found:
            raise LookupError(f"no address at {point.latitude}, {point.longitude}: "
                              f"{found.get('error') if isinstance(found, dict) else found}")
        result = ReverseGeocodeResult(**place_fields(found))
        return {"result": result, "display_name": result.display_name}
