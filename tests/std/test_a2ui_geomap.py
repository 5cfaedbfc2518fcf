"""A2UI geo maps: markers, routes and viewport."""

from __future__ import annotations

from a2ui_boards import read_after, surface_board
from flowlike_catalog.std.a2ui_document import messages

from flowlike_core import RunStatus

MARKER = {"id": "hq", "coordinate": {"latitude": 48.1, "longitude": 11.6}, "label": "HQ"}
MAP = ("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": "map",
                               "component_type": "geoMap", "props": {}})


def test_markers_go_out_as_json_text_and_read_back_as_a_list(b):
    steps = [MAP, ("a2ui_update_geomap", {"element_ref": "map", "markers": [MARKER]})]
    element = read_after(b, steps, "a2ui_get_element", "element", element_ref="map")
    assert element["component"]["markers"] == {"literalJson": '[{"id": "hq", "coordinate": {"latitude": 48.1, '
                                                              '"longitude": 11.6}, "label": "HQ"}]'}


def test_viewport_and_routes(b):
    surface_board(b, b.add(*MAP[:1], **MAP[1]),
                  b.add("a2ui_update_geomap", element_ref="map", property="Viewport",
                        viewport={"latitude": 1.5, "longitude": 2, "zoom": 9, "other": 1}),
                  b.add("a2ui_update_geomap", element_ref="map", property="Routes", routes=[{"id": "r1"}]))
    run = b.run()
    run.raise_for_status()
    viewport, routes = (m["value"] for m in messages(run)[-2:])
    assert viewport == {"type": "setGeoMapViewport", "viewport": {"latitude": 1.5, "longitude": 2, "zoom": 9}}
    assert routes == {"type": "setGeoMapRoutes", "routes": {"literalJson": '[{"id": "r1"}]'}}


def test_a_viewport_without_coordinates_fails(b):
    surface_board(b, b.add(*MAP[:1], **MAP[1]),
                  b.add("a2ui_update_geomap", element_ref="map", property="Viewport", viewport={"zoom": 3}))
    run = b.run()
    assert run.status is RunStatus.FAILED and "numeric 'latitude' and 'longitude'" in run.error
