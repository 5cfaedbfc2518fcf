"""A2UI geo maps: the markers, routes and viewport of a map element (the frontend draws the map)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from flowlike_catalog.std.a2ui_document import A2UIError
from flowlike_catalog.std.a2ui_elements import update

from flowlike_core import Context, Pin, node

CATEGORY = "UI/Elements/GeoMap"
CACHEABLE = False

PROPERTIES = ("Markers", "Routes", "Viewport")


def located(items: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not all(isinstance(i, dict) and i.get("id") for i in items):
        raise A2UIError(f"Update Geo Map: {what} must be a list of objects with an 'id', got {items!r}")
    return items


@node(friendly_name="Update Geo Map", exec_pins=True)
def a2ui_update_geomap(ctx: Context, element_ref: dict | str,
                       property: Annotated[str, Pin(valid_values=list(PROPERTIES))] = "Markers",
                       markers: list[dict] | None = None, routes: list[dict] | None = None,
                       viewport: dict | None = None) -> None:
    """Sets a map's markers (`{"id", "coordinate": {"latitude", "longitude"}, "label"...}`), its routes, or its
    viewport (`{"latitude", "longitude", "zoom", "bearing", "pitch"}`)."""
    if property == "Markers":
        change = {"type": "setGeoMapMarkers", "markers": {"literalJson": json.dumps(located(markers or [], "markers"))}}
    elif property == "Routes":
        change = {"type": "setGeoMapRoutes", "routes": {"literalJson": json.dumps(located(routes or [], "routes"))}}
    elif property == "Viewport":
        view = viewport or {}
        if not all(isinstance(view.get(k), int | float) for k in ("latitude", "longitude")):
            raise A2UIError(f"Update Geo Map: a viewport needs a numeric 'latitude' and 'longitude', got {viewport!r}")
        change = {"type": "setGeoMapViewport", "viewport": {k: view[k] for k in ("latitude", "longitude", "zoom",
                                                                                 "bearing", "pitch") if k in view}}
    else:
        raise A2UIError(f"Update Geo Map: property must be one of {', '.join(PROPERTIES)}, got {property!r}")
    update(ctx, element_ref, change)
