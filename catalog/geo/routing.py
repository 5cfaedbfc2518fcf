"""Routing with an OSRM server (the Open Source Routing Machine's HTTP API, v1): routes, map matching of GPS
traces, nearest roads, travel time tables, round trips and vector tiles. Coordinates go to OSRM as
longitude,latitude; a geometry comes back as Flow-Like's RouteGeometry, `{"points": [GeoCoordinate...]}`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flowlike_catalog.geo.coordinates import GeoCoordinate, as_coordinate, as_coordinates
from flowlike_catalog.geo.service import ServiceNode, get, outcome_pins, service_pins
from pydantic import BaseModel

from flowlike_core import Context, DataType, PinOptions, ValueType, data_in, data_out
from flowlike_core.policy import Capability, allowed_path

CATEGORY = "Web/Geo/Routing"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
OSRM = "https://router.project-osrm.org"
PROFILES = {"Car": "driving", "Bike": "cycling", "Foot": "walking"}


class RouteLeg(BaseModel):
    distance: float
    duration: float
    summary: str = ""


class RouteGeometry(BaseModel):
    points: list[GeoCoordinate]


class RouteResult(BaseModel):
    distance: float
    """Metres."""
    duration: float
    """Seconds."""
    geometry: RouteGeometry
    legs: list[RouteLeg]
    confidence: float | None = None
    """Map matching only: how sure OSRM is of the match (0..1)."""


class Waypoint(BaseModel):
    location: GeoCoordinate
    name: str
    distance: float
    """Metres from the given point to where it snapped."""


class NearestWaypoint(Waypoint):
    nodes: list[int] = []


class TripWaypoint(Waypoint):
    trips_index: int
    waypoint_index: int


class Tracepoint(Waypoint):
    matchings_index: int
    waypoint_index: int


class TableMatrixRow(BaseModel):
    values: list[float | None]
    """One value per destination; null where no route exists."""


class TableResult(BaseModel):
    durations: list[TableMatrixRow]
    distances: list[TableMatrixRow]
    sources: list[Waypoint]
    destinations: list[Waypoint]


def schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


COORDINATE = schema(GeoCoordinate)
COORDINATES = data_in("coordinates", DataType.STRUCT, ValueType.ARRAY, schema=COORDINATE, default=[])
PROFILE = data_in("profile", DataType.STRING, default="Car", options=PinOptions(valid_values=list(PROFILES)))
ANY_PROFILE = data_in("profile", DataType.GENERIC, default="Car", description="Car, Bike or Foot")
"""The profile pin of the nodes whose Flow-Like pin is Generic."""


def profile_of(profile: Any) -> str:
    name = str(profile)
    if name in PROFILES:
        return PROFILES[name]
    if name in PROFILES.values():
        return name
    raise ValueError(f"unknown profile {profile!r}: use one of {', '.join(PROFILES)}")


def path_of(points: list[GeoCoordinate]) -> str:
    return ";".join(f"{p.longitude:.6f},{p.latitude:.6f}" for p in points)


def line(geometry: Any) -> RouteGeometry:
    """GeoJSON LineString coordinates ([lon, lat] pairs) as the points of a RouteGeometry."""
    return RouteGeometry(points=[GeoCoordinate(latitude=lat, longitude=lon)
                                 for lon, lat in (geometry or {}).get("coordinates", [])])


@contextmanager
def reading(base_url: str, service: str) -> Iterator[None]:
    """Reading an OSRM answer that said Ok: a field it lacks or holds in another shape fails naming the service, its
    server and what is wrong (a bare KeyError of the field, or "list index out of range", said none of it)."""
    try:
        yield
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        why = f"{exc.args[0]!r} is missing" if isinstance(exc, KeyError) else str(exc)
        raise ValueError(f"OSRM {service} at {base_url.rstrip('/')} answered Ok in another shape than OSRM's: "
                         f"{why}") from None


def first(answer: dict[str, Any], field: str) -> Any:
    """The first of a list OSRM gives at least one of when it says Ok (routes, trips)."""
    if not answer[field]:
        raise ValueError(f"{field!r} is empty")
    return answer[field][0]


def route(raw: dict[str, Any]) -> RouteResult:
    return RouteResult(distance=raw["distance"], duration=raw["duration"], geometry=line(raw.get("geometry")),
                       legs=[RouteLeg(distance=leg["distance"], duration=leg["duration"],
                                      summary=leg.get("summary", "")) for leg in raw.get("legs", [])],
                       confidence=raw.get("confidence"))


def location(raw: dict[str, Any]) -> dict[str, Any]:
    point = raw["location"]
    if not isinstance(point, list) or len(point) != 2:
        raise ValueError(f"a waypoint's location is {point!r}, not [longitude, latitude]")
    lon, lat = point
    return {"location": GeoCoordinate(latitude=lat, longitude=lon), "name": raw.get("name", ""),
            "distance": raw.get("distance", 0.0)}


async def osrm(ctx: Context, base_url: str, service: str, profile: Any, points: list[GeoCoordinate],
               params: dict[str, Any]) -> dict[str, Any]:
    """Call an OSRM service; its refusals (NoRoute, NoMatch..., sent with status 400) become clear errors."""
    if not points:
        raise ValueError(f"OSRM {service} needs at least one coordinate")
    url = f"{base_url.rstrip('/')}/{service}/v1/{profile_of(profile)}/{path_of(points)}"
    response = await get(ctx, url, {k: v for k, v in params.items() if v not in (None, "")}, refusals=True)
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if isinstance(answer, dict) and answer.get("code") == "Ok":
        return answer
    if isinstance(answer, dict) and answer.get("code"):
        raise LookupError(f"OSRM {service}: {answer['code']}: {answer.get('message', '')} "
                          f"(status {response.status_code})")
    raise ConnectionError(f"{url} answered {response.status_code} without OSRM's code: {response.text[:200]!r}")


def flag(value: bool) -> str:
    return "true" if value else "false"


def joined(values: Any) -> str:
    return ";".join(str(v) for v in values or [])


class PlanRoute(ServiceNode):
    name = "geo_plan_route"
    friendly_name = "Plan Route"
    description = "The fastest route from start to end through the waypoints (OSRM /route), with alternatives."
    pins = (
        *service_pins(OSRM),
        data_in("start", DataType.STRUCT, schema=COORDINATE, options=PinOptions(required=True)),
        data_in("end", DataType.STRUCT, schema=COORDINATE, options=PinOptions(required=True)),
        data_in("waypoints", DataType.STRUCT, ValueType.ARRAY, schema=COORDINATE, default=[]),
        PROFILE,
        data_in("alternatives", DataType.BOOLEAN, default=False),
        *outcome_pins(),
        data_out("route", DataType.STRUCT, schema=schema(RouteResult)),
        data_out("alternatives_out", DataType.STRUCT, ValueType.ARRAY, schema=schema(RouteResult),
                 friendly_name="Alternatives"),
        data_out("distance", DataType.FLOAT, description="Metres"),
        data_out("duration", DataType.FLOAT, description="Seconds"),
        data_out("geometry", DataType.STRUCT, schema=schema(RouteGeometry)),
    )

    async def call(self, ctx: Context, *, base_url: str, start: Any, end: Any, waypoints: Any, profile: str,
                   alternatives: bool) -> dict[str, Any]:
        points = [as_coordinate(start, "start"), *as_coordinates(waypoints, "waypoints"), as_coordinate(end, "end")]
        answer = await osrm(ctx, base_url, "route", profile, points, {
            "overview": "full", "geometries": "geojson", "alternatives": flag(alternatives)})
        with reading(base_url, "route"):
            first(answer, "routes")
            routes = [route(r) for r in answer["routes"]]
        best = routes[0]
        return {"route": best, "alternatives_out": routes[1:], "distance": best.distance,
                "duration": best.duration, "geometry": best.geometry}


class MatchTrace(ServiceNode):
    name = "geo_osrm_match_trace"
    friendly_name = "Match GPS Trace"
    description = "Snaps a GPS trace to the roads it most likely followed (OSRM /match)."
    pins = (
        *service_pins(OSRM),
        COORDINATES,
        ANY_PROFILE,
        data_in("timestamps", DataType.GENERIC, default=[], description="Unix seconds per point (optional)"),
        data_in("radiuses", DataType.GENERIC, default=[], description="GPS accuracy in metres per point (optional)"),
        data_in("gaps", DataType.STRING, default="split", options=PinOptions(valid_values=["split", "ignore"])),
        data_in("tidy", DataType.BOOLEAN, default=False, description="Let OSRM drop redundant points first"),
        *outcome_pins(),
        data_out("matchings", DataType.STRUCT, ValueType.ARRAY, schema=schema(RouteResult)),
        data_out("primary_matching", DataType.STRUCT, schema=schema(RouteResult)),
        data_out("tracepoints", DataType.STRUCT, ValueType.ARRAY, schema=schema(Tracepoint),
                 description="Per input point: where it matched, or null if it was dropped"),
    )

    async def call(self, ctx: Context, *, base_url: str, coordinates: Any, profile: Any, timestamps: Any,
                   radiuses: Any, gaps: str, tidy: bool) -> dict[str, Any]:
        points = as_coordinates(coordinates)
        for what, values in (("timestamps", timestamps), ("radiuses", radiuses)):
            if values and len(values) != len(points):
                raise ValueError(f"{what} needs one value per coordinate ({len(points)}), got {len(values)}")
        answer = await osrm(ctx, base_url, "match", profile, points, {
            "overview": "full", "geometries": "geojson", "timestamps": joined(timestamps),
            "radiuses": joined(radiuses), "gaps": gaps, "tidy": flag(tidy)})
        with reading(base_url, "match"):
            matchings = [route(m) for m in answer["matchings"]]
            tracepoints = [None if t is None else Tracepoint(**location(t), matchings_index=t["matchings_index"],
                                                             waypoint_index=t["waypoint_index"])
                           for t in answer["tracepoints"]]
        return {"matchings": matchings, "primary_matching": matchings[0] if matchings else None,
                "tracepoints": tracepoints}


class Nearest(ServiceNode):
    name = "geo_osrm_nearest"
    friendly_name = "Nearest Road"
    description = "The nearest points on the road network (OSRM /nearest), nearest first."
    pins = (
        *service_pins(OSRM),
        data_in("coordinate", DataType.STRUCT, schema=COORDINATE, options=PinOptions(required=True)),
        ANY_PROFILE,
        data_in("number", DataType.INTEGER, default=1, options=PinOptions(range=(1, 100))),
        *outcome_pins(),
        data_out("nearest", DataType.STRUCT, schema=schema(NearestWaypoint)),
        data_out("waypoints", DataType.STRUCT, ValueType.ARRAY, schema=schema(NearestWaypoint)),
    )

    async def call(self, ctx: Context, *, base_url: str, coordinate: Any, profile: Any, number: int
                   ) -> dict[str, Any]:
        answer = await osrm(ctx, base_url, "nearest", profile, [as_coordinate(coordinate)], {"number": number})
        with reading(base_url, "nearest"):
            waypoints = [NearestWaypoint(**location(w), nodes=w.get("nodes", [])) for w in answer["waypoints"]]
        return {"nearest": waypoints[0] if waypoints else None, "waypoints": waypoints}


class Table(ServiceNode):
    name = "geo_osrm_table"
    friendly_name = "Travel Time Table"
    description = "Durations (seconds) and distances (metres) between every source and destination (OSRM /table)."
    pins = (
        *service_pins(OSRM),
        COORDINATES,
        PROFILE,
        data_in("sources", DataType.GENERIC, default=[], description="Indices of the sources (empty: all)"),
        data_in("destinations", DataType.GENERIC, default=[], description="Indices of the destinations (empty: all)"),
        data_in("include_durations", DataType.BOOLEAN, default=True),
        data_in("include_distances", DataType.BOOLEAN, default=False),
        *outcome_pins(),
        data_out("durations", DataType.STRUCT, ValueType.ARRAY, schema=schema(TableMatrixRow)),
        data_out("distances", DataType.STRUCT, ValueType.ARRAY, schema=schema(TableMatrixRow)),
        data_out("result", DataType.STRUCT, schema=schema(TableResult)),
    )

    async def call(self, ctx: Context, *, base_url: str, coordinates: Any, profile: str, sources: Any,
                   destinations: Any, include_durations: bool, include_distances: bool) -> dict[str, Any]:
        annotations = ",".join(name for name, wanted in (("duration", include_durations),
                                                          ("distance", include_distances)) if wanted)
        if not annotations:
            raise ValueError("ask for durations, distances or both")
        answer = await osrm(ctx, base_url, "table", profile, as_coordinates(coordinates), {
            "sources": joined(sources), "destinations": joined(destinations), "annotations": annotations})

        def rows(name: str, wanted: bool) -> list[TableMatrixRow]:
            return [TableMatrixRow(values=row) for row in answer[name]] if wanted else []

        with reading(base_url, "table"):
            result = TableResult(durations=rows("durations", include_durations),
                                 distances=rows("distances", include_distances),
                                 sources=[Waypoint(**location(w)) for w in answer.get("sources", [])],
                                 destinations=[Waypoint(**location(w)) for w in answer.get("destinations", [])])
        return {"durations": result.durations, "distances": result.distances, "result": result}


class Trip(ServiceNode):
    name = "geo_osrm_trip"
    friendly_name = "Plan Trip"
    description = "The fastest order to visit every point (a travelling salesman answer, OSRM /trip)."
    pins = (
        *service_pins(OSRM),
        COORDINATES,
        ANY_PROFILE,
        data_in("roundtrip", DataType.BOOLEAN, default=True, description="Come back to the first point"),
        data_in("source", DataType.STRING, default="any", options=PinOptions(valid_values=["any", "first"])),
        data_in("destination", DataType.STRING, default="any", options=PinOptions(valid_values=["any", "last"])),
        *outcome_pins(),
        data_out("trip", DataType.STRUCT, schema=schema(RouteResult)),
        data_out("trips", DataType.STRUCT, ValueType.ARRAY, schema=schema(RouteResult)),
        data_out("waypoints", DataType.STRUCT, ValueType.ARRAY, schema=schema(TripWaypoint),
                 description="Per input point, where it comes in the trip (waypoint_index)"),
        data_out("distance", DataType.FLOAT),
        data_out("duration", DataType.FLOAT),
        data_out("geometry", DataType.STRUCT, schema=schema(RouteGeometry)),
    )

    async def call(self, ctx: Context, *, base_url: str, coordinates: Any, profile: Any, roundtrip: bool,
                   source: str, destination: str) -> dict[str, Any]:
        answer = await osrm(ctx, base_url, "trip", profile, as_coordinates(coordinates), {
            "roundtrip": flag(roundtrip), "source": source, "destination": destination, "overview": "full",
            "geometries": "geojson"})
        with reading(base_url, "trip"):
            first(answer, "trips")
            trips = [route(t) for t in answer["trips"]]
            waypoints = [TripWaypoint(**location(w), trips_index=w["trips_index"],
                                      waypoint_index=w["waypoint_index"]) for w in answer["waypoints"]]
        return {"trip": trips[0], "trips": trips, "waypoints": waypoints, "distance": trips[0].distance,
                "duration": trips[0].duration, "geometry": trips[0].geometry}


class Tile(ServiceNode):
    name = "geo_osrm_tile"
    friendly_name = "Routing Tile"
    capabilities = frozenset({Capability.NETWORK, Capability.FILES})
    description = "Downloads a vector tile (Mapbox Vector Tile) of OSRM's road graph and speeds (OSRM /tile)."
    pins = (
        *service_pins(OSRM),
        ANY_PROFILE,
        data_in("z", DataType.INTEGER, default=14, description="Zoom (OSRM serves 12 and finer)"),
        data_in("x", DataType.INTEGER, default=0),
        data_in("y", DataType.INTEGER, default=0),
        data_in("path", DataType.GENERIC, options=PinOptions(required=True), description="Where to write the tile"),
        *outcome_pins(),
        data_out("tile_path", DataType.GENERIC, description="The file written"),
        data_out("content_type", DataType.STRING),
    )

    async def call(self, ctx: Context, *, base_url: str, profile: Any, z: int, x: int, y: int, path: Any
                   ) -> dict[str, Any]:
        if not isinstance(path, str | Path) or not str(path):
            raise TypeError(f"path must be a file path, got {path!r}")
        url = f"{base_url.rstrip('/')}/tile/v1/{profile_of(profile)}/tile({x},{y},{z}).mvt"
        response = await get(ctx, url)
        kind = response.headers.get("content-type", "")
        if kind.startswith("text/") or "json" in kind:  # a web page or an error, not a tile: nothing is written
            raise ValueError(f"{url} answered {kind}, not a vector tile: it starts {response.content[:80]!r}")
        target = Path(allowed_path(path))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(response.content)
        return {"tile_path": str(target), "content_type": kind}
