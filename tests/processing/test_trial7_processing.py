"""A data scientist's document boards (trial 7): a file pin cleared to an empty path says so (it said 'no file at'
the working folder)."""

from __future__ import annotations

import pytest

import flowlike_nb as fnb


@pytest.mark.parametrize(("key", "pin", "value"), [("ai_processing_extract_document", "file", ""),
                                                  ("ai_processing_extract_documents", "files", [{"path": ""}])])
def test_an_empty_path_asks_for_a_file(key: str, pin: str, value: object) -> None:
    board = fnb.Board("extract nothing")
    start, extract = board.add("events_simple", "start"), board.add(key, "extract", **{pin: value})
    start.outputs.exec_out >> extract.inputs.exec_in
    run = board.run()
    assert run.status == "Failed"
    assert "node 'extract'" in run.error and "no file given: set the file pin or wire a path" in run.error
