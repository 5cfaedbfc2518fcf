"""Extract Document given a file read as None (from a node that has not run) names the input, where it failed with
pydantic's validation text."""

from __future__ import annotations

from pack_builder import Builder

from flowlike_core.run import RunStatus


def test_a_file_read_as_none_names_the_input() -> None:
    from flowlike_catalog.processing import PACK

    board = Builder(PACK)
    node = board.add("ai_processing_extract_document")
    board.feed(node, file=None)
    board.chain(board.add("events_simple"), node)
    run = board.board.run(registry=board.registry, variables=board.values)
    assert run.status is RunStatus.FAILED, run.logs()
    assert "input 'file' got no FlowPath (None): wire one from the node that makes it" in run.error, run.error
