"""Files a chat brought: the attachments of a chat event and the images inside its history, as paths to read.

A chat hands files over as links (presigned URLs, data: URLs). Nodes that read files want paths, so Extract
Attachments fetches each link once into a fresh in-memory folder (fsspec's `memory://`) and gives their paths.
"""

from __future__ import annotations

import base64
import posixpath
import re
import uuid
from typing import Annotated, Any
from urllib.parse import unquote, urlparse

from flowlike_catalog.data.handles import FlowPath
from flowlike_catalog.llm import timeouts
from flowlike_catalog.llm.structs import History

from flowlike_core import Pin, node
from flowlike_core.policy import allowed_path

CATEGORY = "Events/Chat"


def links(history: History | None, attachments: list[Any]) -> list[tuple[str, str]]:
    """(url, preferred name) of every attachment, then of every image in the history's messages."""
    found: list[tuple[str, str]] = []
    for attachment in attachments:
        if isinstance(attachment, str):
            found.append((attachment, ""))
        elif isinstance(attachment, dict) and isinstance(attachment.get("url"), str):
            found.append((attachment["url"], attachment.get("name") or ""))
        else:
            raise TypeError(f"Extract Attachments: an attachment must be a URL or {{'url': ...}}, got {attachment!r}")
    for message in history.messages if history else []:
        if not isinstance(message.content, str):
            found.extend((part.image_url, "") for part in message.content if part.type == "image_url")
    return found


async def fetch(url: str) -> tuple[bytes, str]:
    """The bytes behind a link and the file name it suggests (data:, file:// and http(s) links)."""
    if url.startswith("data:"):
        header, _, payload = url.partition(",")
        media_type = header[5:].split(";")[0] or "application/octet-stream"
        try:
            data = base64.b64decode(payload, validate=True) if header.endswith(";base64") else \
                unquote(payload).encode()
        except ValueError as exc:  # binascii.Error
            raise ValueError(f"Extract Attachments: the data: link ({media_type}) has a broken base64 payload: "
                             f"{exc}") from None
        return data, "attachment." + media_type.rpartition("/")[2].split("+")[0]
    parsed = urlparse(url)
    name = posixpath.basename(unquote(parsed.path)) or "attachment"
    if parsed.scheme == "file":
        with open(allowed_path(unquote(parsed.path), "attachment"), "rb") as file:
            return file.read(), name
    if parsed.scheme not in ("http", "https"):
        raise ValueError(f"Extract Attachments: cannot fetch {url[:80]!r} (use http(s), file:// or data: links)")
    import httpx

    timeout = timeouts.from_env(timeouts.ATTACHMENT)
    try:
        async with httpx.AsyncClient(follow_redirects=True, timeout=timeout.for_httpx()) as client:
            response = await client.get(url)
    except httpx.ReadTimeout:
        raise TimeoutError(f"Extract Attachments: {parsed.netloc}{parsed.path} sent nothing for {timeout.seconds:g} s "
                           f"({timeout.setting})") from None
    except httpx.HTTPError as exc:  # the link's query (a signature) stays out of the message
        raise ConnectionError(f"Extract Attachments: cannot fetch {parsed.netloc}{parsed.path}: "
                              f"{str(exc) or type(exc).__name__}") from None
    if response.status_code >= 400:
        raise RuntimeError(f"Extract Attachments: {parsed.netloc}{parsed.path} answered {response.status_code}")
    return response.content, name


def unique(name: str, used: set[str]) -> str:
    """A safe file name not used yet in the folder: 'a.png', then 'a_1.png', 'a_2.png'..."""
    safe = re.sub(r"[^\w.\-]+", "_", name).strip("._") or "attachment"
    stem, dot, ext = safe.rpartition(".") if "." in safe else (safe, "", "")
    candidate, count = safe, 0
    while candidate in used:
        count += 1
        candidate = f"{stem}_{count}{dot}{ext}"
    used.add(candidate)
    return candidate


@node(friendly_name="Extract Attachments", exec_pins=True, capabilities=["network", "files"])
async def ai_gen_llm_history_extract_attachments(
    history: Annotated[History, Pin(required=False, description="Its images are fetched too")] = None,
    attachments: Annotated[list[Any], Pin(description="URLs or attachment structs ({'url', 'name'})")] = None,
) -> Annotated[list[FlowPath], Pin(name="paths")]:
    """Fetches the chat's attachments and the history's images into a new in-memory folder and gives their paths
    (named after the attachment, else after the link)."""
    import fsspec

    history = History.model_validate(history) if history else None
    memory = fsspec.filesystem("memory")
    folder = f"memory://chat-attachments/{uuid.uuid4().hex}"
    used: set[str] = set()
    paths = []
    for url, preferred in links(history, list(attachments or [])):
        data, suggested = await fetch(url)
        target = f"{folder}/{unique(preferred or suggested, used)}"
        memory.pipe_file(target, data)
        paths.append(FlowPath(path=target))
    return paths
