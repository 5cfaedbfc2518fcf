"""Static pictures: a Board as SVG, a Run as an HTML table plus an SVG timeline."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_nb.kernel.runs import RUN_MIME

SVG = "{http://www.w3.org/2000/svg}"


def test_board_is_an_svg_picture_of_nodes_and_wires(counter: fnb.Board) -> None:
    bundle = counter._repr_mimebundle_()
    svg = ET.fromstring(bundle["image/svg+xml"])
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"start", "read n", "say"} <= set(texts)
    assert len(list(svg.iter(f"{SVG}path"))) >= 2  # two wires (plus exec pin arrows)
    wires = [g for g in svg.iter(f"{SVG}g") if g.get("data-kind")]
    assert len(wires) == 2
    assert "script" not in bundle["image/svg+xml"]


def test_exec_pins_with_a_name_are_labelled_so_a_branch_shows_which_way_is_true() -> None:
    board = fnb.Board("labels")
    board.add("control_branch", "branch")
    board.add("control_for_each", "loop")
    texts = {t.text for t in ET.fromstring(board._repr_mimebundle_()["image/svg+xml"]).iter(f"{SVG}text")}
    assert {"True", "False", "Loop Body", "Completed"} <= texts


def test_nodes_stacked_at_one_spot_are_laid_out_by_depth() -> None:
    board = fnb.Board("stacked")
    a = board.add("events_simple", "a", at=(0, 0))
    b = board.add("log_info", "b", at=(0, 0))
    a.outputs.exec_out >> b.inputs.exec_in
    svg = ET.fromstring(board.svg())
    xs = sorted({float(r.get("x")) for r in svg.iter(f"{SVG}rect")})
    assert len(xs) == 2 and xs[1] > xs[0]


def test_run_display_has_trace_table_timeline_and_record(shell: InteractiveShell, counter: fnb.Board) -> None:
    run = counter.run()
    outputs: list[dict] = []
    shell.display_pub.publish = lambda data, **kw: outputs.append(data)  # type: ignore[method-assign]
    try:
        run._ipython_display_()
    finally:
        del shell.display_pub.publish
    table, timeline = outputs
    assert "<table>" in table["text/html"] and "Success" in table["text/html"]
    assert table[RUN_MIME]["status"] == "Success" and len(table[RUN_MIME]["traces"]) == 3
    bars = [r for r in ET.fromstring(timeline["image/svg+xml"]).iter(f"{SVG}rect")]
    assert len(bars) == 3


def test_opening_the_editor_lays_out_a_cell_built_board_once(counter: fnb.Board) -> None:
    from flowlike_nb.kernel.render import needs_layout

    assert needs_layout(counter.core)
    revision = counter.core.revision
    editor = counter.editor()
    assert editor.board is counter.core
    assert not needs_layout(counter.core) and counter.core.revision == revision + 1
    counter.editor()
    assert counter.core.revision == revision + 1
    placed = {node_id: node.coordinates for node_id, node in counter.core.nodes.items()}
    counter.undo()  # undoes the last edit made in a cell, not the layout: opening is not an edit
    assert not needs_layout(counter.core)
    assert all(counter.core.nodes[n].coordinates == xy for n, xy in placed.items() if n in counter.core.nodes)
