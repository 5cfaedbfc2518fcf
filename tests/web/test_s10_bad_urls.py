"""A URL no retry can mend fails at once, and a crawl whose starting page cannot be read fails naming it: an
"UnsupportedProtocol" (no scheme, ftp://) was retried twice with warnings, and Extract Links answered an empty set
with a Success when its starting page was down, missing or not a URL."""

from __future__ import annotations

from flowlike_core.run import RunStatus


def crawl(b, page: str):
    start, links = b.add("events_simple"), b.add("web_scrape_extract_links", starting_page=page, offset_ms=0)
    b.chain(start, links)
    return b.run()


def test_a_url_without_a_scheme_fails_at_once_without_retrying(b) -> None:
    run = crawl(b, "example.org/x")
    assert run.status is RunStatus.FAILED, run.logs()
    assert "cannot read the starting page example.org/x: GET example.org/x failed: UnsupportedProtocol: Request URL " \
           "is missing an 'http://' or 'https://' protocol" in run.error, run.error
    assert [line.message for line in run.logs()] == []


def test_a_crawl_from_a_server_that_is_down_fails_naming_the_page(b, closed_port) -> None:
    page = f"http://127.0.0.1:{closed_port}/"
    run = crawl(b, page)
    assert run.status is RunStatus.FAILED, run.logs()
    assert f"cannot read the starting page {page}: GET {page} failed: ConnectError" in run.error, run.error


def test_a_crawl_from_a_missing_page_fails_with_its_status(b, http_server) -> None:
    page = f"{http_server}/site/missing"
    run = crawl(b, page)
    assert run.status is RunStatus.FAILED, run.logs()
    assert f"cannot read the starting page {page}: status 404, text/plain; charset=utf-8" in run.error, run.error


def test_a_crawl_from_a_page_that_is_not_html_fails_saying_what_it_is(b, http_server) -> None:
    page = f"{http_server}/snapshot.png"
    run = crawl(b, page)
    assert run.status is RunStatus.FAILED, run.logs()
    assert f"cannot read the starting page {page}: status 200, image/png (not HTML)" in run.error, run.error
