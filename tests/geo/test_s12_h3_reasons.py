"""H3 Grid Distance and Grid Path between cells they cannot join say why: H3's errors carry no text, so the failure
ended "no grid distance between A and B: " with nothing after the colon."""

from __future__ import annotations

import pytest

from flowlike_core.run import RunStatus

SAN_FRANCISCO_9, SAN_FRANCISCO_5, BERLIN_9 = "8928308280fffff", "85283473fffffff", "891f1d48177ffff"


def failed(board, key: str, output: str, **defaults) -> str:
    node, back = board.add(key, **defaults), board.add("events_generic_return_result")
    board.wire(node, output, back, "response")
    board.chain(board.add("events_simple"), back)
    run = board.board.run(registry=board.registry, variables=board.values)
    assert run.status is RunStatus.FAILED, run.logs()
    return run.error


@pytest.mark.parametrize(("key", "output", "what"), [("h3_grid_distance", "distance", "distance"),
                                                     ("h3_grid_path", "path", "path")])
def test_cells_of_two_resolutions_say_so(board, key, output, what) -> None:
    error = failed(board, key, output, cell_a=SAN_FRANCISCO_9, cell_b=SAN_FRANCISCO_5)
    assert f"no grid {what} between {SAN_FRANCISCO_9} and {SAN_FRANCISCO_5}: the cells are of resolutions 9 and 5 " \
           "(give two of one resolution: H3 Cell to Parent)" in error, error


def test_cells_too_far_apart_say_so(board) -> None:
    error = failed(board, "h3_grid_distance", "distance", cell_a=SAN_FRANCISCO_9, cell_b=BERLIN_9)
    assert f"no grid distance between {SAN_FRANCISCO_9} and {BERLIN_9}: H3 finds none between cells this far apart " \
           "(or across one of its pentagons)" in error, error
