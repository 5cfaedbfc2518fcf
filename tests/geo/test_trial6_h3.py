"""H3 at its edges: asks for more cells than a board can hold fail at once, saying how many."""

from __future__ import annotations

import pytest
from flowlike_catalog.geo import h3grid

RES0 = "8001fffffffffff"


def test_children_of_a_coarse_cell_at_a_fine_resolution_say_how_many_they_would_be() -> None:
    """A resolution-0 cell's children at 15 failed with a bare 'MemoryError' (at 10, the default, it ran for
    minutes building 282 million ids)."""
    with pytest.raises(ValueError, match=r"cell 8001fffffffffff has 4,747,561,509,943 children at resolution 15"):
        h3grid.h3_cell_to_children.func(RES0, 15)
    with pytest.raises(ValueError, match=r"282,475,249 children at resolution 10.*at most 1,000,000"):
        h3grid.h3_cell_to_children.func(RES0, 10)
    assert h3grid.h3_cell_to_children.func(RES0, 1).count == 7


def test_a_disk_too_large_to_hold_says_how_many_cells_it_has() -> None:
    with pytest.raises(ValueError, match=r"a disk of k=100000 has 30,000,300,001 cells"):
        h3grid.h3_grid_disk.func("8928308280fffff", 100000)
    assert h3grid.h3_grid_disk.func("8928308280fffff", 2).count == 19
