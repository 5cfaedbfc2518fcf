"""Sending HTTP requests through the run's shared client: whole responses, streamed chunks, downloads to files.

Each node fires Success with the response whatever its status (check Is Success), and Error when no
response came (server down, timeout after the retries): the reason is in `error_message` and the log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flowlike_catalog.web.errors import routed
from flowlike_catalog.web.http import REQUEST_SCHEMA, RESPONSE_SCHEMA, HttpRequest, fetch, send, to_response

from flowlike_core import Context, DataType, NodeType, ValueType, data_in, data_out, exec_in, exec_out
from flowlike_core.policy import allowed_path

CATEGORY = "Web/API"
CAPABILITIES = ("network", "files")  # what its nodes reach (flowlike_core.policy)


def request_in() -> Any:
    return data_in("request", DataType.STRUCT, schema=REQUEST_SCHEMA, required=True,
                   description="The request, from Make Request")


def sending_options() -> tuple[Any, ...]:
    return (data_in("timeout_seconds", DataType.FLOAT, default=30.0, friendly_name="Timeout (s)",
                    description="Per attempt: connecting, and waiting for each piece of the answer"),
            data_in("retries", DataType.INTEGER, default=2, description="Extra attempts for GET, HEAD, OPTIONS, "
                    "PUT and DELETE after a connection error, timeout or 429/502/503/504 (backoff 0.25 s, doubling)"))


def outcome_pins() -> tuple[Any, ...]:
    return (exec_out("exec_success", "Success", "A response arrived (any status)"),
            data_out("response", DataType.STRUCT, schema=RESPONSE_SCHEMA),
            exec_out("exec_error", "Error", "No response: connection refused, timeout, bad URL"),
            data_out("error_message", DataType.STRING, description="Why no response came"))


def wire_length(response: Any) -> int | None:
    """The Content-Length of an answer, which progress compares with the bytes received as sent (a gzipped body
    unpacks to more than its length: counting those bytes reported 51,000 %); None when it gives none (then
    progress is reported at the end only: the engine took a byte count without a total for a fraction)."""
    try:
        return int(response.headers["content-length"]) or None
    except (KeyError, ValueError):
        return None


class HttpFetch(NodeType):
    name = "http_fetch"
    friendly_name = "API Call"
    description = "Sends the request and reads the whole response (redirects followed, idempotent methods retried)."
    pins = (exec_in(), request_in(), *sending_options(), *outcome_pins())

    async def run(self, ctx: Context, *, request: HttpRequest, timeout_seconds: float, retries: int) -> None:
        try:
            response = await fetch(ctx, request, timeout=timeout_seconds, retries=retries)
        except ConnectionError as exc:
            routed(ctx, "exec_error", exc, "error_message")
            return
        ctx.set_output("response", response)
        ctx.activate("exec_success")


class StreamingHttpFetch(NodeType):
    name = "streaming_http_fetch"
    friendly_name = "Streaming API Call"
    description = ("Sends the request and fires Chunk for each piece of the body as it arrives (server-sent events, "
                   "long downloads), then Success with the whole response.")
    pins = (exec_in(), request_in(), *sending_options(),
            exec_out("streaming_exec", "Chunk", "Fires per received piece of the body"),
            data_out("streaming_response", DataType.BYTE, ValueType.ARRAY, friendly_name="Chunk",
                     description="The piece just received"),
            *outcome_pins())

    async def run(self, ctx: Context, *, request: HttpRequest, timeout_seconds: float, retries: int) -> None:
        try:
            async with send(ctx, request, timeout=timeout_seconds, retries=retries, stream=True) as response:
                total, chunks = wire_length(response), []
                async for chunk in response.aiter_bytes():
                    chunks.append(chunk)
                    ctx.set_output("streaming_response", chunk)
                    await ctx.fire("streaming_exec")
                    if total:
                        ctx.progress(response.num_bytes_downloaded, total)
                body = b"".join(chunks)
                ctx.progress(1, 1, f"{len(body)} bytes")
        except ConnectionError as exc:
            routed(ctx, "exec_error", exc, "error_message")
            return
        ctx.set_output("response", to_response(response, body))
        ctx.activate("exec_success")


def local_path(flow_path: Any) -> Path | None:
    """A file path from a PathBuf/String pin or a struct with a `path` field; None (the content store) for
    an empty one."""
    if isinstance(flow_path, dict):
        flow_path = flow_path.get("path")
    if flow_path is None or str(flow_path) == "":
        return None
    if not isinstance(flow_path, str | Path):
        raise TypeError(f"flow_path must be a file path or a struct with a 'path', got {flow_path!r}")
    return Path(allowed_path(flow_path))


class HttpDownload(NodeType):
    name = "http_download"
    friendly_name = "HTTP Download"
    category = "Web"
    description = ("Streams the response body into a file (written whole or not at all), or into the app's content "
                   "store when the path is empty, reporting progress; a non-2xx status is an error and leaves "
                   "nothing behind.")
    pins = (exec_in(), request_in(),
            data_in("flow_path", DataType.GENERIC, friendly_name="File",
                    description="Where to write: a path or a struct with a 'path' field; empty: the content store"),
            data_in("app", DataType.STRING, default="default", description="Whose content store (empty path)"),
            *sending_options(),
            exec_out("exec_success", "Success"),
            data_out("path", DataType.PATHBUF, description="The written file (empty for the content store)"),
            data_out("blob", DataType.STRUCT, description="The content-store reference (empty for a file)"),
            data_out("size", DataType.INTEGER, description="Bytes written"))

    async def run(self, ctx: Context, *, request: HttpRequest, flow_path: Any, app: str, timeout_seconds: float,
                  retries: int) -> None:
        import os
        import tempfile

        target = local_path(flow_path)
        if target is not None and target.is_dir():
            raise IsADirectoryError(f"HTTP Download of {request.url}: {target} is a folder; give the file's path "
                                    f"in it (e.g. {target / 'download.bin'})")
        folder = target.parent if target is not None else Path(tempfile.gettempdir())
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=".download-", suffix=".tmp")
        os.close(handle)
        partial = Path(name)
        try:
            size, media_type = await self.stream_to(ctx, request, partial, timeout_seconds, retries)
            if target is not None:
                partial.replace(target)
                blob = {}
            else:
                from flowlike_core.storage import current

                blob = current().app(app).blobs.put(partial, media_type).model_dump()
        finally:
            partial.unlink(missing_ok=True)
        ctx.info(f"downloaded {size} bytes from {request.url} to {target or 'the content store'}")
        ctx.set_output("path", target or "")
        ctx.set_output("blob", blob)
        ctx.set_output("size", size)
        ctx.activate("exec_success")

    @staticmethod
    async def stream_to(ctx: Context, request: Any, partial: Path, timeout: float, retries: int) -> tuple[int, str]:
        """Write the body into `partial` chunk by chunk; (size, media type)."""
        async with send(ctx, request, timeout=timeout, retries=retries, stream=True) as response:
            if not 200 <= response.status_code < 300:
                raise ConnectionError(f"download of {request.url} failed: status {response.status_code}")
            total, size = wire_length(response), 0
            with partial.open("wb") as file:
                async for chunk in response.aiter_bytes(1 << 16):
                    file.write(chunk)
                    size += len(chunk)
                    if total:
                        ctx.progress(response.num_bytes_downloaded, total, f"{size} bytes")
                    ctx.check_cancelled()
            ctx.progress(1, 1, f"{size} bytes")
            media_type = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
        return size, media_type


class GrabFrame(NodeType):
    name = "web_camera_grab_frame"
    friendly_name = "Grab IP-Camera Frame"
    category = "Web/Camera"
    description = ("Fetches one still image from a camera's snapshot URL (JPEG, PNG...) as an image handle; "
                   "Error when the answer is not an image or no answer came.")
    pins = (exec_in(), request_in(), *sending_options(),
            exec_out("exec_success", "Success"),
            data_out("image", DataType.STRUCT, description="The frame, for the media and onnx image nodes"),
            exec_out("exec_error", "Error"), data_out("error_message", DataType.STRING))

    async def run(self, ctx: Context, *, request: HttpRequest, timeout_seconds: float, retries: int) -> None:
        from flowlike_catalog.media.image import keep_image, open_image

        try:
            response = await fetch(ctx, request, timeout=timeout_seconds, retries=retries)
            if not response.is_success:
                raise ConnectionError(f"camera {request.url} answered status {response.status_code}")
            image = open_image(response.body, what=f"the answer of {request.url}")
        except (ConnectionError, ValueError) as exc:
            routed(ctx, "exec_error", exc, "error_message")
            return
        ctx.set_output("image", keep_image(ctx, image))
        ctx.activate("exec_success")
