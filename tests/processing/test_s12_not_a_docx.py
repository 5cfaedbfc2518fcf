"""A .docx that is not a Word document says what it is instead: python-docx's "Package not found at '...'" read as
if the file were missing, for a file that is there (an old .doc renamed, a download that is a web page, an empty
file)."""

from __future__ import annotations

import pytest
from pack_builder import Builder

from flowlike_core.run import RunStatus


@pytest.mark.parametrize(("content", "why"), [
    (b"", "it is empty (0 bytes)"),
    (b"<html><body>Sign in to download</body></html>", "it is not a zip package, as every DOCX is (an old .doc "
                                                         "renamed?): it starts b'<html><body>Sign'"),
])
def test_a_docx_that_is_no_word_document_says_what_it_is(tmp_path, content, why) -> None:
    from flowlike_catalog.processing import PACK

    path = tmp_path / "contract.docx"
    path.write_bytes(content)
    board = Builder(PACK)
    node = board.add("ai_processing_extract_document")
    board.feed(node, file=str(path))
    board.chain(board.add("events_simple"), node)
    run = board.board.run(registry=board.registry, variables=board.values)
    assert run.status is RunStatus.FAILED, run.logs()
    assert f"contract.docx is not a readable DOCX file: {why}" in run.error, run.error
    assert "Package not found" not in run.error
