"""What a user does on a page: navigate, click, hover, type, press keys, pick options, and wait.

Each node acts on the page its session names. Actions wait (up to Open Browser's timeout) for their element to be
there and ready, as Playwright does, instead of failing at once as a WebDriver lookup would.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from flowlike_catalog.automation.browser import Selector, acting, element, on_element, page_of
from flowlike_catalog.automation.session import SessionIn, SessionOut

from flowlike_core import Context, Pin, node

CATEGORY = "Automation/Browser"
CAPABILITIES = ("network", "files")  # drives the session's browser (its profile, downloads and screenshots are files)
NAVIGATION = "Automation/Browser/Navigation"
INTERACT = "Automation/Browser/Interact"
INPUT = "Automation/Browser/Input"
WAIT = "Automation/Browser/Wait"
HISTORY_WAIT = "commit"
"""Back and Forward return once the other page is there: one from the back-forward cache sends no load event (and
waiting for one would never end); actions after them wait for their elements anyway."""
CARET_TO_END = """e => {
  e.focus();
  try { e.setSelectionRange(e.value.length, e.value.length); } catch (_) { /* no caret: a number, a contenteditable */ }
}"""


class Navigated(NamedTuple):
    session_out: SessionOut
    final_url: Annotated[str, Pin(description="Where the page ended up, after redirects")]


@node(friendly_name="Go To URL", category=NAVIGATION, exec_pins=True)
async def browser_goto(ctx: Context, session: SessionIn, url: str = "") -> Navigated:
    """Loads a URL in the page and waits for it to load."""
    if not url.strip():
        raise ValueError("the URL is empty: give an absolute URL such as https://example.org/")
    page = page_of(ctx, session, f"go to {url}")
    await acting(page.goto(url), f"loading {url}")
    return Navigated(session, page.url)


@node(friendly_name="Go Back", category=NAVIGATION, exec_pins=True)
async def browser_back(ctx: Context, session: SessionIn) -> SessionOut:
    """Goes one page back in the page's history (nothing happens at its start)."""
    page = page_of(ctx, session, "go back")
    await acting(page.go_back(wait_until=HISTORY_WAIT), "going back")
    return session


@node(friendly_name="Go Forward", category=NAVIGATION, exec_pins=True)
async def browser_forward(ctx: Context, session: SessionIn) -> SessionOut:
    """Goes one page forward in the page's history (nothing happens at its end)."""
    page = page_of(ctx, session, "go forward")
    await acting(page.go_forward(wait_until=HISTORY_WAIT), "going forward")
    return session


@node(friendly_name="Reload", category=NAVIGATION, exec_pins=True)
async def browser_reload(ctx: Context, session: SessionIn) -> SessionOut:
    """Reloads the page and waits for it to load."""
    page = page_of(ctx, session, "reload")
    await acting(page.reload(), "reloading")
    return session


@node(friendly_name="Click Element", category=INTERACT, exec_pins=True)
async def browser_click(ctx: Context, session: SessionIn, selector: Selector = "") -> SessionOut:
    """Clicks the element (once it is visible, still and enabled)."""
    page = page_of(ctx, session, f"click {selector}")
    await on_element(page, selector, lambda found: found.click(), f"clicking {selector!r}")
    return session


@node(friendly_name="Double Click Element", category=INTERACT, exec_pins=True)
async def browser_double_click(ctx: Context, session: SessionIn, selector: Selector = "") -> SessionOut:
    """Double-clicks the element."""
    page = page_of(ctx, session, f"double-click {selector}")
    await on_element(page, selector, lambda found: found.dblclick(), f"double-clicking {selector!r}")
    return session


@node(friendly_name="Hover Element", category=INTERACT, exec_pins=True)
async def browser_hover(ctx: Context, session: SessionIn, selector: Selector = "") -> SessionOut:
    """Moves the mouse over the element's centre."""
    page = page_of(ctx, session, f"hover {selector}")
    await on_element(page, selector, lambda found: found.hover(), f"hovering {selector!r}")
    return session


@node(friendly_name="Scroll Into View", category=INTERACT, exec_pins=True)
async def browser_scroll_into_view(ctx: Context, session: SessionIn, selector: Selector = "") -> SessionOut:
    """Scrolls the page until the element is visible."""
    page = page_of(ctx, session, f"scroll to {selector}")
    await on_element(page, selector, lambda found: found.scroll_into_view_if_needed(),
                     f"scrolling to {selector!r}")
    return session


@node(friendly_name="Type Text", category=INPUT, exec_pins=True)
async def browser_type_text(ctx: Context, session: SessionIn, selector: Selector = "", text: str = "",
                            clear_first: Annotated[bool, Pin(description="Empty the field before typing")] = True,
                            ) -> SessionOut:
    """Types text into a field key by key (the page sees each key, as from a keyboard), after what it holds."""
    page = page_of(ctx, session, f"type into {selector}")
    if clear_first:
        await on_element(page, selector, lambda field: field.clear(), f"clearing {selector!r}")
    else:
        await on_element(page, selector, lambda field: field.evaluate(CARET_TO_END), f"focusing {selector!r}")
    await on_element(page, selector, lambda field: field.press_sequentially(text), f"typing into {selector!r}")
    return session


@node(friendly_name="Press Key", category=INPUT, exec_pins=True)
async def browser_press_key(
    ctx: Context, session: SessionIn,
    selector: Annotated[str, Pin(description="The element to press it on; empty: the focused one")] = "",
    key: Annotated[str, Pin(description="Enter, Tab, Escape, Backspace, ArrowDown, PageUp, a letter, or a "
                                        "combination such as Control+A")] = "Enter",
) -> SessionOut:
    """Presses a key (or a combination) on an element or on whatever has the focus."""
    if not key.strip():
        raise ValueError("the key is empty: give a key name such as Enter")
    page = page_of(ctx, session, f"press {key}")
    if selector.strip():
        await on_element(page, selector, lambda found: found.press(key), f"pressing {key!r} on {selector!r}")
    else:
        await acting(page.keyboard.press(key), f"pressing {key!r}")
    return session


@node(friendly_name="Select Option", category=INPUT, exec_pins=True)
async def browser_select_option(ctx: Context, session: SessionIn, selector: Selector = "",
                                value: Annotated[str, Pin(description="The option's value attribute")] = "",
                                ) -> SessionOut:
    """Selects the option with this value in a <select> element."""
    page = page_of(ctx, session, f"select {value!r} in {selector}")
    await on_element(page, selector, lambda found: found.select_option(value=value),
                     f"selecting {value!r} in {selector!r}")
    return session


@node(friendly_name="Wait Delay", category=WAIT, exec_pins=True)
async def browser_wait_delay(ctx: Context, session: SessionIn,
                             delay_ms: Annotated[int, Pin("Delay (ms)")] = 1000) -> SessionOut:
    """Waits a fixed time (cancelling the run ends the wait)."""
    if delay_ms < 0:
        raise ValueError(f"the delay must not be negative, got {delay_ms} ms")
    await ctx.sleep(delay_ms / 1000)
    return session


class Found(NamedTuple):
    session_out: SessionOut
    found: Annotated[bool, Pin(description="False when the time ran out first")]


@node(friendly_name="Wait For Selector", category=WAIT, exec_pins=True)
async def browser_wait_for(ctx: Context, session: SessionIn, selector: Selector = "",
                           timeout_ms: Annotated[int, Pin("Timeout (ms)")] = 30000) -> Found:
    """Waits until an element matching the selector is in the page."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    page = page_of(ctx, session, f"wait for {selector}")
    try:
        await acting(element(page, selector).wait_for(state="attached", timeout=max(timeout_ms, 1)),
                     f"waiting for {selector!r}", PlaywrightTimeout)
    except PlaywrightTimeout:
        return Found(session, False)
    return Found(session, True)
