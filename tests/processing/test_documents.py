"""Document extraction from real files: PDF, DOCX, HTML, Markdown; pages to Markdown; errors."""

from __future__ import annotations

import asyncio

import pytest
from flowlike_catalog.processing import PACK
from flowlike_catalog.processing import documents as d
from flowlike_catalog.std import PACK as STD_PACK
from processing_files import png

from flowlike_core import Board, Registry, commands


def extract(path, images=True):
    return asyncio.run(d.ai_processing_extract_document.func(path, images))


def test_pdf_pages_keep_their_text_and_embedded_images(docs):
    first, second = extract(str(docs["pdf"]))
    assert (first.page_number, first.text) == (1, "Quarterly report\nSales grew by 12 percent.")
    assert (second.page_number, second.text) == (2, "Outlook\nWe expect steady growth.")
    assert first.images == [] and [i.media_type for i in second.images] == ["image/png"]
    assert second.source == str(docs["pdf"])


def test_images_are_left_out_when_not_wanted(docs):
    assert all(page.images == [] for page in extract(docs["pdf"], images=False))


def test_docx_becomes_markdown_split_at_page_breaks(docs):
    first, second = extract({"path": str(docs["docx"])})
    assert first.text == ("# Project Plan\n\nThe plan has two phases.\n\n- Design the system\n\n- Build the system\n\n"
                          "| Phase | Weeks |\n|---|---|\n| Design | 4 |")
    assert second.text == "## Risks\n\nDelays in delivery."
    assert first.images == [] and [(i.media_type, i.data) for i in second.images] == [("image/png", png())]


def test_html_becomes_markdown_without_scripts(docs):
    (page,) = extract(docs["html"])
    assert page.text == "# Welcome\n\nRead the [docs](https://example.org).\n\n* one\n* two"


def test_markdown_is_taken_as_it_is(docs):
    assert [p.text for p in extract(docs["md"])] == ["# Notes\n\nSome *notes*."]


def test_several_documents_and_pages_to_markdown_on_a_board(docs):
    registry = Registry([STD_PACK, PACK])
    board = Board(name="docs")

    def add(key, **defaults):
        return board.apply(commands.AddNode(registry.get(key).create(**defaults)))

    start, extract_all = add("events_simple"), add("ai_processing_extract_documents",
                                                   files=[{"path": str(docs["md"])}, {"path": str(docs["pdf"])}])
    markdown, back = add("ai_processing_pages_to_markdown"), add("events_generic_return_result")
    for source, target in ((start, extract_all), (extract_all, markdown), (markdown, back)):
        board.apply(commands.Connect(source.id, "exec_out", target.id, "exec_in"))
    board.apply(commands.Connect(extract_all.id, "results", markdown.id, "pages"))
    board.apply(commands.Connect(markdown.id, "markdown", back.id, "response"))
    run = board.run(registry=registry)
    run.raise_for_status()
    assert run.result == ("# Notes\n\nSome *notes*.\n\nQuarterly report\nSales grew by 12 percent.\n\n"
                          "Outlook\nWe expect steady growth.")


def test_a_missing_file_and_an_unknown_kind_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file at .*missing.pdf"):
        extract(tmp_path / "missing.pdf")
    (tmp_path / "x.xyz").write_text("?")
    with pytest.raises(ValueError, match=r"x.xyz: cannot extract .xyz files"):
        extract(tmp_path / "x.xyz")


def test_a_broken_pdf_or_docx_is_a_clear_error(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(ValueError, match="bad.pdf is not a readable PDF"):
        extract(tmp_path / "bad.pdf")
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="bad.docx is not a readable DOCX file"):
        extract(tmp_path / "bad.docx")
