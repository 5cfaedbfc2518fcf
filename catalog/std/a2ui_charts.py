"""A2UI charts: the data, layout and configuration of Plotly and Nivo chart elements, and CSV turned into either
library's data shape (Flow-Like's: Nivo bar rows with `keys`/`indexBy`, line/scatter series of points, pie slices;
Plotly traces). The chart is drawn by the frontend; these nodes change what it draws."""

from __future__ import annotations

import csv as csv_module
import io
from typing import Annotated, Any

from flowlike_catalog.std.a2ui_document import A2UIError
from flowlike_catalog.std.a2ui_elements import update

from flowlike_core import Context, Pin, node

CATEGORY = "UI/Elements/Charts"
CACHEABLE = False

CHART_TYPES = ("Bar", "Radar", "Line", "Area", "Pie", "Scatter")
"""Chart types CSV can be pushed to (Flow-Like's heatmap, calendar, sankey and tree shapes are not made here)."""


@node(friendly_name="Set Chart Data", exec_pins=True)
def a2ui_set_chart_data(ctx: Context, element_ref: dict | str, data: Any = None) -> None:
    """Sets a Plotly chart's traces."""
    update(ctx, element_ref, {"type": "setChartData", "data": data})


@node(friendly_name="Set Chart Layout", exec_pins=True)
def a2ui_set_chart_layout(ctx: Context, element_ref: dict | str, layout: Any = None) -> None:
    """Sets a Plotly chart's layout."""
    update(ctx, element_ref, {"type": "setChartLayout", "layout": layout})


@node(friendly_name="Set Nivo Data", exec_pins=True)
def a2ui_set_nivo_data(ctx: Context, element_ref: dict | str, data: Any = None) -> None:
    """Sets a Nivo chart's data."""
    update(ctx, element_ref, {"type": "setNivoData", "data": data})


@node(friendly_name="Set Nivo Config", exec_pins=True)
def a2ui_set_nivo_config(ctx: Context, element_ref: dict | str, config: Any = None, chart_type: str = "",
                         colors: Any = None, height: str = "") -> None:
    """Sets a Nivo chart's configuration; chart type, colors and height only when given."""
    change: dict[str, Any] = {"type": "setNivoConfig"}
    for key, value in (("config", config), ("chartType", chart_type), ("colors", colors), ("height", height)):
        if value not in (None, ""):
            change[key] = value
    update(ctx, element_ref, change)


@node(friendly_name="Set Chart Style", exec_pins=True)
def a2ui_set_chart_style(ctx: Context, element_ref: dict | str,
                         chart_type: Annotated[str, Pin(valid_values=["Bar"])] = "Bar",
                         bar_style: dict | None = None) -> None:
    """Sets a Nivo bar chart's style (`barStyle`)."""
    if chart_type != "Bar":
        raise A2UIError(f"Set Chart Style: only the Bar chart's style is set here, got chart type {chart_type!r}")
    update(ctx, element_ref, {"type": "setProps", "props": {"barStyle": bar_style or {}}})


def number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def nivo_data(chart_type: str, headers: list[str], rows: list[list[str]]) -> tuple[Any, dict[str, Any] | None]:
    """Nivo's data for a chart type, and the config it needs (a bar chart's keys and index)."""
    first = [row[0] if row else "" for row in rows]
    columns = range(1, len(headers))
    if chart_type in ("Bar", "Radar"):
        data = [{headers[0]: x, **{headers[i]: number(row[i]) if i < len(row) else 0.0 for i in columns}}
                for x, row in zip(first, rows, strict=True)]
        return data, {"keys": headers[1:], "indexBy": headers[0]}
    if chart_type in ("Line", "Area"):
        return [{"id": headers[i], "data": [{"x": x, "y": number(row[i]) if i < len(row) else 0.0}
                                            for x, row in zip(first, rows, strict=True)]} for i in columns], None
    if chart_type == "Pie":
        at = 1 if len(headers) > 1 else 0
        return [{"id": label, "label": label, "value": number(row[at]) if at < len(row) else 0.0}
                for label, row in zip(first, rows, strict=True)], None
    groups: dict[str, list[dict[str, float]]] = {}
    for row in rows:
        point = {"x": number(row[0]) if row else 0.0, "y": number(row[1]) if len(row) > 1 else 0.0}
        groups.setdefault(row[2] if len(headers) >= 3 and len(row) > 2 else "data", []).append(point)
    return [{"id": name, "data": points} for name, points in groups.items()], None


def plotly_traces(chart_type: str, headers: list[str], rows: list[list[str]]) -> list[dict[str, Any]]:
    """Plotly traces: one per value column against the first column (a pie: labels and values)."""
    first = [row[0] if row else "" for row in rows]
    values = [[number(row[i]) if i < len(row) else 0.0 for row in rows] for i in range(1, len(headers))]
    if chart_type == "Pie":
        return [{"type": "pie", "labels": first, "values": values[0] if values else []}]
    kind = {"Bar": {"type": "bar"}, "Radar": {"type": "scatterpolar", "fill": "toself"},
            "Line": {"type": "scatter", "mode": "lines"}, "Area": {"type": "scatter", "fill": "tozeroy"},
            "Scatter": {"type": "scatter", "mode": "markers"}}[chart_type]
    if chart_type == "Radar":
        return [{**kind, "name": name, "r": ys, "theta": first} for name, ys in zip(headers[1:], values, strict=True)]
    return [{**kind, "name": name, "x": first, "y": ys} for name, ys in zip(headers[1:], values, strict=True)]


@node(friendly_name="Push CSV To Chart", exec_pins=True)
def a2ui_push_csv_to_chart(ctx: Context, element_ref: dict | str,
                           library: Annotated[str, Pin(valid_values=["Nivo", "Plotly"])] = "Nivo",
                           chart_type: Annotated[str, Pin(valid_values=list(CHART_TYPES))] = "Bar",
                           csv: str = "", table: dict | None = None, delimiter: str = ",") -> None:
    """Fills a chart from CSV (first column: categories or x; the others: series) or a table's `headers`/`rows`."""
    if library not in ("Nivo", "Plotly"):
        raise A2UIError(f"Push CSV To Chart: library must be Nivo or Plotly, got {library!r}")
    if chart_type not in CHART_TYPES:
        raise A2UIError(f"Push CSV To Chart: chart type must be one of {', '.join(CHART_TYPES)}, got {chart_type!r}")
    if table:
        headers = [str(h) for h in table.get("headers", [])]
        rows = [[str(row.get(h, "")) for h in headers] if isinstance(row, dict) else [str(c) for c in row]
                for row in table.get("rows", [])]
    else:
        if len(delimiter) != 1:
            raise A2UIError(f"Push CSV To Chart: the delimiter must be one character, got {delimiter!r}")
        headers, *rows = list(csv_module.reader(io.StringIO(csv), delimiter=delimiter)) or [[]]
    if library == "Plotly":
        update(ctx, element_ref, {"type": "setChartData", "data": plotly_traces(chart_type, headers, rows)
                                  if headers and rows else []})
        return
    data, config = nivo_data(chart_type, headers, rows) if headers and rows else ([], None)
    update(ctx, element_ref, {"type": "setNivoData", "data": data})
    if config is not None:
        update(ctx, element_ref, {"type": "setNivoConfig", "config": config})
