"""A local stand-in for Notion's REST API (2022-06-28): search, databases, database queries, pages and block
children, answering with the JSON shapes Notion documents (trimmed) over in-memory data, and Notion's error
object for bad tokens, versions, ids and bodies."""

from __future__ import annotations

import itertools
import json
from typing import Any

from fake_server import TokenEndpoint, token_route

TOKEN = "ntn_local_test_token"
VERSION = "2022-06-28"


def rich(text: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": {"content": text, "link": None}, "plain_text": text, "href": None}]


class State:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.oauth = TokenEndpoint(TOKEN, encoding="json", client_auth="basic")
        self.ids = itertools.count(1)
        self.databases: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, dict[str, Any]] = {}
        self.children: dict[str, list[dict[str, Any]]] = {}
        tasks = self.database("Tasks", {"Name": {"id": "title", "type": "title", "title": {}},
                                        "Status": {"id": "st", "type": "select",
                                                   "select": {"options": [{"name": "Done"}, {"name": "Open"}]}}})
        self.database("Notes", {"Title": {"id": "title", "type": "title", "title": {}}})
        first = self.page(tasks["id"], {"Name": {"id": "title", "type": "title", "title": rich("Write tests")},
                                        "Status": {"id": "st", "type": "select", "select": {"name": "Done"}}},
                          "2026-01-03T10:00:00.000Z")
        self.page(tasks["id"], {"Name": {"id": "title", "type": "title", "title": rich("Ship it")},
                                "Status": {"id": "st", "type": "select", "select": {"name": "Open"}}},
                  "2026-01-04T10:00:00.000Z")
        self.children[first["id"]] = [
            self.block("heading_1", {"rich_text": rich("Plan")}),
            self.block("paragraph", {"rich_text": rich("First ") + rich("step")}),
            self.block("to_do", {"rich_text": rich("Review"), "checked": True}),
            self.block("divider", {}),
            self.block("image", {"type": "external", "external": {"url": "https://example.org/a.png"}})]

    def new_id(self) -> str:
        return f"00000000-0000-0000-0000-{next(self.ids):012d}"

    def database(self, title: str, properties: dict[str, Any]) -> dict[str, Any]:
        ident = self.new_id()
        self.databases[ident] = {"object": "database", "id": ident, "title": rich(title),
                                 "description": rich(f"{title} database"), "properties": properties,
                                 "url": f"https://www.notion.so/{ident.replace('-', '')}", "is_inline": False,
                                 "icon": {"type": "emoji", "emoji": "📋"}, "created_time": "2026-01-01T00:00:00.000Z",
                                 "last_edited_time": "2026-01-02T00:00:00.000Z", "archived": False}
        return self.databases[ident]

    def page(self, database: str, properties: dict[str, Any], edited: str) -> dict[str, Any]:
        ident = self.new_id()
        self.pages[ident] = {"object": "page", "id": ident, "created_time": edited, "last_edited_time": edited,
                             "archived": False, "icon": None,
                             "parent": {"type": "database_id", "database_id": database},
                             "properties": properties, "url": f"https://www.notion.so/{ident.replace('-', '')}"}
        return self.pages[ident]

    def block(self, kind: str, content: dict[str, Any]) -> dict[str, Any]:
        return {"object": "block", "id": self.new_id(), "type": kind, "has_children": False, kind: content}


def filled(value: dict[str, Any]) -> dict[str, Any]:
    """A property value as Notion answers it: rich text given as text.content gets its plain_text."""
    for key in ("title", "rich_text"):
        if isinstance(value.get(key), list):
            value[key] = [{**part, "plain_text": part.get("text", {}).get("content", "")} for part in value[key]]
    return value


def notion_app() -> Any:  # noqa: C901 - one route table for the fake, read top to bottom
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    state = State()

    def error(status: int, code: str, message: str) -> JSONResponse:
        return JSONResponse({"object": "error", "status": status, "code": code, "message": message},
                            status_code=status)

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            try:
                payload = json.loads(body) if body else None
            except ValueError:
                return error(400, "invalid_json", "Error parsing JSON body.")
            state.requests.append({"method": request.method, "path": request.url.path,
                                   "query": dict(request.query_params), "json": payload})
            if request.headers.get("authorization") != f"Bearer {TOKEN}":
                return error(401, "unauthorized", "API token is invalid.")
            if request.headers.get("notion-version") != VERSION:
                return error(400, "missing_version", "Notion-Version header failed validation.")
            return await handler(request, payload, **request.path_params)

        return endpoint

    def listing(results: list[dict[str, Any]], size: int, cursor: str | None = None) -> JSONResponse:
        start = int(cursor or 0)
        more = start + size < len(results)
        return JSONResponse({"object": "list", "results": results[start:start + size], "has_more": more,
                             "next_cursor": str(start + size) if more else None, "type": "page_or_database"})

    def title(item: dict[str, Any]) -> str:
        if item["object"] == "database":
            return "".join(t["plain_text"] for t in item["title"])
        return "".join(t["plain_text"] for p in item["properties"].values() if p["type"] == "title"
                       for t in p["title"])

    def shown(value: dict[str, Any]) -> str:
        """A title or select property's text (what the fake sorts by)."""
        if value["type"] == "title":
            return "".join(t["plain_text"] for t in value["title"])
        return (value.get("select") or {}).get("name", "")

    async def search(request: Request, payload: Any) -> Response:
        items = [*state.databases.values(), *state.pages.values()]
        wanted = (payload.get("filter") or {}).get("value")
        if wanted not in (None, "page", "database"):
            return error(400, "validation_error", "body failed validation: body.filter.value should be "
                                                  '"page" or "database"')
        items = [i for i in items if wanted in (None, i["object"]) and payload.get("query", "").lower() in
                 title(i).lower()]
        backwards = (payload.get("sort") or {}).get("direction", "descending") == "descending"
        items.sort(key=lambda i: i["last_edited_time"], reverse=backwards)
        return listing(items, payload.get("page_size", 100), payload.get("start_cursor"))

    async def database(request: Request, payload: Any, ident: str) -> Response:
        found = state.databases.get(ident)
        if found is None:
            return error(404, "object_not_found", f"Could not find database with ID: {ident}. Make sure the "
                                                  "relevant pages and databases are shared with your integration.")
        return JSONResponse(found)

    async def query(request: Request, payload: Any, ident: str) -> Response:
        if ident not in state.databases:
            return await database(request, payload, ident)
        pages = [p for p in state.pages.values() if p["parent"].get("database_id") == ident and not p["archived"]]
        condition = payload.get("filter")
        if condition:
            if "select" not in condition or "property" not in condition:
                return error(400, "validation_error", "body failed validation: body.filter is not a supported filter")
            pages = [p for p in pages if (p["properties"].get(condition["property"], {}).get("select") or {})
                     .get("name") == condition["select"].get("equals")]
        for sort in reversed(payload.get("sorts", [])):
            pages.sort(key=lambda p, name=sort["property"]: shown(p["properties"][name]),
                       reverse=sort["direction"] == "descending")
        return listing(pages, payload.get("page_size", 100), payload.get("start_cursor"))

    async def pages(request: Request, payload: Any) -> Response:
        parent = payload.get("parent", {}).get("database_id")
        if parent not in state.databases:
            return error(404, "object_not_found", f"Could not find database with ID: {parent}.")
        unknown = set(payload.get("properties", {})) - set(state.databases[parent]["properties"])
        if unknown:
            return error(400, "validation_error", f"{sorted(unknown)[0]} is not a property that exists.")
        schema = state.databases[parent]["properties"]
        page = state.page(parent, {name: filled({"id": schema[name]["id"], "type": schema[name]["type"], **value})
                                   for name, value in payload["properties"].items()}, "2026-02-01T00:00:00.000Z")
        page["icon"] = payload.get("icon")
        state.children[page["id"]] = [{"object": "block", "id": state.new_id(), "has_children": False, **block}
                                      for block in payload.get("children", [])]
        return JSONResponse(page)

    async def page(request: Request, payload: Any, ident: str) -> Response:
        found = state.pages.get(ident)
        if found is None:
            return error(404, "object_not_found", f"Could not find page with ID: {ident}.")
        if request.method == "PATCH":
            for name, value in payload.get("properties", {}).items():
                found["properties"][name] = filled({**found["properties"].get(name, {}), **value})
            found.update({k: payload[k] for k in ("icon", "archived") if k in payload})
            found["last_edited_time"] = "2026-02-02T00:00:00.000Z"
        return JSONResponse(found)

    async def children(request: Request, payload: Any, ident: str) -> Response:
        if ident not in state.pages:
            return error(404, "object_not_found", f"Could not find block with ID: {ident}.")
        query = request.query_params
        return listing(state.children.get(ident, []), int(query.get("page_size", 100)), query.get("start_cursor"))

    app = Starlette(routes=[
        Route("/v1/search", guarded(search), methods=["POST"]),
        Route("/v1/databases/{ident}", guarded(database)),
        Route("/v1/databases/{ident}/query", guarded(query), methods=["POST"]),
        Route("/v1/pages", guarded(pages), methods=["POST"]),
        Route("/v1/pages/{ident}", guarded(page), methods=["GET", "PATCH"]),
        Route("/v1/blocks/{ident}/children", guarded(children)),
        token_route("/v1/oauth/token", state),
    ])
    app.state.notion = state
    return app
