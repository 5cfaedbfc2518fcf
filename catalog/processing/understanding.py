"""Documents read and understood by a language model: page images to Markdown, sections, summaries, keywords.

Each node asks for JSON that follows a schema (the llm pack's extractor: a forced tool call, validated,
with one repair request). Long documents are cut into batches of pages that fit `max_context_tokens`
(about four characters a token), sent `parallel_requests` at a time, and joined in page order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from flowlike_catalog.llm.structs import ContentPart, History, HistoryMessage, LanguageModel, as_model
from flowlike_catalog.llm.structured import extract
from flowlike_catalog.llm.wire import data_url
from flowlike_catalog.processing.documents import DocumentPage, FlowPath, read_document
from pydantic import BaseModel

from flowlike_core import Context, Pin, node
from flowlike_core.wording import noun_for

CATEGORY = "AI/Processing"
CAPABILITIES = ("network", "files")  # what its nodes reach (flowlike_core.policy)
CHARS_PER_TOKEN = 4
DETAIL_WORDS = {"low": 80, "brief": 80, "medium": 200, "high": 500, "detailed": 500}
T = TypeVar("T")

ModelIn = Annotated[LanguageModel, Pin(description="A chat model (a vision model for the AI extractors)")]
PagesIn = Annotated[list[DocumentPage], Pin("Pages")]
MaxContext = Annotated[int, Pin(range=(256, 10_000_000), description="Tokens of page text per request")]
Parallel = Annotated[int, Pin(range=(1, 64), description="Requests in flight at once")]


class ContentSection(BaseModel):
    title: str
    level: int = 1
    page_start: int
    page_end: int
    summary: str = ""


class TocEntry(BaseModel):
    title: str
    page: int


class DocumentSummary(BaseModel):
    title: str = ""
    summary: str
    key_points: list[str] = []
    table_of_contents: list[TocEntry] = []


def batches(pages: list[DocumentPage], max_tokens: int) -> list[list[DocumentPage]]:
    """Consecutive pages grouped so that each group's text fits the token budget (a long page stays alone)."""
    groups: list[list[DocumentPage]] = []
    used = 0
    for page in pages:
        size = len(page.text) // CHARS_PER_TOKEN + 1
        if not groups or used + size > max_tokens:
            groups.append([])
            used = 0
        groups[-1].append(page)
        used += size
    return groups


async def gather_limited(jobs: list[Callable[[], Awaitable[T]]], parallel: int) -> list[T]:
    """Run the jobs at most `parallel` at a time; results in job order."""
    gate = asyncio.Semaphore(max(1, parallel))

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(one(job) for job in jobs)))


def _page_text(pages: list[DocumentPage]) -> str:
    return "\n\n".join(f"<page number=\"{p.page_number}\">\n{p.text}\n</page>" for p in pages)


def _pages(value: Any) -> list[DocumentPage]:
    pages = [DocumentPage.model_validate(p) for p in value or ()]
    if not pages:
        raise ValueError("no pages: wire them from Extract Document")
    return pages


# ---- page images to Markdown --------------------------------------------------------------------------

TRANSCRIPTION = {"type": "object", "required": ["pages"], "properties": {"pages": {"type": "array", "items": {
    "type": "object", "required": ["page_number", "markdown"],
    "properties": {"page_number": {"type": "integer"}, "markdown": {"type": "string"}}}}}}


def page_images(path: Path) -> list[tuple[bytes, str]]:
    """Each page as a PNG (PDFs rendered at 144 dpi by pdfium) or the image file itself."""
    suffix = path.suffix.lower()
    if suffix in (".png", ".jpg", ".jpeg", ".webp", ".gif"):
        return [(path.read_bytes(), f"image/{'jpeg' if suffix == '.jpg' else suffix[1:]}")]
    if suffix != ".pdf":
        raise ValueError(f"{path.name}: AI extraction reads PDFs and images; use Extract Document for {suffix} files")
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        images = []
        for page in document:
            buffer = io.BytesIO()
            page.render(scale=2.0).to_pil().save(buffer, format="PNG")
            images.append((buffer.getvalue(), "image/png"))
        return images
    finally:
        document.close()


async def transcribe(ctx: Context, path: Path, model: LanguageModel, extract_images: bool, images_per_message: int,
                     pages_per_batch: int, temperature: float, max_tokens: int) -> list[DocumentPage]:

    images = await asyncio.to_thread(page_images, path)
    embedded = {p.page_number: p.images for p in await asyncio.to_thread(read_document, path, True)} \
        if extract_images and path.suffix.lower() == ".pdf" else {}
    texts: dict[int, str] = {}
    step = max(1, pages_per_batch)
    for first in range(0, len(images), step):
        ctx.check_cancelled()
        numbers = list(range(first + 1, min(first + step, len(images)) + 1))
        messages = []
        for start in range(0, len(numbers), max(1, images_per_message)):
            group = numbers[start:start + max(1, images_per_message)]
            parts = [ContentPart(type="text", text=f"Pages {', '.join(map(str, group))}:")]
            parts += [ContentPart(type="image_url", image_url=data_url(*images[n - 1])) for n in group]
            messages.append(HistoryMessage(role="user", content=parts))
        history = History(messages=messages, temperature=temperature, max_completion_tokens=max_tokens or None)
        answer = await extract(model, history, TRANSCRIPTION,
                               f"Transcribe each page image ({', '.join(map(str, numbers))}) to Markdown: headings, "
                               "lists and tables as Markdown, reading order kept, nothing added.")
        for page in answer["pages"]:
            if page["page_number"] in numbers:
                texts[page["page_number"]] = page["markdown"].strip()
        missing = [n for n in numbers if n not in texts]
        if missing:
            ctx.warn(f"{path.name}: the model gave no text for {noun_for(len(missing), 'page')} "
                     f"{', '.join(map(str, missing))}")
        ctx.progress(numbers[-1], len(images), path.name)
    return [DocumentPage(page_number=n, text=texts.get(n, ""), source=str(path),
                         images=embedded.get(n, []) if extract_images else [])
            for n in range(1, len(images) + 1)]


ImagesPerMessage = Annotated[int, Pin(range=(1, 100), description="Page images per message")]
PagesPerBatch = Annotated[int, Pin(range=(1, 100), description="Pages per request")]
MaxTokens = Annotated[int, Pin(description="Longest answer per request (0: the provider's default)")]


@node(friendly_name="AI Extract Document", exec_pins=True)
async def ai_processing_extract_document_ai(
    ctx: Context, file: Annotated[FlowPath, Pin(description="A PDF or an image")], model: ModelIn,
    extract_images: bool = True, images_per_message: ImagesPerMessage = 1, pages_per_batch: PagesPerBatch = 4,
    temperature: float = 0.1, max_tokens: MaxTokens = 0,
) -> Annotated[list[DocumentPage], Pin(name="pages")]:
    """A vision model reads each page image (PDF pages rendered by pdfium) and writes its Markdown: scans and
    complex layouts that have no usable text layer."""
    return await transcribe(ctx, FlowPath.model_validate(file).local(), as_model(model), extract_images,
                            images_per_message, pages_per_batch, temperature, max_tokens)


@node(friendly_name="AI Extract Documents", exec_pins=True)
async def ai_processing_extract_documents_ai(
    ctx: Context, files: list[FlowPath], model: ModelIn, extract_images: bool = True,
    images_per_message: ImagesPerMessage = 2, pages_per_batch: PagesPerBatch = 2, temperature: float = 0.1,
    max_tokens: MaxTokens = 4096,
) -> Annotated[list[DocumentPage], Pin(name="results")]:
    """AI Extract Document for several files, one after the other; each page names its source."""
    pages: list[DocumentPage] = []
    for file in files or ():
        pages += await transcribe(ctx, FlowPath.model_validate(file).local(), as_model(model), extract_images,
                                  images_per_message, pages_per_batch, temperature, max_tokens)
    return pages


# ---- sections, summaries, keywords --------------------------------------------------------------------

SECTIONS = {"type": "object", "required": ["sections"], "properties": {"sections": {"type": "array", "items": {
    "type": "object", "required": ["title", "level", "page_start"],
    "properties": {"title": {"type": "string"}, "level": {"type": "integer", "minimum": 1},
                   "page_start": {"type": "integer"}, "summary": {"type": "string"}}}}}}


@node(friendly_name="Extract Content Sections", exec_pins=True)
async def ai_processing_extract_content_sections(
    pages: PagesIn, model: ModelIn, max_context_tokens: MaxContext = 8000, parallel_requests: Parallel = 4,
) -> Annotated[list[ContentSection], Pin(name="sections")]:
    """The document's sections (title, heading level, first and last page, one-line summary), found by the model
    batch by batch and joined in page order."""
    pages, model = _pages(pages), as_model(model)

    def job(group: list[DocumentPage]) -> Callable[[], Awaitable[Any]]:
        history = History(messages=[HistoryMessage(role="user", content=_page_text(group))])
        return lambda: extract(model, history, SECTIONS, "List the sections that start on these pages, in order, "
                                                          "with the page each starts on and a one-line summary.")

    found = [s for answer in await gather_limited([job(g) for g in batches(pages, max_context_tokens)],
                                                  parallel_requests) for s in answer["sections"]]
    last = pages[-1].page_number
    found.sort(key=lambda s: s["page_start"])
    return [ContentSection(title=s["title"], level=s["level"], page_start=s["page_start"], summary=s.get("summary", ""),
                           page_end=max(s["page_start"], found[i + 1]["page_start"] if i + 1 < len(found) else last))
            for i, s in enumerate(found)]


PART = {"type": "object", "required": ["summary", "headings"], "properties": {
    "summary": {"type": "string"},
    "headings": {"type": "array", "items": {"type": "object", "required": ["title", "page"],
                                            "properties": {"title": {"type": "string"}, "page": {"type": "integer"}}}}}}
WHOLE = {"type": "object", "required": ["title", "summary", "key_points"], "properties": {
    "title": {"type": "string"}, "summary": {"type": "string"},
    "key_points": {"type": "array", "items": {"type": "string"}}}}


@node(friendly_name="Summarize Document", exec_pins=True)
async def ai_processing_summarize_document(
    pages: PagesIn, model: ModelIn,
    detail_level: Annotated[str, Pin(valid_values=("Low", "Medium", "High"))] = "Medium",
    include_toc: Annotated[bool, Pin(description="Also list the headings with their pages")] = True,
    max_context_tokens: MaxContext = 8000, parallel_requests: Parallel = 4,
) -> Annotated[DocumentSummary, Pin(name="summary")]:
    """Summarises each batch of pages (in parallel), then the summaries into one: title, summary, key points and,
    with include_toc, a table of contents."""
    pages, model = _pages(pages), as_model(model)
    words = DETAIL_WORDS.get(detail_level.lower())
    if words is None:
        raise ValueError(f"detail_level must be Low, Medium or High, got {detail_level!r}")

    def job(group: list[DocumentPage]) -> Callable[[], Awaitable[Any]]:
        history = History(messages=[HistoryMessage(role="user", content=_page_text(group))])
        return lambda: extract(model, history, PART, f"Summarise these pages in at most {words} words and list "
                                                     "their headings with the page each is on.")

    parts = await gather_limited([job(g) for g in batches(pages, max_context_tokens)], parallel_requests)
    joined = "\n\n".join(part["summary"] for part in parts)
    whole = await extract(model, History(messages=[HistoryMessage(role="user", content=joined)]), WHOLE,
                          f"These are summaries of consecutive parts of one document. Give its title, one summary "
                          f"of at most {words} words, and its key points.")
    toc = [TocEntry(**heading) for part in parts for heading in part["headings"]] if include_toc else []
    return DocumentSummary(title=whole["title"], summary=whole["summary"], key_points=whole["key_points"],
                           table_of_contents=toc)


@node(friendly_name="AI Keywords", exec_pins=True)
async def ai_processing_ai_keyword_extraction(
    model: ModelIn, text: str = "", max_keywords: Annotated[int, Pin(range=(1, 1000))] = 10,
    context: Annotated[str, Pin(description="What the keywords are for, to guide the model")] = "",
) -> Annotated[list[str], Pin(name="keywords", description="Most relevant first")]:
    """Keywords and key phrases chosen by the model (at most max_keywords, no duplicates whatever their case,
    most relevant first)."""
    schema = {"type": "array", "items": {"type": "string"}, "maxItems": max_keywords}
    hint = f"List at most {max_keywords} keywords or key phrases of the text, most relevant first." + \
        (f" Context: {context}" if context else "")
    keywords = await extract(as_model(model), History(messages=[HistoryMessage(role="user", content=text)]),
                             schema, hint)
    unique: dict[str, str] = {}
    for keyword in (k.strip() for k in keywords):
        if keyword:
            unique.setdefault(keyword.casefold(), keyword)
    return list(unique.values())

