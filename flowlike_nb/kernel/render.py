"""Static pictures: a Board as SVG, a Run as an HTML trace table and an SVG timeline.

Plain SVG and HTML with inline attributes only (no scripts, no widgets, no CSS classes), so the
pictures survive nbviewer, GitHub and exported HTML.

A run's display stays small whatever the run did, because it is saved into the notebook: past `MAX_ROWS`
executions the table has one row per node (runs, total and longest time, first error), the timeline draws
at most `MAX_BARS` bars, and the record riding along is cut to `RECORD_BUDGET` bytes. The whole record
stays on the Run object (`run.core.record()`).
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from flowlike_core import wording
from flowlike_core.board import Board, Connection, Node, Pin
from flowlike_core.node import ERROR_EXEC, ERROR_MESSAGE
from flowlike_core.run import FoldedRecord, NodeStatus, Run, RunStatus
from flowlike_core.types import DataType
from flowlike_nb.kernel import namespace
from flowlike_nb.kernel.wire_routes import Router

if TYPE_CHECKING:
    from flowlike_nb.kernel.runs import RunView

PIN_COLORS = {
    DataType.EXECUTION: "#f5f5f5", DataType.BOOLEAN: "#e05252", DataType.INTEGER: "#2fa36b",
    DataType.FLOAT: "#7cc37c", DataType.STRING: "#e6a23c", DataType.DATE: "#c678dd", DataType.PATHBUF: "#d19a66",
    DataType.BYTE: "#61afef", DataType.STRUCT: "#4a90e2", DataType.GENERIC: "#9e9e9e",
}
STATUS_COLORS = {
    NodeStatus.SUCCESS: "#2e9e5b", NodeStatus.FAILED: "#d64545", NodeStatus.CANCELLED: "#9e9e9e",
    NodeStatus.RUNNING: "#e6a23c", NodeStatus.QUEUED: "#bdbdbd", NodeStatus.SKIPPED: "#bdbdbd",
}
RUN_COLORS = {RunStatus.SUCCESS: "#2e9e5b", RunStatus.FAILED: "#d64545", RunStatus.CANCELLED: "#757575",
              RunStatus.RUNNING: "#e6a23c"}

NODE_WIDTH, HEADER, ROW = 190.0, 26.0, 18.0
MAX_ROWS = 60
"""Rows of the run table: one per execution up to this many executions, else one per node, this many nodes."""
MAX_BARS = 50
"""Bars of the timeline: the first executions; the rest are counted under it."""
MAX_TRACEBACK = 4000
"""Characters of the failing node's traceback shown (its end, where the error is)."""
RECORD_BUDGET = 30_000
"""Bytes of JSON the run record in a display may take; a bigger record keeps its first traces."""


def _wired_pins(board: Board) -> set[tuple[str, str]]:
    """(node id, pin id) of every wired pin: found once per picture (asked node by node, it grew with nodes x wires:
    0.7 s at 800 nodes)."""
    return {(c.from_node, c.from_pin) for c in board.connections} | {(c.to_node, c.to_pin) for c in board.connections}


def _shown_pins(node: Node, wired: set[tuple[str, str]]) -> list[Pin]:
    """Pins worth drawing: the error-routing pair only when something is wired to it."""
    return [p for p in node.ordered_pins() if p.name not in (ERROR_EXEC, ERROR_MESSAGE) or (node.id, p.id) in wired]


def _height(node: Node, wired: set[tuple[str, str]]) -> float:
    pins = _shown_pins(node, wired)
    rows = max(sum(p.is_input for p in pins), sum(not p.is_input for p in pins), 1)
    return HEADER + rows * ROW + 8


def layout(board: Board) -> dict[str, tuple[float, float]]:
    """Node positions: the stored coordinates, or the editor's auto-layout when nodes overlap there."""
    if needs_layout(board):
        from flowlike_nb.widgets.layout import auto_layout

        return auto_layout(board)
    return {node_id: (node.coordinates[0], node.coordinates[1]) for node_id, node in board.nodes.items()}


def needs_layout(board: Board) -> bool:
    """Whether some nodes overlap where they stand (as they do when added in cells without `at=`): a sweep along x,
    each box against those that start within a node's width after it."""
    wired = _wired_pins(board)
    boxes = sorted((n.coordinates[0], n.coordinates[1], _height(n, wired)) for n in board.nodes.values())
    for i, (x1, y1, h1) in enumerate(boxes):
        for x2, y2, h2 in boxes[i + 1:]:
            if x2 - x1 >= NODE_WIDTH:
                break
            if y1 < y2 + h2 and y2 < y1 + h1:
                return True
    return False


def board_svg(board: Board, statuses: dict[str, NodeStatus] | None = None) -> str:
    """The board as a standalone SVG picture: nodes, typed pins, wires; `statuses` tints node headers.

    Wires run around the node boxes (`wire_routes`), beneath them, from a stub out of each pin: none seems to go
    into a node it does not touch. Exec wires are drawn as a dark rail with a light core, data wires as a thinner
    line in their pin type's colour."""
    positions = layout(board)
    pin_at: dict[tuple[str, str], tuple[float, float]] = {}
    parts: list[str] = []
    boxes = []
    wired = _wired_pins(board)
    for node in board.nodes.values():
        parts.append(_node_svg(node, wired, positions[node.id], pin_at, (statuses or {}).get(node.id)))
        x, y = positions[node.id]
        boxes.append((x, y, x + NODE_WIDTH, y + _height(node, wired)))
    router = Router(boxes, pin_at.values())
    wires, reach = [], [(b[0], b[1]) for b in boxes] + [(b[2], b[3]) for b in boxes]
    for wire in board.connections:
        start, end = pin_at.get((wire.from_node, wire.from_pin)), pin_at.get((wire.to_node, wire.to_pin))
        if start is None or end is None:
            continue
        corners = router.route(start, end)
        reach += corners or []
        wires.append(_wire_svg(board, wire, start, end, corners))
    if positions:
        xs, ys = [x for x, _ in reach], [y for _, y in reach]
        left, top = min(xs) - 20, min(ys) - 20
        width, height = max(xs) + 20 - left, max(ys) + 20 - top
    else:
        left, top, width, height = 0.0, 0.0, 240.0, 60.0
        parts.append('<text x="20" y="35" font-size="13" fill="#777">empty board</text>')
    title = html.escape(board.name)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" font-family="sans-serif">'
            f'<title>{title}</title>{"".join(wires)}{"".join(parts)}</svg>')


def _wire_svg(board: Board, wire: Connection, start: tuple[float, float], end: tuple[float, float],
              corners: list[tuple[float, float]] | None) -> str:
    """One wire: along its route's corners, or (not routed) a curve; named in its tooltip."""
    if corners:
        path = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    else:
        bend = max(40.0, abs(end[0] - start[0]) / 2)
        path = (f"M{start[0]:.1f},{start[1]:.1f} C{start[0] + bend:.1f},{start[1]:.1f} "
                f"{end[0] - bend:.1f},{end[1]:.1f} {end[0]:.1f},{end[1]:.1f}")
    source, target = board.nodes[wire.from_node], board.nodes[wire.to_node]
    pin = source.pins[wire.from_pin]
    named = html.escape(f"{source.friendly_name or source.name}.{pin.name} → "
                        f"{target.friendly_name or target.name}.{target.pins[wire.to_pin].name}")
    line = f'd="{path}" fill="none" stroke-linejoin="round" stroke-linecap="round"'
    if pin.is_exec:
        strokes = (f'<path {line} stroke="#37474f" stroke-width="4.5"/>'
                   f'<path {line} stroke="#eceff1" stroke-width="1.5"/>')
    else:
        strokes = f'<path {line} stroke="{PIN_COLORS.get(pin.data_type, "#999")}" stroke-width="2"/>'
    kind = "exec" if pin.is_exec else "data"
    return (f'<g data-kind="{kind}" data-from="{wire.from_node}" data-to="{wire.to_node}">'
            f'<title>{named}</title>{strokes}</g>')


def _node_svg(node: Node, wired: set[tuple[str, str]], at: tuple[float, float],
              pin_at: dict[tuple[str, str], tuple[float, float]], status: NodeStatus | None) -> str:
    x, y = at
    height = _height(node, wired)
    header = STATUS_COLORS.get(status, "#37474f") if status else ("#5c6bc0" if node.is_pure else "#37474f")
    name = html.escape(node.friendly_name or node.name)
    out = [f'<g><title>{html.escape(node.name)} ({node.id})</title>',
           f'<rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{height}" rx="6" fill="#fafafa" stroke="#90a4ae"/>',
           f'<rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{HEADER}" rx="6" fill="{header}"/>',
           f'<text x="{x + 8}" y="{y + 17}" font-size="12" font-weight="bold" fill="#fff">{name}</text>']
    rows = {"in": 0, "out": 0}
    for pin in _shown_pins(node, wired):
        side = "in" if pin.is_input else "out"
        py = y + HEADER + 13 + rows[side] * ROW
        rows[side] += 1
        px = x if pin.is_input else x + NODE_WIDTH
        pin_at[(node.id, pin.id)] = (px, py)
        color = PIN_COLORS.get(pin.data_type, "#999")
        if pin.is_exec:
            out.append(f'<path d="M{px - 5},{py - 5} L{px + 5},{py} L{px - 5},{py + 5} Z" fill="{color}" '
                       f'stroke="#333"/>')
        else:
            out.append(f'<circle cx="{px}" cy="{py}" r="5" fill="{color}" stroke="#333"/>')
        label = html.escape(pin.friendly_name.strip() if pin.is_exec else pin.friendly_name.strip() or pin.name)
        if pin.is_input and not pin.is_exec and pin.default_value not in (None, "") \
                and (node.id, pin.id) not in wired:
            label += html.escape(f" = {_short(pin.default_value)}")
        anchor, tx = ("start", px + 9) if pin.is_input else ("end", px - 9)
        out.append(f'<text x="{tx}" y="{py + 4}" font-size="11" fill="#333" text-anchor="{anchor}">{label}</text>')
    out.append("</g>")
    return "".join(out)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 18 else text[:17] + "…"


def run_html(view: RunView) -> str:
    """The run's status line, the error at the failing node, and its trace table (aggregated when long)."""
    run = view.core
    color = RUN_COLORS.get(run.status, "#333")
    parts = [f'<div><b style="color:{color}">{html.escape(run.status.value)}</b> '
             f'{html.escape(_cut(view.summary(), 1000))}</div>']
    failed = run.failed_trace()
    if failed is not None:
        parts.append(f'<div style="color:#d64545">Error at node <b>{html.escape(view._node_label(failed.node_id))}'
                     f'</b>: {html.escape(_cut(failed.error or "", 1000))}</div>')
        if failed.traceback:
            tail = failed.traceback[-MAX_TRACEBACK:]
            parts.append(f"<details><summary>traceback</summary><pre>{html.escape(tail)}</pre></details>")
    if len(run.traces) <= MAX_ROWS and not run.folded:
        rows = view.trace_rows()
        styles = ["background:#fdecea" if row["status"] == NodeStatus.FAILED.value else "" for row in rows]
    else:
        rows = node_rows(view)
        styles = ["background:#fdecea" if row["failed"] else "" for row in rows]
        hidden = len(rows) - MAX_ROWS
        rows, styles = rows[:MAX_ROWS], styles[:MAX_ROWS]
        parts.append(f"<div>{run.node_executions:,} node executions, one row per node"
                     + (f"; {hidden:,} more nodes not shown" if hidden > 0 else "")
                     + " (every execution: <code>run.traces</code>, <code>run.core.record()</code>)</div>")
    parts.append(namespace.html_table(rows, styles))
    return "".join(parts)


def node_rows(view: RunView) -> list[dict[str, Any]]:
    """One row per node that ran, in the order nodes first ran: runs, failures, total and longest time,
    first error; traced and folded executions together."""
    run = view.core
    nodes: dict[str, dict[str, Any]] = {}
    for trace in run.traces:
        row = nodes.setdefault(trace.node_id, _node_row(view, trace.node_id, trace.node_name, trace.step))
        row["runs"] += 1
        row["failed"] += trace.status is NodeStatus.FAILED
        row["total (s)"] += trace.duration
        row["longest (s)"] = max(row["longest (s)"], trace.duration)
        row["first error"] = row["first error"] or trace.error
    for stats in run.folded.values():
        row = nodes.setdefault(stats.node_id, _node_row(view, stats.node_id, stats.node_name, stats.first_step))
        row["runs"] += stats.count
        row["failed"] += stats.failures
        row["total (s)"] += stats.total
        row["longest (s)"] = max(row["longest (s)"], stats.longest)
        row["first error"] = row["first error"] or stats.first_error
    rows = sorted(nodes.values(), key=lambda row: row.pop("_first"))
    for row in rows:
        row["total (s)"], row["longest (s)"] = round(row["total (s)"], 4), round(row["longest (s)"], 4)
    return rows


def _node_row(view: RunView, node_id: str, node_name: str, first_step: int) -> dict[str, Any]:
    return {"_first": first_step, "node": view._node_label(node_id), "type": node_name, "runs": 0, "failed": 0,
            "total (s)": 0.0, "longest (s)": 0.0, "first error": None}


def display_record(run: Run) -> dict[str, Any]:
    """The run's record for a display, at most RECORD_BUDGET bytes of JSON: a big one keeps its first
    traces and folded nodes (without their log lines) and says how many it left out in `truncated`. The traces
    it leaves out are counted in their nodes' folded entries, so traces and folded counts still add up to every
    execution (as `flowlike notebook` reports them)."""
    record = run.record().model_dump(mode="json")
    if len(json.dumps(record, default=str)) <= RECORD_BUDGET:
        return record
    traces, folded = record["traces"], record["folded"]
    keep = len(traces) + len(folded)
    while keep:
        cut = {**record, "traces": [_short_trace(t) for t in traces[:keep]],
               "folded": _fold_in(folded, traces[keep:])[:keep], "reasons": record["reasons"][:keep],
               "truncated": {"traces": max(len(traces) - keep, 0), "folded": max(len(folded) - keep, 0)}}
        cut["result"], cut["variables"] = _small(cut["result"]), {k: _small(v) for k, v in cut["variables"].items()}
        if len(json.dumps(cut, default=str)) <= RECORD_BUDGET:
            return cut
        keep //= 2
    return {**cut, "traces": [], "folded": [], "reasons": [], "variables": {},
            "truncated": {"traces": len(traces), "folded": len(folded)}}


def _fold_in(folded: list[dict[str, Any]], dropped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The folded entries, without their log lines, also counting the `dropped` traces of their nodes."""
    entries = {entry["node_id"]: {**entry, "logs": []} for entry in folded}
    for trace in dropped:
        entry = entries.setdefault(trace["node_id"], FoldedRecord(
            node_id=trace["node_id"], node_name=trace["node_name"], count=0, total=0.0, longest=0.0,
            first_step=trace["step"], last_step=trace["step"]).model_dump(mode="json"))
        duration = trace["duration"] or 0.0
        entry["count"] += 1
        entry["total"] += duration
        entry["longest"] = max(entry["longest"], duration)
        entry["first_step"] = min(entry["first_step"], trace["step"])
        entry["last_step"] = max(entry["last_step"], trace["step"])
        entry["dropped_logs"] += len(trace["logs"])
        if trace["error"]:
            entry["failures"] += 1
            entry["first_error"] = entry["first_error"] or trace["error"]
            entry["last_error"] = trace["error"]
    return list(entries.values())


def _short_trace(trace: dict[str, Any]) -> dict[str, Any]:
    return {**trace, "logs": trace["logs"][:5], "error": _cut(trace["error"], 500),
            "traceback": trace["traceback"][-MAX_TRACEBACK:] if trace["traceback"] else None}


def _small(value: Any) -> Any:
    """A value as it is, or its shortened text when its JSON is long."""
    text = json.dumps(value, default=str)
    return value if len(text) <= 500 else _cut(text, 500)


def _cut(text: str | None, limit: int) -> str | None:
    return text if text is None or len(text) <= limit else text[:limit - 1] + "…"


def timeline_svg(run: Run, width: float = 640.0) -> str:
    """One bar per node execution on a shared time axis, coloured by status (hover for details); the
    first MAX_BARS executions are drawn, the others counted below them."""
    label_width, bar_height, gap = 150.0, 14.0, 4.0
    traces = run.traces[:MAX_BARS]
    origin = run.start
    span = max([t.end - origin for t in run.traces if t.end] + [run.duration, 1e-6])
    plot = width - label_width - 20
    rows = []
    for i, trace in enumerate(traces):
        y = 24 + i * (bar_height + gap)
        x = label_width + (trace.start - origin) / span * plot
        bar = max(2.0, trace.duration / span * plot)
        node = run.board.nodes.get(trace.node_id)
        name = html.escape(_cut((node.friendly_name or node.name) if node else trace.node_id, 40))
        error = f" - {_cut(trace.error, 300)}" if trace.error else ""
        tip = html.escape(f"{trace.node_name} step {trace.step}: {trace.status.value}, "
                          f"{wording.duration(trace.duration)}{error}")
        rows.append(f'<text x="{label_width - 6}" y="{y + 11}" font-size="11" text-anchor="end">{name}</text>'
                    f'<rect x="{x:.1f}" y="{y}" width="{bar:.1f}" height="{bar_height}" rx="2" '
                    f'fill="{STATUS_COLORS.get(trace.status, "#999")}"><title>{tip}</title></rect>')
    height = 24 + len(traces) * (bar_height + gap) + 16
    more = run.node_executions - len(traces)
    if more > 0:
        rows.append(f'<text x="{label_width}" y="{height - 4}" font-size="11" fill="#555">+ '
                    f'{wording.counted(more, "more execution")} not drawn (run.traces)</text>')
        height += 14
    axis = (f'<line x1="{label_width}" y1="18" x2="{label_width + plot}" y2="18" stroke="#999"/>'
            f'<text x="{label_width}" y="12" font-size="10" fill="#555">0 s</text>'
            f'<text x="{label_width + plot}" y="12" font-size="10" fill="#555" text-anchor="end">'
            f'{wording.duration(span)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif"><title>run timeline</title>'
            f'{axis}{"".join(rows)}</svg>')
