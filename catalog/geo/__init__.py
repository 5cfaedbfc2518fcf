"""The geo pack: the H3 hexagonal grid, geocoding (Nominatim), routing (OSRM) and static map images."""

from flowlike_catalog.geo import h3grid, maps, routing, search

from flowlike_core import Pack

PACK = Pack(
    "geo",
    modules=[h3grid, search, routing, maps],
    description="H3 cells, geocoding, routing and map images (pip install 'flowlike-nb[geo]')",
)

__all__ = ["PACK"]
