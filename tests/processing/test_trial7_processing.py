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


@pytest.mark.parametrize("key", ["ai_processing_yake_extraction", "ai_processing_rake_extraction"])
def test_an_unknown_language_is_named_with_the_known_ones(key: str) -> None:
    """YAKE took 'klingon' silently (yake falls back to no stop words: 'science and' came out as a keyword)."""
    board = fnb.Board(f"keywords in klingon {key}")
    start, log = board.add("events_simple", "start"), board.add("log_info", "log")
    keywords = board.add(key, "keywords", text="hello world of data science and machine learning",
                         language="klingon")
    start.outputs.exec_out >> log.inputs.exec_in
    keywords.outputs.keywords >> log.inputs.message
    run = board.run()
    assert run.status == "Failed"
    assert "language 'klingon' has no stop-word list; known: auto, " in run.error and ", en, " in run.error


@pytest.mark.parametrize(("pin", "value", "message"), [
    ("ngrams", 0, "ngrams must be at least 1 (words in the longest phrase), got 0"),
    ("max_keywords", 0, "max_keywords must be at least 1, got 0"),
    ("dedup_threshold", 1.5, "dedup_threshold must be between 0 and 1, got 1.5"),
])
def test_yake_settings_out_of_their_range_are_named(pin: str, value: object, message: str) -> None:
    """Pin ranges are not enforced on typed or wired values: ngrams=0 gave single words as if it were 1."""
    board = fnb.Board(f"yake {pin}")
    start, log = board.add("events_simple", "start"), board.add("log_info", "log")
    keywords = board.add("ai_processing_yake_extraction", "keywords", text="data science and machine learning",
                         **{pin: value})
    start.outputs.exec_out >> log.inputs.exec_in
    keywords.outputs.keywords >> log.inputs.message
    run = board.run()
    assert run.status == "Failed" and message in run.error
