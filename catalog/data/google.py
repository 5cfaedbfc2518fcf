"""Google Workspace and YouTube through their REST APIs: the provider every Google node takes, and the one call
they all make (the web pack's HTTP layer, the token as a secret header, Google's error JSON read into the
Error pin's message).

Google's APIs live on several hosts (www.googleapis.com, sheets.googleapis.com, docs...). The provider's
`base_url`, when set, stands in for all of them: each service's path (`/drive/v3`, `/v4/spreadsheets`...)
goes under it, which is how a proxy or a local test server is used.

The provider takes an OAuth access token made elsewhere (Google's consent flow runs in a browser, which a
board does not do: get the token with your own OAuth client, gcloud, or a service account's token endpoint).
Given the refresh token and the OAuth client too, an access token Google refuses (they last an hour) is renewed at
Google's token endpoint and the call sent again (the web pack's HTTP layer). Nodes output Flow-Like's structs
(snake_case fields) where Flow-Like has one, and Google's JSON as `raw`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from flowlike_catalog.web.errors import ServiceNode
from flowlike_catalog.web.http import (
    TokenRefresh,
    api_request,
    as_provider,
    bearer,
    fetch,
    http_base_url,
    token_refresh,
)
from flowlike_catalog.web.paging import collect
from flowlike_catalog.web.service_pins import text_out
from pydantic import BaseModel, ConfigDict, SecretStr

from flowlike_core import Context, DataType, Pin, PinSpec, ValueType, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Data/Google"
TOKEN_URL = "https://oauth2.googleapis.com/token"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)

ROOTS = {
    "drive": "https://www.googleapis.com/drive/v3",
    "calendar": "https://www.googleapis.com/calendar/v3",
    "gmail": "https://gmail.googleapis.com/gmail/v1",
    "youtube": "https://www.googleapis.com/youtube/v3",
    "sheets": "https://sheets.googleapis.com/v4",
    "docs": "https://docs.googleapis.com/v1",
    "slides": "https://slides.googleapis.com/v1",
    "forms": "https://forms.googleapis.com/v1",
}
"""Where each service's REST resources start."""


class GoogleProvider(BaseModel):
    """Flow-Like's Google provider (an access token for all Google services), plus where to send the calls;
    the token never shows in dumps or logs."""

    model_config = ConfigDict(frozen=True)
    provider_id: str = "google"
    access_token: SecretStr
    refresh_token: str | None = None
    """Flow-Like's field, as its app's OAuth store fills it; what this board renews the token with is `refresh`."""
    expires_at: int | None = None
    base_url: str = ""
    refresh: TokenRefresh | None = None


PROVIDER_SCHEMA = GoogleProvider.model_json_schema()


class GoogleError(RuntimeError):
    pass


@node(friendly_name="Google")
def data_google_provider(
    access_token: Annotated[str, Pin(sensitive=True, required=True, description="An OAuth 2.0 access token with "
                                     "the scopes your nodes need; feed it from a secret variable")] = "",
    base_url: Annotated[str, Pin(description="Empty: Google's own hosts. Else one URL serving every service's "
                                             "paths (a proxy, a test server)")] = "",
    refresh_token: Annotated[str, Pin(sensitive=True, description="Optional: the refresh token that came with the "
                                      "access token; with client_id, a refused access token is renewed")] = "",
    client_id: Annotated[str, Pin(description="The OAuth client the tokens were issued to (for renewing)")] = "",
    client_secret: Annotated[str, Pin(sensitive=True, description="That client's secret (for renewing)")] = "",
    token_url: Annotated[str, Pin(description="Where tokens are renewed")] = TOKEN_URL,
) -> Annotated[GoogleProvider, Pin(name="provider")]:
    """Google access (Drive, Sheets, Docs, Slides, Forms, Gmail, Calendar, Meet, YouTube) with an OAuth access
    token you obtained yourself: the browser consent flow is not part of a board. With the refresh token and the
    OAuth client, an expired access token is renewed when Google refuses it."""
    if not access_token:
        raise ValueError("Google access token is empty (is the secret variable set?)")
    return GoogleProvider(access_token=SecretStr(access_token), base_url=http_base_url(base_url) if base_url else "",
                          refresh=token_refresh(refresh_token, client_id, client_secret, token_url))


def error_text(body: bytes) -> str:
    """The message of Google's error JSON ({"error": {"message": ...}} or OAuth's "error_description")."""
    try:
        found = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace")
    error = found.get("error") if isinstance(found, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error.get("status") or error)
    return str(found.get("error_description") or error or found) if isinstance(found, dict) else str(found)


class Google:
    """Calls for one node execution: the provider's token on every request, the service's root URL."""

    def __init__(self, ctx: Context, provider: Any) -> None:
        self.ctx, self.provider = ctx, as_provider(provider, GoogleProvider, "a Google provider (from Google)")

    def url(self, service: str, path: str) -> str:
        root = ROOTS[service]
        if self.provider.base_url:
            root = self.provider.base_url + urlsplit(root).path
        return root + path

    async def call(self, service: str, method: str, path: str, *, params: dict[str, Any] | None = None,
                   body: Any = None, raw: bool = False) -> Any:
        """Google's JSON answer (bytes when `raw`); a 4xx/5xx answer raises GoogleError with Google's message."""
        request = api_request(method, self.url(service, path), bearer(self.provider.access_token),
                              headers={"Accept": "application/json" if not raw else "*/*"}, params=params, body=body)
        response = await fetch(self.ctx, request, refresh=self.provider.refresh)
        if response.status_code >= 400:
            raise GoogleError(f"Google {service.title()} answered {response.status_code} to {method} {path}: "
                              f"{error_text(response.body)}")
        if raw:
            return response.body
        return json.loads(response.body) if response.body.strip() else {}

    async def listing(self, service: str, path: str, key: str, params: dict[str, Any], *, limit: int = 0,
                      size: tuple[str, int] = ("", 0), page_token: str = "") -> tuple[list[Any], str]:
        """A listing's `key` items, following Google's nextPageToken from `page_token` until `limit` items (0: all;
        the web pack's paging); each page asks for what is still wanted in the `size` parameter (its name and the
        service's most). Also the token of the page after the last one read (empty when done)."""
        name, most = size

        async def page(token: str | None, wanted: int) -> tuple[list[Any], str | None]:
            asked = {name: min(wanted or most, most)} if name else {}
            found = await self.call(service, "GET", path, params=params | asked | {"pageToken": token})
            return found.get(key) or [], found.get("nextPageToken")

        return await collect(self.ctx, page, limit, what=f"Google {service.title()}'s {path}", start=page_token or None)


def required(value: str, what: str) -> str:
    if not value:
        raise ValueError(f"{what} is required")
    return value


def segment(value: str, what: str) -> str:
    """One path segment from an id input: required, and quoted."""
    return quote(required(value, what), safe="")


def csv_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def rfc3339(moment: Any, what: str) -> str:
    """A Date input as RFC 3339 (naive times are UTC)."""
    if isinstance(moment, str):
        try:
            moment = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{what} is not a date and time: {moment!r}") from None
    if not isinstance(moment, dt.datetime):
        if isinstance(moment, dt.date):
            moment = dt.datetime.combine(moment, dt.time())
        else:
            raise ValueError(f"{what} is required (a date and time)")
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()


def struct_out(name: str, array: bool = False, description: str = "") -> PinSpec:
    return data_out(name, DataType.STRUCT, ValueType.ARRAY if array else ValueType.NORMAL, description=description)


RAW = data_out("raw", DataType.GENERIC, description="Google's JSON answer as it came")
NEXT_PAGE = text_out("next_page_token", "Pass it as page_token for the next page; empty on the last one")


class GoogleNode(ServiceNode):
    """A Google call: provider and the node's inputs in; Success with the outputs `call` returns, or Error."""

    client = Google
    errors = (GoogleError, ValueError)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.pins = (exec_in(), data_in("provider", DataType.STRUCT, schema=PROVIDER_SCHEMA, required=True,
                                       description="From Google"), *cls.inputs,
                    exec_out("exec_out", "Success"), exec_out("error", "Error", "Google answered with an error, "
                                                              "could not be reached, or an input was wrong"),
                    *cls.outputs, data_out("error_message", DataType.STRING, description="What went wrong"))
        super().__init_subclass__(**kwargs)

