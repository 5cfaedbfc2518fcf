"""The data pack: tables (Arrow) and SQL sessions (DuckDB), files, spreadsheets, databases and lakes."""

from flowlike_catalog.data import (
    atlassian,
    atlassian_agile,
    atlassian_confluence,
    atlassian_jira,
    charts,
    databases,
    excel,
    files,
    google,
    google_calendar,
    google_drive,
    google_gmail,
    google_meet,
    google_sheets,
    lakes,
    linkedin,
    local_db,
    notion,
    paths,
    rows,
    sql,
    tables,
    tdms,
    time,
)

from flowlike_core import Pack

PACK = Pack(
    "data",
    modules=[atlassian, atlassian_agile, atlassian_confluence, atlassian_jira,
             google, google_drive, google_sheets, google_calendar, google_meet, google_gmail,
             notion,
             linkedin,
             sql, time, lakes, tables, rows, charts, files, paths, excel, databases, local_db, tdms],
    description="Tables and SQL sessions, files, spreadsheets, databases and lakes",
)
