"""Chat attachments (Flow-Like's `Events/Chat/Attachments`): files a chat answer shows, as links that open them.

An attachment is the struct Push Attachment takes: `url` plus optional `name`, `preview_text`, `type` (the
media type), `page` and `anchor` (where a cited document opens). A file in a store becomes one through a
presigned URL, so the chat reads it without the store's keys.
"""

from __future__ import annotations

import mimetypes
import posixpath
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.files import signed
from flowlike_catalog.data.handles import FlowPath

from flowlike_core import Context, Pin, node

CATEGORY = "Events/Chat/Attachments"

AttachmentOut = Annotated[dict, Pin(name="attachment")]


@node(friendly_name="From Path", exec_pins=True, capabilities=["files", "network"])
def events_chat_attachment_from_path(
    ctx: Context,
    path: Annotated[FlowPath, Pin(description="A local file or an object in an S3 store")],
    name: Annotated[str, Pin(description="Shown in the chat; empty: the file's name")] = "",
    preview_text: str = "",
    page: Annotated[int, Pin(description="Page to open a document at; -1: none")] = -1,
    anchor: Annotated[str, Pin(description="Section to open a document at; empty: none")] = "",
    expiration: Annotated[int, Pin(description="Seconds the link stays valid")] = 3600,
) -> AttachmentOut:
    """An attachment that links to a file through a presigned URL (a local file gives its file:// URL)."""
    if expiration <= 0:
        raise ValueError(f"From Path: expiration must be positive seconds, got {expiration}")
    flow_path = FlowPath.of(path)
    filename = posixpath.basename(flow_path.path.rstrip("/"))
    attachment: dict[str, Any] = {
        "url": signed(ctx, flow_path, "GET", expiration),
        "name": name or filename,
        "type": mimetypes.guess_type(filename)[0] or "application/octet-stream",
    }
    if preview_text:
        attachment["preview_text"] = preview_text
    if page >= 0:
        attachment["page"] = page
    if anchor:
        attachment["anchor"] = anchor
    return attachment


@node(friendly_name="From Signed URL")
def events_chat_attachment_from_signed_url(signed_url: Annotated[str, Pin("Signed URL")]) -> AttachmentOut:
    """An attachment that is just a link (a presigned URL, or any URL the chat can open)."""
    if "://" not in signed_url and not signed_url.startswith("data:"):
        raise ValueError(f"From Signed URL: {signed_url!r} is not a URL")
    return {"url": signed_url}


class SignedUrl(NamedTuple):
    signed_url: Annotated[str, Pin("Signed URL", description="Empty when the attachment has no link")]
    success: Annotated[bool, Pin(description="Whether the attachment had a link")]


@node(friendly_name="To Signed URL")
def events_chat_attachment_to_signed_url(attachment: Annotated[Any, Pin(required=False)]
                                         ) -> SignedUrl:
    """The link of an attachment (a struct's `url`, or the attachment itself when it is a URL)."""
    url = attachment.get("url") if isinstance(attachment, dict) else attachment
    if isinstance(url, str) and url:
        return SignedUrl(url, True)
    return SignedUrl("", False)
