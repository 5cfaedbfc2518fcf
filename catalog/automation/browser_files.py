"""Files to and from web pages: downloads saved into a folder (and waited for), uploads through file inputs.

A download arriving before any folder was set waits in the session until Wait For Download saves it where that
node looks; after Set Download Directory every download is saved there at once. Files always appear whole (they
are written under a `.part` name first), with Chrome's `name (1).ext` when the name is taken.
"""

from __future__ import annotations

import fnmatch
import time
from pathlib import Path
from typing import Annotated, Any

from flowlike_catalog.automation.browser import LiveBrowser, browser_of, on_element, page_of
from flowlike_catalog.automation.session import (
    AutomationSession,
    SessionIn,
    SessionOut,
    routed,
    session_in,
    session_out,
)
from flowlike_catalog.data.handles import FlowPath, filesystem

from flowlike_core import Context, DataType, NodeType, Pin, ValueType, data_in, data_out, exec_in, exec_out, node
from flowlike_core.policy import Capability
from flowlike_core.wording import counted

CATEGORY = "Automation/Browser/Files"
CAPABILITIES = ("network", "files")  # what its nodes reach (flowlike_core.policy)
UNFINISHED = (".crdownload", ".part", ".tmp")
POLL_SECONDS = 0.05
PATH_SCHEMA = FlowPath.model_json_schema()


def local(ctx: Context, path: Any, what: str) -> Path:
    """A local path from a path pin (the browser reads and writes the local disk only), within the run's policy."""
    flow_path = FlowPath.of(path, what)
    fs, inner = filesystem(ctx, flow_path)
    if flow_path.store or "file" not in fs.protocol:
        raise ValueError(f"{what} must be a local path for the browser, got {flow_path.path}")
    return Path(inner)


def matches(name: str, pattern: str) -> bool:
    """Flow-Like's file patterns: empty matches all, `*`/`?` wildcards match the whole name, plain text a part."""
    if not pattern:
        return True
    return fnmatch.fnmatchcase(name, pattern) if any(c in pattern for c in "*?[") else pattern in name


@node(friendly_name="Set Download Directory", exec_pins=True)
async def browser_set_download_dir(ctx: Context, session: SessionIn, download_path: Annotated[
        FlowPath, Pin(description="A local folder (made if missing)")]) -> SessionOut:
    """Saves the browser's downloads into this folder from now on."""
    folder = local(ctx, download_path, "download_path")
    folder.mkdir(parents=True, exist_ok=True)
    browser_of(ctx, session).download_dir = folder
    return session


class TriggerDownload(NodeType):
    name = "browser_trigger_download"
    friendly_name = "Trigger Download"
    description = ("Clicks the element that starts a download (a link or button); Wait For Download then gives the "
                   "file. Error fires when the element cannot be clicked.")
    pins = (exec_in(), session_in(), data_in("selector", DataType.STRING, required=True,
                                             description="The link or button that starts the download"),
            exec_out(), exec_out("exec_error", "Error", "The element could not be clicked"), session_out())

    async def run(self, ctx: Context, *, session: AutomationSession, selector: str) -> None:
        ctx.set_output("session_out", session)
        page = page_of(ctx, session, f"download from {selector}")
        try:
            await on_element(page, selector, lambda found: found.click(), f"clicking {selector!r}")
        except (ValueError, RuntimeError) as exc:
            routed(ctx, "exec_error", exc)
            return
        ctx.activate("exec_out")


class WaitForDownload(NodeType):
    name = "browser_wait_for_download"
    friendly_name = "Wait For Download"
    description = ("Waits for a download to be in the folder: one of the browser's (saved there if no folder was "
                   "set) or any new file. Timeout fires when none came in time.")
    pins = (exec_in(), session_in(),
            data_in("download_dir", DataType.STRUCT, schema=PATH_SCHEMA, required=True,
                    description="The local folder the file is in (or is saved to)"),
            data_in("file_pattern", DataType.STRING, default="",
                    description="Part of the file name, or a wildcard pattern (*.csv); empty: any file"),
            data_in("timeout_ms", DataType.INTEGER, default=30000, friendly_name="Timeout (ms)"),
            exec_out(), exec_out("exec_timeout", "Timeout", "No file came in time"), session_out(),
            data_out("downloaded_file", DataType.STRUCT, schema=PATH_SCHEMA))

    async def run(self, ctx: Context, *, session: AutomationSession, download_dir: FlowPath, file_pattern: str,
                  timeout_ms: int) -> None:
        ctx.set_output("session_out", session)
        live = browser_of(ctx, session)
        folder = local(ctx, download_dir, "download_dir")
        folder.mkdir(parents=True, exist_ok=True)
        before = set(folder.iterdir())
        deadline = time.monotonic() + max(timeout_ms, 0) / 1000
        while True:
            found = await self.arrived(live, folder, before, file_pattern)
            if found is not None:
                live.claimed.add(found)
                ctx.set_output("downloaded_file", FlowPath(path=str(found)))
                ctx.activate("exec_out")
                return
            if live.download_errors:
                raise RuntimeError(live.download_errors.pop(0))
            if time.monotonic() >= deadline:
                ctx.activate("exec_timeout")
                return
            await ctx.sleep(POLL_SECONDS)

    @staticmethod
    async def arrived(live: LiveBrowser, folder: Path, before: set[Path], pattern: str) -> Path | None:
        """A download for this wait: one waiting to be saved, one the browser saved here, or a new file."""
        for download in list(live.unsaved):
            if matches(download.suggested_filename, pattern):
                live.unsaved.remove(download)
                saved = await live.save(download, folder)
                if saved is not None:
                    return saved
        for path in live.saved:
            if path.parent == folder and path not in live.claimed and matches(path.name, pattern):
                return path
        for path in sorted(set(folder.iterdir()) - before - live.claimed):
            if path.is_file() and not path.name.endswith(UNFINISHED) and matches(path.name, pattern):
                return path
        return None


class UploadFiles(NodeType):
    """Sets files on a file input, as if the user chose them."""

    pins_in = (exec_in(), session_in(), data_in("selector", DataType.STRING, default="input[type='file']",
                                                description="The file input"))
    pins_out = (exec_out(), exec_out("exec_error", "Error", "The input is missing or a file cannot be set"),
                session_out())

    async def upload(self, ctx: Context, session: AutomationSession, selector: str, paths: list[str]) -> bool:
        ctx.set_output("session_out", session)
        page = page_of(ctx, session, f"upload {counted(len(paths), 'file')} to {selector}")
        try:
            files = [local(ctx, path, "file_path") for path in paths]
            missing = [str(f) for f in files if not f.is_file()]
            if missing:
                raise FileNotFoundError(f"no file at {', '.join(missing)}")
            await on_element(page, selector, lambda found: found.set_input_files(files),
                             f"setting files on {selector!r}")
        except (ValueError, RuntimeError, OSError) as exc:
            routed(ctx, "exec_error", exc)
            return False
        ctx.activate("exec_out")
        return True


class UploadFile(UploadFiles):
    name = "browser_upload_file"
    friendly_name = "Upload File"
    description = "Chooses a local file on a file input. Error fires when the input or the file is missing."
    capabilities = frozenset({Capability.NETWORK, Capability.FILES})
    pins = (*UploadFiles.pins_in, data_in("file_path", DataType.STRING, required=True), *UploadFiles.pins_out)

    async def run(self, ctx: Context, *, session: AutomationSession, selector: str, file_path: str) -> None:
        await self.upload(ctx, session, selector, [file_path])


class UploadMultipleFiles(UploadFiles):
    name = "browser_upload_multiple_files"
    friendly_name = "Upload Multiple Files"
    description = ("Chooses several local files on a file input (one that takes several). Error fires when the "
                   "input or a file is missing.")
    capabilities = frozenset({Capability.NETWORK, Capability.FILES})
    pins = (*UploadFiles.pins_in, data_in("file_paths", DataType.STRING, ValueType.ARRAY, required=True,
                                               description="Local paths"),
            *UploadFiles.pins_out, data_out("uploaded_count", DataType.INTEGER))

    async def run(self, ctx: Context, *, session: AutomationSession, selector: str, file_paths: list[str]) -> None:
        uploaded = await self.upload(ctx, session, selector, list(file_paths or []))
        ctx.set_output("uploaded_count", len(file_paths or []) if uploaded else 0)
