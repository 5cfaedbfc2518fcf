"""A tinkerer's geo board against the local Nominatim/OSRM server: a place by name to its H3 cell and route, and
the failures a board must not walk past (a server down or answering HTML while Error is not wired)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import h3
import pytest

from flowlike_core import RunStatus


def geocoded(board, base_url: str, query: str = "Brandenburger Tor"):
    """start -> Search Location (only Success wired onward) -> Get Field coordinate of the first result."""
    search = board.add("geo_search_location", base_url=base_url, query=query, limit=1)
    coordinate = board.add("struct_get", field="coordinate")
    board.wire(search, "first_result", coordinate, "struct")
    return search, coordinate


def test_a_place_by_name_to_its_h3_cell_and_neighbours(board, geo_server) -> None:
    search, coordinate = geocoded(board, geo_server)
    cell, disk = board.add("h3_latlng_to_cell", resolution=9), board.add("h3_grid_disk", k=1)
    board.wire(coordinate, "value", cell, "coordinate")
    board.wire(cell, "cell", disk, "cell")
    back = board.add("events_generic_return_result")
    board.wire(search, "exec_success", back, "exec_in")
    board.wire(disk, "count", back, "response")
    board.chain(board.add("events_simple"), search)
    run = board.run()
    assert run.result == 7
    assert run.output(cell.id, "cell") == h3.latlng_to_cell(52.5163, 13.3777, 9)


@pytest.fixture(scope="module")
def html_server() -> Iterator[str]:
    """A server that answers every request with a 200 HTML page (a captive portal, a misconfigured proxy)."""

    class Portal(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            body = b"<html><body>Welcome to the hotel Wi-Fi</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(10)


def failed_search(board, base_url: str):
    search, _ = geocoded(board, base_url)
    board.wire(search, "exec_success", board.add("log_info", message="found it"), "exec_in")
    board.chain(board.add("events_simple"), search)
    return board.board.run(registry=board.registry)


def test_a_dead_server_fails_the_run_when_error_is_not_wired(board, closed_port) -> None:
    url = f"http://127.0.0.1:{closed_port}"
    run = failed_search(board, url)
    assert run.status is RunStatus.FAILED
    assert "node 'Search Location'" in run.error
    assert f"ConnectionError: cannot reach {url}/search: All connection attempts failed" in run.error


def test_an_html_answer_fails_the_run_saying_how_it_starts(board, html_server) -> None:
    run = failed_search(board, html_server)
    assert run.status is RunStatus.FAILED
    assert (f"ValueError: {html_server}/search did not answer with JSON: it starts '<html><body>Welcome to the "
            f"hotel Wi-Fi") in run.error


def test_a_point_off_the_globe_is_named_in_one_line(board, geo_server) -> None:
    reverse = board.add("geo_reverse_geocode", base_url=geo_server)
    board.feed(reverse, coordinate=[95, 10])
    board.chain(board.add("events_simple"), reverse)
    run = board.board.run(registry=board.registry, variables=board.values)
    assert run.status is RunStatus.FAILED
    assert run.error.endswith("ValueError: coordinate {'latitude': 95, 'longitude': 10} is not a coordinate "
                              "(latitude -90..90, longitude -180..180): latitude: Input should be less than or "
                              "equal to 90")


def test_a_tile_url_with_a_wrong_placeholder_is_named(board, geo_server) -> None:
    image = board.add("geo_get_map_image", zoom=1, width=100, height=60,
                      tile_url=geo_server + "/tiles/{zoom}/{x}/{y}.png")
    board.feed(image, coordinate={"latitude": 0, "longitude": 0})
    board.chain(board.add("events_simple"), image)
    run = board.board.run(registry=board.registry, variables=board.values)
    assert run.status is RunStatus.FAILED
    assert (f"ValueError: tile_url '{geo_server}/tiles/{{zoom}}/{{x}}/{{y}}.png' is not a template with {{z}}, {{x}} "
            f"and {{y}} only (it has KeyError('zoom'))") in run.error
