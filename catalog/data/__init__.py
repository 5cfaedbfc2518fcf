"""The data pack: tables (Arrow) and SQL sessions (DuckDB), files, spreadsheets, databases and lakes."""

from flowlike_catalog import lazy_pack

__getattr__ = lazy_pack(__name__)
