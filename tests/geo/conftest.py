"""Boards of geo and std nodes; a local server on 127.0.0.1 answering as Nominatim, OSRM and a tile server do
(the documented JSON shapes), computing its answers from the request."""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flowlike_catalog.geo import PACK
from geo_tiles import tile_colour
from pack_builder import Builder


@pytest.fixture
def board() -> Builder:
    return Builder(PACK)


def lonlats(path: str) -> list[list[float]]:
    return [[float(v) for v in pair.split(",")] for pair in path.rsplit("/", 1)[1].split(";")]


def place(lat: float, lon: float, name: str, importance: float = 0.5) -> dict:
    return {"place_id": 1, "osm_type": "way", "osm_id": 518071791, "lat": str(lat), "lon": str(lon),
            "category": "tourism", "type": "attraction", "importance": importance, "name": name,
            "display_name": f"{name}, Pariser Platz, Berlin, Deutschland",
            "address": {"road": "Pariser Platz", "city": "Berlin", "country_code": "de"},
            "boundingbox": [str(lat - 0.001), str(lat + 0.001), str(lon - 0.001), str(lon + 0.001)]}


def osrm_route(points: list[list[float]], scale: float = 1.0) -> dict:
    legs = [{"distance": 1000.0 * scale, "duration": 60.0 * scale, "summary": f"leg {i}", "steps": []}
            for i in range(len(points) - 1)]
    return {"distance": sum(leg["distance"] for leg in legs), "duration": sum(leg["duration"] for leg in legs),
            "geometry": {"type": "LineString", "coordinates": points}, "legs": legs, "weight": 1.0,
            "weight_name": "routability"}


def waypoint(lon: float, lat: float, **extra) -> dict:
    return {"location": [lon, lat], "name": "Unter den Linden", "distance": 4.5, "hint": "x", **extra}


class GeoHandler(http.server.BaseHTTPRequestHandler):
    requests: list[tuple[str, dict[str, str]]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        from urllib.parse import parse_qsl, unquote, urlsplit

        split = urlsplit(self.path)
        path, query = unquote(split.path), dict(parse_qsl(split.query))
        self.requests.append((path, query))
        if path.startswith("/tiles/"):
            return self.tile(path)
        if path.startswith("/tile/v1/"):
            return self.send(200, b"MVT " + path.encode(), "application/x-protobuf")
        answer = self.answer(path, query)
        if answer is None:
            return self.send(500, b"broken", "text/plain")
        status = 400 if isinstance(answer, dict) and answer.get("code") not in (None, "Ok") else 200
        self.send(status, json.dumps(answer).encode(), "application/json")

    def answer(self, path: str, query: dict[str, str]) -> Any:
        if path == "/search":
            if query["q"] == "nowhere":
                return []
            return [place(52.5163, 13.3777, "Brandenburger Tor", 0.9), place(52.5, 13.4, "Tor 2")][:int(query["limit"])]
        if path == "/reverse":
            if float(query["lat"]) == 0:
                return {"error": "Unable to geocode"}
            return place(float(query["lat"]), float(query["lon"]), "Brandenburger Tor")
        points = lonlats(path)
        if path.startswith("/route/v1/driving/"):
            if len(points) > 4:
                return {"code": "NoRoute", "message": "Impossible route between points"}
            routes = [osrm_route(points)] + ([osrm_route(points, 1.5)] if query["alternatives"] == "true" else [])
            return {"code": "Ok", "routes": routes, "waypoints": [waypoint(*p) for p in points]}
        if path.startswith("/match/v1/"):
            tracepoints = [None] + [waypoint(lon, lat, matchings_index=0, waypoint_index=i, alternatives_count=0)
                                    for i, (lon, lat) in enumerate(points[1:])]
            matching = {**osrm_route(points[1:]), "confidence": 0.87}
            return {"code": "Ok", "matchings": [matching], "tracepoints": tracepoints}
        if path.startswith("/nearest/v1/"):
            (lon, lat), = points
            return {"code": "Ok", "waypoints": [waypoint(lon + i * 0.001, lat, nodes=[i, i + 1])
                                                for i in range(int(query["number"]))]}
        if path.startswith("/table/v1/"):
            sources = [int(i) for i in query.get("sources", "").split(";") if i] or list(range(len(points)))
            targets = [int(i) for i in query.get("destinations", "").split(";") if i] or list(range(len(points)))
            answer = {"code": "Ok", "sources": [waypoint(*points[i]) for i in sources],
                      "destinations": [waypoint(*points[j]) for j in targets]}
            if "duration" in query["annotations"]:
                answer["durations"] = [[60.0 * abs(i - j) for j in targets] for i in sources]
            if "distance" in query["annotations"]:
                answer["distances"] = [[1000.0 * abs(i - j) if i != 1 else None for j in targets] for i in sources]
            return answer
        if path.startswith("/trip/v1/"):
            order = list(range(len(points)))[::-1]
            trip = osrm_route([points[i] for i in order] + ([points[order[0]]] if query["roundtrip"] == "true" else []))
            return {"code": "Ok", "trips": [trip],
                    "waypoints": [waypoint(*p, trips_index=0, waypoint_index=order.index(i))
                                  for i, p in enumerate(points)]}
        return None

    def tile(self, path: str) -> None:
        from PIL import Image

        z, x, y = (int(part) for part in path.removesuffix(".png").split("/")[-3:])
        out = io.BytesIO()
        Image.new("RGB", (256, 256), tile_colour(z, x, y)).save(out, "PNG")
        self.send(200, out.getvalue(), "image/png")

    def send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def geo_server() -> Iterator[str]:
    """The base URL of the local Nominatim/OSRM/tile server."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GeoHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(10)


@pytest.fixture
def requests() -> list:
    GeoHandler.requests.clear()
    return GeoHandler.requests
