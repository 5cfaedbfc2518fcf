"""HTML to Markdown (markdownify): headings, lists, links, tables and code survive; scripts and styles go."""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.std.extra import extra

from flowlike_core import Pin, node

CATEGORY = "Utils/Markdown"


@node(friendly_name="HTML to Markdown", exec_pins=True)
def utils_md_html_to_md(html: Annotated[str, Pin("HTML")] = "",
                        skipped_tags: Annotated[list[str], Pin(description="Tags dropped with their content")] = (
                            "script", "style", "iframe")) -> Annotated[str, Pin(name="markdown")]:
    """Converts HTML to Markdown (ATX # headings, - bullets), dropping the skipped tags with their content."""
    soup = extra("bs4").BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(list(skipped_tags)):
        tag.decompose()
    converter = extra("markdownify").MarkdownConverter(heading_style="ATX", bullets="-")
    return converter.convert_soup(soup).strip()
