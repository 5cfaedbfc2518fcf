"""Documents in the encodings files really have (trial 6): an HTML page that declares windows-1252, a text file
saved by an old Windows editor, a UTF-8 file with a byte-order mark."""

from __future__ import annotations

from pathlib import Path

import pytest
from flowlike_catalog.processing.documents import read_document

GREETING = "Grüße aus Zürich, schöne Straße"


@pytest.mark.parametrize(("name", "data"), [
    ("page.html", f'<html><head><meta charset="windows-1252"></head><body><p>{GREETING}</p></body></html>'
     .encode("cp1252")),
    ("notes.txt", GREETING.encode("cp1252")),
    ("notes.md", GREETING.encode("utf-8-sig")),
    ("plain.md", GREETING.encode("utf-8")),
])
def test_a_document_reads_in_its_own_encoding(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    assert [page.text for page in read_document(tmp_path / name, extract_images=False)] == [GREETING]
