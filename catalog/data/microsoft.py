"""Microsoft Graph (Microsoft 365: OneDrive, Excel, Outlook, Teams, To Do, Planner, SharePoint, OneNote, Search,
Copilot) through the web pack's HTTP layer: the provider struct, the client and the node base every `microsoft_*`
module shares.

A provider struct holds Graph's base URL (a national cloud, or `/beta`) and an access token as a secret. The token
comes from your own sign-in (MSAL, `az account get-access-token`, an app's client-credentials flow): interactive
OAuth consent inside a board is out of scope here. Given the refresh token and the app's client id (and secret, for
a confidential app) too, a token Graph refuses (they last about an hour) is renewed at the Microsoft identity
platform's token endpoint and the call sent again (the web pack's HTTP layer). Nodes hand on Graph's documented
JSON objects as they come; Graph's error answer (`{"error": {"code", "message"}}`) fires Error with its code and
message (or fails the node when Error is not wired). Lists follow `@odata.nextLink` until they have all items, or
`top` of them (the web pack's paging: at most 1000 pages).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from flowlike_catalog.web.errors import ServiceNode
from flowlike_catalog.web.http import (
    HttpBody,
    HttpRequest,
    HttpResponse,
    TokenRefresh,
    as_provider,
    bearer,
    fetch,
    http_base_url,
    send,
    token_refresh,
)
from flowlike_catalog.web.paging import collect
from flowlike_catalog.web.service_pins import int_in
from pydantic import BaseModel, ConfigDict, SecretStr

from flowlike_core import Context, DataType, Pin, PinSpec, ValueType, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Data/Microsoft"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
GRAPH_URL = "https://graph.microsoft.com/v1.0"
TOKEN_URL = "https://login.microsoftonline.com/common/oauth2/v2.0/token"
GRAPH_SCOPE = "https://graph.microsoft.com/.default offline_access"


class MicrosoftGraphProvider(BaseModel):
    """Where and as whom to call Graph; the token never shows in dumps or logs."""

    model_config = ConfigDict(frozen=True)
    provider_id: str = "microsoft"
    base_url: str = GRAPH_URL
    access_token: SecretStr
    refresh: TokenRefresh | None = None


PROVIDER_SCHEMA = MicrosoftGraphProvider.model_json_schema()


class GraphError(RuntimeError):
    pass


@node(friendly_name="Microsoft Graph (Token)")
def data_microsoft_provider_token(
    token: Annotated[str, Pin("Access Token", sensitive=True, required=True,
                              description="A Microsoft Graph access token; feed it from a secret variable")] = "",
    base_url: Annotated[str, Pin("API Base URL")] = GRAPH_URL,
    refresh_token: Annotated[str, Pin(sensitive=True, description="Optional: the refresh token that came with the "
                                      "access token (scope offline_access); with client_id, a refused access token "
                                      "is renewed")] = "",
    client_id: Annotated[str, Pin(description="The app (client) id the tokens were issued to (for renewing)")] = "",
    client_secret: Annotated[str, Pin(sensitive=True, description="The app's secret; empty for a public client "
                                      "(for renewing)")] = "",
    token_url: Annotated[str, Pin(description="Where tokens are renewed: put your tenant id (or organizations, "
                                  "consumers) in place of common")] = TOKEN_URL,
    scope: Annotated[str, Pin(description="The scopes to renew the token for")] = GRAPH_SCOPE,
) -> Annotated[MicrosoftGraphProvider, Pin(name="provider")]:
    """Microsoft Graph access with an access token you obtained (delegated or app-only). Tokens last about an hour:
    with the refresh token and the app's client id, one Graph refuses is renewed."""
    if not token:
        raise ValueError("Microsoft Graph access token is empty (is the secret variable set?)")
    return MicrosoftGraphProvider(base_url=http_base_url(base_url), access_token=SecretStr(token),
                                  refresh=token_refresh(refresh_token, client_id, client_secret, token_url, scope))


def error_text(body: bytes) -> str:
    """Graph's `code: message`, or the start of a body that is not Graph's error JSON."""
    try:
        error = json.loads(body)["error"]
        return f"{error.get('code', '')}: {error.get('message', '')}"
    except (ValueError, KeyError, TypeError):
        return body[:200].decode("utf-8", "replace")


def parsed(response: HttpResponse) -> Any:
    """A successful answer's JSON; a body that is not JSON (a proxy's HTML page) is Graph's error, not the node's."""
    try:
        return json.loads(response.body)
    except ValueError:
        raise GraphError(f"Microsoft Graph's answer from {response.url.split('?')[0]} is not JSON: "
                         f"{response.body[:100]!r}") from None


def odata_query(params: dict[str, Any]) -> str:
    """A query string as Graph's documentation writes it (`$top=5&$filter=name%20eq%20'x'`); empty values left out."""
    pairs = [f"{name}={quote(str(value).lower() if isinstance(value, bool) else str(value), safe=chr(39) + '(),:$')}"
             for name, value in params.items() if value not in ("", None)]
    return "?" + "&".join(pairs) if pairs else ""


class Graph:
    """Calls for one node execution: the provider's base URL and token on every request."""

    def __init__(self, ctx: Context, provider: Any) -> None:
        self.ctx = ctx
        self.provider = as_provider(provider, MicrosoftGraphProvider,
                                    "a Microsoft Graph provider (from Microsoft Graph (Token))")

    def url(self, path: str, params: dict[str, Any] | None = None, *, beta: bool = False) -> str:
        """A URL under the base URL, or under its /beta twin for APIs Graph has in preview only."""
        base = self.provider.base_url
        if beta:
            base = re.sub(r"/v1\.0$", "/beta", base)
        return base + path + odata_query(params or {})

    def request(self, method: str, url: str, *, body: Any = None, content: bytes | None = None,
                headers: dict[str, str] | None = None) -> HttpRequest:
        """A request to a full URL with the token; `body` goes as JSON, `content` as raw bytes."""
        payload = HttpBody(kind="json", value=body) if body is not None else None
        if content is not None:
            payload = HttpBody(kind="bytes", value=content)
        return HttpRequest(
            url=url, method=method, headers={"Accept": "application/json", **(headers or {})},
            secret_headers={"Authorization": bearer(self.provider.access_token)},
            body=payload)

    def failed(self, request: HttpRequest, status: int, body: bytes) -> GraphError:
        where = request.url.removeprefix(self.provider.base_url).split("?")[0]
        return GraphError(f"Microsoft Graph answered {status} to {request.method} {where}: {error_text(body)}")

    async def send(self, method: str, url: str, *, body: Any = None, content: bytes | None = None,
                   headers: dict[str, str] | None = None) -> HttpResponse:
        """One request to a full URL; an error status raises GraphError with Graph's code and message."""
        request = self.request(method, url, body=body, content=content, headers=headers)
        response = await fetch(self.ctx, request, refresh=self.provider.refresh)
        if response.status_code >= 400:
            raise self.failed(request, response.status_code, response.body)
        return response

    @asynccontextmanager
    async def stream(self, method: str, url: str, *, body: Any = None, timeout: float = 300.0) -> AsyncIterator[Any]:
        """A streamed answer (server-sent events): the httpx response with its lines still to read."""
        request = self.request(method, url, body=body, headers={"Accept": "text/event-stream"})
        async with send(self.ctx, request, stream=True, timeout=timeout, retries=0,
                        refresh=self.provider.refresh) as response:
            if response.status_code >= 400:
                raise self.failed(request, response.status_code, await response.aread())
            yield response

    async def download(self, url: str) -> bytes:
        """A pre-authenticated download URL's bytes (Graph's `@microsoft.graph.downloadUrl`: sent no token)."""
        response = await fetch(self.ctx, HttpRequest(url=url))
        if response.status_code >= 400:
            raise GraphError(f"downloading {url.split('?')[0]} failed with status {response.status_code}")
        return response.body

    async def call(self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None,
                   content: bytes | None = None, headers: dict[str, str] | None = None, beta: bool = False) -> Any:
        """A request under the base URL; the answer's JSON (None for an empty answer, such as 204)."""
        response = await self.send(method, self.url(path, params, beta=beta), body=body, content=content,
                                   headers=headers)
        return parsed(response) if response.body.strip() else None

    async def list(self, path: str, params: dict[str, Any] | None = None, top: int = 0, *,
                   beta: bool = False) -> list[Any]:
        """Every item of a collection (at most `top` when above 0), following `@odata.nextLink` page by page."""
        origin = urlsplit(self.provider.base_url)[:2]

        async def page(url: str | None, wanted: int) -> tuple[list[Any], str | None]:
            found = parsed(await self.send("GET", url or self.url(path, params, beta=beta)))
            following = found.get("@odata.nextLink")
            if following and urlsplit(following)[:2] != origin:  # the token only goes where the provider points
                raise GraphError(f"Microsoft Graph's next page {following!r} is not on {self.provider.base_url}")
            return found.get("value") or [], following

        return (await collect(self.ctx, page, top, what=f"Microsoft Graph's {path}"))[0]


# ---- what several modules send -------------------------------------------------------------------------------


def segment(value: str, what: str) -> str:
    """An id or name as one URL path segment."""
    if not value:
        raise ValueError(f"{what} is required")
    return quote(value, safe="")


def drive_path(path: str, action: str = "", drive: str = "/me/drive") -> str:
    """A drive item by path (`/me/drive/root:/a/b.txt:` + action); the drive's root for an empty path."""
    parts = [quote(part, safe="") for part in path.strip("/").split("/") if part]
    if not parts:
        return f"{drive}/root" + (f"/{action}" if action else "")
    return f"{drive}/root:/{'/'.join(parts)}" + (f":/{action}" if action else "")


def odata_string(value: str) -> str:
    """A string literal in an OData function call or filter: single quotes doubled."""
    return "'" + value.replace("'", "''") + "'"


def csv_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def recipients(addresses: str, kind: str = "") -> list[dict[str, Any]]:
    """Graph's recipient (or attendee, with a `type`) objects from comma-separated e-mail addresses."""
    return [{"emailAddress": {"address": address}} | ({"type": kind} if kind else {})
            for address in csv_list(addresses)]


def wall_time(value: dt.datetime | str, time_zone: str) -> dict[str, str]:
    """Graph's dateTimeTimeZone: the wall-clock time in `time_zone`. A naive datetime (or a string) is taken as
    that wall time; an aware one is converted to the zone (an IANA name, or UTC)."""
    if isinstance(value, str):
        if not value:
            raise ValueError("a date and time is required")
        return {"dateTime": value, "timeZone": time_zone}
    if value.tzinfo is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            zone = ZoneInfo("UTC" if time_zone.upper() == "UTC" else time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"cannot convert an aware datetime to the time zone {time_zone!r}: give an IANA zone "
                             f"name (Europe/Berlin) or a naive datetime meant as wall time there") from None
        value = value.astimezone(zone).replace(tzinfo=None)
    return {"dateTime": value.isoformat(timespec="seconds"), "timeZone": time_zone}


def utc_text(value: dt.datetime) -> str:
    """An ISO 8601 instant in UTC (a naive datetime is taken as UTC), as calendarView's range wants."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


def event_fields(*, subject: str = "", body: str = "", start: dt.datetime | str | None = None,
                 end: dt.datetime | str | None = None, time_zone: str = "UTC", location: str = "",
                 attendees: str = "", online_meeting: bool = False) -> dict[str, Any]:
    """The fields of a Graph event that are given (empty ones left out, so an update keeps them)."""
    fields: dict[str, Any] = {"subject": subject} if subject else {}
    if body:
        fields["body"] = {"contentType": "HTML", "content": body}
    if start not in (None, ""):
        fields["start"] = wall_time(start, time_zone)
    if end not in (None, ""):
        fields["end"] = wall_time(end, time_zone)
    if location:
        fields["location"] = {"displayName": location}
    if attendees:
        fields["attendees"] = recipients(attendees, "required")
    if online_meeting:
        fields |= {"isOnlineMeeting": True, "onlineMeetingProvider": "teamsForBusiness"}
    return fields


# ---- pins and the node base ----------------------------------------------------------------------------------


def date_in(name: str, required: bool = True, description: str = "") -> PinSpec:
    return data_in(name, DataType.DATE, required=required, description=description)


def struct_out(name: str, array: bool = False, description: str = "") -> PinSpec:
    return data_out(name, DataType.STRUCT, ValueType.ARRAY if array else ValueType.NORMAL,
                    description=description or "Graph's JSON object, as documented for this resource")


COUNT = data_out("count", DataType.INTEGER, description="How many items there are")
PROVIDER = data_in("provider", DataType.STRUCT, schema=PROVIDER_SCHEMA, required=True,
                   description="From Microsoft Graph (Token)")
TOP = int_in("top", 50, "At most this many (0: all); Graph's pages are followed until then")


class GraphNode(ServiceNode):
    """A Graph call: provider and the node's inputs in; Success with the outputs `call` returns, or Error."""

    client = Graph
    errors = (GraphError,)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.pins = (exec_in(), PROVIDER, *cls.inputs,
                    exec_out("exec_out", "Success"), exec_out("error", "Error", "Microsoft Graph answered with an "
                                                              "error, or could not be reached"),
                    data_out("error_message", DataType.STRING, description="What went wrong"), *cls.outputs)
        super().__init_subclass__(**kwargs)



def listed(name: str, items: list[Any]) -> dict[str, Any]:
    """The outputs of a listing node: the items and their count."""
    return {name: items, "count": len(items)}


def id_in_location(location: str, collection: str) -> str:
    """The id in a Location/Content-Location header: `/teams('id')` or `/teams/id`."""
    found = re.search(rf"{collection}(?:\('([^']+)'\)|/([^/?]+))", location)
    if found is None:
        raise GraphError(f"Microsoft Graph gave no {collection} id in {location!r}")
    return found.group(1) or found.group(2)
