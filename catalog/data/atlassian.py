"""Atlassian (Jira, Jira Software's Agile API, Confluence) through the web pack's HTTP layer: the provider
struct and what every Atlassian node shares.

A provider holds the site's base URL and the credentials as a secret: the account's email with an API token
(Atlassian Cloud, basic auth), a personal access token (Data Center, bearer), or an OAuth 2.0 (3LO) access token,
whose calls go through Atlassian's API gateway (api.atlassian.com/ex/{jira|confluence}/{cloud id}); given its
refresh token and the app's client id and secret too, an OAuth token the gateway refuses (they last an hour) is
renewed at auth.atlassian.com (JSON, rotating refresh tokens) and the call sent again (the web pack's HTTP layer).
Jira nodes speak REST v3 on Cloud and v2 on Data Center (rich text is Atlassian Document Format on Cloud, plain text
on Data Center); the Agile nodes speak Agile 1.0; Confluence nodes speak Cloud's REST v2, and v1 where v2 has no
call (CQL search, label changes, users) and on Data Center. Issues, comments, users and the like are handed on
flattened the way Flow-Like shapes them (text instead of ADF); the rest as the service documents them. A 4xx/5xx
answer carries the service's message: it fires Error on the nodes that have one, else On Error (or fails the node
when that is not wired).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Annotated, Any, NamedTuple
from urllib.parse import quote

from flowlike_catalog.web.errors import ServiceNode
from flowlike_catalog.web.http import (
    HttpRequest,
    TokenRefresh,
    api_request,
    as_provider,
    bearer,
    error_object,
    fetch,
    http_base_url,
    token_refresh,
)
from flowlike_catalog.web.paging import collect
from pydantic import BaseModel, ConfigDict, SecretStr

from flowlike_core import Context, DataType, Pin, PinSpec, ValueType, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Data/Atlassian"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
PLACEHOLDER_URL = "https://your-domain.atlassian.net"
GATEWAY_URL = "https://api.atlassian.com"
TOKEN_URL = "https://auth.atlassian.com/oauth/token"


class AtlassianProvider(BaseModel):
    """Where and as whom to call Atlassian; the token never shows in dumps or logs."""

    model_config = ConfigDict(frozen=True)
    base_url: str
    email: str = ""
    token: SecretStr
    is_cloud: bool = True
    cloud_id: str = ""
    """The site's id at the API gateway: set for OAuth access tokens, which are only good there."""
    api_url: str = ""
    """The API gateway, for OAuth access tokens."""
    refresh: TokenRefresh | None = None
    """What renews an OAuth access token."""

    def authorization(self) -> SecretStr:
        """Basic auth with the email (Cloud API tokens), else a bearer token (Data Center PATs, OAuth tokens)."""
        secret = self.token.get_secret_value()
        if self.email:
            return SecretStr("Basic " + base64.b64encode(f"{self.email}:{secret}".encode()).decode())
        return bearer(self.token)


PROVIDER_SCHEMA = AtlassianProvider.model_json_schema()
Provider = Annotated[AtlassianProvider, Pin(description="From Atlassian (API Token)")]


@node(friendly_name="Atlassian (API Token)")
def data_atlassian_provider_api_token(
    base_url: Annotated[str, Pin(description="Your site, e.g. https://acme.atlassian.net")] = PLACEHOLDER_URL,
    email: Annotated[str, Pin(description="The account's email (Cloud); empty for a Data Center PAT")] = "",
    api_token: Annotated[str, Pin(sensitive=True, required=True, description="An API token (Cloud) or personal "
                                  "access token (Data Center); feed it from a secret variable")] = "",
    is_cloud: Annotated[bool, Pin(description="Atlassian Cloud (Jira REST v3); off for Data Center (v2)")] = True,
) -> Annotated[AtlassianProvider, Pin(name="provider")]:
    """Atlassian access with an API token and email (Cloud) or a personal access token (Data Center)."""
    if not base_url or base_url == PLACEHOLDER_URL:
        raise ValueError("set base_url to your Atlassian site (e.g. https://acme.atlassian.net)")
    site = http_base_url(base_url)
    if not api_token:
        raise ValueError("Atlassian api_token is empty (is the secret variable set?)")
    if is_cloud and not email:
        raise ValueError("Atlassian Cloud API tokens need the account's email")
    return AtlassianProvider(base_url=site, email=email, token=SecretStr(api_token), is_cloud=is_cloud)


class AtlassianError(RuntimeError):
    pass


def service_message(body: bytes) -> str:
    """The message of an error answer, in any of the shapes Jira, Agile and Confluence v1/v2 use."""
    data = error_object(body)
    if isinstance(data, str):
        return data
    parts = [str(m) for m in data.get("errorMessages") or []]
    errors = data.get("errors")
    if isinstance(errors, dict):
        parts += [f"{field}: {message}" for field, message in errors.items()]
    elif isinstance(errors, list):  # Confluence v2
        parts += [str(e.get("title") or e.get("detail") or e) if isinstance(e, dict) else str(e) for e in errors]
    if data.get("message"):
        parts.append(str(data["message"]))
    return "; ".join(parts) or json.dumps(data)[:300]


@node(friendly_name="Atlassian (OAuth)")
async def data_atlassian_provider_oauth(
    ctx: Context,
    base_url: Annotated[str, Pin(description="Your site, e.g. https://acme.atlassian.net")] = PLACEHOLDER_URL,
    access_token: Annotated[str, Pin(sensitive=True, required=True, description="An OAuth 2.0 (3LO) access token "
                                     "your app obtained for the user; feed it from a secret variable")] = "",
    cloud_id: Annotated[str, Pin(description="The site's cloud id; looked up among the token's accessible "
                                 "resources when empty")] = "",
    api_url: Annotated[str, Pin(description="Atlassian's API gateway")] = GATEWAY_URL,
    refresh_token: Annotated[str, Pin(sensitive=True, description="Optional: the refresh token that came with the "
                                      "access token (scope offline_access); with client_id and client_secret, a "
                                      "refused access token is renewed")] = "",
    client_id: Annotated[str, Pin(description="Your OAuth 2.0 (3LO) app's client id (for renewing)")] = "",
    client_secret: Annotated[str, Pin(sensitive=True, description="The app's secret (for renewing)")] = "",
    token_url: Annotated[str, Pin(description="Where tokens are renewed")] = TOKEN_URL,
) -> Annotated[AtlassianProvider, Pin(name="provider")]:
    """Atlassian Cloud access with an OAuth 2.0 access token: calls go through the API gateway to the site's cloud
    id (found by matching base_url among the sites the token may reach), and Get Me works. With the refresh token
    and the app's client id and secret, an expired access token is renewed when the gateway refuses it."""
    if not base_url or base_url == PLACEHOLDER_URL:
        raise ValueError("set base_url to your Atlassian site (e.g. https://acme.atlassian.net)")
    if not access_token:
        raise ValueError("Atlassian access_token is empty (is the secret variable set?)")
    site, gateway = base_url.rstrip("/"), api_url.rstrip("/")
    refresh = token_refresh(refresh_token, client_id, client_secret, token_url, encoding="json")
    if not cloud_id:
        cloud_id = await find_cloud_id(ctx, gateway, site, access_token, refresh)
    return AtlassianProvider(base_url=site, token=SecretStr(access_token), cloud_id=cloud_id, api_url=gateway,
                             refresh=refresh)


async def find_cloud_id(ctx: Context, gateway: str, site: str, access_token: str, refresh: TokenRefresh | None) -> str:
    """The site's cloud id among the token's accessible resources, asked once per run (every node the provider
    feeds evaluates it)."""
    key = ("atlassian.cloud_id", gateway, site, hashlib.sha256(access_token.encode()).hexdigest())
    if key not in ctx.cache:
        request = HttpRequest(url=f"{gateway}/oauth/token/accessible-resources", headers={"Accept": "application/json"},
                              secret_headers={"Authorization": SecretStr(f"Bearer {access_token}")})
        response = await fetch(ctx, request, refresh=refresh)
        if response.status_code >= 400:
            raise AtlassianError(f"Atlassian answered {response.status_code} to the accessible-resources call: "
                                 f"{service_message(response.body)}")
        sites = json.loads(response.body)
        found = [r["id"] for r in sites if r.get("url", "").rstrip("/").lower() == site.lower()]
        if not found:
            raise ValueError(f"the token cannot reach {site} (it can reach: "
                             f"{', '.join(r.get('url', '') for r in sites) or 'no site'})")
        ctx.cache[key] = found[0]
    return ctx.cache[key]


PREFIXES = {"jira": "/rest/api/3", "agile": "/rest/agile/1.0", "wiki": "/wiki/api/v2", "wiki1": "/wiki/rest/api"}
LINKS_FROM = {"wiki": "/wiki/api/v2", "wiki1": "/rest/api"}
"""Where Confluence's next-page links start: v2's at the site's root, v1's at the wiki's."""
NAMES = {"jira": "Jira", "agile": "Jira Agile", "wiki": "Confluence", "wiki1": "Confluence", "me": "Atlassian"}


class Atlassian:
    """Calls for one node execution: the provider's base URL and credentials on every request."""

    def __init__(self, ctx: Context, provider: Any) -> None:
        self.ctx = ctx
        self.provider = as_provider(provider, AtlassianProvider, "an Atlassian provider (from Atlassian (API Token))")

    @property
    def cloud(self) -> bool:
        return self.provider.is_cloud

    @property
    def gateway(self) -> str:
        """Where an OAuth provider's calls go (empty for the others)."""
        p = self.provider
        return f"{p.api_url}/ex" if p.cloud_id else ""

    def url(self, api: str, path: str) -> str:
        if self.provider.cloud_id:
            product = "confluence" if api.startswith("wiki") else "jira"
            return f"{self.gateway}/{product}/{self.provider.cloud_id}{PREFIXES[api]}{path}"
        if api == "jira":
            return f"{self.provider.base_url}/rest/api/{3 if self.cloud else 2}{path}"
        if api == "wiki" and not self.cloud:
            raise ValueError("this Confluence node speaks Confluence Cloud's REST API v2 (is_cloud is off)")
        if api == "wiki1" and not self.cloud:
            return f"{self.provider.base_url}/rest/api{path}"  # Data Center: the context path is in base_url
        return self.provider.base_url + PREFIXES[api] + path

    def linked(self, api: str, link: str) -> str:
        """A next-page link Confluence gave (a path from the site's root in v2, from the wiki's in v1) as a URL on
        the provider's own site or gateway: the credentials stay home."""
        return self.url(api, "").removesuffix(LINKS_FROM[api]) + link

    async def call(self, method: str, path: str, *, api: str = "jira", params: dict[str, Any] | None = None,
                   body: Any = None, url: str = "", raw: bool = False, tolerated: set[int] | None = None) -> Any:
        """One request; JSON back (bytes when `raw`). `url` replaces api + path (links the service gave); a status
        in `tolerated` is answered like a success (its body says what failed)."""
        request = api_request(method, url or self.url(api, path), self.provider.authorization(), params=params,
                              body=body)
        response = await fetch(self.ctx, request, refresh=self.provider.refresh)
        if response.status_code >= 400 and response.status_code not in (tolerated or set()):
            raise AtlassianError(f"{NAMES[api]} answered {response.status_code} to {method} {url or path}: "
                                 f"{service_message(response.body)}")
        if raw:
            return response.body
        return json.loads(response.body) if response.body.strip() else None

    async def pages(self, method: str, path: str, key: str, *, api: str = "jira", limit: int = 0, start: int = 0,
                    most: int = 50, params: dict[str, Any] | None = None,
                    body: dict[str, Any] | None = None) -> tuple[list[Any], int, bool]:
        """A startAt/maxResults listing's `key` items from `start`, page by page until `limit` of them (0: all; the
        web pack's paging), asking at most `most` a page (GET: in the query, POST: in the body); with the total
        it names (else how many were read) and whether more follow. A page is the last when it says isLast, gives
        nothing, or reaches the total."""
        total: list[int] = []

        async def page(at: int | None, wanted: int) -> tuple[list[Any], int | None]:
            at = start if at is None else at
            paging = {"startAt": at, "maxResults": min(wanted or most, most)}
            found = await self.call(method, path, api=api, params=(params or {}) | paging if method == "GET" else
                                    params, body=(body or {}) | paging if method != "GET" else body)
            items, following = found.get(key) or [], at + len(found.get(key) or [])
            if "total" in found:
                total[:] = [found["total"]]
            done = found.get("isLast") or not items or (bool(total) and following >= total[0])
            return items, None if done else following

        found, following = await collect(self.ctx, page, limit, what=f"{NAMES[api]}'s {path}")
        return found, total[0] if total else start + len(found), bool(following)

    def rich_text(self, text: str) -> Any:
        """Text as Jira wants it: an ADF document on Cloud (a paragraph per line), the text itself on Data Center."""
        if not self.cloud:
            return text
        lines = [line for line in text.splitlines() if line.strip()]
        return {"type": "doc", "version": 1,
                "content": [{"type": "paragraph", "content": [{"type": "text", "text": line}]} for line in lines]}

    def user_ref(self, account: str) -> dict[str, str]:
        """A user reference: accountId on Cloud, the user name on Data Center."""
        return {"accountId": account} if self.cloud else {"name": account}


def required(value: Any, what: str) -> str:
    """A required key or id as text, with a clear error when it is empty."""
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ValueError(f"{what} is required")
    return text


def segment(value: Any, what: str) -> str:
    """A path segment from a required key or id."""
    return quote(required(value, what), safe="")


def csv_list(text: str) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


INLINE = frozenset({"text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status"})


def adf_text(value: Any) -> str:
    """Plain text of an Atlassian Document Format node (blocks on their own lines); a string stays itself."""
    if value is None or isinstance(value, str):
        return value or ""
    if not isinstance(value, dict):
        return str(value)
    kind, attrs = value.get("type"), value.get("attrs") or {}
    if kind == "text":
        return value.get("text", "")
    if kind == "hardBreak":
        return "\n"
    if kind in ("mention", "emoji", "status", "date", "inlineCard"):
        return str(attrs.get("text") or attrs.get("shortName") or attrs.get("url") or attrs.get("timestamp") or "")
    children = value.get("content") or []
    glue = "" if all(isinstance(c, dict) and c.get("type") in INLINE for c in children) else "\n"
    return glue.join(adf_text(c) for c in children).strip("\n")


# ---- Flow-Like's shapes of Jira's objects ----------------------------------------------------------------


def jira_user(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    return {"account_id": value.get("accountId") or value.get("name") or "",
            "display_name": value.get("displayName", ""), "email_address": value.get("emailAddress"),
            "active": value.get("active", True), "avatar_url": (value.get("avatarUrls") or {}).get("48x48")}


def jira_status(value: Any) -> dict[str, Any]:
    value = value or {}
    return {"id": str(value.get("id", "")), "name": value.get("name", ""), "description": value.get("description"),
            "status_category": (value.get("statusCategory") or {}).get("key")}


def jira_project(value: Any) -> dict[str, Any]:
    value = value or {}
    return {"id": str(value.get("id", "")), "key": value.get("key", ""), "name": value.get("name", ""),
            "description": value.get("description"), "lead": jira_user(value.get("lead")), "url": value.get("self")}


def jira_issue(value: dict[str, Any], base_url: str) -> dict[str, Any]:
    """An issue as Flow-Like's JiraIssue, plus `fields` as Jira sent them (custom fields included)."""
    fields = value.get("fields") or {}
    kind, priority = fields.get("issuetype") or {}, fields.get("priority")
    return {
        "id": str(value.get("id", "")), "key": value.get("key", ""), "summary": fields.get("summary", ""),
        "description": adf_text(fields.get("description")) or None,
        "issue_type": {"id": str(kind.get("id", "")), "name": kind.get("name", ""),
                       "description": kind.get("description"), "subtask": kind.get("subtask", False),
                       "icon_url": kind.get("iconUrl")},
        "status": jira_status(fields.get("status")),
        "priority": {"id": str(priority.get("id", "")), "name": priority.get("name", ""),
                     "description": priority.get("description"), "icon_url": priority.get("iconUrl")}
        if isinstance(priority, dict) else None,
        "project": jira_project(fields.get("project")), "assignee": jira_user(fields.get("assignee")),
        "reporter": jira_user(fields.get("reporter")), "created": fields.get("created", ""),
        "updated": fields.get("updated", ""), "labels": fields.get("labels") or [],
        "url": f"{base_url}/browse/{value.get('key', '')}", "fields": fields}


def jira_comment(value: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(value.get("id", "")), "author": jira_user(value.get("author")),
            "body": adf_text(value.get("body")), "created": value.get("created", ""),
            "updated": value.get("updated", "")}


def jira_transition(value: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(value.get("id", "")), "name": value.get("name", ""), "to_status": jira_status(value.get("to"))}


async def search_jql(jira: Atlassian, jql: str, start_at: int, max_results: int,
                     fields: list[str] | None = None) -> tuple[list[dict[str, Any]], int, bool]:
    """Issues matching JQL from `start_at`, with the total and whether more follow.

    Cloud's search (POST /search/jql) pages by token and counts apart (/search/approximate-count): the pages
    before `start_at` are walked past. Data Center's POST /search takes startAt and answers the total."""
    if not jql.strip():
        raise ValueError("the JQL query is empty")
    wanted, start_at, fields = max(1, min(max_results, 5000)), max(0, start_at), fields or ["*navigable"]
    if not jira.cloud:
        issues, total, more = await jira.pages("POST", "/search", "issues", limit=wanted, start=start_at, most=100,
                                               body={"jql": jql, "fields": fields})
        return [jira_issue(i, jira.provider.base_url) for i in issues], total, more

    async def page(token: str | None, still: int) -> tuple[list[Any], str | None]:
        asked = {"jql": jql, "maxResults": min(100, still), "fields": fields}
        found = await jira.call("POST", "/search/jql", body=asked | ({"nextPageToken": token} if token else {}))
        token = found.get("nextPageToken")
        return found.get("issues") or [], None if found.get("isLast", token is None) else token

    collected, following = await collect(jira.ctx, page, start_at + wanted, what="Jira's /search/jql")
    count = await jira.call("POST", "/search/approximate-count", body={"jql": jql})
    return ([jira_issue(i, jira.provider.base_url) for i in collected[start_at:]],
            int(count.get("count", len(collected))), bool(following))


# ---- nodes with an Error output of their own (Flow-Like's pins) -----------------------------------------


def struct_out(name: str, array: bool = False, description: str = "") -> PinSpec:
    return data_out(name, DataType.STRUCT, ValueType.ARRAY if array else ValueType.NORMAL, description=description)


class AtlassianNode(ServiceNode):
    """An Atlassian call: provider and the node's inputs in; Success with the outputs `call` returns, or Error."""

    client = Atlassian
    errors = (AtlassianError,)
    cleared = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.pins = (exec_in(), data_in("provider", DataType.STRUCT, schema=PROVIDER_SCHEMA, required=True,
                                       description="From Atlassian (API Token)"), *cls.inputs,
                    exec_out("exec_out", "Success"), exec_out("error", "Error", "Atlassian answered with an error, "
                                                              "or could not be reached"),
                    data_out("error_message", DataType.STRING, description="What went wrong; empty on success"),
                    *cls.outputs)
        super().__init_subclass__(**kwargs)



# ---- the account behind an OAuth token ------------------------------------------------------------------------


class Me(NamedTuple):
    me: Annotated[dict, Pin(description="account_id, account_type, email, name, picture, email_verified, "
                            "account_status, nickname, zoneinfo, locale")]
    account_id: str
    email: str
    name: str


@node(friendly_name="Get Me", exec_pins=True)
async def data_atlassian_get_me(ctx: Context, provider: Provider) -> Me:
    """The Atlassian account an OAuth token belongs to (the gateway's /me: it takes OAuth tokens only; with an API
    token use the products' Get Current User)."""
    atlassian = Atlassian(ctx, provider)
    if not atlassian.gateway:
        raise ValueError("Get Me needs an OAuth provider (Atlassian (OAuth)); with an API token or PAT use Jira's or "
                         "Confluence's Get Current User")
    found = await atlassian.call("GET", "/me", api="me", url=f"{atlassian.provider.api_url}/me")
    me = {key: found.get(key) for key in ("account_id", "account_type", "email", "name", "picture", "email_verified",
                                          "account_status", "nickname", "zoneinfo", "locale")}
    return Me(me, me["account_id"] or "", me["email"] or "", me["name"] or "")
