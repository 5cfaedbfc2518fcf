"""Following a hosted service's pages: one loop for every listing node, whatever the service pages by (a page
token, a cursor, a next link, an offset), up to the node's limit.

A service's listing gives `page(cursor, wanted)`: the page at `cursor` (None for the first), asking the service
for at most `wanted` items (0: as many as it gives), as that page's items and the cursor of the next page (empty
on the last). Asking for just what is still wanted keeps the cursor after the last page exact, so a node with a
page-token input can hand it on as its next page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from flowlike_catalog.web.http import ServiceFailure

from flowlike_core import Context

MAX_PAGES = 1000
"""A listing that still has a next page after this many is cut short with an error (a server that loops): with
the services' page sizes (100 to 1000 items), that is 100,000 items or more."""

Page = Callable[[Any, int], Awaitable[tuple[list[Any], Any]]]


async def collect(ctx: Context, page: Page, limit: int = 0, *, what: str, start: Any = None) -> tuple[list[Any], Any]:
    """The items of a listing, page by page from `start` (None: the first page), until `limit` items (0: all) or
    the last page; and the cursor after the last page read (empty when the listing is done). `what` names the
    listing in the error of one that does not end."""
    if limit < 0:
        raise ValueError(f"the limit of {what} must be 0 (all) or more, got {limit}")
    items: list[Any] = []
    cursor = start
    for _ in range(MAX_PAGES):
        batch, cursor = await page(cursor, limit - len(items) if limit else 0)
        items.extend(batch)
        if not cursor or (limit and len(items) >= limit):
            return (items[:limit] if limit else items), cursor or ""
        ctx.check_cancelled()
    raise ServiceFailure(f"{what} still had more pages after {MAX_PAGES}")
