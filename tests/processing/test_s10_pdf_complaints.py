"""A damaged PDF's error holds what pypdf said about it, and nothing of pypdf's reaches the console beside it: the
run failed with "not a readable PDF: Stream has ended unexpectedly" while "CAUTION: startxref found while searching
for %%EOF..." and "EOF marker not found" went to stderr, outside the run. A PDF pypdf reads despite damage still
shows its complaints as before. (In a process of its own: pytest's log capture would stand in for the console.)"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

READ = """
import asyncio, sys
from flowlike_catalog.processing import documents
try:
    pages = asyncio.run(documents.ai_processing_extract_document.func(sys.argv[1], False))
    print(f"{len(pages)} page")
except ValueError as error:
    print(error)
"""


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(100, 100)
    writer.write(out)
    return out.getvalue()


def extract(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, timeout=120)


def test_a_truncated_pdf_fails_with_what_pypdf_said(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(pdf_bytes()[:-7])
    done = extract(cut)
    assert done.stdout.startswith("cut.pdf is not a readable PDF: Stream has ended unexpectedly (pypdf said: "), done
    assert "EOF marker not found" in done.stdout and done.stdout.count("\n") == 1, done.stdout
    assert done.stderr == ""


def test_a_pdf_read_despite_damage_still_shows_pypdf_warnings(tmp_path: Path) -> None:
    odd = tmp_path / "odd.pdf"
    odd.write_bytes(b"junk" + pdf_bytes())
    done = extract(odd)
    assert done.stdout == "1 page\n" and "invalid pdf header" in done.stderr, done
