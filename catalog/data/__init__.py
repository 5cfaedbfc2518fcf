"""The data pack: tables (Arrow) and SQL sessions (DuckDB), files, spreadsheets, databases and lakes."""

from flowlike_catalog.data import files, paths, sql, time

from flowlike_core import Pack

PACK = Pack(
    "data",
    modules=[sql, time, files, paths],
    description="Tables and SQL sessions, files, spreadsheets, databases and lakes",
)
