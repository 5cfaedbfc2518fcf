"""Charts of a table: a PNG drawn by matplotlib and the same chart as a Vega-Lite spec (for the editor)."""

from __future__ import annotations

import io
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.handles import as_arrow

from flowlike_core import Pin, node

CATEGORY = "Data/Tables"
KINDS = ("line", "bar", "scatter")


class Chart(NamedTuple):
    png: Annotated[bytes, Pin("PNG", description="The chart as a PNG image")]
    spec: Annotated[dict, Pin("Vega-Lite", description="The same chart as a Vega-Lite spec, data inlined")]


@node(friendly_name="Chart")
def table_chart(table: Annotated[Any, Pin(description="A table")], x: str, y: list[str],
                kind: Annotated[str, Pin(valid_values=KINDS)] = "line", title: str = "",
                width: int = 640, height: int = 400) -> Chart:
    """Plots one or more Y columns against the X column."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    arrow = as_arrow(table)
    missing = [c for c in [x, *y] if c not in arrow.column_names]
    if missing:
        raise KeyError(f"no column {', '.join(map(repr, missing))} (columns: {', '.join(arrow.column_names)})")
    if kind not in KINDS or not y:
        raise ValueError(f"chart kind {kind!r} with y {y!r}: use one of {', '.join(KINDS)} and at least one column")
    for column in y:
        if not numeric(arrow.schema.field(column).type):
            raise TypeError(f"y column {column!r} is {arrow.schema.field(column).type}: a chart plots numbers "
                            f"against X")
    xs = arrow.column(x).to_pylist()
    figure = Figure(figsize=(width / 100, height / 100), dpi=100)
    axes = figure.subplots()
    for index, column in enumerate(y):
        values = arrow.column(column).to_pylist()
        if kind == "bar":
            offset = [i + index / (len(y) + 1) for i in range(len(xs))]
            axes.bar(offset, values, width=1 / (len(y) + 1), label=column)
            axes.set_xticks(range(len(xs)), [str(v) for v in xs])
        else:
            (axes.scatter if kind == "scatter" else axes.plot)(xs, values, label=column)
    axes.set_xlabel(x)
    axes.set_title(title)
    if len(y) > 1:
        axes.legend()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    mark = {"line": "line", "bar": "bar", "scatter": "point"}[kind]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": title, "width": width,
        "height": height, "data": {"values": json_values(arrow.select([x, *y]))},
        "transform": [{"fold": y, "as": ["series", "value"]}], "mark": mark,
        "encoding": {"x": {"field": x, "type": x_type(arrow.schema.field(x).type, kind)},
                     "y": {"field": "value", "type": "quantitative"}, "color": {"field": "series", "type": "nominal"}},
    }
    return Chart(buffer.getvalue(), spec)


def numeric(kind: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind) \
        or pa.types.is_null(kind)


def x_type(kind: Any, chart: str) -> str:
    """Vega-Lite's type of the X field: bars are ordinal; dates and times temporal, texts nominal."""
    import pyarrow as pa

    if chart == "bar":
        return "ordinal"
    if pa.types.is_temporal(kind):
        return "temporal"
    return "quantitative" if numeric(kind) else "nominal"


def json_values(arrow: Any) -> list[dict[str, Any]]:
    """The rows as JSON values, as a Vega-Lite spec holds them: dates and times as ISO text, decimals as numbers."""
    import pyarrow as pa
    from flowlike_catalog.data.tables import iso_text

    for index, field in enumerate(arrow.schema):
        if pa.types.is_decimal(field.type):
            arrow = arrow.set_column(index, field.name, arrow.column(index).cast(pa.float64()))
    return iso_text(arrow).to_pylist()
