"""Scraping nodes on a real page and a little site served on 127.0.0.1."""

from __future__ import annotations

import pyarrow as pa
import pytest
from flowlike_catalog.web import scraping
from web_support import PAGE


def test_main_text_drops_navigation_and_footer() -> None:
    text = scraping.web_scrape_main_text.func(PAGE, "http://127.0.0.1/page", False, "txt")
    assert text.splitlines() == [
        "River Notes",
        "The river rises in the hills and runs two hundred kilometres to the sea, through farmland and three towns.",
        "In spring the snowmelt doubles its flow; the old mill at the second town still turns its wheel every May.",
        "Read the flood report or the map."]


def test_main_text_markdown_with_tables() -> None:
    text = scraping.web_scrape_main_text.func(PAGE, "", True, "markdown")
    assert "| Ashford | 3 |" in text and "Home" not in text and "Copyright" not in text


def test_metadata() -> None:
    found = scraping.web_scrape_metadata.func(PAGE, "http://127.0.0.1/page")
    assert (found.title, found.author, found.description, found.sitename, found.language) == (
        "River Notes", "Ada Lovelace", "Notes on rivers.", "Notes", "en")


def test_page_links() -> None:
    links = scraping.web_scrape_page_links.func(PAGE, "http://127.0.0.1:8000/notes/page", False)
    assert links == ["http://127.0.0.1:8000/", "http://127.0.0.1:8000/about", "https://example.org/flood-report",
                     "http://127.0.0.1:8000/maps/river.html"]
    assert scraping.web_scrape_page_links.func(PAGE, "http://127.0.0.1:8000/notes/page", True) == [
        "http://127.0.0.1:8000/", "http://127.0.0.1:8000/about", "http://127.0.0.1:8000/maps/river.html"]


def test_tables_are_arrow() -> None:
    [table] = scraping.web_scrape_tables.func(PAGE)
    assert table.equals(pa.table({"Town": ["Ashford", "Brook"], "Bridges": ["3", "1"]}))
    ragged = "<table><tr><th>a</th><th>a</th><th></th></tr><tr><td>1</td></tr></table><table></table>"
    [table] = scraping.web_scrape_tables.func(ragged)
    assert table.to_pylist() == [{"a": "1", "a_2": "", "column_3": ""}]


def test_empty_html_is_clear() -> None:
    with pytest.raises(ValueError, match="the HTML is empty"):
        scraping.web_scrape_page_links.func("  ", "", False)


def crawl(b, start: str, **options) -> set[str]:
    begin = b.add("events_simple")
    extract = b.add("web_scrape_extract_links", starting_page=start, offset_ms=0, **options)
    b.chain(begin, extract)
    return b.result_of(extract, extract, "links")


def test_crawl_depth_one(b, http_server) -> None:
    assert crawl(b, f"{http_server}/site/index") == {f"{http_server}/site/a", f"{http_server}/site/b"}


def test_crawl_depth_two_same_domain_skips_broken_pages(b, http_server) -> None:
    found = crawl(b, f"{http_server}/site/index", depth=3, same_domain=True)
    assert found == {f"{http_server}/site/{name}" for name in ("index", "a", "b", "c", "missing")}


def test_crawl_keeps_foreign_links_without_following_them(b, http_server) -> None:
    found = crawl(b, f"{http_server}/site/index", depth=2)
    assert found == {f"{http_server}/site/{name}" for name in ("index", "a", "b", "c", "missing")} | {
        "https://elsewhere.example/x"}
