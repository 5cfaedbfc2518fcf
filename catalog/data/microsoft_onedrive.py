"""OneDrive files by path (`/Documents/report.docx`) in the signed-in user's drive: list, read, write, move, copy,
delete and search, as Microsoft Graph's driveItem API does them. File contents travel as base64 text, as in
Flow-Like (decode them with the std pack's Base64 nodes)."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import quote

from flowlike_catalog.data.microsoft import (
    COUNT,
    Graph,
    GraphError,
    GraphNode,
    drive_path,
    listed,
    odata_string,
    struct_out,
)
from flowlike_catalog.web.service_pins import text_in, text_out

CATEGORY = "Data/Microsoft/OneDrive"
CAPABILITIES = ("network",)

ITEM = struct_out("item", description="Graph's driveItem")
ITEMS = struct_out("items", array=True, description="Graph's driveItems")
CONFLICT = ("fail", "replace", "rename")


class ListItems(GraphNode):
    name = "data_microsoft_onedrive_list_items"
    friendly_name = "List OneDrive Items"
    description = "The files and folders in a folder (the drive's root when folder_path is empty)."
    inputs = (text_in("folder_path", "", "Like /Documents/Reports"),)
    outputs = (ITEMS, COUNT)

    async def call(self, graph: Graph, *, folder_path: str) -> dict[str, Any]:
        return listed("items", await graph.list(drive_path(folder_path, "children")))


class GetItem(GraphNode):
    name = "data_microsoft_onedrive_get_item"
    friendly_name = "Get OneDrive Item"
    description = "A file's or folder's metadata (size, dates, webUrl, parentReference...)."
    inputs = (text_in("item_path", description="Like /Documents/report.docx"),)
    outputs = (ITEM,)

    async def call(self, graph: Graph, *, item_path: str) -> dict[str, Any]:
        return {"item": await graph.call("GET", drive_path(item_path))}


class Download(GraphNode):
    name = "data_microsoft_onedrive_download"
    friendly_name = "Download File"
    description = "A file's contents, as base64 text."
    inputs = (text_in("item_path", description="Like /Documents/report.docx"),)
    outputs = (text_out("content", "The file's bytes, base64-encoded"),)

    async def call(self, graph: Graph, *, item_path: str) -> dict[str, Any]:
        if not item_path.strip("/"):
            raise ValueError("item_path names no file")
        response = await graph.send("GET", graph.url(drive_path(item_path, "content")))
        return {"content": base64.b64encode(response.body).decode("ascii")}


class Upload(GraphNode):
    name = "data_microsoft_onedrive_upload"
    friendly_name = "Upload File"
    description = ("Writes a file from base64 text (Graph's simple upload: up to 250 MB). conflict_behavior: "
                   "rename, replace or fail when the file exists.")
    inputs = (text_in("file_path", description="Like /Documents/report.txt"),
              text_in("content", description="The file's bytes, base64-encoded"),
              text_in("conflict_behavior", "rename", "rename, replace or fail"))
    outputs = (ITEM,)

    async def call(self, graph: Graph, *, file_path: str, content: str, conflict_behavior: str) -> dict[str, Any]:
        if conflict_behavior not in CONFLICT:
            raise ValueError(f"conflict_behavior must be one of {', '.join(CONFLICT)}, got {conflict_behavior!r}")
        if not file_path.strip("/"):
            raise ValueError("file_path names no file")
        try:
            data = base64.b64decode(content, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"content is not base64 text: {exc}") from None
        item = await graph.call("PUT", drive_path(file_path, "content"),
                                params={"@microsoft.graph.conflictBehavior": conflict_behavior}, content=data,
                                headers={"Content-Type": "application/octet-stream"})
        return {"item": item}


class CreateFolder(GraphNode):
    name = "data_microsoft_onedrive_create_folder"
    friendly_name = "Create Folder"
    description = "Makes a folder in parent_path (the root when empty); a taken name gets a number added."
    inputs = (text_in("parent_path", ""), text_in("folder_name"))
    outputs = (ITEM,)

    async def call(self, graph: Graph, *, parent_path: str, folder_name: str) -> dict[str, Any]:
        if not folder_name:
            raise ValueError("folder_name is required")
        body = {"name": folder_name, "folder": {}, "@microsoft.graph.conflictBehavior": "rename"}
        return {"item": await graph.call("POST", drive_path(parent_path, "children"), body=body)}


class Delete(GraphNode):
    name = "data_microsoft_onedrive_delete"
    friendly_name = "Delete Item"
    description = "Moves a file or folder to the recycle bin."
    inputs = (text_in("item_path"),)

    async def call(self, graph: Graph, *, item_path: str) -> dict[str, Any]:
        if not item_path.strip("/"):
            raise ValueError("item_path names no item (the root cannot be deleted)")
        await graph.call("DELETE", drive_path(item_path))
        return {}


async def destination(graph: Graph, path: str) -> dict[str, Any]:
    """The parentReference of the folder at `path`."""
    folder = await graph.call("GET", drive_path(path))
    if "folder" not in folder and "root" not in folder:
        raise GraphError(f"{path!r} is not a folder")
    return {"id": folder["id"], "driveId": (folder.get("parentReference") or {}).get("driveId")
            or folder.get("driveId", "")}


class Move(GraphNode):
    name = "data_microsoft_onedrive_move"
    friendly_name = "Move Item"
    description = "Moves a file or folder into another folder, renaming it when new_name is given."
    inputs = (text_in("item_path"), text_in("destination_path", description="The folder to move into"),
              text_in("new_name", ""))
    outputs = (ITEM,)

    async def call(self, graph: Graph, *, item_path: str, destination_path: str, new_name: str) -> dict[str, Any]:
        parent = await destination(graph, destination_path)
        body = {"parentReference": {"id": parent["id"]}} | ({"name": new_name} if new_name else {})
        return {"item": await graph.call("PATCH", drive_path(item_path), body=body)}


class Copy(GraphNode):
    name = "data_microsoft_onedrive_copy"
    friendly_name = "Copy Item"
    description = ("Starts copying a file or folder into another folder (Graph copies in the background: the copy "
                   "appears when it is done).")
    inputs = (text_in("item_path"), text_in("destination_path", description="The folder to copy into"),
              text_in("new_name", ""))

    async def call(self, graph: Graph, *, item_path: str, destination_path: str, new_name: str) -> dict[str, Any]:
        parent = await destination(graph, destination_path)
        body = {"parentReference": parent} | ({"name": new_name} if new_name else {})
        await graph.call("POST", drive_path(item_path, "copy"), body=body)
        return {}


class Search(GraphNode):
    name = "data_microsoft_onedrive_search"
    friendly_name = "Search OneDrive"
    description = "Files and folders whose name, metadata or content match the query."
    inputs = (text_in("query"),)
    outputs = (ITEMS, COUNT)

    async def call(self, graph: Graph, *, query: str) -> dict[str, Any]:
        if not query:
            raise ValueError("query is required")
        term = quote(odata_string(query), safe="'")
        return listed("items", await graph.list(f"/me/drive/root/search(q={term})"))
