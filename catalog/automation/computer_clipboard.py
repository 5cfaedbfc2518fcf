"""The desktop's clipboard (the X CLIPBOARD selection) as text and as a PNG image, through xclip (Debian's xclip
package), which keeps serving what was set until another program takes the clipboard."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.automation.computer import Desktop, desktop, png
from flowlike_catalog.automation.session import (
    AutomationSession,
    SessionIn,
    SessionOut,
    routed,
    session_in,
    session_out,
)
from flowlike_catalog.media.image import ImageRef, image_of, keep_image, open_image

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Automation/Computer/Clipboard"
CAPABILITIES = ("processes", "files")  # finds and runs xclip
CACHEABLE = False  # the clipboard changes between runs
TIMEOUT = 10.0


def xclip(screen: Desktop, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Runs xclip on the session's display for the CLIPBOARD selection."""
    program = shutil.which("xclip")
    if program is None:
        raise FileNotFoundError("the clipboard nodes need xclip (apt-get install xclip)")
    # Setting forks a server that keeps the clipboard: its output must not hold our pipes open.
    output = subprocess.DEVNULL if data is not None else subprocess.PIPE
    return subprocess.run([program, "-selection", "clipboard", *args], input=data, stdout=output, stderr=output,
                          timeout=TIMEOUT, env={**os.environ, "DISPLAY": screen.name}, check=False)


def targets(screen: Desktop) -> list[str]:
    """The formats the clipboard's owner offers (none when nobody owns it)."""
    done = xclip(screen, "-o", "-t", "TARGETS")
    return done.stdout.decode(errors="replace").split() if done.returncode == 0 else []


def set_clipboard(screen: Desktop, data: bytes, media_type: str) -> None:
    """Owns the clipboard with the data (xclip serves it), once other programs can see it there."""
    done = xclip(screen, "-i", "-t", media_type, data=data)
    if done.returncode != 0:
        raise RuntimeError(f"xclip could not set the clipboard (status {done.returncode})")
    deadline = time.monotonic() + TIMEOUT  # xclip's server takes the clipboard after its first process exits
    while media_type not in targets(screen):
        if time.monotonic() > deadline:
            raise RuntimeError(f"xclip did not take the clipboard within {TIMEOUT} s")
        time.sleep(0.01)


class ClipboardText(NamedTuple):
    session_out: SessionOut
    text: Annotated[str, Pin(description="Empty when the clipboard holds no text")]
    has_text: bool


@node(friendly_name="Get Clipboard Text", exec_pins=True)
def computer_clipboard_get_text(ctx: Context, session: SessionIn) -> ClipboardText:
    """The text on the clipboard."""
    screen = desktop(ctx, session)
    offered = targets(screen)
    kind = next((t for t in ("UTF8_STRING", "text/plain;charset=utf-8", "STRING", "TEXT", "text/plain")
                 if t in offered), None)
    if kind is None:
        return ClipboardText(session, "", False)
    done = xclip(screen, "-o", "-t", kind)
    text = done.stdout.decode("utf-8" if kind != "STRING" else "latin-1", errors="replace")
    return ClipboardText(session, text, done.returncode == 0)


def copy(ctx: Context, session: AutomationSession, data: Callable[[], bytes], media_type: str) -> None:
    """What a setter node does: the clipboard set to `data()` and Exec Out, or the reason logged and Error."""
    ctx.set_output("session_out", session)
    try:
        set_clipboard(desktop(ctx, session), data(), media_type)
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
        routed(ctx, "exec_error", exc)
        return
    ctx.activate("exec_out")


def setter_pins(name: str, data_type: DataType, description: str, **options: Any) -> tuple[Any, ...]:
    return (exec_in(), session_in(), data_in(name, data_type, required=True, description=description, **options),
            exec_out(), exec_out("exec_error", "Error", "The clipboard could not be set"), session_out())


class SetClipboardText(NodeType):
    name = "computer_clipboard_set_text"
    friendly_name = "Set Clipboard Text"
    description = "Puts text on the clipboard, for any program to paste."
    pins = setter_pins("text", DataType.STRING, "The text to copy")

    def run(self, ctx: Context, *, session: AutomationSession, text: str) -> None:
        copy(ctx, session, text.encode, "UTF8_STRING")


class SetClipboardImage(NodeType):
    name = "computer_clipboard_set_image"
    friendly_name = "Set Clipboard Image"
    description = "Puts an image on the clipboard as PNG, for any program to paste."
    pins = setter_pins("image", DataType.STRUCT, "The image to copy", schema=ImageRef.model_json_schema())

    def run(self, ctx: Context, *, session: AutomationSession, image: Any) -> None:
        copy(ctx, session, lambda: png(image_of(ctx, image)), "image/png")


class GetClipboardImage(NodeType):
    name = "computer_clipboard_get_image"
    friendly_name = "Get Clipboard Image"
    description = "The image on the clipboard (PNG, JPEG, BMP... as its owner offers); No Image fires without one."
    pins = (exec_in(), session_in(), exec_out(), exec_out("exec_no_image", "No Image", "The clipboard holds no image"),
            session_out(), data_out("image", DataType.STRUCT, schema=ImageRef.model_json_schema()),
            data_out("has_image", DataType.BOOLEAN))

    def run(self, ctx: Context, *, session: AutomationSession) -> None:
        screen = desktop(ctx, session)
        ctx.set_output("session_out", session)
        offered = [t for t in targets(screen) if t.startswith("image/")]
        kind = "image/png" if "image/png" in offered else next(iter(offered), None)
        done = xclip(screen, "-o", "-t", kind) if kind else None
        if done is None or done.returncode != 0:
            ctx.set_output("image", None)
            ctx.set_output("has_image", False)
            ctx.activate("exec_no_image")
            return
        ctx.set_output("image", keep_image(ctx, open_image(done.stdout, what=f"the clipboard's {kind}")))
        ctx.set_output("has_image", True)
        ctx.activate("exec_out")
