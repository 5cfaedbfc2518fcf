"""What a browser remembers for sites: cookies (saved to and loaded from a file, to carry a login from one run to
the next), basic-auth credentials, and the page's local and session storage."""

from __future__ import annotations

import json
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.automation.browser import acting, browser_of, page_of
from flowlike_catalog.automation.session import (
    AutomationSession,
    SessionIn,
    SessionOut,
    routed,
    session_in,
    session_out,
)
from flowlike_catalog.data.files import read, write
from flowlike_catalog.data.handles import FlowPath
from pydantic import BaseModel, ValidationError

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node
from flowlike_core.policy import Capability

CATEGORY = "Automation/Browser/Auth"
CAPABILITIES = ("network", "files")  # drives the session's browser (its profile, downloads and screenshots are files)
STORAGE = "Automation/Browser/Storage"
SAME_SITE = ("Strict", "Lax", "None")


class CookieData(BaseModel):
    """One cookie as a cookie file holds it (Flow-Like's format): `expiry` in seconds since the epoch."""

    name: str
    value: str
    domain: str | None = None
    path: str | None = None
    secure: bool | None = None
    http_only: bool | None = None
    same_site: str | None = None
    expiry: int | None = None


class CookieCount(NamedTuple):
    session_out: SessionOut
    cookie_count: int


@node(friendly_name="Save Cookies", exec_pins=True, capabilities=("network", "files"))
async def browser_save_cookies(ctx: Context, session: SessionIn,
                               file_path: Annotated[FlowPath, Pin(description="The JSON file to write")]
                               ) -> CookieCount:
    """Writes all the browser's cookies to a JSON file (Load Cookies brings them back, in this or a later run)."""
    cookies = await acting(browser_of(ctx, session).context.cookies(), "reading the cookies")
    saved = [CookieData(name=c["name"], value=c["value"], domain=c.get("domain"), path=c.get("path"),
                        secure=c.get("secure"), http_only=c.get("httpOnly"), same_site=c.get("sameSite"),
                        expiry=int(c["expires"]) if c.get("expires", -1) >= 0 else None) for c in cookies]
    write(ctx, file_path, json.dumps([c.model_dump() for c in saved], indent=2).encode())
    return CookieCount(session, len(saved))


def playwright_cookie(cookie: CookieData, url: str) -> dict[str, Any]:
    """A cookie as Playwright adds it: for its domain and path, or (without a domain) for the page's URL."""
    found: dict[str, Any] = {"name": cookie.name, "value": cookie.value}
    if cookie.domain:
        found |= {"domain": cookie.domain, "path": cookie.path or "/"}
    elif url.startswith(("http://", "https://")):
        found["url"] = url
    else:
        raise ValueError(f"cookie {cookie.name!r} names no domain, and the page ({url}) has none to give it")
    if cookie.secure is not None:
        found["secure"] = cookie.secure
    if cookie.http_only is not None:
        found["httpOnly"] = cookie.http_only
    if cookie.same_site:
        if cookie.same_site not in SAME_SITE:
            raise ValueError(f"cookie {cookie.name!r}: same_site must be one of {', '.join(SAME_SITE)}, "
                             f"got {cookie.same_site!r}")
        found["sameSite"] = cookie.same_site
    if cookie.expiry is not None:
        found["expires"] = cookie.expiry
    return found


class LoadCookies(NodeType):
    name = "browser_load_cookies"
    friendly_name = "Load Cookies"
    description = ("Adds the cookies of a JSON file (from Save Cookies) to the browser. Error fires when the file "
                   "is missing or not a cookie file.")
    capabilities = frozenset({Capability.NETWORK, Capability.FILES})
    pins = (exec_in(), session_in(),
            data_in("file_path", DataType.STRUCT, schema=FlowPath.model_json_schema(), required=True,
                    description="The JSON file Save Cookies wrote"),
            exec_out(), exec_out("exec_error", "Error", "The file is missing or not a cookie file"), session_out(),
            data_out("cookie_count", DataType.INTEGER))

    async def run(self, ctx: Context, *, session: AutomationSession, file_path: FlowPath) -> None:
        ctx.set_output("session_out", session)
        ctx.set_output("cookie_count", 0)
        live, page = browser_of(ctx, session), page_of(ctx, session, "load cookies")
        try:
            cookies = [CookieData.model_validate(c) for c in json.loads(read(ctx, file_path))]
        except (OSError, ValueError, TypeError, ValidationError) as exc:
            routed(ctx, "exec_error", ValueError(f"cannot load cookies from {file_path.path}: {exc}"))
            return
        await acting(live.context.add_cookies([playwright_cookie(c, page.url) for c in cookies]), "adding cookies")
        ctx.set_output("cookie_count", len(cookies))
        ctx.activate("exec_out")


@node(friendly_name="Clear Cookies", exec_pins=True)
async def browser_clear_cookies(ctx: Context, session: SessionIn) -> SessionOut:
    """Deletes all the browser's cookies."""
    await acting(browser_of(ctx, session).context.clear_cookies(), "clearing the cookies")
    return session


@node(friendly_name="Set Basic Auth", exec_pins=True)
async def browser_set_basic_auth(ctx: Context, session: SessionIn, username: str = "",
                                 password: Annotated[str, Pin(sensitive=True)] = "") -> SessionOut:
    """Sends HTTP basic-auth credentials with every request the browser makes from now on (use it for sites you
    trust); an empty username stops sending them."""
    import base64

    live = browser_of(ctx, session)
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    headers = {"Authorization": f"Basic {token}"} if username else {}
    await acting(live.context.set_extra_http_headers(headers), "setting the credentials")
    return session


class StoredValue(NamedTuple):
    session_out: SessionOut
    value: Annotated[str, Pin(description="Empty when the key is not there")]
    exists: bool


StorageKind = Annotated[str, Pin(valid_values=("local", "session"))]


async def stored(ctx: Context, session: AutomationSession, area: str, key: str) -> StoredValue:
    page = page_of(ctx, session, f"read {area} {key!r}")
    value = await acting(page.evaluate(f"k => {area}.getItem(k)", key), f"reading {key!r} from {area}")
    return StoredValue(session, value or "", value is not None)


async def store(ctx: Context, session: AutomationSession, area: str, key: str, value: str) -> AutomationSession:
    if not key:
        raise ValueError(f"the {area} key is empty")
    page = page_of(ctx, session, f"write {area} {key!r}")
    await acting(page.evaluate(f"([k, v]) => {area}.setItem(k, v)", [key, value]), f"writing {key!r} to {area}")
    return session


@node(friendly_name="Get Local Storage", category=STORAGE, exec_pins=True)
async def browser_get_local_storage(ctx: Context, session: SessionIn, key: str = "") -> StoredValue:
    """A value of the page's local storage (kept by the browser for the site)."""
    return await stored(ctx, session, "localStorage", key)


@node(friendly_name="Set Local Storage", category=STORAGE, exec_pins=True)
async def browser_set_local_storage(ctx: Context, session: SessionIn, key: str = "", value: str = "") -> SessionOut:
    """Stores a value in the page's local storage."""
    return await store(ctx, session, "localStorage", key, value)


@node(friendly_name="Get Session Storage", category=STORAGE, exec_pins=True)
async def browser_get_session_storage(ctx: Context, session: SessionIn, key: str = "") -> StoredValue:
    """A value of the page's session storage (kept while the page is open)."""
    return await stored(ctx, session, "sessionStorage", key)


@node(friendly_name="Set Session Storage", category=STORAGE, exec_pins=True)
async def browser_set_session_storage(ctx: Context, session: SessionIn, key: str = "", value: str = "") -> SessionOut:
    """Stores a value in the page's session storage."""
    return await store(ctx, session, "sessionStorage", key, value)


@node(friendly_name="Clear Storage", category=STORAGE, exec_pins=True)
async def browser_clear_storage(ctx: Context, session: SessionIn, clear_local: bool = True,
                                clear_session: bool = True) -> SessionOut:
    """Empties the page's local and/or session storage."""
    page = page_of(ctx, session, "clear storage")
    await acting(page.evaluate("([local, session]) => { if (local) localStorage.clear(); "
                               "if (session) sessionStorage.clear(); }", [clear_local, clear_session]),
                 "clearing storage")
    return session


class AllStored(NamedTuple):
    session_out: SessionOut
    data: Annotated[dict, Pin(description="Every key and its value")]
    count: int


@node(friendly_name="Get All Storage", category=STORAGE, exec_pins=True)
async def browser_get_all_storage(ctx: Context, session: SessionIn, storage_type: StorageKind = "local") -> AllStored:
    """Every key and value of the page's local or session storage."""
    if storage_type not in ("local", "session"):
        raise ValueError(f"storage type must be local or session, got {storage_type!r}")
    page = page_of(ctx, session, f"read all {storage_type} storage")
    data = await acting(page.evaluate(f"() => ({{...{storage_type}Storage}})"), f"reading {storage_type} storage")
    return AllStored(session, data, len(data))
