"""Wires of the static board picture routed around the nodes, so that none passes under a node box.

A wire drawn as one curve from pin to pin passes under the nodes between its ends: it seems to go into a pin of a
node it never touches (and a wire running backwards crosses the whole picture). Here each wire leaves its output
to the right and enters its input from the left, and between these short stubs runs along horizontal and vertical
lines around the node boxes (kept `MARGIN` away): the shortest such way with few bends, found by A* on the lines
through every box edge, every pin's height and the middles between them. Later wires avoid running over earlier
ones. A board too big to route this way in a moment (`MAX_POINTS`, or `BUDGET` spent on the wires before) gets
`None` routes: the picture then draws plain curves.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

Box = tuple[float, float, float, float]
"""left, top, right, bottom"""
Point = tuple[float, float]

MARGIN = 10.0
STUB = 18.0
BEND = 24.0
"""What a bend costs, in pixels of length: fewer bends, even a little longer, read better."""
SHARED = 30.0
"""What running along a stretch another wire already takes costs: wires keep apart when they can."""
MAX_POINTS = 60_000
"""Grid points (lines across times lines down) above which a board is not routed."""
BUDGET = 60_000
"""Search steps one picture may take over all its wires (about a second); the wires after it are not routed."""
RIGHT, LEFT, DOWN, UP = (1, 0), (-1, 0), (0, 1), (0, -1)


class Router:
    """Routes wires among fixed node boxes; `route` once per wire, in drawing order."""

    def __init__(self, boxes: Iterable[Box], pins: Iterable[Point]) -> None:
        self.boxes = [(x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN) for x0, y0, x1, y1 in boxes]
        xs = {c for x0, _, x1, _ in self.boxes for c in (x0, x1)}
        ys = {c for _, y0, _, y1 in self.boxes for c in (y0, y1)}
        for x, y in pins:
            xs.update((x - STUB, x + STUB))
            ys.add(y)
        self.xs, self.ys = _with_middles(xs), _with_middles(ys)
        self.used: dict[tuple[int, int, int, int], int] = {}
        self.blocked: set[tuple[int, int]] = set()
        self.budget = BUDGET
        if self.routable:
            for x0, y0, x1, y1 in self.boxes:
                columns = range(bisect_right(self.xs, x0), bisect_left(self.xs, x1))
                rows = range(bisect_right(self.ys, y0), bisect_left(self.ys, y1))
                self.blocked.update((i, j) for i in columns for j in rows)

    @property
    def routable(self) -> bool:
        return len(self.xs) * len(self.ys) <= MAX_POINTS

    def route(self, start: Point, end: Point) -> list[Point] | None:
        """The corners of a wire from an output pin at `start` to an input pin at `end` (both included), or None
        when no way around the boxes exists (or the board is too big)."""
        if not self.routable or self.budget <= 0:
            return None
        first = (self.xs.index(start[0] + STUB), self.ys.index(start[1]))
        last = (self.xs.index(end[0] - STUB), self.ys.index(end[1]))
        if not (self._open(first) and self._open(last)):  # a stub's end shut in by nodes packed tight: no way out
            return None
        path = self._search(first, last)
        if path is None:
            return None
        for a, b in zip(path, path[1:], strict=False):
            key = (*min(a, b), *max(a, b))
            self.used[key] = self.used.get(key, 0) + 1
        corners = [start, *(self._point(p) for p in _corners(path)), end]
        return corners

    def _open(self, at: tuple[int, int]) -> bool:
        """Whether a wire can leave (or reach) grid point `at`: one of its neighbours is free."""
        return any(0 <= at[0] + dx < len(self.xs) and 0 <= at[1] + dy < len(self.ys)
                   and (at[0] + dx, at[1] + dy) not in self.blocked for dx, dy in (RIGHT, LEFT, DOWN, UP))

    def _point(self, at: tuple[int, int]) -> Point:
        return (self.xs[at[0]], self.ys[at[1]])

    def _search(self, first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]] | None:
        """A* over grid points, a state being a point and the way the wire goes there (a turn costs `BEND`)."""
        xs, ys, blocked, used = self.xs, self.ys, self.blocked, self.used

        def guess(at: tuple[int, int]) -> float:
            return abs(xs[at[0]] - xs[last[0]]) + abs(ys[at[1]] - ys[last[1]])

        start = (first, RIGHT)
        costs = {start: 0.0}
        came: dict[tuple[tuple[int, int], tuple[int, int]], tuple[tuple[int, int], tuple[int, int]]] = {}
        queue = [(guess(first), 0.0, first, RIGHT)]
        while queue:
            _, cost, at, heading = heapq.heappop(queue)
            self.budget -= 1
            if self.budget < 0:
                return None
            if cost > costs.get((at, heading), float("inf")):
                continue
            if at == last:
                return _walk(came, (at, heading))
            for step in (RIGHT, LEFT, DOWN, UP):
                if step == (-heading[0], -heading[1]):
                    continue
                to = (at[0] + step[0], at[1] + step[1])
                if not (0 <= to[0] < len(xs) and 0 <= to[1] < len(ys)) or (to in blocked and to != last):
                    continue
                length = abs(xs[to[0]] - xs[at[0]]) + abs(ys[to[1]] - ys[at[1]])
                extra = (BEND if step != heading else 0.0) + SHARED * used.get((*min(at, to), *max(at, to)), 0)
                if to == last and step != RIGHT:
                    extra += BEND  # the wire enters its input from the left
                total = cost + length + extra
                if total < costs.get((to, step), float("inf")):
                    costs[(to, step)] = total
                    came[(to, step)] = (at, heading)
                    heapq.heappush(queue, (total + guess(to), total, to, step))
        return None


def _with_middles(values: set[float]) -> list[float]:
    """The lines, plus one halfway between each two: a way between two boxes that touch no edge."""
    lines = sorted(values)
    return sorted({*lines, *((a + b) / 2 for a, b in zip(lines, lines[1:], strict=False))})


def _walk(came: dict, state: tuple) -> list[tuple[int, int]]:
    path = [state[0]]
    while state in came:
        state = came[state]
        path.append(state[0])
    return path[::-1]


def _corners(path: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The points of `path` where it turns, with its ends."""
    kept = [path[0]]
    for before, at, after in zip(path, path[1:], path[2:], strict=False):
        if (at[0] - before[0], at[1] - before[1]) != (after[0] - at[0], after[1] - at[1]):
            kept.append(at)
    if len(path) > 1:
        kept.append(path[-1])
    return kept
