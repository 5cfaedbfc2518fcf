"""Real documents made in a temporary folder (PDF with fpdf2, DOCX with python-docx, HTML, Markdown) and the
scripted chat server for the AI nodes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flowlike_catalog.llm.structs import LanguageModel
from flowlike_catalog.llm.testing import ChatServer
from processing_files import make_pdf, png


@pytest.fixture(scope="session")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import docx

    folder = tmp_path_factory.mktemp("docs")
    files = {"pdf": make_pdf(folder / "report.pdf", ["Quarterly report\nSales grew by 12 percent.",
                                                      "Outlook\nWe expect steady growth."], image_on_page=2)}
    document = docx.Document()
    document.add_heading("Project Plan", level=1)
    document.add_paragraph("The plan has two phases.")
    document.add_paragraph("Design the system", style="List Bullet")
    document.add_paragraph("Build the system", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Phase", (0, 1): "Weeks", (1, 0): "Design", (1, 1): "4"}.items():
        table.cell(row, col).text = text
    document.add_page_break()
    document.add_heading("Risks", level=2)
    document.add_paragraph("Delays in delivery.")
    document.add_picture(io.BytesIO(png()))
    files["docx"] = folder / "plan.docx"
    document.save(str(files["docx"]))
    files["html"] = folder / "page.html"
    files["html"].write_text("<html><head><title>T</title><script>var x = 1;</script></head><body><h1>Welcome</h1>"
                             "<p>Read the <a href='https://example.org'>docs</a>.</p><ul><li>one</li><li>two</li></ul>"
                             "</body></html>")
    files["md"] = folder / "notes.md"
    files["md"].write_text("# Notes\n\nSome *notes*.\n")
    return files


@pytest.fixture(scope="session")
def chat_server() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


@pytest.fixture
def server(chat_server: ChatServer) -> Iterator[ChatServer]:
    chat_server.reset()
    yield chat_server
    chat_server.reset()


@pytest.fixture
def model(server: ChatServer) -> LanguageModel:
    return LanguageModel(endpoint=server.url + "/v1", model_id="vision-model")
