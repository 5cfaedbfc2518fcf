"""The desktop of an automation session: an X11 display (`$DISPLAY`) driven through the XTEST extension, so that
other programs get real mouse and keyboard events, and read back as screenshots; its displays and a pause.

The session holds one connection to the display (its "desktop" part), opened by the first desktop node and closed
with the session. Coordinates are root-window pixels: (0, 0) is the top left of the whole desktop.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.automation.session import SessionIn, SessionOut, live_session
from flowlike_catalog.media.image import ImageRef, keep_image
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "Automation/Computer"
CAPABILITIES = ("processes", "files")  # drives the other programs on the desktop, writes screenshots
CACHEABLE = False  # the screen changes between runs
EXTRA = "pip install 'flowlike-nb[automation]'"
ARTIFACTS = Path(tempfile.gettempdir()) / "flowlike-artifacts" / "screenshots"
CAPTURE_TYPES = ("full", "display", "region")
BUTTONS = {"left": 1, "middle": 2, "right": 3}


class DisplayInfo(BaseModel):
    """One monitor of the desktop (Flow-Like's fields); x and y place it on the desktop."""

    id: int
    name: str
    x: int
    y: int
    width: int
    height: int
    is_primary: bool
    scale_factor: float = 1.0


class ArtifactRef(BaseModel):
    """A file a node made (Flow-Like's fields): a screenshot PNG under the system's temporary folder."""

    artifact_id: str
    artifact_type: str
    path: dict[str, str]
    mime_type: str
    size_bytes: int | None = None
    created_at: datetime
    metadata: dict[str, str] = {}


class Desktop:
    """One connection to an X11 display with the XTEST extension; calls are serialised (Xlib is not thread safe)."""

    def __init__(self, name: str) -> None:
        try:
            from Xlib import display, error
        except ImportError:
            raise ImportError(f"the desktop nodes need python-xlib: {EXTRA}") from None
        try:
            self.display = display.Display(name)
        except (error.DisplayError, OSError) as exc:
            raise ConnectionError(f"cannot open the X display {name!r}: {exc}") from None
        if not self.display.has_extension("XTEST"):
            self.display.close()
            raise ConnectionError(f"the X display {name!r} has no XTEST extension: cannot send input to it")
        self.name = name
        self.root = self.display.screen().root
        self.lock = threading.RLock()
        self.bound: dict[int, int] = {}
        """Keysyms bound to spare keycodes, to type characters the keyboard map lacks. They stay bound: a client
        reads its keyboard map when it handles a key event, which may be after an unbinding."""

    async def close(self) -> None:
        self.display.close()

    @property
    def size(self) -> tuple[int, int]:
        screen = self.display.screen()
        return screen.width_in_pixels, screen.height_in_pixels

    def monitors(self) -> list[DisplayInfo]:
        """The monitors RandR reports, the primary one flagged; the whole screen when RandR names none."""
        with self.lock:
            found = []
            if self.display.has_extension("RANDR"):
                reply = self.root.xrandr_get_monitors(is_active=True)
                found = [DisplayInfo(id=i, name=self.display.get_atom_name(m.name) if m.name else f"monitor-{i}",
                                     x=m.x, y=m.y, width=m.width_in_pixels, height=m.height_in_pixels,
                                     is_primary=bool(m.primary)) for i, m in enumerate(reply.monitors)]
            if not found:
                width, height = self.size
                found = [DisplayInfo(id=0, name=self.name, x=0, y=0, width=width, height=height, is_primary=True)]
            if not any(m.is_primary for m in found):
                found[0] = found[0].model_copy(update={"is_primary": True})
            return found

    def monitor(self, index: int) -> DisplayInfo:
        monitors = self.monitors()
        if not 0 <= index < len(monitors):
            raise IndexError(f"no display {index}: the desktop has {len(monitors)} (0 to {len(monitors) - 1})")
        return monitors[index]

    def grab(self, x: int = 0, y: int = 0, width: int | None = None, height: int | None = None) -> Any:
        """The screen's pixels in a box (clipped to the screen) as an RGB Pillow image."""
        from PIL import Image
        from Xlib import X

        screen_w, screen_h = self.size
        x, y = min(max(x, 0), screen_w - 1), min(max(y, 0), screen_h - 1)
        width = min(max(1, screen_w - x if width is None else width), screen_w - x)
        height = min(max(1, screen_h - y if height is None else height), screen_h - y)
        with self.lock:
            raw = self.root.get_image(x, y, width, height, X.ZPixmap, 0xFFFFFFFF)
        return Image.frombytes("RGB", (width, height), raw.data, "raw", "BGRX")

    def color(self, x: int, y: int) -> tuple[int, int, int]:
        """The colour of one screen pixel."""
        width, height = self.size
        if not (0 <= x < width and 0 <= y < height):
            raise ValueError(f"({x}, {y}) is off the screen ({width}x{height})")
        return self.grab(x, y, 1, 1).getpixel((0, 0))

    def pointer(self) -> tuple[int, int]:
        with self.lock:
            reply = self.root.query_pointer()
        return reply.root_x, reply.root_y

    def fake(self, event: int, **fields: int) -> None:
        """Sends one XTEST event and waits until the server has it."""
        from Xlib.ext import xtest

        with self.lock:
            xtest.fake_input(self.display, event, **fields)
            self.display.sync()

    def move(self, x: int, y: int) -> None:
        from Xlib import X

        self.fake(X.MotionNotify, x=x, y=y)

    def button(self, button: int, down: bool) -> None:
        from Xlib import X

        self.fake(X.ButtonPress if down else X.ButtonRelease, detail=button)

    def click(self, x: int, y: int, button: str = "left", count: int = 1) -> None:
        """Moves to (x, y) and clicks `count` times with the named button (left, right, middle)."""
        if button.lower() not in BUTTONS:
            raise ValueError(f"button must be one of {', '.join(BUTTONS)}, got {button!r}")
        self.move(x, y)
        for _ in range(count):
            self.button(BUTTONS[button.lower()], True)
            self.button(BUTTONS[button.lower()], False)

    def scroll(self, dx: int, dy: int) -> None:
        """Scroll wheel clicks at the pointer: dy positive scrolls down, dx positive scrolls right."""
        for amount, (back, forth) in ((dy, (4, 5)), (dx, (6, 7))):
            for _ in range(abs(amount)):
                self.button(forth if amount > 0 else back, True)
                self.button(forth if amount > 0 else back, False)

    def keycode(self, keysym: int) -> tuple[int, bool]:
        """The keycode that types a keysym and whether it needs Shift; a keysym the keyboard lacks is bound to a
        spare keycode (as xdotool does), once per connection."""
        with self.lock:
            for code, index in self.display.keysym_to_keycodes(keysym):
                if index in (0, 1):
                    return code, index == 1
            if keysym not in self.bound:
                first = self.display.display.info.min_keycode
                mapping = self.display.get_keyboard_mapping(first, self.display.display.info.max_keycode - first + 1)
                taken = set(self.bound.values())
                spare = next((first + i for i, syms in enumerate(mapping) if not any(syms) and first + i not in taken),
                             None)
                if spare is None:
                    raise RuntimeError(f"no spare keycode left to type keysym {keysym:#x}")
                self.display.change_keyboard_mapping(spare, [(keysym,) * len(mapping[0])])
                self.display.sync()
                self.bound[keysym] = spare
            return self.bound[keysym], False

    def key(self, keysym: int, down: bool) -> None:
        from Xlib import XK, X

        code, shifted = self.keycode(keysym)
        shift = self.keycode(XK.XK_Shift_L)[0]
        if shifted and down:
            self.fake(X.KeyPress, detail=shift)
        self.fake(X.KeyPress if down else X.KeyRelease, detail=code)
        if shifted and not down:
            self.fake(X.KeyRelease, detail=shift)

    def tap(self, keysym: int) -> None:
        self.key(keysym, True)
        self.key(keysym, False)


def desktop(ctx: Context, session: Any) -> Desktop:
    """The session's desktop, connected on first use (to `$DISPLAY`) and closed with the session."""
    live = live_session(ctx, session)
    found = live.parts.get("desktop")
    if found is None:
        name = os.environ.get("DISPLAY", "")
        if not name:
            raise ConnectionError("no X display: the desktop nodes need DISPLAY set (an X11 desktop or Xvfb)")
        found = live.parts["desktop"] = Desktop(name)
    return found  # type: ignore[return-value]


def png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def screenshot_artifact(data: bytes, **metadata: str) -> ArtifactRef:
    """Writes a screenshot PNG to the artifacts folder and names it."""
    ident = uuid.uuid4().hex
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{ident}.png"
    path.write_bytes(data)
    return ArtifactRef(artifact_id=ident, artifact_type="Screenshot", path={"path": str(path)},
                       mime_type="image/png", size_bytes=len(data), created_at=datetime.now(UTC), metadata=metadata)


class Screenshot(NamedTuple):
    session_out: SessionOut
    screenshot: Annotated[ArtifactRef, Pin(description="The PNG file written")]
    image: Annotated[ImageRef, Pin(description="The screenshot, for the image and vision nodes")]


@node(friendly_name="Screenshot", category="Automation/Computer/Capture", exec_pins=True)
def computer_screenshot(
    ctx: Context, session: SessionIn,
    capture_type: Annotated[str, Pin(valid_values=CAPTURE_TYPES, description="The whole desktop, one display or a "
                                                                             "region")] = "full",
    display_index: Annotated[int, Pin(description="The display (capture_type display)")] = 0,
    region_x: int = 0, region_y: int = 0, region_width: int = 100, region_height: int = 100,
) -> Screenshot:
    """Captures the screen as a PNG file and an image."""
    screen = desktop(ctx, session)
    if capture_type == "display":
        shown = screen.monitor(display_index)
        image = screen.grab(shown.x, shown.y, shown.width, shown.height)
    elif capture_type == "region":
        if region_width <= 0 or region_height <= 0:
            raise ValueError(f"the region must have a positive size, got {region_width}x{region_height}")
        image = screen.grab(region_x, region_y, region_width, region_height)
    elif capture_type == "full":
        image = screen.grab()
    else:
        raise ValueError(f"capture_type must be one of {', '.join(CAPTURE_TYPES)}, got {capture_type!r}")
    artifact = screenshot_artifact(png(image), capture_type=capture_type)
    return Screenshot(session, artifact, keep_image(ctx, image))


class Displays(NamedTuple):
    session_out: SessionOut
    displays: list[DisplayInfo]
    count: int
    primary_index: int


class Display(NamedTuple):
    session_out: SessionOut
    display: DisplayInfo
    width: int
    height: int


@node(friendly_name="List Displays", category="Automation/Computer/Display", exec_pins=True)
def computer_list_displays(ctx: Context, session: SessionIn) -> Displays:
    """Lists the desktop's monitors."""
    monitors = desktop(ctx, session).monitors()
    return Displays(session, monitors, len(monitors), next(i for i, m in enumerate(monitors) if m.is_primary))


@node(friendly_name="Get Display", category="Automation/Computer/Display", exec_pins=True)
def computer_get_display(ctx: Context, session: SessionIn, index: int = 0) -> Display:
    """One monitor by its index in List Displays."""
    shown = desktop(ctx, session).monitor(index)
    return Display(session, shown, shown.width, shown.height)


@node(friendly_name="Get Primary Display", category="Automation/Computer/Display", exec_pins=True)
def computer_get_primary_display(ctx: Context, session: SessionIn) -> Display:
    """The primary monitor."""
    shown = next(m for m in desktop(ctx, session).monitors() if m.is_primary)
    return Display(session, shown, shown.width, shown.height)


@node(friendly_name="Wait", category="Automation/Computer/Wait", exec_pins=True)
async def computer_wait(ctx: Context, session: SessionIn,
                        ms: Annotated[int, Pin("Milliseconds", range=(0, 86_400_000))] = 1000) -> SessionOut:
    """Pauses the flow (for the desktop to catch up); cancelling the run ends the wait."""
    if ms < 0:
        raise ValueError(f"ms must not be negative, got {ms}")
    await ctx.sleep(ms / 1000)
    return session

