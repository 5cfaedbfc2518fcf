"""H3: Uber's hexagonal grid of the globe (the `h3` package). Cells are 15-character hex ids; resolution 0
is coarsest (122 cells), 15 finest. All pure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, NamedTuple, TypeVar

from flowlike_catalog.geo.coordinates import GeoCoordinate, Polygon, as_coordinate

from flowlike_core import Pin, node

CATEGORY = "Web/Geo/H3"
T = TypeVar("T")
AREA_UNITS = {"SquareMeters": "m^2", "SquareKilometers": "km^2", "Radians": "rads^2"}
LENGTH_UNITS = {"Meters": "m", "Kilometers": "km", "Radians": "rads"}
Cell = Annotated[str, Pin(description="An H3 cell id, e.g. 891f1d48947ffff")]
Cells = Annotated[list[str], Pin(description="H3 cell ids")]
Resolution = Annotated[int, Pin(range=(0, 15))]
MOST_CELLS = 1_000_000
"""The most cells one node gives: a resolution-0 cell's children at resolution 10 are 282 million ids (minutes and
gigabytes), at 15 a bare MemoryError."""


class Area(NamedTuple):
    area: float
    resolution: int


class Boundary(NamedTuple):
    boundary: Annotated[list[GeoCoordinate], Pin(description="The cell's corners, in order")]
    vertex_count: int


class Children(NamedTuple):
    children: list[str]
    count: int


class Parent(NamedTuple):
    parent: str
    original_resolution: int


class Polygons(NamedTuple):
    polygons: list[Polygon]
    polygon_count: int


class Compacted(NamedTuple):
    compacted: list[str]
    original_count: int
    compacted_count: int


class EdgeLength(NamedTuple):
    edge_length: Annotated[float, Pin(description="Average edge of a hexagon at the resolution")]
    cell_count: Annotated[int, Pin(description="Cells covering the globe at the resolution")]


class Disk(NamedTuple):
    cells: list[str]
    count: int


class GridPath(NamedTuple):
    path: list[str]
    length: int


def valid(cell: str, what: str = "cell") -> str:
    import h3

    if not isinstance(cell, str) or not h3.is_valid_cell(cell):
        raise ValueError(f"{what} {cell!r} is not a valid H3 cell id")
    return cell


def check_resolution(resolution: int) -> int:
    if not 0 <= resolution <= 15:
        raise ValueError(f"H3 resolutions run from 0 to 15, got {resolution}")
    return resolution


def unit_of(unit: Any, units: dict[str, str]) -> str:
    if unit not in units:
        raise ValueError(f"unknown unit {unit!r}: use one of {', '.join(units)}")
    return units[unit]


@node
def h3_cell_area(cell: Cell = "", unit: Annotated[Any, Pin(valid_values=tuple(AREA_UNITS), description=(
        "A unit name (Flow-Like has an enum)"))] = "SquareMeters") -> Area:
    """The exact area of a cell."""
    import h3

    return Area(h3.cell_area(valid(cell), unit_of(unit, AREA_UNITS)), h3.get_resolution(cell))


@node(friendly_name="H3 Cell Boundary")
def h3_cell_to_boundary(cell: Cell = "") -> Boundary:
    """The corners of a cell (6 for hexagons, 5 for the 12 pentagons; more where edges cross icosahedron faces)."""
    import h3

    points = [GeoCoordinate(latitude=lat, longitude=lng) for lat, lng in h3.cell_to_boundary(valid(cell))]
    return Boundary(points, len(points))


@node(friendly_name="H3 Cell Children")
def h3_cell_to_children(cell: Cell = "", child_resolution: Resolution = 10) -> Children:
    """The cells at a finer resolution that make up this cell (7 per level for hexagons)."""
    import h3

    if check_resolution(child_resolution) < h3.get_resolution(valid(cell)):
        raise ValueError(f"child resolution {child_resolution} is coarser than the cell's {h3.get_resolution(cell)}")
    count = h3.cell_to_children_size(cell, child_resolution)
    if count > MOST_CELLS:
        raise ValueError(f"cell {cell} has {count:,} children at resolution {child_resolution}, more than a board "
                         f"can hold (at most {MOST_CELLS:,}): pick a coarser child resolution")
    children = sorted(h3.cell_to_children(cell, child_resolution))
    return Children(children, len(children))


@node(friendly_name="H3 Cell to Lat/Lng")
def h3_cell_to_latlng(cell: Cell = "") -> Annotated[GeoCoordinate, Pin(name="coordinate")]:
    """The centre of a cell."""
    import h3

    latitude, longitude = h3.cell_to_latlng(valid(cell))
    return GeoCoordinate(latitude=latitude, longitude=longitude)


@node(friendly_name="H3 Cell Parent")
def h3_cell_to_parent(cell: Cell = "", parent_resolution: Resolution = 5) -> Parent:
    """The coarser cell that contains this one."""
    import h3

    original = h3.get_resolution(valid(cell))
    if check_resolution(parent_resolution) > original:
        raise ValueError(f"parent resolution {parent_resolution} is finer than the cell's {original}")
    return Parent(h3.cell_to_parent(cell, parent_resolution), original)


@node(friendly_name="H3 Cells to Polygons")
def h3_cells_to_multi_polygon(cells: Cells = None) -> Polygons:
    """The outlines of a set of cells: one polygon per connected group, with holes."""
    import h3

    cells = [valid(c, f"cells[{i}]") for i, c in enumerate(cells or [])]
    if not cells:
        return Polygons([], 0)
    shape = h3.cells_to_h3shape(cells)
    parts = list(shape) if isinstance(shape, h3.LatLngMultiPoly) else [shape]

    def ring(points: Any) -> list[GeoCoordinate]:
        return [GeoCoordinate(latitude=lat, longitude=lng) for lat, lng in points]

    polygons = [Polygon(outer=ring(p.outer), holes=[ring(h) for h in p.holes]) for p in parts]
    return Polygons(polygons, len(polygons))


@node
def h3_compact_cells(cells: Cells = None) -> Compacted:
    """Replaces every complete set of siblings by their parent, repeatedly: the same area in fewer cells."""
    import h3

    cells = [valid(c, f"cells[{i}]") for i, c in enumerate(cells or [])]
    compacted = sorted(h3.compact_cells(sorted(set(cells))))
    return Compacted(compacted, len(cells), len(compacted))


@node
def h3_edge_length(resolution: Resolution = 9, unit: Annotated[Any, Pin(valid_values=tuple(LENGTH_UNITS), description=(
        "A unit name (Flow-Like has an enum)"))] = "Meters") -> EdgeLength:
    """The average hexagon edge length and the number of cells at a resolution."""
    import h3

    check_resolution(resolution)
    return EdgeLength(h3.average_hexagon_edge_length(resolution, unit_of(unit, LENGTH_UNITS)),
                      h3.get_num_cells(resolution))


@node
def h3_grid_disk(cell: Cell = "", k: Annotated[int, Pin(description="Rings around the cell")] = 1) -> Disk:
    """The cell and every cell within k steps of it (1 + 3k(k+1) cells away from pentagons), sorted."""
    import h3

    if k < 0:
        raise ValueError(f"k must not be negative, got {k}")
    if (count := 1 + 3 * k * (k + 1)) > MOST_CELLS:
        raise ValueError(f"a disk of k={k} has {count:,} cells, more than a board can hold (at most {MOST_CELLS:,}: "
                         f"k up to 576)")
    cells = sorted(h3.grid_disk(valid(cell), k))
    return Disk(cells, len(cells))


def on_grid(what: str, cell_a: str, cell_b: str, join: Callable[[str, str], T]) -> T:
    """`join(cell_a, cell_b)` for two valid cells of one resolution; why H3 cannot join them said in words (its
    errors carry no text)."""
    import h3

    a, b = valid(cell_a, "cell_a"), valid(cell_b, "cell_b")
    if h3.get_resolution(a) != h3.get_resolution(b):
        raise ValueError(f"no grid {what} between {a} and {b}: the cells are of resolutions {h3.get_resolution(a)} "
                         f"and {h3.get_resolution(b)} (give two of one resolution: H3 Cell to Parent)")
    try:
        return join(a, b)
    except h3.H3BaseException:
        raise ValueError(f"no grid {what} between {a} and {b}: H3 finds none between cells this far apart (or "
                         f"across one of its pentagons)") from None


@node
def h3_grid_distance(cell_a: Cell = "", cell_b: Cell = "") -> Annotated[int, Pin(name="distance")]:
    """Steps between two cells of the same resolution."""
    import h3

    return on_grid("distance", cell_a, cell_b, h3.grid_distance)


@node
def h3_grid_path(cell_a: Cell = "", cell_b: Cell = "") -> GridPath:
    """The cells of a shortest grid path from one cell to the other, both ends included."""
    import h3

    path = on_grid("path", cell_a, cell_b, h3.grid_path_cells)
    return GridPath(list(path), len(path))


@node(friendly_name="Lat/Lng to H3 Cell")
def h3_latlng_to_cell(coordinate: GeoCoordinate = None, resolution: Resolution = 9) -> Annotated[
        str, Pin(name="cell")]:
    """The cell that contains a point at a resolution."""
    import h3

    point = as_coordinate(coordinate)
    return h3.latlng_to_cell(point.latitude, point.longitude, check_resolution(resolution))
