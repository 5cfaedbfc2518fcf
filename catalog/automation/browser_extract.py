"""What a page holds: text, HTML, attributes, a script's result, screenshots, and snapshots of the DOM, the
accessibility tree and single elements.

Screenshots come as base64 PNG text and as the media pack's image handle (Flow-Like's NodeImage), ready for the
image and vision nodes. The accessibility tree is the one Chromium computes for assistive technology (roles and
accessible names), read through the DevTools protocol.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

from flowlike_catalog.automation.browser import Selector, acting, browser_of, element, on_element, page_of
from flowlike_catalog.automation.session import AutomationSession, SessionIn, SessionOut, session_in, session_out
from flowlike_catalog.media.image import ImageRef, keep_image, open_image
from pydantic import BaseModel

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

if TYPE_CHECKING:
    from playwright.async_api import Page

CATEGORY = "Automation/Browser/Extract"
CAPABILITIES = ("network", "files")  # drives the session's browser (its profile, downloads and screenshots are files)
CAPTURE = "Automation/Browser/Capture"
SNAPSHOT = "Automation/Browser/Snapshot"


class Text(NamedTuple):
    session_out: SessionOut
    text: Annotated[str, Pin(description="The text as rendered (hidden parts left out)")]


@node(friendly_name="Get Text", exec_pins=True)
async def browser_get_text(ctx: Context, session: SessionIn, selector: Selector = "") -> Text:
    """The visible text of the element."""
    page = page_of(ctx, session, f"read the text of {selector}")
    return Text(session, await on_element(page, selector, lambda found: found.inner_text(),
                                         f"reading the text of {selector!r}"))


class Html(NamedTuple):
    session_out: SessionOut
    html: str


@node(friendly_name="Get HTML", exec_pins=True)
async def browser_get_html(
    ctx: Context, session: SessionIn,
    selector: Annotated[str, Pin(description="The element; empty: the whole page")] = "",
    outer_html: Annotated[bool, Pin("Outer HTML", description="Include the element's own tag")] = True,
) -> Html:
    """The HTML of an element (with or without its own tag), or of the whole page."""
    page = page_of(ctx, session, f"read the HTML of {selector or 'the page'}")
    if not selector.strip():
        return Html(session, await acting(page.content(), "reading the page's HTML"))
    html = await on_element(page, selector, lambda found: found.evaluate("e => e.outerHTML") if outer_html
                            else found.inner_html(), f"reading the HTML of {selector!r}")
    return Html(session, html)


class Attribute(NamedTuple):
    session_out: SessionOut
    value: Annotated[str, Pin(description="Empty when the element has no such attribute")]


@node(friendly_name="Get Attribute", exec_pins=True)
async def browser_get_attribute(ctx: Context, session: SessionIn, selector: Selector = "",
                                attribute: Annotated[str, Pin(description="href, value, data-id...")] = "",
                                ) -> Attribute:
    """An attribute of the element."""
    if not attribute.strip():
        raise ValueError("the attribute name is empty")
    page = page_of(ctx, session, f"read {attribute} of {selector}")
    value = await on_element(page, selector, lambda found: found.get_attribute(attribute),
                             f"reading {attribute!r} of {selector!r}")
    return Attribute(session, value or "")


class ScriptResult(NamedTuple):
    session_out: SessionOut
    result: Annotated[Any, Pin(description="What the script returned, as JSON values (null without a return)")]


@node(friendly_name="Execute JavaScript", exec_pins=True)
async def browser_execute_js(
    ctx: Context, session: SessionIn,
    script: Annotated[str, Pin(description="A function body, as in WebDriver: `return document.title;` "
                                           "(await may be used)")] = "",
) -> ScriptResult:
    """Runs JavaScript in the page and returns what it returns."""
    page = page_of(ctx, session, "run a script")
    return ScriptResult(session, await acting(page.evaluate(f"async () => {{\n{script}\n}}"), "the script"))


class Screenshot(NamedTuple):
    session_out: SessionOut
    screenshot: Annotated[str, Pin(description="The PNG, base64")]
    image: Annotated[ImageRef, Pin(description="The image, for the image and vision nodes")]


def screenshot(ctx: Context, session: AutomationSession, png: bytes) -> Screenshot:
    return Screenshot(session, base64.b64encode(png).decode(), keep_image(ctx, open_image(png, what="a screenshot")))


@node(friendly_name="Take Screenshot", category=CAPTURE, exec_pins=True)
async def browser_screenshot(
    ctx: Context, session: SessionIn,
    full_page: Annotated[bool, Pin(description="The whole scrollable page, not just the viewport")] = False,
) -> Screenshot:
    """A PNG of the page."""
    page = page_of(ctx, session, "take a screenshot")
    return screenshot(ctx, session, await acting(page.screenshot(full_page=full_page), "the screenshot"))


@node(friendly_name="Screenshot Element", category=CAPTURE, exec_pins=True)
async def browser_screenshot_element(ctx: Context, session: SessionIn, selector: Selector = "") -> Screenshot:
    """A PNG of one element (scrolled into view first)."""
    page = page_of(ctx, session, f"take a screenshot of {selector}")
    png = await on_element(page, selector, lambda found: found.screenshot(), f"the screenshot of {selector!r}")
    return screenshot(ctx, session, png)


class DomSnapshot(BaseModel):
    """The page as it is now (Flow-Like's DomSnapshot)."""

    html: str
    title: str
    url: str
    viewport_width: int
    viewport_height: int
    scroll_x: int
    scroll_y: int


DOM_SNAPSHOT = """includeStyles => {
  const root = document.documentElement.cloneNode(true);
  if (includeStyles) {
    const rules = [];
    for (const sheet of document.styleSheets) {
      try { for (const rule of sheet.cssRules) rules.push(rule.cssText); } catch (e) { /* another origin's */ }
    }
    root.querySelectorAll('link[rel~="stylesheet"], style').forEach(e => e.remove());
    const style = document.createElement('style');
    style.textContent = rules.join('\\n');
    (root.querySelector('head') || root).prepend(style);
  }
  return {html: root.outerHTML, title: document.title, url: location.href, viewport_width: innerWidth,
          viewport_height: innerHeight, scroll_x: Math.round(scrollX), scroll_y: Math.round(scrollY)};
}"""


class DomSnapshotOut(NamedTuple):
    session_out: SessionOut
    snapshot: DomSnapshot
    html: str
    title: str
    url: str


@node(friendly_name="Get DOM Snapshot", category=SNAPSHOT, exec_pins=True)
async def browser_get_dom_snapshot(
    ctx: Context, session: SessionIn,
    include_styles: Annotated[bool, Pin(description="Put the page's CSS rules into the HTML (in place of its "
                                                    "stylesheets), so that it renders on its own")] = False,
) -> DomSnapshotOut:
    """The page's current DOM as HTML, with its title, URL, viewport and scroll position."""
    page = page_of(ctx, session, "snapshot the DOM")
    snapshot = DomSnapshot.model_validate(await acting(page.evaluate(DOM_SNAPSHOT, include_styles), "the snapshot"))
    return DomSnapshotOut(session, snapshot, snapshot.html, snapshot.title, snapshot.url)


class AccessibilityTreeSnapshot(BaseModel):
    """A node of the accessibility tree (Flow-Like's AccessibilityTreeSnapshot): role, accessible name, value."""

    role: str
    name: str | None = None
    value: str | None = None
    description: str | None = None
    focused: bool = False
    children: list[AccessibilityTreeSnapshot] = []


class AccessibilityOut(NamedTuple):
    session_out: SessionOut
    tree: AccessibilityTreeSnapshot
    tree_json: Annotated[str, Pin(description="The tree as indented JSON")]


def ax_text(node: dict[str, Any], key: str) -> str | None:
    value = (node.get(key) or {}).get("value")
    return None if value in (None, "") else str(value)


def ax_tree(nodes: list[dict[str, Any]], max_depth: int, include_hidden: bool) -> AccessibilityTreeSnapshot:
    """The nested tree from DevTools' flat node list; nodes Chromium ignores (hidden, presentational) give their
    place to their children unless `include_hidden`; below `max_depth` levels (-1: all) the tree is cut."""
    by_id = {n["nodeId"]: n for n in nodes}

    def kept(node_id: str, depth: int) -> list[AccessibilityTreeSnapshot]:
        node = by_id.get(node_id)
        if node is None:
            return []
        if node.get("ignored") and not include_hidden:
            return [child for c in node.get("childIds", []) for child in kept(c, depth)]
        if max_depth != -1 and depth > max_depth:
            return []
        properties = {p["name"]: p.get("value", {}).get("value") for p in node.get("properties", [])}
        return [AccessibilityTreeSnapshot(
            role=ax_text(node, "role") or "none", name=ax_text(node, "name"), value=ax_text(node, "value"),
            description=ax_text(node, "description"), focused=bool(properties.get("focused")),
            children=[child for c in node.get("childIds", []) for child in kept(c, depth + 1)])]

    roots = [n for n in nodes if not n.get("parentId")]
    tree = kept(roots[0]["nodeId"], 0) if roots else []
    return tree[0] if len(tree) == 1 else AccessibilityTreeSnapshot(role="none", children=tree)


async def ax_nodes(ctx: Context, session: AutomationSession, page: Page) -> list[dict[str, Any]]:
    """Chromium's full accessibility tree of the page, as DevTools lists it."""
    cdp = await acting(browser_of(ctx, session).context.new_cdp_session(page),
                       "reaching DevTools (the accessibility tree needs Chrome or Edge)")
    try:
        return (await acting(cdp.send("Accessibility.getFullAXTree"), "reading the accessibility tree"))["nodes"]
    finally:
        await cdp.detach()


@node(friendly_name="Get Accessibility Snapshot", category=SNAPSHOT, exec_pins=True)
async def browser_get_accessibility_snapshot(
    ctx: Context, session: SessionIn,
    max_depth: Annotated[int, Pin(description="Levels below the page to keep (-1: all)")] = 10,
    include_hidden: Annotated[bool, Pin(description="Keep the nodes the browser leaves out of the tree "
                                                    "(hidden, presentational)")] = False,
) -> AccessibilityOut:
    """The page's accessibility tree: what a screen reader sees (roles, names, values, focus)."""
    if max_depth < -1:
        raise ValueError(f"max depth must be -1 (all) or more, got {max_depth}")
    page = page_of(ctx, session, "snapshot the accessibility tree")
    tree = ax_tree(await ax_nodes(ctx, session, page), max_depth, include_hidden)
    return AccessibilityOut(session, tree, json.dumps(tree.model_dump(), indent=2))


ELEMENT_FACTS = """e => {
  const r = e.getBoundingClientRect(), style = getComputedStyle(e);
  return {html: e.outerHTML, text: e.innerText ?? e.textContent ?? '', tag: e.tagName.toLowerCase(),
          x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height),
          visible: r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none'};
}"""


class GetElementSnapshot(NodeType):
    name = "browser_get_element_snapshot"
    friendly_name = "Get Element Snapshot"
    description = ("An element as it is now: HTML, text, tag, position and size in the viewport, whether it is "
                   "visible. Fires Not Found at once when no element matches.")
    category = SNAPSHOT
    pins = (exec_in(), session_in(), data_in("selector", DataType.STRING, default=""),
            exec_out(), exec_out("exec_not_found", "Not Found"), session_out(),
            data_out("html", DataType.STRING), data_out("text", DataType.STRING), data_out("tag", DataType.STRING),
            data_out("x", DataType.INTEGER), data_out("y", DataType.INTEGER), data_out("width", DataType.INTEGER),
            data_out("height", DataType.INTEGER), data_out("visible", DataType.BOOLEAN))

    async def run(self, ctx: Context, *, session: AutomationSession, selector: str) -> None:
        page = page_of(ctx, session, f"snapshot {selector}")
        ctx.set_output("session_out", session)
        found = element(page, selector)
        if not await acting(found.count(), f"looking for {selector!r}"):
            ctx.activate("exec_not_found")
            return
        for name, value in (await acting(found.evaluate(ELEMENT_FACTS), f"reading {selector!r}")).items():
            ctx.set_output(name, value)
        ctx.activate("exec_out")
