"""Documents to pages: PDF (pypdf), DOCX (python-docx), HTML (markdownify), Markdown and plain text.

Every page's text is Markdown: DOCX headings, lists and tables and HTML structure become Markdown; a PDF
page is its text layer (pypdf has no layout model, so a PDF's text is plain paragraphs). DOCX page breaks
split pages; HTML, Markdown and text are one page. With extract_images, a page also carries the images
embedded in it (PDF and DOCX).
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import threading
from pathlib import Path
from typing import Annotated, Any

from flowlike_catalog import struct_given
from pydantic import BaseModel, ConfigDict, model_validator

from flowlike_core import Context, Pin, node
from flowlike_core.policy import allowed_path

CATEGORY = "AI/Processing"
CAPABILITIES = ("files",)  # what its nodes reach (flowlike_core.policy)
TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".rst", ".csv", ".json"}


class FlowPath(BaseModel):
    """A file: what a file pin carries (a plain path string is accepted too)."""

    path: str

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"path": str(value)} if isinstance(value, str | Path) else value

    def local(self) -> Path:
        if not self.path:  # Path("") is the working folder: 'no file at /home/me' would not say what is wrong
            raise ValueError("no file given: set the file pin or wire a path")
        path = Path(allowed_path(self.path, "document"))
        if not path.is_file():
            raise FileNotFoundError(f"no file at {path}")
        return path


class DocumentImage(BaseModel):
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")
    name: str
    media_type: str
    data: bytes


class DocumentPage(BaseModel):
    """One page of a document: its number (from 1), its text as Markdown, its images."""

    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")
    page_number: int
    text: str
    source: str = ""
    images: list[DocumentImage] = []


FileIn = Annotated[FlowPath, Pin(description="A PDF, DOCX, HTML, Markdown or text file")]
Pages = Annotated[list[DocumentPage], Pin(name="pages")]
ExtractImages = Annotated[bool, Pin(description="Also take the images embedded in each page")]


def read_document(path: Path, extract_images: bool) -> list[DocumentPage]:
    """The pages of a file, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        pages = _pdf(path, extract_images)
    elif suffix == ".docx":
        pages = _docx(path, extract_images)
    elif suffix in (".html", ".htm", ".xhtml"):
        pages = [DocumentPage(page_number=1, text=html_to_markdown(path.read_bytes()))]  # its <meta charset>
    elif suffix in TEXT_SUFFIXES:
        pages = [DocumentPage(page_number=1, text=decoded(path.read_bytes()).strip())]
    else:
        raise ValueError(f"{path.name}: cannot extract {suffix or 'suffix-less'} files (PDF, DOCX, HTML, Markdown "
                         "and text can be); images need AI Extract Document")
    return [page.model_copy(update={"source": str(path)}) for page in pages]


def decoded(data: bytes) -> str:
    """A text file's text in its own encoding: UTF-8 (a byte-order mark dropped), else what Beautiful Soup's
    detector finds (an old editor's windows-1252)."""
    from bs4 import UnicodeDammit

    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return UnicodeDammit(data, ["utf-8", "windows-1252"]).unicode_markup or data.decode("utf-8", "replace")


def _media_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class _HeldRecords(logging.Handler):
    """pypdf's log records of one thread, held while it reads a file: its complaints about a damaged file went to
    the console through logging's last resort (no handler configured), beside the node's error instead of in it.
    Handlers a program configured still get them as they come."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(record)


def _pdf(path: Path, extract_images: bool) -> list[DocumentPage]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logger, held = logging.getLogger("pypdf"), _HeldRecords()
    logger.addHandler(held)
    try:
        reader = PdfReader(path)
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            images = [DocumentImage(name=image.name, media_type=_media_type(image.name), data=image.data)
                      for image in page.images] if extract_images else []
            pages.append(DocumentPage(page_number=number, text=(page.extract_text() or "").strip(), images=images))
    except FileNotDecryptedError:
        raise ValueError(f"{path.name} is encrypted: it opens only with its password, which these nodes do "
                         f"not take (save a copy without the password)") from None
    except PdfReadError as error:
        said = "; ".join(" ".join(record.getMessage().split()) for record in held.records)
        raise ValueError(f"{path.name} is not a readable PDF: {error}{f' (pypdf said: {said})' if said else ''}"
                         ) from None
    finally:
        logger.removeHandler(held)
    if not logger.hasHandlers() and logging.lastResort is not None:  # held from the console alone: shown now
        for record in held.records:  # (read despite damage: its warnings show as they always did)
            if record.levelno >= logging.lastResort.level:
                logging.lastResort.handle(record)
    return pages


def _docx(path: Path, extract_images: bool) -> list[DocumentPage]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
        why = str(error)
        if isinstance(error, PackageNotFoundError):  # python-docx's word for a file that is no zip: "not found at"
            start = path.read_bytes()[:16]
            why = "it is empty (0 bytes)" if not start else \
                f"it is not a zip package, as every DOCX is (an old .doc renamed?): it starts {start!r}"
        raise ValueError(f"{path.name} is not a readable DOCX file: {why}") from None
    from docx.oxml.ns import qn

    pages: list[tuple[list[str], list[DocumentImage]]] = [([], [])]
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            pages[-1][0].append(_docx_table(block))
            continue
        text = block.text.strip()
        if text:
            pages[-1][0].append(_docx_paragraph(text, (block.style.name if block.style is not None else "") or ""))
        if extract_images:
            for blip in block._p.iter(qn("a:blip")):
                part = document.part.related_parts[blip.get(qn("r:embed"))]
                pages[-1][1].append(DocumentImage(name=Path(part.partname).name, media_type=part.content_type,
                                                  data=part.blob))
        if any(br.get(qn("w:type")) == "page" for br in block._p.iter(qn("w:br"))):
            pages.append(([], []))
    return [DocumentPage(page_number=i, text="\n\n".join(blocks), images=images)
            for i, (blocks, images) in enumerate(pages, start=1) if blocks or images or i == 1]


def _docx_paragraph(text: str, style: str) -> str:
    if style == "Title":
        return f"# {text}"
    if style.startswith("Heading ") and style[8:].isdigit():
        return "#" * min(max(int(style[8:]), 1), 6) + f" {text}"
    if style.startswith("List Number"):
        return f"1. {text}"
    if style.startswith("List"):
        return f"- {text}"
    return text


def _docx_table(table: Any) -> str:
    rows = [[cell.text.strip().replace("|", "\\|").replace("\n", " ") for cell in row.cells] for row in table.rows]
    if not rows:
        return ""
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]])


def html_to_markdown(html: str | bytes) -> str:
    """HTML as Markdown (ATX headings); scripts, styles and the head are dropped. Bytes are decoded as the page
    declares (`<meta charset>`), else as detected."""
    from bs4 import BeautifulSoup
    from markdownify import MarkdownConverter

    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "head", "noscript", "template"]):
        element.decompose()
    return MarkdownConverter(heading_style="ATX").convert_soup(soup).strip()


@node(friendly_name="Extract Document", exec_pins=True)
async def ai_processing_extract_document(file: FileIn, extract_images: ExtractImages = True) -> Pages:
    """The pages of a document, each as Markdown with its images."""
    path = struct_given(FlowPath, file, "file").local()
    return await asyncio.to_thread(read_document, path, extract_images)


@node(friendly_name="Extract Documents", exec_pins=True)
async def ai_processing_extract_documents(
    ctx: Context, files: list[FlowPath], extract_images: ExtractImages = True,
) -> Annotated[list[DocumentPage], Pin(name="results")]:
    """The pages of several documents, one after the other (each page names its source file)."""
    pages: list[DocumentPage] = []
    paths = [FlowPath.model_validate(f).local() for f in files or ()]
    for done, path in enumerate(paths, start=1):
        ctx.check_cancelled()
        pages += await asyncio.to_thread(read_document, path, extract_images)
        ctx.progress(done, len(paths), path.name)
    return pages


def pages_markdown(pages: list[Any]) -> str:
    return "\n\n".join(DocumentPage.model_validate(p).text for p in pages if DocumentPage.model_validate(p).text)


@node(friendly_name="Pages to Markdown", exec_pins=True)
def ai_processing_pages_to_markdown(pages: list[DocumentPage]
                                    ) -> Annotated[str, Pin(name="markdown")]:
    """The pages' Markdown as one text, pages separated by a blank line."""
    return pages_markdown(pages or [])
