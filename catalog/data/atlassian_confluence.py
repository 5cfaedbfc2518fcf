"""Confluence: pages (read, create, update, delete, tree), spaces, comments, labels, CQL search and users.

On Cloud, pages, spaces, comments and labels go through REST v2 (cursor paging: an offset walks the cursor); CQL
search, users, label changes and expanded child listings through v1, which v2 has no counterpart for. Listings
follow `_links.next` (v1 and v2) until they have `limit` results, or all where the node has no limit. Data Center
has v1 only: there every node speaks v1 (`/rest/api/content`...). Pages come out in Flow-Like's shape (id, title,
space, version, body by format, url). The nodes Flow-Like gives an Error output fire it with Confluence's message;
the others fail with it (On Error)."""

from __future__ import annotations

import html
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.atlassian import Atlassian, AtlassianNode, Provider, required, segment, struct_out
from flowlike_catalog.web.paging import collect
from flowlike_catalog.web.service_pins import bool_in, int_in, int_out, text_in

from flowlike_core import Context, DataType, Pin, data_out, node

CATEGORY = "Data/Atlassian/Confluence"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
BODY_FORMATS = ("storage", "atlas_doc_format", "view")
CONTENT_TYPES = ("all", "page", "blogpost", "comment", "attachment")
MOST_A_PAGE = {"wiki": 250, "wiki1": 100}
"""The most results a page of v2 and of v1 listings holds (Confluence's own caps may be lower: its next links
still say where the rest is)."""


def confluence_node(friendly_name: str) -> Any:
    return node(friendly_name=friendly_name, exec_pins=True)


def web_url(confluence: Atlassian, value: dict[str, Any]) -> str:
    links = value.get("_links") or {}
    home = confluence.provider.base_url + ("/wiki" if confluence.cloud else "")
    return (links.get("base") or home) + links.get("webui", "")


def page(confluence: Atlassian, value: dict[str, Any], space_key: str = "") -> dict[str, Any]:
    """A v2 page (or a v1 content object) in Flow-Like's ConfluencePage shape, plus the space id."""
    body, version, ancestors = value.get("body") or {}, value.get("version") or {}, value.get("ancestors") or [{}]
    return {"id": str(value.get("id", "")), "title": value.get("title", ""),
            "space_key": space_key or (value.get("space") or {}).get("key", ""), "space_id": value.get("spaceId"),
            "status": value.get("status", ""),
            "body": {kind: (body.get(kind) or {}).get("value") for kind in BODY_FORMATS} if body else None,
            "parent_id": value.get("parentId") or ancestors[-1].get("id"), "version": version.get("number", 0),
            "author_id": value.get("authorId") or version.get("authorId"), "created_at": value.get("createdAt", ""),
            "updated_at": version.get("createdAt") or version.get("when", ""), "url": web_url(confluence, value)}


def user(value: dict[str, Any]) -> dict[str, Any]:
    picture = value.get("profilePicture") or {}
    return {"account_id": value.get("accountId") or value.get("userKey") or value.get("username", ""),
            "display_name": value.get("displayName") or value.get("publicName", ""), "email": value.get("email"),
            "profile_picture_url": picture.get("path")}


def storage_paragraphs(text: str) -> str:
    """Plain text as storage format: a paragraph per line, markup characters escaped."""
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())


async def walk(confluence: Atlassian, path: str, start: int = 0, limit: int = 0, *, api: str = "wiki",
               **params: Any) -> tuple[list[Any], bool]:
    """`limit` results (0: all) of a listing from offset `start`, following its `_links.next` (the web pack's
    paging); and whether more follow. v1 (`api` wiki1) takes the offset as `start`; v2 pages by cursor only, so the
    results before `start` are walked past."""
    skip, most = start if api == "wiki" else 0, MOST_A_PAGE[api]
    if start and not skip:
        params["start"] = start

    async def listed(url: str | None, wanted: int) -> tuple[list[Any], str | None]:
        found = await confluence.call("GET", path, api=api, url=url or "",
                                      params=None if url else params | {"limit": min(wanted or most, most)})
        following = (found.get("_links") or {}).get("next")
        return found.get("results") or [], confluence.linked(api, following) if following else None

    found, following = await collect(confluence.ctx, listed, skip + limit if limit else 0,
                                     what=f"Confluence's {path}")
    return found[skip:], bool(following)


# ---- pages ---------------------------------------------------------------------------------------------------


class GetPage(AtlassianNode):
    name = "data_atlassian_confluence_get_page"
    friendly_name = "Get Confluence Page"
    description = "One page, with its body in the chosen format."
    inputs = (text_in("page_id"), bool_in("include_body", True),
              text_in("body_format", "storage", "storage (XHTML), atlas_doc_format (ADF JSON) or view (HTML)"))
    outputs = (struct_out("page"), data_out("body_content", DataType.STRING, description="The body in body_format"))

    async def call(self, confluence: Atlassian, *, page_id: str, include_body: bool,
                   body_format: str) -> dict[str, Any]:
        if include_body and body_format not in BODY_FORMATS:
            raise ValueError(f"body_format must be one of {', '.join(BODY_FORMATS)}, got {body_format!r}")
        if confluence.cloud:
            found = await confluence.call("GET", f"/pages/{segment(page_id, 'page_id')}", api="wiki",
                                          params={"body-format": body_format if include_body else ""})
        else:
            found = await v1_content(confluence, page_id, f"body.{body_format}" if include_body else "")
        shaped = page(confluence, found)
        return {"page": shaped, "body_content": (shaped["body"] or {}).get(body_format) or ""}


async def v1_content(confluence: Atlassian, page_id: str, *expand: str) -> dict[str, Any]:
    """A page through v1 (Data Center), with its space, version and ancestors and the given expansions."""
    return await confluence.call("GET", f"/content/{segment(page_id, 'page_id')}", api="wiki1",
                                 params={"expand": ",".join(["space", "version", "ancestors", *filter(None, expand)])})


def v1_body(value: str) -> dict[str, Any]:
    return {"storage": {"value": value, "representation": "storage"}}


async def space_id(confluence: Atlassian, space_key: str) -> str:
    found = await confluence.call("GET", "/spaces", api="wiki", params={"keys": required(space_key, "space_key")})
    if not found.get("results"):
        raise ValueError(f"Confluence has no space with key {space_key!r} (or the user cannot see it)")
    return str(found["results"][0]["id"])


class CreatePage(AtlassianNode):
    name = "data_atlassian_confluence_create_page"
    friendly_name = "Create Confluence Page"
    description = "Creates a page in a space, under a parent page when given; the body is storage format (XHTML)."
    inputs = (text_in("space_key"), text_in("title"), text_in("body", "", "Storage format, e.g. <p>Hello</p>"),
              text_in("parent_id", ""))
    outputs = (struct_out("page"), data_out("page_id", DataType.STRING))

    async def call(self, confluence: Atlassian, *, space_key: str, title: str, body: str,
                   parent_id: str) -> dict[str, Any]:
        if not confluence.cloud:
            payload: dict[str, Any] = {"type": "page", "title": required(title, "title"),
                                       "space": {"key": required(space_key, "space_key")}, "body": v1_body(body)}
            if parent_id:
                payload["ancestors"] = [{"id": parent_id}]
            made = page(confluence, await confluence.call("POST", "/content", api="wiki1", body=payload), space_key)
            return {"page": made, "page_id": made["id"]}
        payload = {"spaceId": await space_id(confluence, space_key), "status": "current",
                   "title": required(title, "title"), "body": {"representation": "storage", "value": body}}
        if parent_id:
            payload["parentId"] = parent_id
        made = page(confluence, await confluence.call("POST", "/pages", api="wiki", body=payload), space_key)
        return {"page": made, "page_id": made["id"]}


class UpdatePage(AtlassianNode):
    name = "data_atlassian_confluence_update_page"
    friendly_name = "Update Confluence Page"
    description = "Replaces a page's title and/or body (empty keeps it) as a new version."
    inputs = (text_in("page_id"), text_in("title", ""), text_in("body", "", "Storage format"),
              text_in("version_message", ""))
    outputs = (struct_out("page"),)

    async def call(self, confluence: Atlassian, *, page_id: str, title: str, body: str,
                   version_message: str) -> dict[str, Any]:
        cloud = confluence.cloud
        path = f"/pages/{segment(page_id, 'page_id')}" if cloud else f"/content/{segment(page_id, 'page_id')}"
        current = (await confluence.call("GET", path, api="wiki", params={"body-format": "storage"}) if cloud
                   else await v1_content(confluence, page_id, "body.storage"))
        version: dict[str, Any] = {"number": (current.get("version") or {}).get("number", 0) + 1}
        if version_message:
            version["message"] = version_message
        text = body or ((current.get("body") or {}).get("storage") or {}).get("value", "")
        if not cloud:
            payload = {"id": str(current["id"]), "type": "page", "title": title or current["title"],
                       "space": {"key": (current.get("space") or {}).get("key", "")}, "version": version,
                       "body": v1_body(text)}
            return {"page": page(confluence, await confluence.call("PUT", path, api="wiki1", body=payload))}
        payload = {"id": str(current["id"]), "status": current.get("status") or "current",
                   "title": title or current["title"], "version": version,
                   "body": {"representation": "storage", "value": text}}
        return {"page": page(confluence, await confluence.call("PUT", path, api="wiki", body=payload))}


@confluence_node("Delete Page")
async def data_atlassian_confluence_delete_page(ctx: Context, provider: Provider,
                                                page_id: str) -> Annotated[bool, Pin(name="success")]:
    """Moves a page to the trash."""
    confluence = Atlassian(ctx, provider)
    if confluence.cloud:
        await confluence.call("DELETE", f"/pages/{segment(page_id, 'page_id')}", api="wiki")
    else:
        await confluence.call("DELETE", f"/content/{segment(page_id, 'page_id')}", api="wiki1")
    return True


class Children(NamedTuple):
    children: list[dict]
    count: int


@confluence_node("Get Page Children")
async def data_atlassian_confluence_get_page_children(
        ctx: Context, provider: Provider, page_id: str,
        expand: Annotated[str, Pin(description="v1 expansions, e.g. body.storage,version; empty for the plain "
                                   "v2 listing")] = "",
        limit: int = 25) -> Children:
    """A page's child pages."""
    confluence = Atlassian(ctx, provider)
    if expand.strip() or not confluence.cloud:
        children, _ = await walk(confluence, f"/content/{segment(page_id, 'page_id')}/child/page", 0, limit,
                                 api="wiki1", expand=expand)
    else:
        children, _ = await walk(confluence, f"/pages/{segment(page_id, 'page_id')}/children", 0, limit)
    shaped = [page(confluence, child) for child in children]
    return Children(shaped, len(shaped))


class Ancestors(NamedTuple):
    ancestors: Annotated[list[dict], Pin(description="From the top of the tree down to the parent")]
    depth: int


@confluence_node("Get Page Ancestors")
async def data_atlassian_confluence_get_page_ancestors(ctx: Context, provider: Provider, page_id: str) -> Ancestors:
    """The pages above a page, each with its title."""
    confluence = Atlassian(ctx, provider)
    if not confluence.cloud:
        ancestors = [page(confluence, a) for a in (await v1_content(confluence, page_id)).get("ancestors", [])]
        return Ancestors(ancestors, len(ancestors))
    found = await confluence.call("GET", f"/pages/{segment(page_id, 'page_id')}/ancestors", api="wiki")
    ancestors = [page(confluence, await confluence.call("GET", f"/pages/{segment(a['id'], 'id')}", api="wiki"))
                 if a.get("type", "page") == "page" else {"id": str(a["id"]), "type": a.get("type")}
                 for a in found.get("results", [])]
    return Ancestors(ancestors, len(ancestors))


# ---- spaces and search ---------------------------------------------------------------------------------------


class ListSpaces(AtlassianNode):
    name = "data_atlassian_confluence_list_spaces"
    friendly_name = "List Confluence Spaces"
    description = "The spaces the user can see, a page at a time."
    inputs = (text_in("space_type", "all", "all, global, personal (or collaboration, knowledge_base)"),
              text_in("status", "current", "current or archived"), int_in("limit", 25), int_in("start", 0))
    outputs = (struct_out("spaces", array=True), int_out("count"))

    async def call(self, confluence: Atlassian, *, space_type: str, status: str, limit: int,
                   start: int) -> dict[str, Any]:
        kind = "" if space_type == "all" else space_type
        if confluence.cloud:
            found, _ = await walk(confluence, "/spaces", max(0, start), limit, status=status, type=kind)
        else:
            found = (await confluence.call("GET", "/space", api="wiki1", params={
                "type": kind, "status": status, "start": max(0, start), "limit": max(1, limit)})).get("results", [])
        spaces = [{"id": str(s["id"]), "key": s.get("key", ""), "name": s.get("name", ""),
                   "space_type": s.get("type", ""), "description": ((s.get("description") or {}).get("plain") or {})
                   .get("value"), "homepage_id": s.get("homepageId"), "status": s.get("status", ""),
                   "url": web_url(confluence, s)} for s in found]
        return {"spaces": spaces, "count": len(spaces)}


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Search(AtlassianNode):
    name = "data_atlassian_confluence_search"
    friendly_name = "Search Confluence"
    description = "Content matching CQL, or text in a space and of a type when cql is empty."
    inputs = (text_in("cql", "", "e.g. type = page AND space = ENG AND title ~ \"plan\""), text_in("text", ""),
              text_in("space_key", ""), text_in("content_type", "all", ", ".join(CONTENT_TYPES)),
              int_in("limit", 25), int_in("start", 0))
    outputs = (struct_out("results", array=True), int_out("total", "Matches in all pages"),
               data_out("has_more", DataType.BOOLEAN))

    async def call(self, confluence: Atlassian, *, cql: str, text: str, space_key: str, content_type: str,
                   limit: int, start: int) -> dict[str, Any]:
        if content_type not in CONTENT_TYPES:
            raise ValueError(f"content_type must be one of {', '.join(CONTENT_TYPES)}, got {content_type!r}")
        if not cql.strip():
            parts = [f"text ~ {quoted(text)}" if text else "", f"space = {quoted(space_key)}" if space_key else "",
                     f"type = {content_type}" if content_type != "all" else ""]
            cql = " AND ".join(part for part in parts if part)
        if not cql:
            raise ValueError("give cql, or text, space_key or content_type to search by")
        found = await confluence.call("GET", "/search", api="wiki1", params={
            "cql": cql, "limit": max(1, limit), "start": max(0, start), "expand": "content.space"})
        results = [{"id": str((r.get("content") or {}).get("id", "")),
                    "content_type": (r.get("content") or {}).get("type", r.get("entityType", "")),
                    "title": r.get("title", ""),
                    "space_key": ((r.get("content") or {}).get("space") or {}).get("key"),
                    "status": (r.get("content") or {}).get("status", ""),
                    "url": confluence.provider.base_url + "/wiki" + r.get("url", ""), "excerpt": r.get("excerpt"),
                    "updated_at": r.get("lastModified")} for r in found.get("results", [])]
        total = found.get("totalSize", found.get("size", len(results)))
        return {"results": results, "total": total, "has_more": max(0, start) + len(results) < total}


# ---- comments and labels -------------------------------------------------------------------------------------


def comment(value: dict[str, Any]) -> dict[str, Any]:
    version = value.get("version") or {}
    by = version.get("by") or {}  # v1
    return {"id": str(value.get("id", "")), "page_id": value.get("pageId") or (value.get("container") or {}).get("id"),
            "body": ((value.get("body") or {}).get("storage") or {}).get("value", ""),
            "author_id": version.get("authorId") or by.get("accountId") or by.get("userKey"),
            "created_at": version.get("createdAt") or version.get("when", ""),
            "version": version.get("number", 0)}


@confluence_node("Add Comment")
async def data_atlassian_confluence_add_comment(
        ctx: Context, provider: Provider, page_id: str,
        body: Annotated[str, Pin(description="Plain text: a paragraph per line")]) -> Annotated[
            dict, Pin(name="comment")]:
    """Adds a footer comment to a page."""
    if not body.strip():
        raise ValueError("the comment body is empty")
    confluence, value = Atlassian(ctx, provider), storage_paragraphs(body)
    if not confluence.cloud:
        return comment(await confluence.call("POST", "/content", api="wiki1", body={
            "type": "comment", "container": {"id": required(page_id, "page_id"), "type": "page"},
            "body": v1_body(value)}))
    made = await confluence.call("POST", "/footer-comments", api="wiki", body={
        "pageId": required(page_id, "page_id"), "body": {"representation": "storage", "value": value}})
    return comment(made)


@confluence_node("Get Comments")
async def data_atlassian_confluence_get_comments(ctx: Context, provider: Provider,
                                                 page_id: str) -> Annotated[list[dict], Pin(name="comments")]:
    """A page's footer comments (every page of them), bodies in storage format."""
    confluence = Atlassian(ctx, provider)
    if not confluence.cloud:
        found, _ = await walk(confluence, f"/content/{segment(page_id, 'page_id')}/child/comment", api="wiki1",
                              expand="body.storage,version,container")
    else:
        found, _ = await walk(confluence, f"/pages/{segment(page_id, 'page_id')}/footer-comments",
                              **{"body-format": "storage"})
    return [comment(c) for c in found]


class Labels(NamedTuple):
    labels: Annotated[list[dict], Pin(description="id, name, prefix (global, my, team)")]
    count: int


@confluence_node("Get Labels")
async def data_atlassian_confluence_get_labels(ctx: Context, provider: Provider, page_id: str) -> Labels:
    """A page's labels."""
    confluence = Atlassian(ctx, provider)
    found, _ = await walk(confluence, f"/content/{segment(page_id, 'page_id')}/label", api="wiki1") \
        if not confluence.cloud else await walk(confluence, f"/pages/{segment(page_id, 'page_id')}/labels")
    labels = [{"id": str(label.get("id", "")), "name": label["name"], "prefix": label.get("prefix", "global")}
              for label in found]
    return Labels(labels, len(labels))


@confluence_node("Add Label")
async def data_atlassian_confluence_add_label(ctx: Context, provider: Provider, page_id: str,
                                              label: str) -> Annotated[bool, Pin(name="success")]:
    """Labels a page (a global label; Confluence lowercases it)."""
    await Atlassian(ctx, provider).call("POST", f"/content/{segment(page_id, 'page_id')}/label", api="wiki1",
                                        body=[{"prefix": "global", "name": required(label, "label")}])
    return True


@confluence_node("Remove Label")
async def data_atlassian_confluence_remove_label(ctx: Context, provider: Provider, page_id: str,
                                                 label: str) -> Annotated[bool, Pin(name="success")]:
    """Takes a label off a page."""
    await Atlassian(ctx, provider).call("DELETE", f"/content/{segment(page_id, 'page_id')}/label", api="wiki1",
                                        params={"name": required(label, "label")})
    return True


# ---- users ---------------------------------------------------------------------------------------------------


@confluence_node("Get Current User")
async def data_atlassian_confluence_get_current_user(ctx: Context,
                                                     provider: Provider) -> Annotated[dict, Pin(name="user")]:
    """The user the provider's credentials belong to."""
    return user(await Atlassian(ctx, provider).call("GET", "/user/current", api="wiki1"))


class Users(NamedTuple):
    users: list[dict]
    count: int


@confluence_node("Search Users")
async def data_atlassian_confluence_search_users(ctx: Context, provider: Provider, query: str,
                                                 limit: int = 25) -> Users:
    """Users whose full name matches the query."""
    found, _ = await walk(Atlassian(ctx, provider), "/search/user", 0, limit, api="wiki1",
                          cql=f"user.fullname ~ {quoted(required(query, 'query'))}")
    users = [user(r.get("user") or {}) for r in found]
    return Users(users, len(users))
