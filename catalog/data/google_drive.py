"""Google Drive (REST v3): listing, searching, reading and downloading files, folders, copies, moves and
deletes. Google's own formats (Docs, Sheets, Slides) have no bytes of their own: reading one exports it. Listings
follow Drive's pages (nextPageToken) until they have page_size files (0: all): Drive may answer a page with fewer
files than asked even when more match."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data.google import Google, GoogleNode, segment, struct_out
from flowlike_catalog.web.service_pins import bool_in, int_in, int_out, text_in, text_out

from flowlike_core import DataType, ValueType, data_out

CATEGORY = "Data/Google/Drive"
CAPABILITIES = ("network",)

FOLDER = "application/vnd.google-apps.folder"
MOST_A_PAGE = ("pageSize", 1000)
PAGE_SIZE = int_in("page_size", 100, "At most this many (0: all); Drive's pages are followed until then")
ITEM_FIELDS = "id,name,mimeType,size,createdTime,modifiedTime,webViewLink,parents"
EXPORT_DEFAULTS = {"application/vnd.google-apps.document": "text/plain",
                   "application/vnd.google-apps.spreadsheet": "text/csv",
                   "application/vnd.google-apps.presentation": "text/plain"}
"""What a Google format exports to when no export type is given."""


async def drive(google: Google, method: str, path: str, *, params: dict[str, Any] | None = None,
                body: Any = None, raw: bool = False) -> Any:
    """A Drive call that reaches shared drives too (Drive leaves them out unless told)."""
    return await google.call("drive", method, path, params={**(params or {}), "supportsAllDrives": True},
                             body=body, raw=raw)


async def listing(google: Google, params: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """The files a Drive query lists, in every drive (`limit`: at most this many, 0: all)."""
    files, _ = await google.listing("drive", "/files", "files", params | {
        "includeItemsFromAllDrives": True, "supportsAllDrives": True}, limit=limit, size=MOST_A_PAGE)
    return files


def drive_item(file: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's GoogleDriveItem from Drive's File resource."""
    return {"id": file.get("id", ""), "name": file.get("name", ""), "mime_type": file.get("mimeType", ""),
            "size": int(file["size"]) if file.get("size") else None, "created_time": file.get("createdTime"),
            "modified_time": file.get("modifiedTime"), "web_view_link": file.get("webViewLink"),
            "parents": file.get("parents", []), "is_folder": file.get("mimeType") == FOLDER}


async def content(google: Google, file_id: str, export_mime_type: str) -> tuple[dict[str, Any], bytes]:
    """A file's metadata and bytes: Google formats exported (to `export_mime_type` or their default), others
    downloaded as stored."""
    path = f"/files/{segment(file_id, 'file_id')}"
    meta = await drive(google, "GET", path, params={"fields": "id,name,mimeType,size"})
    mime = meta.get("mimeType", "")
    if mime.startswith("application/vnd.google-apps."):
        export = export_mime_type or EXPORT_DEFAULTS.get(mime, "text/plain")
        return meta, await drive(google, "GET", path + "/export", params={"mimeType": export}, raw=True)
    return meta, await drive(google, "GET", path, params={"alt": "media"}, raw=True)


FILE_ID = text_in("file_id", description="The file's Drive id")
EXPORT = text_in("export_mime_type", "", "For Google Docs/Sheets/Slides: the format to export to (text/plain, "
                 "text/csv, application/pdf...); empty: a text format")
ITEM = struct_out("file", description="GoogleDriveItem: id, name, mime_type, size, times, web_view_link, parents, "
                  "is_folder")


class ListFiles(GoogleNode):
    name = "data_google_drive_list_files"
    friendly_name = "List Google Drive Files"
    description = "The files in a folder (My Drive's root by default), optionally narrowed by a Drive query."
    inputs = (text_in("folder_id", "root"), text_in("query", "", "Drive query syntax, e.g. name contains 'report'"),
              PAGE_SIZE, bool_in("include_folders", False))
    outputs = (struct_out("files", array=True, description="GoogleDriveFile: id, name, mime_type, size, path"),
               int_out("file_count"))

    async def call(self, google: Google, *, folder_id: str, query: str, page_size: int,
                   include_folders: bool) -> dict[str, Any]:
        escaped = (folder_id or "root").replace("\\", "\\\\").replace("'", "\\'")
        parts = [f"'{escaped}' in parents", "trashed = false"]
        if not include_folders:
            parts.append(f"mimeType != '{FOLDER}'")
        if query:
            parts.append(f"({query})")
        fields = "nextPageToken,files(id,name,mimeType,size)"
        found = await listing(google, {"q": " and ".join(parts), "fields": fields}, page_size)
        files = [{"id": f["id"], "name": f.get("name", ""), "mime_type": f.get("mimeType", ""),
                  "size": int(f["size"]) if f.get("size") else None, "path": f"gdrive://{f['id']}"} for f in found]
        return {"files": files, "file_count": len(files)}


class ReadFile(GoogleNode):
    name = "data_google_drive_read_file"
    friendly_name = "Read Google Drive File"
    description = "A file's content as text (UTF-8), with its name, type and size in bytes."
    inputs = (FILE_ID, EXPORT)
    outputs = (text_out("content"), text_out("file_name"), text_out("mime_type"), int_out("size"))

    async def call(self, google: Google, *, file_id: str, export_mime_type: str) -> dict[str, Any]:
        meta, body = await content(google, file_id, export_mime_type)
        return {"content": body.decode("utf-8", "replace"), "file_name": meta.get("name", ""),
                "mime_type": meta.get("mimeType", ""), "size": len(body)}


class Download(GoogleNode):
    name = "data_google_drive_download"
    friendly_name = "Download File"
    description = "A file's bytes (Google formats exported)."
    inputs = (FILE_ID, EXPORT)
    outputs = (data_out("content", DataType.BYTE, ValueType.ARRAY),)

    async def call(self, google: Google, *, file_id: str, export_mime_type: str) -> dict[str, Any]:
        return {"content": (await content(google, file_id, export_mime_type))[1]}


class GetMetadata(GoogleNode):
    name = "data_google_drive_get_metadata"
    friendly_name = "Get File Metadata"
    description = "A file's or folder's metadata."
    inputs = (FILE_ID,)
    outputs = (ITEM,)

    async def call(self, google: Google, *, file_id: str) -> dict[str, Any]:
        found = await drive(google, "GET", f"/files/{segment(file_id, 'file_id')}",
                                  params={"fields": ITEM_FIELDS})
        return {"file": drive_item(found)}


class Search(GoogleNode):
    name = "data_google_drive_search"
    friendly_name = "Search Drive"
    description = "Files and folders anywhere in Drive matching a Drive query (e.g. fullText contains 'budget')."
    inputs = (text_in("query", description="Drive query syntax"), PAGE_SIZE)
    outputs = (struct_out("files", array=True, description="GoogleDriveItem"), int_out("count"))

    async def call(self, google: Google, *, query: str, page_size: int) -> dict[str, Any]:
        if not query:
            raise ValueError("query is required (Drive query syntax, e.g. name contains 'report')")
        found = await listing(google, {"q": query, "fields": f"nextPageToken,files({ITEM_FIELDS})"}, page_size)
        files = [drive_item(f) for f in found]
        return {"files": files, "count": len(files)}


class CreateFolder(GoogleNode):
    name = "data_google_drive_create_folder"
    friendly_name = "Create Folder"
    description = "Makes a folder (in My Drive's root when parent_id is empty)."
    inputs = (text_in("name"), text_in("parent_id", ""))
    outputs = (text_out("folder_id"), struct_out("folder", description="GoogleDriveItem"))

    async def call(self, google: Google, *, name: str, parent_id: str) -> dict[str, Any]:
        if not name:
            raise ValueError("a folder needs a name")
        body = {"name": name, "mimeType": FOLDER} | ({"parents": [parent_id]} if parent_id else {})
        found = await drive(google, "POST", "/files", params={"fields": ITEM_FIELDS}, body=body)
        return {"folder_id": found["id"], "folder": drive_item(found)}


class CopyFile(GoogleNode):
    name = "data_google_drive_copy_file"
    friendly_name = "Copy File"
    description = "Copies a file; empty name keeps Drive's \"Copy of ...\", empty parent_id the same folder."
    inputs = (FILE_ID, text_in("new_name", ""), text_in("parent_id", ""))
    outputs = (text_out("new_file_id"), ITEM)

    async def call(self, google: Google, *, file_id: str, new_name: str, parent_id: str) -> dict[str, Any]:
        body = ({"name": new_name} if new_name else {}) | ({"parents": [parent_id]} if parent_id else {})
        found = await drive(google, "POST", f"/files/{segment(file_id, 'file_id')}/copy",
                                  params={"fields": ITEM_FIELDS}, body=body)
        return {"new_file_id": found["id"], "file": drive_item(found)}


class MoveFile(GoogleNode):
    name = "data_google_drive_move_file"
    friendly_name = "Move File"
    description = "Moves a file into another folder (out of all its current ones)."
    inputs = (FILE_ID, text_in("new_parent_id"))
    outputs = (ITEM,)

    async def call(self, google: Google, *, file_id: str, new_parent_id: str) -> dict[str, Any]:
        path = f"/files/{segment(file_id, 'file_id')}"
        segment(new_parent_id, "new_parent_id")
        current = await drive(google, "GET", path, params={"fields": "parents"})
        found = await drive(google, "PATCH", path, body={}, params={
            "addParents": new_parent_id, "removeParents": ",".join(current.get("parents", [])),
            "fields": ITEM_FIELDS})
        return {"file": drive_item(found)}


class DeleteFile(GoogleNode):
    name = "data_google_drive_delete_file"
    friendly_name = "Delete File"
    description = "Deletes a file or folder for good (not to the trash)."
    inputs = (FILE_ID,)

    async def call(self, google: Google, *, file_id: str) -> dict[str, Any]:
        await drive(google, "DELETE", f"/files/{segment(file_id, 'file_id')}")
        return {}


async def export_as_text(google: Google, file_id: str, mime_type: str) -> str:
    """A Google Docs/Slides file exported through Drive: text formats as text, binary ones (PDF, PPTX...) as
    base64, as Flow-Like's export nodes give them."""
    import base64

    body = await drive(google, "GET", f"/files/{segment(file_id, 'file_id')}/export",
                             params={"mimeType": mime_type}, raw=True)
    textual = mime_type.startswith("text/") or mime_type in ("application/json", "image/svg+xml")
    return body.decode("utf-8", "replace") if textual else base64.b64encode(body).decode()
