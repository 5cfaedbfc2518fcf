"""Coordinates and polygons as the geo nodes pass them (WGS 84 degrees)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class GeoCoordinate(BaseModel):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class Polygon(BaseModel):
    outer: list[GeoCoordinate]
    """The outer ring (not closed: the first point is not repeated)."""
    holes: list[list[GeoCoordinate]] = []


def as_coordinate(value: Any, what: str = "coordinate") -> GeoCoordinate:
    """A GeoCoordinate from a struct, a model or a [latitude, longitude] pair; a clear error otherwise."""
    from pydantic import ValidationError

    if value is None:
        raise TypeError(f"no {what} given")
    if isinstance(value, list | tuple) and len(value) == 2:
        value = {"latitude": value[0], "longitude": value[1]}
    try:
        return GeoCoordinate.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, error['loc'])) or 'value'}: {error['msg']}"
                             for error in exc.errors())
        raise ValueError(f"{what} {value!r} is not a coordinate (latitude -90..90, longitude -180..180): "
                         f"{problems}") from None


def as_coordinates(values: Any, what: str = "coordinates") -> list[GeoCoordinate]:
    return [as_coordinate(v, f"{what}[{i}]") for i, v in enumerate(values or [])]
