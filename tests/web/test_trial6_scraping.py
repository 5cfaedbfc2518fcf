"""Scraping real-world markup: tables with merged cells and tables inside tables, a page that sets its own base
URL, and a crawler that meets a link to a large file."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from flowlike_catalog.web import scraping

MERGED = """<html><body><table>
<thead><tr><th rowspan="2">Town</th><th colspan="2">Population</th></tr>
<tr><th>2020</th><th>2024</th></tr></thead>
<tbody><tr><td>Ashford</td><td>1,200</td><td>1,350</td></tr>
<tr><td colspan="3">Brook: no census</td></tr></tbody></table></body></html>"""


def test_merged_cells_fill_every_column_they_span() -> None:
    """A colspan header (Population over 2020 and 2024) shifted every later cell one column left and padded the
    row's end: Ashford's 2024 figure sat under the wrong heading."""
    [table] = scraping.web_scrape_tables.func(MERGED)
    assert table.column_names == ["Town", "Population", "Population_2"]
    assert table.to_pylist() == [
        {"Town": "Town", "Population": "2020", "Population_2": "2024"},
        {"Town": "Ashford", "Population": "1,200", "Population_2": "1,350"},
        {"Town": "Brook: no census", "Population": "Brook: no census", "Population_2": "Brook: no census"}]


def test_a_table_inside_a_table_is_its_own_table() -> None:
    """A layout table holding a data table: the inner rows were read twice, once as the outer table's rows."""
    html = """<table><tr><td>menu</td><td><table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr>
    </table></td></tr></table>"""
    outer, inner = scraping.web_scrape_tables.func(html)
    assert outer.num_rows == 0 and outer.column_names == ["menu", "column_2"]
    assert inner.to_pylist() == [{"k": "a", "v": "1"}]


def test_a_line_break_in_a_cell_is_a_space() -> None:
    [table] = scraping.web_scrape_tables.func("<table><tr><th>Address</th></tr><tr><td>Main St<br>Springfield"
                                              "<!-- old --></td></tr></table>")
    assert table.to_pylist() == [{"Address": "Main St Springfield"}]


def test_links_resolve_against_the_pages_base_element() -> None:
    html = '<html><head><base href="/docs/v2/"></head><body><a href="intro.html">i</a><a href="/top">t</a></body>'
    assert scraping.web_scrape_page_links.func(html, "http://127.0.0.1:8000/index.html", False) == [
        "http://127.0.0.1:8000/docs/v2/intro.html", "http://127.0.0.1:8000/top"]


CHUNK, CHUNKS = 1 << 16, 1000


def crawl_app(sent: dict[str, int]) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response, StreamingResponse
    from starlette.routing import Route

    async def index(request: Request) -> Response:
        return Response('<a href="/big.iso">iso</a><a href="/page">page</a>', media_type="text/html")

    async def page(request: Request) -> Response:
        return Response('<a href="/end">end</a>', media_type="text/html")

    async def big(request: Request) -> StreamingResponse:
        async def chunks() -> Any:
            for _ in range(CHUNKS):
                sent["chunks"] += 1
                yield b"\0" * CHUNK
                await asyncio.sleep(0)

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    return Starlette(routes=[Route("/", index), Route("/page", page), Route("/big.iso", big)])


@pytest.fixture
def crawl_server() -> Iterator[tuple[str, dict[str, int]]]:
    from fake_server import serve

    sent = {"chunks": 0}
    with serve(crawl_app(sent)) as url:
        yield url, sent


def test_the_crawler_skips_a_large_file_without_downloading_it(b, crawl_server) -> None:
    """Extract Links read a linked 64 MB file whole before seeing it was not HTML."""
    url, sent = crawl_server
    start, crawl = b.add("events_simple"), b.add("web_scrape_extract_links", starting_page=f"{url}/", depth=2,
                                                 offset_ms=0)
    b.chain(start, crawl)
    links = b.result_of(crawl, crawl, "links")
    assert set(links) == {f"{url}/big.iso", f"{url}/page", f"{url}/end"}
    assert sent["chunks"] < CHUNKS // 2
