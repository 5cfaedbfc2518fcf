"""`fnb.Board(42)` (or a path, a dict) said "TypeError: cannot create weak reference to 'int' object": a board handle
is made from a name or an engine Board, and anything else is named as what it is."""

from __future__ import annotations

from pathlib import Path

import pytest

import flowlike_nb as fnb


@pytest.mark.parametrize(("given", "hint"), [
    (42, ""),
    (Path("flow.board.json"), "; a file: fnb.load(path)"),
    ({"nodes": {}}, ""),
])
def test_a_board_from_something_else_is_refused_naming_it(given: object, hint: str) -> None:
    with pytest.raises(TypeError) as raised:
        fnb.Board(given)  # type: ignore[arg-type]
    assert str(raised.value) == (f"fnb.Board({given!r}): a board is made from its name (a str) or an engine Board "
                                 f"(flowlike_core.Board){hint}")
