from __future__ import annotations

import h3
import pytest
from flowlike_catalog.geo.coordinates import GeoCoordinate
from flowlike_catalog.geo.h3grid import (
    h3_cell_area,
    h3_cell_to_boundary,
    h3_cell_to_children,
    h3_cell_to_latlng,
    h3_cell_to_parent,
    h3_cells_to_multi_polygon,
    h3_compact_cells,
    h3_edge_length,
    h3_grid_disk,
    h3_grid_distance,
    h3_grid_path,
    h3_latlng_to_cell,
)

BERLIN = GeoCoordinate(latitude=52.52, longitude=13.405)
CELL = "891f1d48947ffff"  # Berlin centre at resolution 9


def test_point_to_cell_and_back() -> None:
    assert h3_latlng_to_cell.func(BERLIN, 9) == CELL
    assert h3_latlng_to_cell.func({"latitude": 52.52, "longitude": 13.405}, 9) == CELL
    centre = h3_cell_to_latlng.func(CELL)
    assert (centre.latitude, centre.longitude) == pytest.approx(h3.cell_to_latlng(CELL))
    assert abs(centre.latitude - 52.52) < 0.003 and abs(centre.longitude - 13.405) < 0.003


def test_area_edge_and_boundary() -> None:
    area, resolution = h3_cell_area.func(CELL, "SquareMeters")
    assert resolution == 9 and area == pytest.approx(93736.768, rel=1e-6)
    assert h3_cell_area.func(CELL, "SquareKilometers")[0] == pytest.approx(area / 1e6)
    assert h3_edge_length.func(9, "Meters") == (pytest.approx(200.786148), 4842432842)
    assert h3_edge_length.func(0, "Kilometers") == (pytest.approx(1281.256011), 122)
    boundary, count = h3_cell_to_boundary.func(CELL)
    assert count == 6 and boundary[0].latitude == pytest.approx(52.5211978721123)


def test_hierarchy_and_compaction() -> None:
    children, count = h3_cell_to_children.func(CELL, 10)
    assert count == 7 and all(h3.cell_to_parent(c, 9) == CELL for c in children)
    assert h3_cell_to_parent.func(children[0], 9) == (CELL, 10)
    assert h3_compact_cells.func(children) == ([CELL], 7, 1)
    neighbours = h3_grid_disk.func(CELL, 1)[0]
    other = next(c for c in neighbours if c != CELL)
    both = [*children, *h3.cell_to_children(other, 10)]
    assert h3_compact_cells.func(both) == (sorted([CELL, other]), 14, 2)
    with pytest.raises(ValueError, match="child resolution 8 is coarser than the cell's 9"):
        h3_cell_to_children.func(CELL, 8)
    with pytest.raises(ValueError, match="parent resolution 10 is finer than the cell's 9"):
        h3_cell_to_parent.func(CELL, 10)


def test_disk_distance_path() -> None:
    cells, count = h3_grid_disk.func(CELL, 2)
    assert count == 19 and CELL in cells and cells == sorted(cells)
    far = max(cells, key=lambda c: h3.grid_distance(CELL, c))
    assert h3_grid_distance.func(CELL, far) == 2
    path, length = h3_grid_path.func(CELL, far)
    assert length == 3 and path[0] == CELL and path[-1] == far


def test_polygons_with_a_hole() -> None:
    ring = [c for c in h3.grid_disk(CELL, 2) if h3.grid_distance(CELL, c) > 0]
    (polygon,), count = h3_cells_to_multi_polygon.func(ring)
    assert count == 1 and len(polygon.holes) == 1 and len(polygon.holes[0]) == 6
    apart = [CELL, h3.grid_ring(CELL, 5)[0]]
    assert h3_cells_to_multi_polygon.func(apart)[1] == 2
    assert h3_cells_to_multi_polygon.func([]) == ([], 0)


def test_bad_cells_and_resolutions() -> None:
    with pytest.raises(ValueError, match="cell 'nope' is not a valid H3 cell id"):
        h3_cell_to_latlng.func("nope")
    with pytest.raises(ValueError, match="H3 resolutions run from 0 to 15, got 16"):
        h3_latlng_to_cell.func(BERLIN, 16)
    with pytest.raises(ValueError, match="unknown unit 'Acres'"):
        h3_cell_area.func(CELL, "Acres")


def test_h3_nodes_wired_on_a_board(board) -> None:
    to_cell = board.add("h3_latlng_to_cell", resolution=9)
    board.feed(to_cell, coordinate={"latitude": 52.52, "longitude": 13.405})
    disk = board.add("h3_grid_disk", k=1)
    board.wire(to_cell, "cell", disk, "cell")
    back = board.add("events_generic_return_result")
    board.wire(disk, "count", back, "response")
    assert board.steps(back).result == 7
