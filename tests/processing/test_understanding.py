"""The AI processing nodes against the scripted chat server: page images to Markdown, sections, summaries,
keywords; request shapes (images, batching, parallel requests) and the joined results."""

from __future__ import annotations

import asyncio
import base64
import re

from flowlike_catalog.llm import PACK as LLM_PACK
from flowlike_catalog.llm.testing import Reply
from flowlike_catalog.processing import PACK
from flowlike_catalog.processing import understanding as u
from flowlike_catalog.processing.documents import DocumentPage
from flowlike_catalog.std import PACK as STD_PACK

from flowlike_core import Board, Registry, commands


def transcribe_reply(request):
    """Answer with one Markdown page per page number named in the request's text parts."""
    numbers = [int(n) for m in request.body["messages"] for part in (m["content"] if isinstance(m["content"], list)
                                                                      else []) if part["type"] == "text"
               for n in re.findall(r"\d+", part["text"])]
    return Reply(tool_calls=[("extract", {"pages": [{"page_number": n, "markdown": f"# Page {n}"} for n in numbers]})])


def run_board(docs, server, **defaults):
    run = run_of(docs, server, **defaults)
    run.raise_for_status()
    return run.result


def run_of(docs, server, **defaults):
    registry = Registry([STD_PACK, LLM_PACK, PACK])
    board = Board(name="ai-docs")

    def add(key, **values):
        return board.apply(commands.AddNode(registry.get(key).create(**values)))

    start = add("events_simple")
    model = add("ai_generative_build_openai", endpoint=server.url + "/v1", model_id="vision")
    extract = add("ai_processing_extract_document_ai", file={"path": str(docs["pdf"])}, **defaults)
    back = add("events_generic_return_result")
    for source, target in ((start, model), (model, extract), (extract, back)):
        board.apply(commands.Connect(source.id, "exec_out", target.id, "exec_in"))
    board.apply(commands.Connect(model.id, "model", extract.id, "model"))
    board.apply(commands.Connect(extract.id, "pages", back.id, "response"))
    return board.run(registry=registry)


def test_a_vision_model_transcribes_rendered_pdf_pages(docs, server):
    server.always(transcribe_reply)
    pages = run_board(docs, server, pages_per_batch=1, images_per_message=1, temperature=0.0, max_tokens=500)
    assert [(p.page_number, p.text) for p in pages] == [(1, "# Page 1"), (2, "# Page 2")]
    assert [len(p.images) for p in pages] == [0, 1]  # the PNG embedded on page 2
    assert len(server.requests) == 2
    body = server.requests[0].body
    assert (body["temperature"], body["max_completion_tokens"]) == (0.0, 500)
    image = body["messages"][1]["content"][1]["image_url"]["url"]
    assert image.startswith("data:image/png;base64,")
    assert base64.b64decode(image.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_page_the_model_gave_no_text_for_is_named_in_a_warning(docs, server):
    server.always(lambda request: Reply(tool_calls=[("extract", {"pages": [{"page_number": 1, "markdown": "# 1"}]})]))
    run = run_of(docs, server, pages_per_batch=4)
    warnings = [line.message for trace in run.traces for line in trace.logs if line.level.value == "Warn"]
    assert warnings == [f"{docs['pdf'].name}: the model gave no text for page 2"], warnings


def test_pages_share_a_request_and_images_are_grouped_per_message(docs, server):
    server.always(transcribe_reply)
    run_board(docs, server, pages_per_batch=4, images_per_message=2, extract_images=False)
    (request,) = server.requests
    users = [m for m in request.body["messages"] if m["role"] == "user"]
    assert len(users) == 1 and [p["type"] for p in users[0]["content"]] == ["text", "image_url", "image_url"]


def pages(n: int, size: int = 100) -> list[DocumentPage]:
    return [DocumentPage(page_number=i, text=f"Page {i} " + "x" * size) for i in range(1, n + 1)]


def test_batches_fit_the_token_budget():
    groups = u.batches(pages(5, size=396), max_tokens=250)  # each page ~101 tokens
    assert [[p.page_number for p in g] for g in groups] == [[1, 2], [3, 4], [5]]


def test_sections_are_joined_in_page_order_with_their_last_page(server, model):
    def sections(request):
        first = int(re.search(r'page number="(\d+)"', request.last_text()).group(1))
        return Reply(tool_calls=[("extract", {"sections": [
            {"title": f"Part {first}", "level": 1, "page_start": first, "summary": f"about {first}"}]})])

    server.always(sections)
    found = asyncio.run(u.ai_processing_extract_content_sections.func(pages(6, 396), model, 250, 2))
    assert [(s.title, s.page_start, s.page_end, s.summary) for s in found] == [
        ("Part 1", 1, 3, "about 1"), ("Part 3", 3, 5, "about 3"), ("Part 5", 5, 6, "about 5")]
    assert len(server.requests) == 3


def test_summary_maps_batches_then_reduces(server, model):
    def answer(request):
        text = request.last_text()
        if "<page" in text:
            first = int(re.search(r'page number="(\d+)"', text).group(1))
            return Reply(tool_calls=[("extract", {"summary": f"Pages from {first}.",
                                                  "headings": [{"title": f"H{first}", "page": first}]})])
        return Reply(tool_calls=[("extract", {"title": "Doc", "summary": f"All: {text}", "key_points": ["k"]})])

    server.always(answer)
    summary = asyncio.run(u.ai_processing_summarize_document.func(pages(4, 396), model, "High", True, 250, 4))
    assert summary.title == "Doc" and summary.key_points == ["k"]
    assert summary.summary == "All: Pages from 1.\n\nPages from 3."
    assert [(t.title, t.page) for t in summary.table_of_contents] == [("H1", 1), ("H3", 3)]
    assert "at most 500 words" in server.requests[0].body["messages"][0]["content"]
    without = asyncio.run(u.ai_processing_summarize_document.func(pages(1), model, "Low", False, 8000, 1))
    assert without.table_of_contents == []


def test_parallel_requests_are_bounded(server, model):
    import threading
    import time

    active, peak, lock = [0], [0], threading.Lock()

    def slow(request):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        # Hold the request open until three overlapped (however slowly a busy machine sends them), then a little
        # longer, so that a fourth, were the bound broken, would be seen too.
        overlap, deadline = time.monotonic() + 0.2, time.monotonic() + 60
        while (peak[0] < 3 or time.monotonic() < overlap) and time.monotonic() < deadline:
            time.sleep(0.01)
        with lock:
            active[0] -= 1
        return Reply(tool_calls=[("extract", {"sections": []})])

    server.always(slow)
    asyncio.run(u.ai_processing_extract_content_sections.func(pages(8, 396), model, 110, 3))
    assert len(server.requests) == 8 and peak[0] == 3


def test_ai_keywords_are_unique_and_limited(server, model):
    server.expect(Reply(tool_calls=[("extract", {"value": ["solar power", "Solar power ", "batteries"]})]))
    keywords = asyncio.run(u.ai_processing_ai_keyword_extraction.func(model, "Solar and batteries.", 3, "energy"))
    assert keywords == ["solar power", "batteries"]
    tool = server.requests[0].body["tools"][0]["function"]["parameters"]
    assert tool["properties"]["value"]["maxItems"] == 3
    assert "Context: energy" in server.requests[0].body["messages"][0]["content"]
