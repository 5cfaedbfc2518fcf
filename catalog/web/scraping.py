"""Scraping: a page's main text and metadata (trafilatura), its links and tables (lxml), and a small crawler
that collects links through the run's HTTP client."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple
from urllib.parse import urldefrag, urljoin, urlparse

from flowlike_catalog.web.http import HttpRequest, send

from flowlike_core import Context, Pin, node

CATEGORY = "Web/Scraping"

Html = Annotated[str, Pin(description="The page's HTML, e.g. from API Call → To Text")]
BaseUrl = Annotated[str, Pin(description="The page's address: resolves relative links")]


class Metadata(NamedTuple):
    title: str
    author: str
    date: Annotated[str, Pin(description="Publication date (YYYY-MM-DD) as found or guessed, empty if none")]
    description: str
    sitename: str
    language: str
    tags: list[str]


def document(html: str) -> Any:
    import lxml.html

    if not html.strip():
        raise ValueError("the HTML is empty")
    return lxml.html.fromstring(html)


def page_links(html: str, base_url: str) -> list[str]:
    """Absolute http(s) links of a page, in order, without fragments or repeats. A malformed href is left out as
    other links that are not http(s) are; relative links with no address to resolve them against fail naming them
    (leaving them out gave a page without its links)."""
    found: dict[str, None] = {}
    unresolved: list[str] = []
    page = document(html)
    if declared := page.xpath("//base/@href"):  # <base href>: where the page's relative links start
        base_url = urljoin(base_url, declared[0].strip())
    for href in (href.strip() for href in page.xpath("//a/@href")):
        try:
            url = urldefrag(urljoin(base_url, href))[0]
            scheme = urlparse(url).scheme
        except ValueError:  # an unclosed IPv6 host, a bad port: no address to follow
            continue
        if scheme in ("http", "https"):
            found[url] = None
        elif not scheme and url:
            unresolved.append(href)
    if unresolved:
        more = ", ..." if len(unresolved) > 3 else ""
        base = f"base_url {base_url!r} is no http(s) address" if base_url else "base_url is empty"
        raise ValueError(f"the page has relative links ({', '.join(map(repr, unresolved[:3]))}{more}) and {base}: "
                         f"give the page's address to resolve them")
    return list(found)


@node(friendly_name="Main Text")
def web_scrape_main_text(html: Html, url: BaseUrl = "", include_tables: bool = True,
                         output_format: Annotated[str, Pin(valid_values=("txt", "markdown"))] = "txt") -> Annotated[
        str, Pin(name="text")]:
    """The article text of a page without navigation, footers and ads (trafilatura); empty when it finds none."""
    import trafilatura

    if output_format not in ("txt", "markdown"):
        raise ValueError(f"unknown output_format {output_format!r}: use txt or markdown")
    document(html)
    return trafilatura.extract(html, url=url or None, include_tables=include_tables, include_comments=False,
                               output_format=output_format) or ""


@node(friendly_name="Page Metadata")
def web_scrape_metadata(html: Html, url: BaseUrl = "") -> Metadata:
    """Title, author, date, description, site name, language and tags from the page's markup (trafilatura)."""
    import trafilatura

    document(html)
    found = trafilatura.extract_metadata(html, default_url=url or None)
    if found is None:
        return Metadata("", "", "", "", "", "", [])
    language = document(html).get("lang", "") or found.language or ""
    return Metadata(found.title or "", found.author or "", found.date or "", found.description or "",
                    found.sitename or "", language, list(found.tags or []))


@node(friendly_name="Page Links")
def web_scrape_page_links(html: Html, base_url: BaseUrl = "", same_domain: bool = False) -> Annotated[
        list[str], Pin(name="links")]:
    """The page's links as absolute URLs (http and https only, fragments dropped), in page order."""
    if same_domain and not base_url:
        raise ValueError("same_domain needs base_url: the page's address says which domain is its own")
    links = page_links(html, base_url)
    if same_domain:
        links = [link for link in links if urlparse(link).netloc == urlparse(base_url).netloc]
    return links


def cell_text(cell: Any) -> str:
    """A cell's text on one line: a line break is a space; a table inside the cell is left out (it is a table
    of its own)."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        parts.append(element.text or "")
        for child in element:
            if child.tag == "br":
                parts.append(" ")
            elif isinstance(child.tag, str) and child.tag != "table":  # not a comment, not a nested table
                walk(child)
            parts.append(child.tail or "")

    walk(cell)
    return " ".join("".join(parts).split())


def span(cell: Any, attribute: str) -> int:
    """A cell's colspan or rowspan (1 when missing or not a number; at most 1,000 as browsers cap it)."""
    try:
        return min(max(int(cell.get(attribute, "1")), 1), 1000)
    except ValueError:
        return 1


def table_rows(table: Any) -> list[list[str]]:
    """A table's rows of cell texts, a merged cell repeated in every column and row it spans (as pandas'
    read_html does); rows of tables nested in its cells are not its rows."""
    rows, spanned = [], {}  # spanned: column -> [rows still covered, text] of a rowspan from above
    for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells, out = list(row.xpath("./th|./td")), []
        while cells or any(column >= len(out) for column in spanned):
            if (above := spanned.get(len(out))) is not None:
                out.append(above[1])
                above[0] -= 1
                if above[0] == 0:
                    del spanned[len(out) - 1]
            elif cells:
                cell = cells.pop(0)
                text, rowspan = cell_text(cell), span(cell, "rowspan")
                for _ in range(span(cell, "colspan")):
                    if rowspan > 1:
                        spanned[len(out)] = [rowspan - 1, text]
                    out.append(text)
            else:
                out.append("")
        rows.append(out)
    return [row for row in rows if row]


@node(friendly_name="Page Tables")
def web_scrape_tables(html: Html) -> Annotated[list[Any], Pin(name="tables", description="One Arrow table per "
                                                                                          "<table>, text cells")]:
    """The page's tables as Arrow tables: the first row names the columns (made unique), cells are text; a merged
    cell fills every column and row it spans, short rows are padded with empty cells."""
    import pyarrow as pa

    tables = []
    for element in document(html).xpath("//table"):
        rows = table_rows(element)
        if not rows:
            continue
        width = max(map(len, rows))
        header, seen = [], {}
        for index, name in enumerate(rows[0] + [""] * (width - len(rows[0]))):
            name = name or f"column_{index + 1}"
            seen[name] = seen.get(name, 0) + 1
            header.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
        body = [row + [""] * (width - len(row)) for row in rows[1:]]
        tables.append(pa.table({name: [row[i] for row in body] for i, name in enumerate(header)}))
    return tables


async def links_of(ctx: Context, url: str, *, starting: bool = False) -> list[str]:
    """The links of one page; none (with a warning) for an error status or a page that is not HTML. The starting
    page must be read: without it the crawl found nothing, which an empty set with a Success would hide."""
    try:
        async with send(ctx, HttpRequest(url=url), stream=True) as response:  # a linked file is skipped unread
            kind = response.headers.get("content-type", "no content type")
            if response.status_code >= 400 or "html" not in kind:
                why = f"status {response.status_code}, {kind}{'' if 'html' in kind else ' (not HTML)'}"
                if starting:
                    raise ValueError(f"cannot read the starting page {url}: {why}")
                ctx.warn(f"skipped {url}: {why}")
                return []
            await response.aread()
            return page_links(response.text, str(response.url))
    except ConnectionError as exc:
        if starting:
            raise ConnectionError(f"cannot read the starting page {url}: {exc}") from None
        ctx.warn(f"skipped {url}: {exc}")
        return []


@node(friendly_name="Extract Links", exec_pins=True, capabilities=["network"])
async def web_scrape_extract_links(ctx: Context, starting_page: Annotated[str, Pin(required=True)] = "",
                                   same_domain: bool = False,
                                   offset_ms: Annotated[int, Pin(description="Pause between page requests")] = 1000,
                                   depth: Annotated[int, Pin(description="1: the starting page's links; 2: also "
                                                                         "the links of those pages...")] = 1
                                   ) -> Annotated[set[str], Pin(name="links")]:
    """Crawls from a page, breadth first, collecting every link found up to `depth` pages deep (HTML pages
    only are read; same_domain keeps to the starting page's host). A linked page that cannot be read is skipped
    with a warning; a starting page that cannot be read fails the node."""
    host = urlparse(starting_page).netloc
    links: set[str] = set()
    frontier, visited = [urldefrag(starting_page)[0]], set()
    for level in range(max(1, depth)):
        next_frontier = []
        for url in frontier:
            if url in visited:
                continue
            if visited:
                await ctx.sleep(max(0, offset_ms) / 1000)
            found = await links_of(ctx, url, starting=not visited)
            visited.add(url)
            for link in found:
                if same_domain and urlparse(link).netloc != host:
                    continue
                links.add(link)
                next_frontier.append(link)
        ctx.progress(level + 1, max(1, depth), f"{len(links)} links")
        frontier = next_frontier
    return links
