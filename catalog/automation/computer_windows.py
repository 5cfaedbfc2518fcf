"""The desktop's windows: list them, find one by title, bring it to the front, capture it, and launch programs.

Windows are read with EWMH (the window manager's client list and active window) when a window manager runs, else
from the top-level windows the X server maps (a bare Xvfb); a window's id is its X window id in decimal, as
xdotool prints it.
"""

from __future__ import annotations

import base64
import os
import shlex
import shutil
import subprocess
import time
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.automation.computer import Desktop, desktop, png
from flowlike_catalog.automation.session import AutomationSession, SessionIn, routed, session_in
from flowlike_catalog.media.image import ImageRef, keep_image
from pydantic import BaseModel

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Automation/Computer/Window"
CAPABILITIES = ("processes", "files")  # raises other programs' windows, finds and starts programs
CACHEABLE = False  # windows come and go
FOCUS_WAIT = 5.0
"""Seconds Focus Window waits for the X server to report the new focus (or a launched program's window)."""


class WindowInfo(BaseModel):
    """A top-level window (Flow-Like's fields): its place on the desktop and state."""

    id: str
    title: str
    app_name: str | None = None
    x: int
    y: int
    width: int
    height: int
    is_focused: bool
    is_minimized: bool


def atom(screen: Desktop, name: str) -> int:
    return screen.display.intern_atom(name)


def prop(screen: Desktop, window: Any, name: str) -> list[int]:
    """A window's 32-bit list property (an empty list when it is not set)."""
    from Xlib import X

    reply = window.get_full_property(atom(screen, name), X.AnyPropertyType)
    return list(reply.value) if reply is not None else []


def title_of(screen: Desktop, window: Any) -> str:
    reply = window.get_full_property(atom(screen, "_NET_WM_NAME"), atom(screen, "UTF8_STRING"))
    if reply is not None and reply.value:
        value = reply.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    name = window.get_wm_name()
    return name.decode("latin-1") if isinstance(name, bytes) else name or ""


def top_level(screen: Desktop, window_id: int) -> int:
    """The top-level window (a child of the root) that holds a window."""
    window = screen.display.create_resource_object("window", window_id)
    while window_id not in (0, 1, screen.root.id):
        parent = window.query_tree().parent
        if parent.id == screen.root.id:
            return window_id
        window, window_id = parent, parent.id
    return 0


def has_wm(screen: Desktop) -> bool:
    return bool(prop(screen, screen.root, "_NET_SUPPORTING_WM_CHECK"))


def active_id(screen: Desktop) -> int:
    """The focused top-level window's id (0 when none)."""
    if has_wm(screen):
        active = prop(screen, screen.root, "_NET_ACTIVE_WINDOW")
        return active[0] if active else 0
    focus = screen.display.get_input_focus().focus
    return top_level(screen, focus.id) if hasattr(focus, "id") else 0


def windows(screen: Desktop) -> list[WindowInfo]:
    """The desktop's top-level windows with a title, bottom to top."""
    from Xlib import X, error

    with screen.lock:
        if has_wm(screen):
            candidates = [screen.display.create_resource_object("window", i)
                          for i in prop(screen, screen.root, "_NET_CLIENT_LIST_STACKING")
                          or prop(screen, screen.root, "_NET_CLIENT_LIST")]
        else:
            candidates = [w for w in screen.root.query_tree().children
                          if w.get_attributes().map_state == X.IsViewable]
        active, hidden = active_id(screen), atom(screen, "_NET_WM_STATE_HIDDEN")
        found = []
        for window in candidates:
            try:
                title = title_of(screen, window)
                if not title:
                    continue
                geometry = window.get_geometry()
                origin = screen.root.translate_coords(window, 0, 0)
                wm_class = window.get_wm_class()
                minimized = hidden in prop(screen, window, "_NET_WM_STATE") or \
                    prop(screen, window, "WM_STATE")[:1] == [3] or window.get_attributes().map_state != X.IsViewable
            except error.BadWindow:  # closed while we looked
                continue
            found.append(WindowInfo(id=str(window.id), title=title, app_name=wm_class[1] if wm_class else None,
                                    x=origin.x, y=origin.y, width=geometry.width, height=geometry.height,
                                    is_focused=window.id == active, is_minimized=minimized))
        return found


def find(screen: Desktop, title: str, exact: bool) -> WindowInfo | None:
    """The topmost window whose title is `title` (exact) or contains it, ignoring case."""
    wanted = title.casefold()
    hits = [w for w in windows(screen) if (w.title.casefold() == wanted if exact else wanted in w.title.casefold())]
    return hits[-1] if hits else None


def focus(screen: Desktop, window_id: int) -> None:
    """Raises and focuses a window: through the window manager when one runs, else directly."""
    from Xlib import X, protocol

    with screen.lock:
        window = screen.display.create_resource_object("window", window_id)
        if has_wm(screen):
            message = protocol.event.ClientMessage(window=window, client_type=atom(screen, "_NET_ACTIVE_WINDOW"),
                                                   data=(32, [2, X.CurrentTime, 0, 0, 0]))
            screen.root.send_event(message, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
        else:
            window.map()
            window.configure(stack_mode=X.Above)
            window.set_input_focus(X.RevertToParent, X.CurrentTime)
        screen.display.sync()


async def until(ctx: Context, seconds: float, check: Any) -> Any:
    """Polls `check` until it gives something true or the time is up (then its last answer)."""
    deadline = time.monotonic() + seconds
    while not (answer := check()) and time.monotonic() < deadline:
        await ctx.sleep(0.05)
    return answer


def window_pins() -> tuple[Any, ...]:
    return (data_out("window", DataType.STRUCT, schema=WindowInfo.model_json_schema()),)


class Windows(NamedTuple):
    windows: Annotated[list[WindowInfo], Pin(description="Bottom to top")]
    count: int


@node(friendly_name="List Windows", exec_pins=True)
def computer_list_windows(ctx: Context, session: SessionIn) -> Windows:
    """Lists the desktop's visible top-level windows (those with a title)."""
    found = windows(desktop(ctx, session))
    return Windows(found, len(found))


class FindWindowByTitle(NodeType):
    name = "computer_find_window_by_title"
    friendly_name = "Find Window By Title"
    description = "Finds the topmost window whose title contains the text (or equals it), ignoring case."
    pins = (exec_in(), session_in(), data_in("title", DataType.STRING, required=True),
            data_in("exact_match", DataType.BOOLEAN, default=False),
            exec_out(), exec_out("exec_not_found", "Not Found", "No window has that title"), *window_pins())

    def run(self, ctx: Context, *, session: AutomationSession, title: str, exact_match: bool) -> None:
        found = find(desktop(ctx, session), title, exact_match)
        ctx.set_output("window", found)
        ctx.activate("exec_out" if found else "exec_not_found")


class FocusWindow(NodeType):
    name = "computer_focus_window"
    friendly_name = "Focus Window"
    description = ("Brings the window with that title to the front and gives it the keyboard; when none has it "
                   "and launch_if_not_found is on, starts the program of that name and waits for its window.")
    pins = (exec_in(), session_in(), data_in("window_title", DataType.STRING, required=True),
            data_in("exact_match", DataType.BOOLEAN, default=False),
            data_in("launch_if_not_found", DataType.BOOLEAN, default=True),
            exec_out(), exec_out("exec_not_found", "Not Found", "No such window (and none came up)"), *window_pins())

    async def run(self, ctx: Context, *, session: AutomationSession, window_title: str, exact_match: bool,
                  launch_if_not_found: bool) -> None:
        screen = desktop(ctx, session)
        found = find(screen, window_title, exact_match)
        program = shutil.which(window_title.strip().lower().replace(" ", "-")) if found is None else None
        if program and launch_if_not_found:
            ctx.info(f"no window {window_title!r}: starting {program}")
            subprocess.Popen([program], start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
            found = await until(ctx, FOCUS_WAIT * 2, lambda: find(screen, window_title, exact_match))
        if found is None:
            ctx.set_output("window", None)
            ctx.activate("exec_not_found")
            return
        focus(screen, int(found.id))
        if not await until(ctx, FOCUS_WAIT, lambda: active_id(screen) == int(found.id)):
            ctx.warn(f"window {found.title!r} did not report the focus within {FOCUS_WAIT} s")
        ctx.set_output("window", find(screen, found.title, True) or found)
        ctx.activate("exec_out")


class GetActiveWindow(NodeType):
    name = "computer_get_active_window"
    friendly_name = "Get Active Window"
    description = "The window that has the keyboard focus; None fires when no window has it."
    pins = (exec_in(), session_in(), exec_out(), exec_out("exec_none", "None", "No window has the focus"),
            *window_pins(), data_out("title", DataType.STRING))

    def run(self, ctx: Context, *, session: AutomationSession) -> None:
        screen = desktop(ctx, session)
        active = active_id(screen)
        found = next((w for w in windows(screen) if int(w.id) == active), None)
        ctx.set_output("window", found)
        ctx.set_output("title", found.title if found else "")
        ctx.activate("exec_out" if found else "exec_none")


class CaptureWindow(NodeType):
    name = "computer_capture_window"
    friendly_name = "Capture Window"
    description = "Captures what a window shows on the screen (windows above it included), as PNG and an image."
    pins = (exec_in(), session_in(),
            data_in("window_id", DataType.STRING, required=True, description="From List Windows or Find Window"),
            exec_out(), exec_out("exec_error", "Error", "No such window, or it is not on the screen"),
            data_out("screenshot", DataType.STRING, description="The capture as base64 PNG"),
            data_out("image", DataType.STRUCT, schema=ImageRef.model_json_schema()))

    def run(self, ctx: Context, *, session: AutomationSession, window_id: str) -> None:
        screen = desktop(ctx, session)
        found = next((w for w in windows(screen) if w.id == window_id.strip()), None)
        ctx.set_output("screenshot", "")
        ctx.set_output("image", None)
        if found is None or found.is_minimized:
            routed(ctx, "exec_error", LookupError(f"no visible window {window_id!r} on the desktop"))
            return
        image = screen.grab(found.x, found.y, found.width, found.height)
        ctx.set_output("screenshot", base64.b64encode(png(image)).decode())
        ctx.set_output("image", keep_image(ctx, image))
        ctx.activate("exec_out")


class LaunchApp(NodeType):
    name = "computer_launch_app"
    friendly_name = "Launch Application"
    description = ("Starts a program on the desktop (its own process, not ended with the run) and waits wait_ms "
                   "for it to come up; Error fires when it cannot start or has already failed.")
    pins = (exec_in(), session_in(),
            data_in("path", DataType.STRING, required=True, description="The program: a path or a name on PATH"),
            data_in("args", DataType.STRING, default="", description="Arguments, split like a shell does"),
            data_in("wait_ms", DataType.INTEGER, default=1000, friendly_name="Wait (ms)"),
            exec_out(), exec_out("exec_error", "Error", "The program could not start"),
            data_out("pid", DataType.INTEGER, description="The process id (-1 when it did not start)"))

    async def run(self, ctx: Context, *, session: AutomationSession, path: str, args: str, wait_ms: int) -> None:
        screen = desktop(ctx, session)
        ctx.set_output("pid", -1)
        try:
            process = subprocess.Popen([path, *shlex.split(args)], start_new_session=True, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env={**os.environ, "DISPLAY": screen.name})
        except (OSError, ValueError) as exc:
            routed(ctx, "exec_error", type(exc)(f"cannot start {path!r}: {exc}"))
            return
        await ctx.sleep(max(wait_ms, 0) / 1000)
        if process.poll() not in (None, 0):
            routed(ctx, "exec_error", RuntimeError(f"{path!r} exited with status {process.returncode} within "
                                                   f"{wait_ms} ms"))
            return
        ctx.set_output("pid", process.pid)
        ctx.activate("exec_out")
