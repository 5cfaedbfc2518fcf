"""Page Links without the page's address, and Main Text asked for a format it has not, say so, where Page Links
gave no links with Success (relative links dropped; same_domain kept nothing) and one malformed href failed the
whole page with "Invalid IPv6 URL", naming no link."""

from __future__ import annotations

import pytest

from flowlike_core import RunStatus


def pure(b, key: str, output: str, **defaults):
    node, back = b.add(key, **defaults), b.add("events_generic_return_result")
    b.wire(node, output, back, "response")
    b.chain(b.add("events_simple"), back)
    return b.run()


PAGE = "<html><body><a href='https://example.org/a'>a</a> <a href='/docs/b'>b</a></body></html>"


def test_relative_links_without_the_pages_address_are_not_dropped(b) -> None:
    run = pure(b, "web_scrape_page_links", "links", html=PAGE)
    assert run.status is RunStatus.FAILED
    assert "the page has relative links ('/docs/b') and base_url is empty: give the page's address to resolve them" \
        in run.error, run.error


def test_same_domain_without_the_pages_address_says_so(b) -> None:
    run = pure(b, "web_scrape_page_links", "links", html="<a href='https://example.org/a'>a</a>", same_domain=True)
    assert run.status is RunStatus.FAILED
    assert "same_domain needs base_url: the page's address says which domain is its own" in run.error, run.error


def test_a_malformed_link_is_left_out_like_other_links_that_are_not_http(b) -> None:
    html = "<a href='http://[::1'>broken</a><a href='mailto:x@example.org'>mail</a><a href='/ok'>ok</a>"
    run = pure(b, "web_scrape_page_links", "links", html=html, base_url="https://example.org/")
    assert run.status is RunStatus.SUCCESS, run.error
    assert run.result == ["https://example.org/ok"]


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_main_text_in_a_format_it_has_not_names_the_ones_it_has(b, kind) -> None:
    run = pure(b, "web_scrape_main_text", "text", html="<p>Hello there</p>", output_format=kind)
    assert run.status is RunStatus.FAILED
    assert f"unknown output_format {kind!r}: use txt or markdown" in run.error, run.error


def test_relative_links_against_an_address_that_is_none_say_so(b) -> None:
    run = pure(b, "web_scrape_page_links", "links", html=PAGE, base_url="example.org")
    assert run.status is RunStatus.FAILED
    assert "the page has relative links ('/docs/b') and base_url 'example.org' is no http(s) address" in run.error
