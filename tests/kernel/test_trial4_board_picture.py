"""The static board picture (a board shown outside the widget): wires go around the nodes, never under one, end
at their pins, and exec wires look unlike data wires."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from flowlike_core import Board, commands, default_registry
from flowlike_nb.kernel import wire_routes
from flowlike_nb.kernel.render import board_svg

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]


@pytest.fixture
def crossing() -> Board:
    """Start's exec wire to Log Info has Concatenate between them, and Log Info's exec goes back to a node at the
    left: drawn straight, the first seemed to go into Concatenate's String pin, the second left the picture."""
    types, board = default_registry(), Board(name="crossing")
    for key, node_id, x, y in [("events_simple", "start", 0, 0), ("string_concat", "mid", 300, 0),
                               ("log_info", "say", 600, 0), ("log_info", "back", 0, 200),
                               ("string_to_upper", "upper", 300, 200)]:
        board.apply(commands.AddNode(types.get(key).create(node_id=node_id, coordinates=(x, y, 0))))
    for wire in [("start", "exec_out", "say", "exec_in"), ("say", "exec_out", "back", "exec_in"),
                 ("upper", "uppercase_string", "say", "message"), ("mid", "result", "upper", "string")]:
        board.apply(commands.Connect(*wire))
    return board


def node_boxes(svg: ET.Element) -> dict[str, Box]:
    boxes = {}
    for group in svg.iter(f"{SVG}g"):
        title, rect = group.find(f"{SVG}title"), group.find(f"{SVG}rect")
        if rect is not None and title is not None and (found := re.search(r"\((\w+)\)$", title.text or "")):
            x, y = float(rect.get("x")), float(rect.get("y"))
            boxes[found.group(1)] = (x, y, x + float(rect.get("width")), y + float(rect.get("height")))
    return boxes


def pin_marks(svg: ET.Element) -> set[tuple[float, float]]:
    """Where the pins are drawn: a data pin's circle centre, an exec pin triangle's middle."""
    marks = {(float(c.get("cx")), float(c.get("cy"))) for c in svg.iter(f"{SVG}circle")}
    for path in svg.iter(f"{SVG}path"):
        if found := re.fullmatch(r"M([\d.-]+),([\d.-]+) L[\d.,-]+ L[\d.,-]+ Z", path.get("d", "")):
            marks.add((float(found.group(1)) + 5, float(found.group(2)) + 5))
    return marks


def points(d: str) -> list[tuple[float, float]]:
    assert re.fullmatch(r"M[\d.,-]+( L[\d.,-]+)+", d), f"not routed: {d}"
    return [(float(x), float(y)) for x, y in re.findall(r"([\d.-]+),([\d.-]+)", d)]


def along(corners: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points every pixel along a polyline."""
    out = []
    for (x1, y1), (x2, y2) in zip(corners, corners[1:], strict=False):
        steps = max(1, int(abs(x2 - x1) + abs(y2 - y1)))
        out += [(x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps) for i in range(steps + 1)]
    return out


def test_wires_go_around_nodes_and_end_at_their_pins(crossing: Board) -> None:
    svg = ET.fromstring(board_svg(crossing))
    boxes, marks = node_boxes(svg), pin_marks(svg)
    left, top, width, height = map(float, svg.get("viewBox").split())
    wires = [g for g in svg.iter(f"{SVG}g") if g.get("data-kind")]
    assert len(wires) == 4
    for wire in wires:
        corners = points(wire.find(f"{SVG}path").get("d"))
        start, end = corners[0], corners[-1]
        assert start in marks and start[0] == boxes[wire.get("data-from")][2], (wire.get("data-from"), start)
        assert end in marks and end[0] == boxes[wire.get("data-to")][0], (wire.get("data-to"), end)
        assert corners[1][0] > start[0] and corners[-2][0] < end[0]  # out of the output, into the input
        for x, y in along(corners):
            assert left <= x <= left + width and top <= y <= top + height, "the wire leaves the picture"
            inside = [node for node, (x0, y0, x1, y1) in boxes.items() if x0 < x < x1 and y0 < y < y1]
            assert not inside, f"{wire.find(f'{SVG}title').text} passes under {inside} at {(x, y)}"


def test_exec_wires_look_unlike_data_wires(crossing: Board) -> None:
    svg = ET.fromstring(board_svg(crossing))

    def looks(kind: str) -> set[tuple[str | None, str | None]]:
        return {(p.get("stroke"), p.get("stroke-width")) for g in svg.iter(f"{SVG}g") if g.get("data-kind") == kind
                for p in g.iter(f"{SVG}path")}

    assert looks("exec") and looks("data") and not looks("exec") & looks("data")


def test_a_board_too_big_to_route_gets_curves(crossing: Board, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wire_routes, "MAX_POINTS", 10)
    paths = [g.find(f"{SVG}path").get("d") for g in ET.fromstring(board_svg(crossing)).iter(f"{SVG}g")
             if g.get("data-kind")]
    assert len(paths) == 4 and all(" C" in d for d in paths)


def test_a_stub_shut_in_by_nodes_packed_tight_costs_no_search() -> None:
    """Nodes 10 px apart leave no way out of a pin: the wire is a curve at once, the search budget kept for others."""
    router = wire_routes.Router([(0, 0, 190, 80), (200, 0, 390, 80)], [(190, 40), (200, 40)])
    assert router.route((190, 40), (200, 40)) is None
    assert router.budget == wire_routes.BUDGET
