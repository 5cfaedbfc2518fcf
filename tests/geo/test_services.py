"""Geocoding, routing and map images against the local Nominatim/OSRM/tile server."""

from __future__ import annotations

import pytest
from flowlike_catalog.media.image import pil_image
from geo_tiles import tile_colour

BERLIN = {"latitude": 52.5163, "longitude": 13.3777}
POTSDAM = {"latitude": 52.3906, "longitude": 13.0645}
SPANDAU = {"latitude": 52.5351, "longitude": 13.1991}


def call(board, key: str, inputs: dict | None = None, **defaults):
    """Run one service node; (run, node, which exec output fired)."""
    node = board.add(key, **defaults)
    board.feed(node, **(inputs or {}))
    fired = {}
    for pin in ("exec_success", "exec_error"):
        fired[pin] = board.add("log_info", message=pin)
        board.wire(node, pin, fired[pin], "exec_in")
    run = board.steps(node)
    outcome = [line.message for line in run.logs() if line.message in ("exec_success", "exec_error")]
    return run, node, outcome


def test_search_location(board, geo_server, requests) -> None:
    run, node, outcome = call(board, "geo_search_location", base_url=geo_server, query="Brandenburger Tor",
                              limit=2, country_codes="DE, AT")
    assert outcome == ["exec_success"]
    assert requests == [("/search", {"q": "Brandenburger Tor", "format": "jsonv2", "limit": "2",
                                     "addressdetails": "1", "countrycodes": "de,at"})]
    results = run.output(node.id, "results")
    first = run.output(node.id, "first_result")
    assert [r.name for r in results] == ["Brandenburger Tor", "Tor 2"] and first == results[0]
    assert (first.coordinate.latitude, first.coordinate.longitude) == (52.5163, 13.3777)
    assert first.address["city"] == "Berlin" and first.osm_id == 518071791 and first.importance == 0.9
    assert first.bounding_box == pytest.approx([52.5153, 52.5173, 13.3767, 13.3787])
    run, node, outcome = call(board.fresh(), "geo_search_location", base_url=geo_server, query="nowhere")
    assert run.output(node.id, "results") == [] and run.output(node.id, "first_result") is None


def test_reverse_geocode(board, geo_server, requests) -> None:
    run, node, outcome = call(board, "geo_reverse_geocode", {"coordinate": BERLIN}, base_url=geo_server, zoom=16)
    assert outcome == ["exec_success"]
    assert requests[0][1] == {"lat": "52.5163", "lon": "13.3777", "zoom": "16", "format": "jsonv2",
                              "addressdetails": "1"}
    assert run.output(node.id, "display_name") == "Brandenburger Tor, Pariser Platz, Berlin, Deutschland"
    run, node, outcome = call(board.fresh(), "geo_reverse_geocode", {"coordinate": {"latitude": 0, "longitude": 0}},
                              base_url=geo_server)
    assert outcome == ["exec_error"]
    assert any("no address at 0.0, 0.0: Unable to geocode" in line.message for line in run.logs())


def test_plan_route_with_waypoints_and_alternatives(board, geo_server, requests) -> None:
    run, node, outcome = call(board, "geo_plan_route", {"start": BERLIN, "end": POTSDAM, "waypoints": [SPANDAU]},
                              base_url=geo_server, alternatives=True)
    assert outcome == ["exec_success"]
    path, query = requests[0]
    assert path == "/route/v1/driving/13.377700,52.516300;13.199100,52.535100;13.064500,52.390600"
    assert query == {"overview": "full", "geometries": "geojson", "alternatives": "true"}
    assert (run.output(node.id, "distance"), run.output(node.id, "duration")) == (2000.0, 120.0)
    assert [(p.latitude, p.longitude) for p in run.output(node.id, "geometry").points] == [
        (52.5163, 13.3777), (52.5351, 13.1991), (52.3906, 13.0645)]
    assert run.output(node.id, "route").geometry == run.output(node.id, "geometry")
    assert [leg.summary for leg in run.output(node.id, "route").legs] == ["leg 0", "leg 1"]
    assert [r.distance for r in run.output(node.id, "alternatives_out")] == [3000.0]


def test_no_route_and_a_dead_server_fire_error(board, geo_server) -> None:
    many = [BERLIN, SPANDAU, SPANDAU, SPANDAU]
    run, node, outcome = call(board, "geo_plan_route", {"start": BERLIN, "end": POTSDAM, "waypoints": many},
                              base_url=geo_server)
    assert outcome == ["exec_error"]
    assert any("NoRoute" in line.message and "Impossible route" in line.message for line in run.logs())
    run, node, outcome = call(board.fresh(), "geo_plan_route", {"start": BERLIN, "end": POTSDAM},
                              base_url="http://127.0.0.1:9")
    assert outcome == ["exec_error"] and any("cannot reach" in line.message for line in run.logs())


def test_match_trace(board, geo_server, requests) -> None:
    trace = [BERLIN, SPANDAU, POTSDAM]
    run, node, outcome = call(board, "geo_osrm_match_trace", {"coordinates": trace, "timestamps": [0, 60, 120],
                                                              "radiuses": [5, 5, 10]}, base_url=geo_server,
                              profile="Bike")
    path, query = requests[0]
    assert path.startswith("/match/v1/cycling/") and query["timestamps"] == "0;60;120"
    assert query["radiuses"] == "5;5;10" and query["gaps"] == "split" and query["tidy"] == "false"
    tracepoints = run.output(node.id, "tracepoints")
    assert tracepoints[0] is None and [t.waypoint_index for t in tracepoints[1:]] == [0, 1]
    assert run.output(node.id, "primary_matching").confidence == 0.87
    run, node, outcome = call(board.fresh(), "geo_osrm_match_trace", {"coordinates": trace, "timestamps": [1]},
                              base_url=geo_server)
    assert outcome == ["exec_error"]


def test_nearest(board, geo_server, requests) -> None:
    run, node, outcome = call(board, "geo_osrm_nearest", {"coordinate": BERLIN}, base_url=geo_server, number=3,
                              profile="Foot")
    assert requests[0] == ("/nearest/v1/walking/13.377700,52.516300", {"number": "3"})
    waypoints = run.output(node.id, "waypoints")
    assert [w.location.longitude for w in waypoints] == pytest.approx([13.3777, 13.3787, 13.3797])
    assert run.output(node.id, "nearest").nodes == [0, 1] and waypoints[0].distance == 4.5


def test_table(board, geo_server, requests) -> None:
    run, node, outcome = call(board, "geo_osrm_table", {"coordinates": [BERLIN, SPANDAU, POTSDAM],
                                                        "sources": [0, 1], "destinations": [2]},
                              base_url=geo_server, include_distances=True)
    assert requests[0][1] == {"sources": "0;1", "destinations": "2", "annotations": "duration,distance"}
    assert [row.values for row in run.output(node.id, "durations")] == [[120.0], [60.0]]
    assert [row.values for row in run.output(node.id, "distances")] == [[2000.0], [None]]
    assert [w.location.latitude for w in run.output(node.id, "result").destinations] == [52.3906]


def test_trip(board, geo_server, requests) -> None:
    run, node, outcome = call(board, "geo_osrm_trip", {"coordinates": [BERLIN, SPANDAU, POTSDAM]},
                              base_url=geo_server, roundtrip=True, source="first")
    assert requests[0][1]["roundtrip"] == "true" and requests[0][1]["source"] == "first"
    assert [w.waypoint_index for w in run.output(node.id, "waypoints")] == [2, 1, 0]
    assert run.output(node.id, "distance") == 3000.0 and len(run.output(node.id, "geometry").points) == 4


@pytest.mark.parametrize("key", ["geo_plan_route", "geo_osrm_trip"])
def test_a_route_geometry_is_flow_likes_struct_of_points(board, key) -> None:
    """Flow-Like gives a route's geometry as one RouteGeometry struct, `{"points": [coordinates]}`."""
    pin = next(p for p in board.registry.get(key).describe()["pins"] if p["name"] == "geometry")
    assert (pin["data_type"], pin["value_type"]) == ("Struct", "Normal")
    assert list(pin["schema"]["properties"]) == ["points"]


def test_tile_is_written(board, geo_server, requests, tmp_path) -> None:
    target = tmp_path / "tiles" / "t.mvt"
    run, node, outcome = call(board, "geo_osrm_tile", {"path": str(target)}, base_url=geo_server, z=14, x=8800,
                              y=5373)
    assert target.read_bytes() == b"MVT /tile/v1/driving/tile(8800,5373,14).mvt"
    assert run.output(node.id, "content_type") == "application/x-protobuf"
    assert run.output(node.id, "tile_path") == str(target)


def test_map_image_is_stitched_around_the_point(board, geo_server, requests) -> None:
    # At zoom 1 the world is 512 pixels: (lat 0, lon 0) is the corner of the four tiles.
    run, node, outcome = call(board, "geo_get_map_image", {"coordinate": {"latitude": 0, "longitude": 0}},
                              zoom=1, width=100, height=60, tile_url=geo_server + "/tiles/{z}/{x}/{y}.png",
                              marker=False)
    assert outcome == ["exec_success"]
    image = pil_image(run.output(node.id, "image"))
    assert image.size == (100, 60)
    assert image.getpixel((10, 10)) == tile_colour(1, 0, 0) and image.getpixel((90, 10)) == tile_colour(1, 1, 0)
    assert image.getpixel((10, 40)) == tile_colour(1, 0, 1)
    assert sorted(path for path, _ in requests) == ["/tiles/1/0/0.png", "/tiles/1/0/1.png", "/tiles/1/1/0.png",
                                                    "/tiles/1/1/1.png"]


def test_a_flow_like_board_with_coordinates_in_a_struct_pin_runs(board, geo_server) -> None:
    """Flow-Like declares OSRM's coordinate lists as one Struct pin holding a JSON array; here they are an
    Array of GeoCoordinate structs: a Flow-Like board's list opens as that (the type noted, the list kept) and runs."""
    import json

    from flowlike_core.interop import open_board

    def pin(pin_id, name, pin_type, data_type, default=None, value_type="Normal"):
        return {"id": pin_id, "name": name, "pin_type": pin_type, "data_type": data_type, "value_type": value_type,
                "depends_on": [], "connected_to": [], "index": 0, "schema": None, "options": None,
                "default_value": None if default is None else list(json.dumps(default).encode())}

    start_out, table_in = pin("so", "exec_out", "Output", "Execution"), pin("ti", "exec_in", "Input", "Execution")
    start_out["connected_to"], table_in["depends_on"] = ["ti"], ["so"]
    table = [table_in, pin("tc", "coordinates", "Input", "Struct", [BERLIN, SPANDAU, POTSDAM]),
             pin("tb", "base_url", "Input", "String", geo_server), pin("ts", "exec_success", "Output", "Execution"),
             pin("td", "durations", "Output", "Struct")]
    nodes = {"s": {"id": "s", "name": "events_simple", "pins": {"so": start_out}},
             "t": {"id": "t", "name": "geo_osrm_table", "pins": {p["id"]: p for p in table}}}
    opened, report = open_board(json.dumps({"id": "b", "name": "from flow-like", "nodes": nodes}).encode(),
                                board.registry)
    assert [e.pin for e in report.of("type-kept")] == ["coordinates", "durations"]
    assert not report.of("default-dropped")
    run = opened.run(registry=board.registry)
    assert run.status.value == "Success", run.error
    assert [row.values for row in run.output("t", "durations")] == [[0.0, 60.0, 120.0], [60.0, 0.0, 60.0],
                                                                     [120.0, 60.0, 0.0]]
