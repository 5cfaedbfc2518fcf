"""Renaming a node to blank in a cell gives it its type's name back, as clearing the name in the editor does (it
stored "", and the canvas showed the type's key as the node's title)."""

from __future__ import annotations

import flowlike_nb as fnb


def test_a_blank_name_gives_the_node_its_types_name_back() -> None:
    board = fnb.Board("names")
    say = board.add("log_info", "say")
    say.rename("Greeting")
    assert say.core.friendly_name == "Greeting"
    say.rename("  ")
    assert say.core.friendly_name == "Log Info"
    board.core.undo()
    assert say.core.friendly_name == "Greeting"
