"""Notion's REST API (version 2022-06-28): search, databases (schema and queries) and pages (read with their
blocks' text, create in a database, update).

A provider struct holds the token (an internal integration's secret, or an OAuth access token your own OAuth
client obtained: Notion's consent flow runs in a browser, which a board does not do) and the API's base URL. Given
its refresh token and the integration's OAuth client id and secret too, an OAuth token Notion refuses is renewed at
/v1/oauth/token (JSON, the client as Basic auth) and the call sent again (the web pack's HTTP layer).
Nodes output Flow-Like's structs (snake_case fields); a 4xx/5xx answer fires Error with Notion's message. Lists
follow Notion's cursor (next_cursor while has_more) until they have page_size items (0: all), a page of at most
100 at a time.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from flowlike_catalog.data.google import struct_out
from flowlike_catalog.web.errors import ServiceNode
from flowlike_catalog.web.http import (
    HttpBody,
    HttpRequest,
    TokenRefresh,
    as_provider,
    bearer,
    fetch,
    http_base_url,
    token_refresh,
)
from flowlike_catalog.web.paging import collect
from flowlike_catalog.web.service_pins import bool_in, int_in, int_out, text_in, text_out
from pydantic import BaseModel, ConfigDict, SecretStr

from flowlike_core import Context, DataType, Pin, ValueType, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Data/Notion"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
API_VERSION = "2022-06-28"
MOST_A_PAGE = 100


class NotionProvider(BaseModel):
    """Flow-Like's Notion provider, plus where to send the calls; the token never shows in dumps or logs."""

    model_config = ConfigDict(frozen=True)
    provider_id: str = "notion"
    access_token: SecretStr
    workspace_id: str | None = None
    workspace_name: str | None = None
    base_url: str = "https://api.notion.com"
    refresh: TokenRefresh | None = None


PROVIDER_SCHEMA = NotionProvider.model_json_schema()


class NotionError(RuntimeError):
    pass


def provider(token: str, base_url: str, what: str) -> NotionProvider:
    if not token:
        raise ValueError(f"Notion {what} is empty (is the secret variable set?)")
    return NotionProvider(access_token=SecretStr(token), base_url=http_base_url(base_url))


@node(friendly_name="Notion (API Key)")
def data_notion_provider_api_key(
    integration_token: Annotated[str, Pin(sensitive=True, required=True, description="An internal integration's "
                                          "secret (ntn_... or secret_...); feed it from a secret variable")] = "",
    base_url: str = "https://api.notion.com",
) -> Annotated[NotionProvider, Pin(name="provider")]:
    """Notion access as an internal integration (share the pages and databases with it in Notion)."""
    return provider(integration_token, base_url, "integration token")


@node(friendly_name="Notion (OAuth)")
def data_notion_provider_oauth(
    access_token: Annotated[str, Pin(sensitive=True, required=True, description="A public integration's OAuth "
                                     "access token, from your own OAuth flow; feed it from a secret variable")] = "",
    base_url: str = "https://api.notion.com",
    refresh_token: Annotated[str, Pin(sensitive=True, description="Optional: the refresh token that came with the "
                                      "access token; with client_id and client_secret, a refused access token is "
                                      "renewed")] = "",
    client_id: Annotated[str, Pin(description="The public integration's OAuth client id (for renewing)")] = "",
    client_secret: Annotated[str, Pin(sensitive=True, description="Its OAuth client secret (for renewing)")] = "",
    token_url: Annotated[str, Pin(description="Where tokens are renewed; empty: base_url's /v1/oauth/token")] = "",
) -> Annotated[NotionProvider, Pin(name="provider")]:
    """Notion access with a public integration's OAuth access token (the browser consent flow that makes it is
    not part of a board). With the refresh token and the OAuth client, an expired access token is renewed."""
    made = provider(access_token, base_url, "access token")
    refresh = token_refresh(refresh_token, client_id, client_secret, token_url or f"{made.base_url}/v1/oauth/token",
                            encoding="json", client_auth="basic")
    return made.model_copy(update={"refresh": refresh})


class Notion:
    """Calls for one node execution: the token and Notion-Version on every request."""

    def __init__(self, ctx: Context, given: Any) -> None:
        self.ctx, self.provider = ctx, as_provider(given, NotionProvider, "a Notion provider (from Notion (API Key))")

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None,
                   params: dict[str, Any] | None = None) -> Any:
        request = HttpRequest(
            url=f"{self.provider.base_url}/v1{path}", method=method,
            headers={"Notion-Version": API_VERSION, "Accept": "application/json"},
            secret_headers={"Authorization": bearer(self.provider.access_token)},
            query={k: str(v) for k, v in (params or {}).items() if v not in ("", None)},
            body=HttpBody(kind="json", value=body) if body is not None else None)
        response = await fetch(self.ctx, request, refresh=self.provider.refresh)
        if response.status_code >= 400:
            try:
                found = json.loads(response.body)
                message = f"{found.get('code', '')}: {found.get('message', '')}"
            except (ValueError, AttributeError):
                message = response.body[:200].decode("utf-8", "replace")
            raise NotionError(f"Notion answered {response.status_code} to {method} {path}: {message}")
        return json.loads(response.body)

    async def listing(self, method: str, path: str, body: dict[str, Any] | None = None, *,
                      limit: int = 0) -> tuple[list[dict[str, Any]], bool]:
        """A list's results, following next_cursor while has_more until `limit` of them (0: all; the web pack's
        paging), and whether more follow. GET lists take the cursor in the query, POST ones in the body."""
        async def page(cursor: str | None, wanted: int) -> tuple[list[dict[str, Any]], str | None]:
            paging = {"page_size": min(wanted or MOST_A_PAGE, MOST_A_PAGE), "start_cursor": cursor}
            if method == "GET":
                found = await self.call("GET", path, params=paging)
            else:
                found = await self.call(method, path, (body or {}) | {k: v for k, v in paging.items() if v})
            return found.get("results") or [], found.get("next_cursor") if found.get("has_more") else None

        results, following = await collect(self.ctx, page, limit, what=f"Notion's {path}")
        return results, bool(following)


def plain(rich_text: list[dict[str, Any]] | None) -> str:
    return "".join(part.get("plain_text", "") for part in rich_text or [])


def title_of(item: dict[str, Any]) -> str:
    """A page's title (its title property) or a database's title."""
    if item.get("object") == "database":
        return plain(item.get("title"))
    titles = [p for p in item.get("properties", {}).values() if p.get("type") == "title"]
    return plain(titles[0].get("title")) if titles else ""


def emoji(item: dict[str, Any]) -> str | None:
    icon = item.get("icon") or {}
    return icon.get("emoji") if icon.get("type") == "emoji" else None


def block_text(block: dict[str, Any]) -> str:
    """The text a block shows, as a line (a to-do as [x] or [ ], a divider as ---)."""
    kind = block.get("type", "")
    content = block.get(kind, {})
    if kind == "to_do":
        return f"[{'x' if content.get('checked') else ' '}] {plain(content.get('rich_text'))}"
    if kind == "divider":
        return "---"
    return plain(content.get("rich_text")) if isinstance(content, dict) else ""


def notion_page(page: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's NotionPage."""
    return {"id": page["id"], "url": page.get("url", ""), "created_time": page.get("created_time", ""),
            "last_edited_time": page.get("last_edited_time", ""), "archived": bool(page.get("archived")),
            "icon_emoji": emoji(page), "properties": page.get("properties", {})}


def summary(item: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's NotionSearchResult / NotionDatabase fields of a page or database."""
    return {"id": item["id"], "title": title_of(item), "url": item.get("url", ""),
            "created_time": item.get("created_time", ""), "last_edited_time": item.get("last_edited_time", ""),
            "icon_emoji": emoji(item)}


def json_input(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{what} is not valid JSON: {exc}") from None


def blocks_from(content: str) -> list[dict[str, Any]]:
    """Page content: a JSON array of Notion blocks, or plain text (one paragraph per line)."""
    if content.lstrip().startswith("["):
        return json_input(content, "content")
    return [{"object": "block", "type": "paragraph",
             "paragraph": {"rich_text": [{"type": "text", "text": {"content": line}}]}}
            for line in content.splitlines() if line.strip()]


async def search(notion: Notion, query: str, kind: str, direction: str,
                 page_size: int) -> tuple[list[dict[str, Any]], bool]:
    """What a search finds (at most `page_size`, 0: all), and whether more follow."""
    body: dict[str, Any] = {"sort": {"direction": direction, "timestamp": "last_edited_time"}}
    if query:
        body["query"] = query
    if kind != "all":
        body["filter"] = {"value": kind, "property": "object"}
    return await notion.listing("POST", "/search", body, limit=page_size)


class NotionNode(ServiceNode):
    """A Notion call: provider and the node's inputs in; Success with the outputs `call` returns, or Error."""

    client = Notion
    errors = (NotionError, ValueError)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.pins = (exec_in(), data_in("provider", DataType.STRUCT, schema=PROVIDER_SCHEMA, required=True,
                                       description="From Notion (API Key) or Notion (OAuth)"), *cls.inputs,
                    exec_out("exec_out", "Success"), exec_out("error", "Error", "Notion answered with an error, "
                                                              "could not be reached, or an input was wrong"),
                    *cls.outputs, data_out("error_message", DataType.STRING, description="What went wrong"))
        super().__init_subclass__(**kwargs)



PAGE_SIZE = int_in("page_size", 100, "At most this many (0: all); Notion's pages are followed until then")
DIRECTION = text_in("sort_direction", "descending", "ascending or descending")


class Search(NotionNode):
    name = "data_notion_search"
    friendly_name = "Search Notion"
    description = "Pages and databases shared with the integration whose title matches, last edited first."
    inputs = (text_in("query", description="Words of the title; empty: everything"),
              text_in("filter_type", "all", "all, page or database"), DIRECTION, PAGE_SIZE)
    outputs = (struct_out("results", array=True, description="NotionSearchResult: id, object_type, title, url, "
                          "created_time, last_edited_time, icon_emoji"), int_out("count"),
               data_out("has_more", DataType.BOOLEAN))

    async def call(self, notion: Notion, *, query: str, filter_type: str, sort_direction: str,
                   page_size: int) -> dict[str, Any]:
        if filter_type not in ("all", "page", "database"):
            raise ValueError(f"filter_type must be all, page or database, got {filter_type!r}")
        found, more = await search(notion, query, filter_type, sort_direction, page_size)
        results = [{"object_type": item["object"], **summary(item)} for item in found]
        return {"results": results, "count": len(results), "has_more": more}


class ListDatabases(NotionNode):
    name = "data_notion_list_databases"
    friendly_name = "List Notion Databases"
    description = "The databases shared with the integration, optionally those whose title matches."
    inputs = (text_in("query", ""), PAGE_SIZE)
    outputs = (struct_out("databases", array=True, description="NotionDatabase: id, title, description, url, "
                          "created_time, last_edited_time, icon_emoji"), int_out("count"))

    async def call(self, notion: Notion, *, query: str, page_size: int) -> dict[str, Any]:
        found, _ = await search(notion, query, "database", "descending", page_size)
        databases = [{**summary(db), "description": plain(db.get("description")) or None} for db in found]
        return {"databases": databases, "count": len(databases)}


class GetDatabase(NotionNode):
    name = "data_notion_get_database"
    friendly_name = "Get Notion Database"
    description = "A database's schema: its title and properties with their types."
    inputs = (text_in("database_id"),)
    outputs = (struct_out("database", description="NotionDatabaseSchema: id, title, description, url, properties "
                          "(id, name, property_type, config), is_inline, created_time, last_edited_time"),
               text_out("title"), data_out("property_names", DataType.STRING, ValueType.ARRAY))

    async def call(self, notion: Notion, *, database_id: str) -> dict[str, Any]:
        found = await notion.call("GET", f"/databases/{required(database_id, 'database_id')}")
        properties = [{"id": p.get("id", ""), "name": name, "property_type": p.get("type", ""),
                       "config": p.get(p.get("type", ""), {})} for name, p in found.get("properties", {}).items()]
        database = {**summary(found), "description": plain(found.get("description")) or None,
                    "properties": properties, "is_inline": bool(found.get("is_inline"))}
        return {"database": database, "title": database["title"], "property_names": [p["name"] for p in properties]}


class QueryDatabase(NotionNode):
    name = "data_notion_query_database"
    friendly_name = "Query Notion Database"
    description = "The pages of a database, filtered by a Notion filter object (JSON) and sorted by a property."
    inputs = (text_in("database_id"), text_in("filter", "", 'A Notion filter as JSON, e.g. {"property": "Status", '
                                                          '"status": {"equals": "Done"}}'),
              text_in("sort_property", "", "Empty: Notion's order"), DIRECTION, PAGE_SIZE)
    outputs = (struct_out("pages", array=True, description="NotionPage: id, url, created_time, last_edited_time, "
                          "archived, icon_emoji, properties"), int_out("count"),
               data_out("has_more", DataType.BOOLEAN))

    async def call(self, notion: Notion, *, database_id: str, filter: str, sort_property: str, sort_direction: str,
                   page_size: int) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if filter.strip():
            body["filter"] = json_input(filter, "filter")
        if sort_property:
            body["sorts"] = [{"property": sort_property, "direction": sort_direction}]
        found, more = await notion.listing("POST", f"/databases/{required(database_id, 'database_id')}/query", body,
                                           limit=page_size)
        pages = [notion_page(page) for page in found]
        return {"pages": pages, "count": len(pages), "has_more": more}


class GetPage(NotionNode):
    name = "data_notion_get_page"
    friendly_name = "Get Notion Page"
    description = "A page's properties and, with include_content, its top-level blocks and their text."
    inputs = (text_in("page_id"), bool_in("include_content", True))
    outputs = (struct_out("page", description="NotionPageContent: id, url, title, times, archived, icon_emoji, "
                          "properties, blocks, plain_text"), text_out("title"),
               text_out("plain_text", "The blocks' text, a line each"),
               struct_out("blocks", array=True, description="NotionBlock: id, block_type, has_children, content"))

    async def call(self, notion: Notion, *, page_id: str, include_content: bool) -> dict[str, Any]:
        page = await notion.call("GET", f"/pages/{required(page_id, 'page_id')}")
        found = (await notion.listing("GET", f"/blocks/{page['id']}/children"))[0] if include_content else []
        blocks = [{"id": b["id"], "block_type": b.get("type", ""), "has_children": bool(b.get("has_children")),
                   "content": b.get(b.get("type", ""), {})} for b in found]
        text = "\n".join(line for line in map(block_text, found) if line)
        content = {**notion_page(page), "title": title_of(page), "blocks": blocks, "plain_text": text}
        return {"page": content, "title": content["title"], "plain_text": text, "blocks": blocks}


def required(value: str, what: str) -> str:
    if not value:
        raise ValueError(f"{what} is required")
    return quote(value, safe="")


def page_changes(properties: str, icon_emoji: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if properties.strip():
        body["properties"] = json_input(properties, "properties")
    if icon_emoji:
        body["icon"] = {"type": "emoji", "emoji": icon_emoji}
    return body


class CreatePage(NotionNode):
    name = "data_notion_create_page"
    friendly_name = "Create Notion Page"
    description = "Adds a page (a row) to a database, with property values and optional content."
    inputs = (text_in("database_id"),
              text_in("properties", description='Property values as Notion JSON, e.g. {"Name": {"title": [{"text": '
                                                '{"content": "Hello"}}]}}'),
              text_in("content", "", "A JSON array of Notion blocks, or plain text (a paragraph per line)"),
              text_in("icon_emoji", ""))
    outputs = (struct_out("page", description="CreatedNotionPage: id, url, created_time"), text_out("page_id"),
               text_out("page_url"))

    async def call(self, notion: Notion, *, database_id: str, properties: str, content: str,
                   icon_emoji: str) -> dict[str, Any]:
        if not properties.strip():
            raise ValueError("properties are required (the title property at least)")
        body = {"parent": {"database_id": required(database_id, "database_id")},
                **page_changes(properties, icon_emoji)}
        if content.strip():
            body["children"] = blocks_from(content)
        page = await notion.call("POST", "/pages", body)
        return {"page": {"id": page["id"], "url": page.get("url", ""), "created_time": page.get("created_time", "")},
                "page_id": page["id"], "page_url": page.get("url", "")}


class UpdatePage(NotionNode):
    name = "data_notion_update_page"
    friendly_name = "Update Notion Page"
    description = "Changes a page's property values or icon, or archives it (empty inputs change nothing)."
    inputs = (text_in("page_id"), text_in("properties", "", "Property values as Notion JSON (only those to change)"),
              text_in("icon_emoji", ""), bool_in("archived", False, "Move the page to the trash"))
    outputs = (struct_out("page", description="UpdatedNotionPage: id, url, last_edited_time"),)

    async def call(self, notion: Notion, *, page_id: str, properties: str, icon_emoji: str,
                   archived: bool) -> dict[str, Any]:
        body = page_changes(properties, icon_emoji) | ({"archived": True} if archived else {})
        page = await notion.call("PATCH", f"/pages/{required(page_id, 'page_id')}", body)
        return {"page": {"id": page["id"], "url": page.get("url", ""),
                         "last_edited_time": page.get("last_edited_time", "")}}
