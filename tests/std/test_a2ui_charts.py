"""A2UI charts: data, layout, config and CSV shaped for Nivo and Plotly."""

from __future__ import annotations

import pytest
from a2ui_boards import surface_board
from flowlike_catalog.std.a2ui_charts import nivo_data, plotly_traces
from flowlike_catalog.std.a2ui_document import messages, replay

from flowlike_core import RunStatus

CSV = "month,sales,profit\nJan,10,2\nFeb,20,x"
HEADERS, *ROWS = [line.split(",") for line in CSV.splitlines()]


def chart_run(b, kind: str, *steps: tuple[str, dict]):
    make = ("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": "chart",
                                    "component_type": kind, "props": {}})
    surface_board(b, *(b.add(key, **inputs) for key, inputs in (make, *steps)))
    return b.run()


def chart(run) -> dict:
    return replay(run).surfaces["main"]["components"]["chart"]["component"]


def test_csv_to_a_nivo_bar_chart_sends_data_and_config(b):
    run = chart_run(b, "nivoChart", ("a2ui_push_csv_to_chart", {"element_ref": "chart", "csv": CSV}))
    run.raise_for_status()
    assert chart(run)["data"]["literalJson"] == [{"month": "Jan", "sales": 10.0, "profit": 2.0},
                                                 {"month": "Feb", "sales": 20.0, "profit": 0.0}]
    assert chart(run)["config"]["keys"] == ["sales", "profit"] and chart(run)["config"]["indexBy"] == "month"
    assert [m["value"]["type"] for m in messages(run)[-2:]] == ["setNivoData", "setNivoConfig"]


def test_nivo_shapes_for_line_pie_and_scatter():
    lines, _ = nivo_data("Line", HEADERS, ROWS)
    assert lines[0] == {"id": "sales", "data": [{"x": "Jan", "y": 10.0}, {"x": "Feb", "y": 20.0}]}
    pie, _ = nivo_data("Pie", HEADERS, ROWS)
    assert pie == [{"id": "Jan", "label": "Jan", "value": 10.0}, {"id": "Feb", "label": "Feb", "value": 20.0}]
    points, _ = nivo_data("Scatter", ["x", "y", "group"], [["1", "2", "a"], ["3", "4", "b"], ["5", "6", "a"]])
    assert points == [{"id": "a", "data": [{"x": 1.0, "y": 2.0}, {"x": 5.0, "y": 6.0}]},
                      {"id": "b", "data": [{"x": 3.0, "y": 4.0}]}]


def test_plotly_traces_from_a_table_struct(b):
    table = {"headers": ["month", "sales"], "rows": [{"month": "Jan", "sales": 3}, {"month": "Feb", "sales": 4}]}
    run = chart_run(b, "plotlyChart", ("a2ui_push_csv_to_chart", {"element_ref": "chart", "library": "Plotly",
                                                                  "chart_type": "Line", "table": table}))
    run.raise_for_status()
    assert chart(run)["data"]["literalJson"] == [{"type": "scatter", "mode": "lines", "name": "sales",
                                                  "x": ["Jan", "Feb"], "y": [3.0, 4.0]}]
    assert plotly_traces("Pie", HEADERS, ROWS) == [{"type": "pie", "labels": ["Jan", "Feb"], "values": [10.0, 20.0]}]


def test_chart_data_layout_config_and_style(b):
    run = chart_run(b, "plotlyChart", ("a2ui_set_chart_data", {"element_ref": "chart", "data": [{"y": [1]}]}),
                    ("a2ui_set_chart_layout", {"element_ref": "chart", "layout": {"title": "T"}}),
                    ("a2ui_set_nivo_config", {"element_ref": "chart", "config": {"margin": 4}, "chart_type": "bar",
                                              "height": "300px"}),
                    ("a2ui_set_chart_style", {"element_ref": "chart", "bar_style": {"padding": 0.3}}))
    run.raise_for_status()
    props = chart(run)
    assert props["data"] == {"literalJson": [{"y": [1]}]} and props["layout"] == {"literalJson": {"title": "T"}}
    assert props["chartType"] == {"literalString": "bar"} and props["height"] == {"literalString": "300px"}
    assert props["config"] == {"margin": 4} and props["barStyle"] == {"padding": 0.3}
    assert "colors" not in props


@pytest.mark.parametrize("inputs, error", [({"chart_type": "Sankey"}, "chart type must be one of"),
                                           ({"library": "D3"}, "library must be Nivo or Plotly")])
def test_unsupported_charts_fail_saying_what_is_supported(b, inputs, error):
    run = chart_run(b, "nivoChart", ("a2ui_push_csv_to_chart", {"element_ref": "chart", "csv": CSV, **inputs}))
    assert run.status is RunStatus.FAILED and error in run.error
