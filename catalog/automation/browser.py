"""A browser in an automation session: Playwright driving Chromium (Debian's, or any on the PATH), or a running
Chrome reached through its DevTools endpoint, in place of Flow-Like's WebDriver.

Open Browser attaches a `LiveBrowser` to the session: one browser context (its own cookies and storage) with its
pages by reference, and what the context reports as it happens (console messages, network requests, downloads).
The session struct names the page the nodes act on (`current_page_ref`); New Page hands on a session naming the
new one. Everything closes with the session, at the latest when the run ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from flowlike_catalog.automation.session import AutomationSession, SessionIn, SessionOut, live_session
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Dialog, Download, Locator, Page, Playwright, Request
    from playwright.async_api import ConsoleMessage as PlaywrightConsole

CATEGORY = "Automation/Browser"
CAPABILITIES = ("processes", "network", "files")  # starts a browser, which keeps its profile and downloads in files
PART = "browser"
BROWSER_TYPES = ("Chrome", "Edge", "Firefox", "Safari")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ("--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync")
T = TypeVar("T")
Selector = Annotated[str, Pin(description="A CSS selector (or Playwright's text=, xpath=); the first match is used")]


class ConsoleMessage(BaseModel):
    """One console message of the browser (as Flow-Like's): level log, info, warn, error or debug."""

    level: str
    text: str
    timestamp: int
    """Milliseconds since the Unix epoch."""
    source: str | None = None
    line_number: int | None = None


class NetworkRequest(BaseModel):
    """One request the network observer saw (Flow-Like's NetworkRequest); headers are JSON objects as text."""

    url: str
    method: str
    status: int | None = None
    status_text: str | None = None
    request_headers: str | None = None
    response_headers: str | None = None
    duration_ms: int | None = None
    size_bytes: int | None = None
    resource_type: str | None = None


class BrowserDialog(BaseModel):
    """A JavaScript dialog a page opened (alert, confirm, prompt or beforeunload) and how it was answered."""

    type: str
    message: str
    default_value: str
    """What a prompt shows filled in (empty for the others)."""
    accepted: bool
    prompt_text: str | None = None
    """What an accepted prompt returned to the page."""
    url: str
    timestamp: int
    """Milliseconds since the Unix epoch."""


@dataclass
class LiveBrowser:
    """A Playwright browser context of a session and what it reported."""

    playwright: Playwright
    browser: Browser
    context: BrowserContext
    pages: dict[str, Page] = field(default_factory=dict)
    console: list[ConsoleMessage] = field(default_factory=list)
    observed: dict[Request, NetworkRequest] | None = None
    """The requests seen since Start Network Observer (None before), in order."""
    url_pattern: str = ""
    in_flight: set[Request] = field(default_factory=set)
    quiet_since: float = field(default_factory=time.monotonic)
    """When the last request in flight ended (`time.monotonic()`)."""
    download_dir: Path | None = None
    unsaved: list[Download] = field(default_factory=list)
    """Downloads that arrived while no download folder was set: Wait For Download saves them where it looks."""
    saved: list[Path] = field(default_factory=list)
    reserved: set[Path] = field(default_factory=set)
    """The names of downloads being written."""
    claimed: set[Path] = field(default_factory=set)
    download_errors: list[str] = field(default_factory=list)
    dialogs: list[BrowserDialog] = field(default_factory=list)
    accept_dialogs: bool = False
    """How dialogs are answered (Handle Dialogs): dismissed by default, as Playwright does (beforeunload accepted)."""
    prompt_text: str = ""
    """What an accepted prompt returns; empty: its default value."""
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def watch(self) -> None:
        """Listen to what the context reports; every page it opens is watched for downloads."""
        self.context.on("console", self._console)
        self.context.on("weberror", lambda error: self.console.append(ConsoleMessage(
            level="error", text=str(error.error), timestamp=int(time.time() * 1000))))
        self.context.on("request", self._request)
        self.context.on("requestfinished", self._request_ended)
        self.context.on("requestfailed", self._request_ended)
        self.context.on("page", lambda page: page.on("download", self._download))
        self.context.on("dialog", lambda dialog: self.track(self._answer(dialog)))

    def add_page(self, page: Page) -> str:
        ref = uuid.uuid4().hex
        self.pages[ref] = page
        return ref

    def track(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run `work` beside the nodes; `settled()` waits for it."""
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def settled(self) -> None:
        """Wait for the event work under way (request details, downloads being saved)."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    def _console(self, message: PlaywrightConsole) -> None:
        location = message.location or {}
        level = {"warning": "warn"}.get(message.type, message.type)
        self.console.append(ConsoleMessage(level=level, text=message.text, timestamp=int(message.timestamp),
                                         source=location.get("url") or None,
                                         line_number=location.get("lineNumber")))

    def _request(self, request: Request) -> None:
        self.in_flight.add(request)
        if self.observed is not None and self.url_pattern in request.url:
            self.observed[request] = NetworkRequest(url=request.url, method=request.method,
                                                    resource_type=request.resource_type,
                                                    request_headers=json.dumps(request.headers))

    def _request_ended(self, request: Request) -> None:
        self.in_flight.discard(request)
        self.quiet_since = time.monotonic()
        entry = (self.observed or {}).get(request)
        if entry is not None:
            self.track(_finish(request, entry))

    async def _answer(self, dialog: Dialog) -> None:
        """Answer a dialog as the session says (the page waits until it is) and keep what it asked."""
        from playwright.async_api import Error

        accept = self.accept_dialogs or dialog.type == "beforeunload"  # as Playwright: dismissed, it keeps the page
        text = (self.prompt_text or dialog.default_value) if accept and dialog.type == "prompt" else None
        self.dialogs.append(BrowserDialog(type=dialog.type, message=dialog.message, default_value=dialog.default_value,
                                          accepted=accept, prompt_text=text, url=dialog.page.url if dialog.page else "",
                                          timestamp=int(time.time() * 1000)))
        with contextlib.suppress(Error):  # its page closed meanwhile
            await (dialog.accept(text) if accept else dialog.dismiss())

    def _download(self, download: Download) -> None:
        if self.download_dir is None:
            self.unsaved.append(download)
        else:
            self.track(self.save(download, self.download_dir))

    async def save(self, download: Download, folder: Path) -> Path | None:
        """Save a download into `folder` under a name no file there has (as Chrome does: `name (1).ext`); the file
        appears whole (written under a temporary name first). None, with the reason kept, when it failed."""
        from playwright.async_api import Error

        target = free_name(folder, download.suggested_filename, self.reserved)
        self.reserved.add(target)
        partial = target.with_name(target.name + ".part")
        try:
            await download.save_as(partial)
            os.replace(partial, target)
        except (Error, OSError) as exc:
            self.download_errors.append(f"download of {download.url} failed: {first_line(exc)}")
            return None
        finally:
            self.reserved.discard(target)
        self.saved.append(target)
        return target

    async def close(self) -> None:
        """Close the context and the browser (a browser reached through its endpoint is only disconnected)."""
        try:
            with contextlib.suppress(Exception):  # closed already, or the browser went away: nothing left to close
                await self.context.close()
            await self.settled()  # downloads being saved end with the context
            with contextlib.suppress(Exception):
                await self.browser.close()
        finally:
            await self.playwright.stop()


async def _finish(request: Request, entry: NetworkRequest) -> None:
    """Complete an observed request's entry once it ended: status, response headers, time and size."""
    from playwright.async_api import Error

    response = request.existing_response
    if response is not None:
        entry.status, entry.status_text = response.status, response.status_text
        entry.response_headers = json.dumps(response.headers)
    elif request.failure:
        entry.status_text = request.failure
    timing = request.timing
    if timing.get("responseEnd", -1) >= 0:
        entry.duration_ms = round(timing["responseEnd"])
    with contextlib.suppress(Error):  # the page navigated away: sizes are no longer known
        sizes = await request.sizes()
        entry.size_bytes = sizes["responseBodySize"] + sizes["responseHeadersSize"]


def free_name(folder: Path, name: str, reserved: set[Path]) -> Path:
    """`folder/name`, or `name (1).ext`, `name (2).ext`... when taken (or `reserved` for a download under way)."""
    candidate, stem, suffix, n = folder / name, Path(name).stem, Path(name).suffix, 1
    while candidate.exists() or candidate in reserved:
        candidate, n = folder / f"{stem} ({n}){suffix}", n + 1
    return candidate


def chromium_executable() -> str | None:
    """`FLOWLIKE_CHROMIUM`, else a Chromium or Chrome on the PATH; None leaves it to Playwright's own download."""
    return os.environ.get("FLOWLIKE_CHROMIUM") or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)


async def launch(playwright: Playwright, browser_type: str, headless: bool, endpoint: str) -> Browser:
    """The browser to drive: the one at a DevTools `endpoint`, else a new one of `browser_type`."""
    from playwright.async_api import Error

    if browser_type not in BROWSER_TYPES:
        raise ValueError(f"browser type must be one of {', '.join(BROWSER_TYPES)}, got {browser_type!r}")
    try:
        if endpoint:
            if browser_type not in ("Chrome", "Edge"):
                raise ValueError(f"a DevTools endpoint reaches Chrome or Edge, not {browser_type}")
            return await playwright.chromium.connect_over_cdp(endpoint)
        if browser_type == "Firefox":
            return await playwright.firefox.launch(headless=headless)
        if browser_type == "Safari":
            return await playwright.webkit.launch(headless=headless)
        args = [*CHROMIUM_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]  # Chromium's sandbox refuses root
        if browser_type == "Edge":
            return await playwright.chromium.launch(channel="msedge", headless=headless, args=args)
        return await playwright.chromium.launch(executable_path=chromium_executable(), headless=headless, args=args)
    except Error as exc:
        if endpoint:
            raise RuntimeError(f"cannot reach a Chrome DevTools endpoint at {endpoint}: {first_line(exc)} (a WebDriver "
                               f"server is not spoken; an empty URL launches Chromium here)") from None
        raise RuntimeError(f"cannot start {browser_type} here: {first_line(exc)}") from None


async def start_playwright() -> Playwright:
    """Playwright's driver process, started whole: a start cut short by a cancelled run would leave it running, so
    it finishes and is stopped again before the cancel goes on."""
    try:
        from playwright.async_api import async_playwright
    except ImportError as exc:
        raise ImportError("Playwright is not installed: pip install 'flowlike-nb[automation]'", name=exc.name) from None

    starting = asyncio.ensure_future(async_playwright().start())
    try:
        return await asyncio.shield(starting)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):  # it failed to start: nothing to stop
            await (await starting).stop()
        raise


def browser_of(ctx: Context, session: AutomationSession) -> LiveBrowser:
    """The session's open browser, with a clear error when it has none."""
    found = live_session(ctx, session).parts.get(PART)
    if not isinstance(found, LiveBrowser):
        raise LookupError("no browser open in this automation session: put Open Browser before")
    return found


def page_of(ctx: Context, session: AutomationSession, doing: str = "") -> Page:
    """The page the session names (logged as `doing` in debug mode), with a clear error when it is closed."""
    live = browser_of(ctx, session)
    if session.current_page_ref is None:
        raise LookupError("this session names no page: use the session Open Browser or New Page hands on")
    page = live.pages.get(session.current_page_ref)
    if page is None or page.is_closed():
        raise LookupError(f"the session's page {session.current_page_ref!r} is closed: use a session from New Page "
                          f"or from a node before Close Page")
    if doing and session.debug_mode:
        ctx.info(f"browser: {doing} on {page.url}")
    return page


def element(page: Page, selector: str) -> Locator:
    """The first element a CSS (or Playwright) selector finds; actions on it wait for it to appear."""
    if not selector.strip():
        raise ValueError("the selector is empty: give a CSS selector such as '#submit' or 'form button'")
    return page.locator(selector).first


async def acting(work: Awaitable[T], what: str, expected: type[Exception] | None = None) -> T:
    """Await a Playwright call; its error becomes a short one that says what was being done (an `expected` one,
    such as a timeout the node answers itself, is raised as it is)."""
    from playwright.async_api import Error

    try:
        return await work
    except Error as exc:
        if expected is not None and isinstance(exc, expected):
            raise
        raise RuntimeError(f"{what} failed: {first_line(exc)}") from None


async def on_element(page: Page, selector: str, act: Callable[[Locator], Awaitable[T]], what: str) -> T:
    """`act` on the first element the selector finds, once it is there and ready; when the wait runs out, the error
    says whether nothing on the page matched or the element was not ready, and which timeout gives more time."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        return await acting(act(element(page, selector)), what, PlaywrightTimeout)
    except PlaywrightTimeout as exc:
        waited = re.search(r"Timeout (\d+)ms", str(exc))
        after = f"{int(waited[1]) / 1000:g} s" if waited else "the time allowed"
        if not await acting(page.locator(selector).count(), f"looking for {selector!r}"):
            raise RuntimeError(f"{what} failed: nothing on {page.url} matches {selector!r} (waited {after}: Open "
                               f"Browser's Timeout)") from None
        raise RuntimeError(f"{what} failed: {selector!r} is on the page but was not ready to act on (hidden, "
                           f"disabled or covered) after {after} (Open Browser's Timeout)") from None


def first_line(exc: Exception) -> str:
    """The first line of a Playwright error, without the name of the Playwright call (`Locator.click: `)."""
    return re.sub(r"^\w+\.\w+: ", "", str(getattr(exc, "message", exc)).strip().splitlines()[0])


@node(friendly_name="Open Browser", exec_pins=True)
async def browser_open(
    ctx: Context, session: SessionIn,
    webdriver_url: Annotated[str, Pin("DevTools URL", description=(
        "A running Chrome's DevTools endpoint (http://host:9222 or ws://...) to drive; empty launches one here. "
        "Flow-Like's WebDriver servers are not spoken"))] = "",
    browser_type: Annotated[str, Pin(valid_values=BROWSER_TYPES, description=(
        "Chrome is Chromium on this machine; Edge, Firefox and Safari (WebKit) need Playwright's browsers"))
    ] = "Chrome",
    headless: Annotated[bool, Pin(description="Without a window (a window needs a display)")] = True,
    viewport_width: Annotated[int, Pin(range=(1, 16384))] = 1920,
    viewport_height: Annotated[int, Pin(range=(1, 16384))] = 1080,
    user_agent: Annotated[str, Pin(description="Empty: the browser's own")] = "",
    page_load_timeout: Annotated[int, Pin("Timeout (s)", description=(
        "How long a page load, or a wait for an element to act on, may take"))] = 30,
) -> SessionOut:
    """Opens a browser with one page in the session (closed with the session)."""
    if viewport_width < 1 or viewport_height < 1 or page_load_timeout < 1:
        raise ValueError(f"viewport and timeout must be positive, got {viewport_width}x{viewport_height} and "
                         f"{page_load_timeout} s")
    held = live_session(ctx, session)
    if PART in held.parts:
        raise RuntimeError("this session has a browser open already: close it first (Close Browser)")
    playwright = await start_playwright()
    try:
        browser = await launch(playwright, browser_type, headless, webdriver_url.strip())
        browser_context = await browser.new_context(
            viewport={"width": viewport_width, "height": viewport_height}, user_agent=user_agent or None,
            accept_downloads=True)
    except BaseException:
        await playwright.stop()
        raise
    live = LiveBrowser(playwright, browser, browser_context)
    held.parts[PART] = live
    browser_context.set_default_navigation_timeout(page_load_timeout * 1000)
    browser_context.set_default_timeout(page_load_timeout * 1000)
    live.watch()
    page = await browser_context.new_page()
    return session.model_copy(update={"browser_type": browser_type, "browser_headless": headless,
                                      "current_page_ref": live.add_page(page)})


@node(friendly_name="Close Browser", exec_pins=True)
async def browser_close(ctx: Context, session: SessionIn) -> None:
    """Closes the session's browser and all its pages; the session stays open for another browser."""
    found = live_session(ctx, session).parts.pop(PART, None)
    if found is not None:
        await found.close()


@node(friendly_name="New Page", exec_pins=True)
async def browser_new_page(ctx: Context, session: SessionIn) -> SessionOut:
    """Opens a new page (tab); the session it hands on acts on that page."""
    live = browser_of(ctx, session)
    page = await live.context.new_page()
    return session.model_copy(update={"current_page_ref": live.add_page(page)})


@node(friendly_name="Close Page", exec_pins=True)
async def browser_close_page(ctx: Context, session: SessionIn) -> None:
    """Closes the session's page (a session from before New Page still names its own page)."""
    live = browser_of(ctx, session)
    page = live.pages.pop(session.current_page_ref or "", None)
    if page is not None:
        await page.close()
