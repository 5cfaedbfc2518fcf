"""SharePoint through Microsoft Graph: sites, their document libraries (drives) and files, and their lists with
their items (the columns' values under `fields`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flowlike_catalog.data.microsoft import COUNT, Graph, GraphError, GraphNode, drive_path, listed, segment, struct_out
from flowlike_catalog.web.service_pins import bool_in, text_in, text_out

from flowlike_core import DataType, ValueType, data_out

CATEGORY = "Data/Microsoft/SharePoint"
CAPABILITIES = ("network",)

SITE_ID = text_in("site_id", description="Like contoso.sharepoint.com,{site collection id},{web id}")
DRIVE_ID = text_in("drive_id")


def site_of(site_id: str) -> str:
    return f"/sites/{segment(site_id, 'site_id')}"


def site_at(hostname: str, path: str) -> str:
    """A site by host name and server-relative path (`/sites/host:/sites/Marketing`); the host's root site."""
    parts = [quote(part, safe="") for part in path.strip("/").split("/") if part]
    return f"/sites/{segment(hostname, 'hostname')}" + (":/" + "/".join(parts) if parts else "")


class SearchSites(GraphNode):
    name = "data_microsoft_sharepoint_search_sites"
    friendly_name = "Search SharePoint Sites"
    description = "Sites whose name or description match the query."
    inputs = (text_in("query"),)
    outputs = (struct_out("sites", array=True, description="Graph's sites"), COUNT)

    async def call(self, graph: Graph, *, query: str) -> dict[str, Any]:
        if not query:
            raise ValueError("query is required")
        return listed("sites", await graph.list("/sites", {"search": query}))


class GetSite(GraphNode):
    name = "data_microsoft_sharepoint_get_site"
    friendly_name = "Get SharePoint Site"
    description = ("A site by id, or by host name and server-relative path (like /sites/Marketing; empty: the "
                   "root site).")
    inputs = (text_in("hostname", "", "Like contoso.sharepoint.com"), text_in("site_path", ""), text_in("site_id", ""))
    outputs = (struct_out("site", description="Graph's site"), text_out("site_id"))

    async def call(self, graph: Graph, *, hostname: str, site_path: str, site_id: str) -> dict[str, Any]:
        if not site_id and not hostname:
            raise ValueError("give site_id, or hostname (and site_path)")
        site = await graph.call("GET", site_of(site_id) if site_id else site_at(hostname, site_path))
        return {"site": site, "site_id": site["id"]}


class ListDrives(GraphNode):
    name = "data_microsoft_sharepoint_list_drives"
    friendly_name = "List SharePoint Drives"
    description = "A site's document libraries."
    inputs = (SITE_ID,)
    outputs = (struct_out("drives", array=True, description="Graph's drives"), COUNT)

    async def call(self, graph: Graph, *, site_id: str) -> dict[str, Any]:
        return listed("drives", await graph.list(site_of(site_id) + "/drives"))


class ListDriveItems(GraphNode):
    name = "data_microsoft_sharepoint_list_drive_items"
    friendly_name = "List Drive Items"
    description = "The files and folders of a folder in a document library: by id, by path, or the library's root."
    inputs = (DRIVE_ID, text_in("folder_path", "", "Like /Reports/2026"), text_in("folder_id", ""))
    outputs = (struct_out("items", array=True, description="Graph's driveItems"), COUNT)

    async def call(self, graph: Graph, *, drive_id: str, folder_path: str, folder_id: str) -> dict[str, Any]:
        drive = f"/drives/{segment(drive_id, 'drive_id')}"
        path = f"{drive}/items/{segment(folder_id, 'folder_id')}/children" if folder_id else \
            drive_path(folder_path, "children", drive)
        return listed("items", await graph.list(path))


class DownloadFile(GraphNode):
    name = "data_microsoft_sharepoint_download_file"
    friendly_name = "Download SharePoint File"
    description = "A file's bytes, and the short-lived pre-authenticated URL they came from."
    inputs = (DRIVE_ID, text_in("item_id"))
    outputs = (data_out("content", DataType.BYTE, ValueType.ARRAY),
               text_out("download_url", "Valid for a few minutes, no token needed"))

    async def call(self, graph: Graph, *, drive_id: str, item_id: str) -> dict[str, Any]:
        item = await graph.call("GET", f"/drives/{segment(drive_id, 'drive_id')}/items/{segment(item_id, 'item_id')}")
        url = item.get("@microsoft.graph.downloadUrl")
        if not url:
            raise GraphError(f"{item.get('name', item_id)!r} has no download URL (is it a folder?)")
        return {"content": await graph.download(url), "download_url": url}


class ListLists(GraphNode):
    name = "data_microsoft_sharepoint_list_lists"
    friendly_name = "List SharePoint Lists"
    description = "A site's lists (document libraries among them)."
    inputs = (SITE_ID,)
    outputs = (struct_out("lists", array=True, description="Graph's lists"), COUNT)

    async def call(self, graph: Graph, *, site_id: str) -> dict[str, Any]:
        return listed("lists", await graph.list(site_of(site_id) + "/lists"))


class GetListItems(GraphNode):
    name = "data_microsoft_sharepoint_get_list_items"
    friendly_name = "Get List Items"
    description = "A list's items, with their column values under fields when expand_fields is on."
    inputs = (SITE_ID, text_in("list_id", description="The list's id or name"), bool_in("expand_fields", True))
    outputs = (struct_out("items", array=True, description="Graph's listItems"), COUNT)

    async def call(self, graph: Graph, *, site_id: str, list_id: str, expand_fields: bool) -> dict[str, Any]:
        path = f"{site_of(site_id)}/lists/{segment(list_id, 'list_id')}/items"
        return listed("items", await graph.list(path, {"$expand": "fields" if expand_fields else ""}))
