"""A user's geo boards: many look-ups in one run, and the look-ups of several runs."""

from __future__ import annotations

BERLIN = {"latitude": 52.5163, "longitude": 13.3777}


def test_reverse_geocoding_a_track_builds_one_client(board, geo_server, requests, ca_loads) -> None:
    """Reverse Geocode in a For Each over a GPS track made a new httpx client (and TLS context) per point."""
    points = [{"latitude": 52.5 + i / 100, "longitude": 13.4} for i in range(5)]
    for_each = board.add("control_for_each", array=points)
    geocode = board.add("geo_reverse_geocode", base_url=geo_server)
    board.wire(for_each, "exec_out", geocode, "exec_in")
    board.wire(for_each, "value", geocode, "coordinate")
    run = board.steps(for_each)
    run.raise_for_status()
    assert [query["lat"] for path, query in requests if path == "/reverse"] == [
        str(p["latitude"]) for p in points]
    assert len(ca_loads) <= 1


def test_osrm_s_refusal_reads_as_its_code_and_message(board, geo_server) -> None:
    """OSRM answers NoRoute with status 400: the error was the raw JSON after 'answered 400'."""
    many = [BERLIN] * 5
    node = board.add("geo_plan_route", base_url=geo_server)
    board.feed(node, start=BERLIN, end=BERLIN, waypoints=many)
    board.chain(board.add("events_simple"), node)
    run = board.board.run(registry=board.registry, variables=board.values)
    assert "OSRM route: NoRoute: Impossible route between points (status 400)" in run.error
