"""Little boards around one A2UI surface, shared by the A2UI tests."""

from __future__ import annotations

from typing import Any

COMPONENTS = [
    {"id": "root", "component": {"type": "column", "children": {"explicitList": ["title", "name", "go"]}}},
    {"id": "title", "component": {"type": "text", "content": {"literalString": "Hi"}}},
    {"id": "name", "component": {"type": "textField", "value": {"path": "/user/name"},
                                 "placeholder": {"literalString": "Your name"}}},
    {"id": "go", "component": {"type": "button", "label": {"literalString": "Go"}}},
]


def surface_board(b, *steps, data_model: dict[str, Any] | None = None):
    """start -> Create Surface -> Begin Rendering (the components above) -> steps...; gives the last node."""
    start, surface = b.start(), b.add("a2ui_create_surface", surface_id="main")
    begin = b.add("a2ui_begin_rendering", components=COMPONENTS, data_model=data_model or {"user": {"name": "Ada"}})
    b.wire(surface, "surface", begin, "surface")
    b.chain(start, surface, begin, *steps)
    return steps[-1] if steps else begin


def returning(b, last, reader, output: str) -> Any:
    """Runs the board with `reader`'s `output` as the result, read after `last` ran (an exec reader runs next)."""
    back = b.add("events_generic_return_result")
    b.chain(last, back) if b.board.nodes[reader.id].is_pure else b.chain(last, reader, back)
    b.wire(reader, output, back, "response")
    run = b.run()
    run.raise_for_status()
    return run


def read_after(b, steps: list[tuple[str, dict[str, Any]]], reader: str, output: str, **defaults: Any) -> Any:
    """On a board of its own: the surface, the steps (key, input defaults) in order, then `reader`'s `output`."""
    board = type(b)()
    last = surface_board(board, *(board.add(key, **inputs) for key, inputs in steps))
    return returning(board, last, board.add(reader, **defaults), output).result
