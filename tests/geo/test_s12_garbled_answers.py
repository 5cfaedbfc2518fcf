"""A geo service that answers in another shape than its API's fails naming the service and what is wrong with the
answer: OSRM's "Ok" without its routes gave "KeyError: 'routes'" or "list index out of range", a Travel Time Table
without the durations it asked for succeeded with none, a geocoder's place that is not one said "missing 'int' object
is not subscriptable", and a routing tile answered as an HTML page was written to the tile's file."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import pytest

ANSWERS = {
    "ok-only": {"code": "Ok"},
    "ok-empty": {"code": "Ok", "routes": [], "trips": [], "waypoints": []},
    "ok-partial": {"code": "Ok", "routes": [{"distance": 10.0}], "waypoints": [{"location": None}]},
    "numbers": [1, 2],
    "bad-latitude": [{"display_name": "Somewhere", "lat": "north", "lon": "1"}],
}
A, B = {"latitude": 52.5, "longitude": 13.4}, {"latitude": 52.6, "longitude": 13.5}


class Canned(http.server.BaseHTTPRequestHandler):
    """Answers /<case>/... with the case's JSON, or /html/... with a web page."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        case = self.path.split("/")[1]
        kind, body = ("text/html", b"<html><body>Welcome to nginx!</body></html>") if case == "html" else \
            ("application/json", json.dumps(ANSWERS[case]).encode())
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def canned() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(10)


ROUTING = [("geo_plan_route", {"start": A, "end": B}, "route", "routes"),
           ("geo_osrm_trip", {"coordinates": [A, B]}, "trip", "trips"),
           ("geo_osrm_match_trace", {"coordinates": [A, B]}, "match", "matchings"),
           ("geo_osrm_nearest", {"coordinate": A}, "nearest", "waypoints"),
           ("geo_osrm_table", {"coordinates": [A, B]}, "table", "durations")]


@pytest.mark.parametrize(("key", "inputs", "service", "field"), ROUTING)
def test_an_osrm_ok_without_its_results_names_what_is_missing(board, canned, key, inputs, service, field) -> None:
    error = board.failure(key, inputs, base_url=f"{canned}/ok-only")
    assert f"OSRM {service} at {canned}/ok-only answered Ok in another shape than OSRM's: {field!r} is missing" \
        in error, error


@pytest.mark.parametrize(("key", "inputs", "service", "field"), ROUTING[:2])
def test_an_osrm_ok_with_no_route_says_the_list_is_empty(board, canned, key, inputs, service, field) -> None:
    error = board.failure(key, inputs, base_url=f"{canned}/ok-empty")
    assert f"OSRM {service} at {canned}/ok-empty answered Ok in another shape than OSRM's: {field!r} is empty" \
        in error, error


@pytest.mark.parametrize(("key", "inputs", "service", "why"), [
    ("geo_plan_route", {"start": A, "end": B}, "route", "'duration' is missing"),
    ("geo_osrm_nearest", {"coordinate": A}, "nearest", "a waypoint's location is None, not [longitude, latitude]"),
])
def test_an_osrm_ok_with_broken_items_says_which(board, canned, key, inputs, service, why) -> None:
    error = board.failure(key, inputs, base_url=f"{canned}/ok-partial")
    assert f"OSRM {service} at {canned}/ok-partial answered Ok in another shape than OSRM's: {why}" in error, error


@pytest.mark.parametrize(("case", "why"), [("numbers", "1 is not a place (an object)"),
                                           ("bad-latitude", "could not convert string to float: 'north'")])
def test_a_geocoder_place_that_is_not_one_says_why(board, canned, case, why) -> None:
    error = board.failure("geo_search_location", {}, base_url=f"{canned}/{case}", query="Brandenburger Tor")
    assert f"unexpected place in the geocoder's answer: {why}" in error, error


def test_a_routing_tile_answered_as_a_web_page_is_not_written(board, canned, tmp_path) -> None:
    target = tmp_path / "tile.mvt"
    error = board.failure("geo_osrm_tile", {}, base_url=f"{canned}/html", path=str(target))
    assert f"{canned}/html/tile/v1/driving/tile(0,0,14).mvt answered text/html, not a vector tile: it starts " \
           "b'<html><body>Welcome to nginx!" in error, error
    assert not target.exists()
