"""Big runs stay readable: the display a run leaves in a notebook stays under 100 KB, the Run keeps everything."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_nb.kernel.runs import RUN_MIME

DISPLAY_LIMIT = 100_000


def looping(iterations: int, body: int) -> fnb.Board:
    """A for-each over `iterations` items whose body is `body` log nodes in a row."""
    board = fnb.Board("looping")
    loop = board.add("control_for_each", "loop", array=list(range(iterations)))
    board.add("events_simple", "start").outputs.exec_out >> loop.inputs.exec_in
    previous = loop.outputs.exec_out
    for i in range(body):
        say = board.add("log_info", f"say {i}", message="tick " + "x" * 60)
        previous >> say.inputs.exec_in
        previous = say.outputs.exec_out
    return board


def displayed(shell: InteractiveShell, run: fnb.RunView) -> list[dict]:
    outputs: list[dict] = []
    shell.display_pub.publish = lambda data, **kw: outputs.append(data)  # type: ignore[method-assign]
    try:
        run._ipython_display_()
    finally:
        del shell.display_pub.publish
    return outputs


@pytest.mark.parametrize(("iterations", "body"), [(5000, 1), (200, 100), (3, 1000)])
def test_any_run_displays_in_under_100_kb(shell: InteractiveShell, iterations: int, body: int) -> None:
    run = looping(iterations, body).run()
    outputs = displayed(shell, run)
    size = len(json.dumps(outputs))
    assert size < DISPLAY_LIMIT, f"{size:,} bytes of display for {iterations} x {body}"
    table, timeline = outputs
    assert "one row per node" in table["text/html"]
    svg = ET.fromstring(timeline["image/svg+xml"])
    assert float(svg.get("height")) < 2000, "the timeline is capped"
    assert "more executions not drawn" in timeline["image/svg+xml"]
    full = run.core.record()
    assert len(full.traces) + sum(f.count for f in full.folded) == run.core.node_executions >= iterations * body
    shown = table[RUN_MIME]
    assert shown["id"] == run.core.id
    assert "truncated" in shown or shown == full.model_dump(mode="json"), "a cut record says so"


def test_the_node_table_aggregates_repeated_nodes(shell: InteractiveShell) -> None:
    run = looping(300, 2).run()
    table = displayed(shell, run)[0]["text/html"]
    rows = {cells[0]: cells for cells in _rows(table)}
    assert rows["say 0"][2] == "300" and rows["say 1"][2] == "300", "runs of each node, traced and folded"
    assert rows["loop"][2] == "1"


def _rows(html: str) -> list[list[str]]:
    body = html[html.index("<tbody>"):]
    return [[cell.split("</td>")[0] for cell in row.split("<td>")[1:]] for row in body.split("<tr")[1:]]


def test_small_runs_keep_one_row_per_execution_and_the_whole_record(shell: InteractiveShell) -> None:
    run = looping(2, 1).run()
    table, _ = displayed(shell, run)
    assert "one row per node" not in table["text/html"]
    assert table[RUN_MIME] == run.core.record().model_dump(mode="json")
