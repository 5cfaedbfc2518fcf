"""RPA steps on the screen: click, drag, scroll and type at coordinates; check, find and wait for a colour or a
template image; snapshots to files and a diagnosis of a failure (what the screen looked like when it happened).

Colours match when every channel is within `tolerance` of the wanted one; a template's x and y are the centre of
its match, as in the vision nodes.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Annotated, Any

from flowlike_catalog.automation.computer import Desktop, desktop, png
from flowlike_catalog.automation.computer_input import drag, type_text
from flowlike_catalog.automation.computer_windows import active_id, windows
from flowlike_catalog.automation.session import AutomationSession, SessionIn, session_in
from flowlike_catalog.automation.vision import CLICK_TYPES, CONFIDENCE, locate, wait_for
from flowlike_catalog.data.files import write
from flowlike_catalog.data.handles import FlowPath

from flowlike_core import Context, DataType, NodeType, Pin, PinOptions, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Automation/RPA"
CAPABILITIES = ("processes", "files")  # drives the desktop, reads templates and writes snapshots
CACHEABLE = False  # the screen changes between runs
CHANNEL = PinOptions(range=(0, 255))
POLL_SECONDS = 0.1


def check_tolerance(tolerance: int) -> None:
    if not 0 <= tolerance <= 255:
        raise ValueError(f"tolerance must be within 0-255, got {tolerance}")


def near(color: tuple[int, int, int], wanted: tuple[int, int, int], tolerance: int) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(color, wanted, strict=True))


def first_pixel(screen: Desktop, wanted: tuple[int, int, int], tolerance: int) -> tuple[int, int] | None:
    """The first pixel (row by row from the top left) whose colour is near the wanted one."""
    import numpy as np

    pixels = np.asarray(screen.grab(), dtype=np.int16)
    hits = np.argwhere((np.abs(pixels - np.array(wanted, dtype=np.int16)) <= tolerance).all(axis=2))
    return (int(hits[0][1]), int(hits[0][0])) if len(hits) else None


@node(friendly_name="Click At Position", exec_pins=True)
async def rpa_click_at_position(
    ctx: Context, session: SessionIn, x: int = 0, y: int = 0,
    click_type: Annotated[str, Pin(valid_values=tuple(CLICK_TYPES))] = "Left",
) -> None:
    """Clicks (left, right, middle or double) at a point of the screen."""
    if click_type not in CLICK_TYPES:
        raise ValueError(f"click_type must be one of {', '.join(CLICK_TYPES)}, got {click_type!r}")
    screen = desktop(ctx, session)
    screen.move(x, y)
    if session.click_delay_ms:
        await ctx.sleep(session.click_delay_ms / 1000)
    screen.click(x, y, *CLICK_TYPES[click_type])


@node(friendly_name="Drag And Drop", exec_pins=True)
async def rpa_drag_drop(ctx: Context, session: SessionIn, from_x: int = 0, from_y: int = 0, to_x: int = 0,
                        to_y: int = 0, duration_sec: Annotated[float, Pin(range=(0.0, 60.0))] = 0.5) -> None:
    """Drags with the left button from one point to another over the duration."""
    if duration_sec < 0:
        raise ValueError(f"duration_sec must not be negative, got {duration_sec}")
    await drag(ctx, desktop(ctx, session), (from_x, from_y), (to_x, to_y), round(duration_sec * 1000))


@node(friendly_name="Scroll", exec_pins=True)
def rpa_scroll(ctx: Context, session: SessionIn,
               clicks: Annotated[int, Pin(description="Wheel clicks at the pointer: positive up, negative down")] = 3
               ) -> None:
    """Scrolls at the pointer."""
    desktop(ctx, session).scroll(0, -clicks)


@node(friendly_name="Type Text", exec_pins=True)
async def rpa_type_text(ctx: Context, session: SessionIn, text: str = "",
                        interval_ms: Annotated[int, Pin("Interval (ms)", range=(0, 10_000))] = 0) -> None:
    """Types the text into the focused window, pausing between characters."""
    if interval_ms < 0:
        raise ValueError(f"interval_ms must not be negative, got {interval_ms}")
    await type_text(ctx, desktop(ctx, session), text, interval_ms)


def color_pins() -> tuple[Any, ...]:
    return (data_in("red", DataType.INTEGER, default=255, options=CHANNEL),
            data_in("green", DataType.INTEGER, default=255, options=CHANNEL),
            data_in("blue", DataType.INTEGER, default=255, options=CHANNEL),
            data_in("tolerance", DataType.INTEGER, default=10, options=CHANNEL,
                    description="How far each channel may be off"))


def point_pins() -> tuple[Any, ...]:
    return data_in("x", DataType.INTEGER, default=0), data_in("y", DataType.INTEGER, default=0)


class AssertColor(NodeType):
    name = "rpa_assert_color"
    friendly_name = "Assert Color At Position"
    description = "Checks the colour of a pixel: Pass or Fail."
    pins = (exec_in(), session_in(), *point_pins(), *color_pins(),
            exec_out("exec_pass", "Pass"), exec_out("exec_fail", "Fail"), data_out("passed", DataType.BOOLEAN))

    def run(self, ctx: Context, *, session: AutomationSession, x: int, y: int, red: int, green: int, blue: int,
            tolerance: int) -> None:
        check_tolerance(tolerance)
        color = desktop(ctx, session).color(x, y)
        passed = near(color, (red, green, blue), tolerance)
        if not passed:
            ctx.info(f"pixel ({x}, {y}) is {color}, not ({red}, {green}, {blue}) within {tolerance}")
        ctx.set_output("passed", passed)
        ctx.activate("exec_pass" if passed else "exec_fail")


class LocateColor(NodeType):
    name = "rpa_locate_color"
    friendly_name = "Locate By Color"
    description = "Finds the first pixel of a colour on the screen (row by row from the top left)."
    pins = (exec_in(), session_in(),
            data_in("red", DataType.INTEGER, default=255, options=CHANNEL),
            data_in("green", DataType.INTEGER, default=0, options=CHANNEL),
            data_in("blue", DataType.INTEGER, default=0, options=CHANNEL),
            data_in("tolerance", DataType.INTEGER, default=10, options=CHANNEL),
            exec_out("exec_found", "Found"), exec_out("exec_not_found", "Not Found"),
            data_out("x", DataType.INTEGER), data_out("y", DataType.INTEGER))

    def run(self, ctx: Context, *, session: AutomationSession, red: int, green: int, blue: int,
            tolerance: int) -> None:
        check_tolerance(tolerance)
        found = first_pixel(desktop(ctx, session), (red, green, blue), tolerance)
        ctx.set_output("x", found[0] if found else 0)
        ctx.set_output("y", found[1] if found else 0)
        ctx.activate("exec_found" if found else "exec_not_found")


class WaitForColor(NodeType):
    name = "rpa_wait_for_color"
    friendly_name = "Wait For Color"
    description = "Polls a pixel until it has the colour (Found) or the time is up (Timeout)."
    pins = (exec_in(), session_in(), *point_pins(), *color_pins(),
            data_in("timeout_ms", DataType.INTEGER, default=30000, friendly_name="Timeout (ms)"),
            exec_out("exec_found", "Found"), exec_out("exec_timeout", "Timeout"))

    async def run(self, ctx: Context, *, session: AutomationSession, x: int, y: int, red: int, green: int,
                  blue: int, tolerance: int, timeout_ms: int) -> None:
        check_tolerance(tolerance)
        screen = desktop(ctx, session)
        deadline = time.monotonic() + max(timeout_ms, 0) / 1000
        while not (found := near(screen.color(x, y), (red, green, blue), tolerance)):
            if time.monotonic() >= deadline:
                break
            await ctx.sleep(POLL_SECONDS)
        ctx.activate("exec_found" if found else "exec_timeout")


def template_pins() -> tuple[Any, ...]:
    return (exec_in(), session_in(),
            data_in("template_path", DataType.STRING, default="", description="The image file to look for"),
            data_in("confidence", DataType.FLOAT, default=0.8, options=CONFIDENCE))


def template_file(template_path: str) -> FlowPath:
    if not template_path:
        raise ValueError("template_path is empty: name the image file to look for")
    return FlowPath(path=template_path)


class AssertTemplateExists(NodeType):
    name = "rpa_assert_template_exists"
    friendly_name = "Assert Template Exists"
    description = "Checks that the template image shows on the screen: Pass or Fail."
    pins = (*template_pins(), exec_out("exec_pass", "Pass"), exec_out("exec_fail", "Fail"),
            data_out("passed", DataType.BOOLEAN))

    def run(self, ctx: Context, *, session: AutomationSession, template_path: str, confidence: float) -> None:
        found, _ = locate(ctx, session, template_file(template_path), confidence)
        ctx.set_output("passed", bool(found))
        ctx.activate("exec_pass" if found else "exec_fail")


class LocateTemplate(NodeType):
    name = "rpa_locate_template"
    friendly_name = "Locate By Template"
    description = "Finds the template image on the screen: the centre of the best match."
    pins = (*template_pins(), exec_out("exec_found", "Found"), exec_out("exec_not_found", "Not Found"),
            data_out("x", DataType.INTEGER), data_out("y", DataType.INTEGER))

    def run(self, ctx: Context, *, session: AutomationSession, template_path: str, confidence: float) -> None:
        found, _ = locate(ctx, session, template_file(template_path), confidence)
        ctx.set_output("x", found[0].x if found else 0)
        ctx.set_output("y", found[0].y if found else 0)
        ctx.activate("exec_found" if found else "exec_not_found")


class WaitForTemplate(NodeType):
    name = "rpa_wait_for_template"
    friendly_name = "Wait For Template"
    description = "Polls the screen until the template shows (Found) or the time is up (Timeout)."
    pins = (*template_pins(),
            data_in("timeout_ms", DataType.INTEGER, default=30000, friendly_name="Timeout (ms)"),
            data_in("poll_interval_ms", DataType.INTEGER, default=500, friendly_name="Poll Interval (ms)"),
            exec_out("exec_found", "Found"), exec_out("exec_timeout", "Timeout"),
            data_out("x", DataType.INTEGER), data_out("y", DataType.INTEGER))

    async def run(self, ctx: Context, *, session: AutomationSession, template_path: str, confidence: float,
                  timeout_ms: int, poll_interval_ms: int) -> None:
        match = await wait_for(ctx, session, template_file(template_path), confidence, timeout_ms, poll_interval_ms)
        ctx.set_output("x", match.x if match else 0)
        ctx.set_output("y", match.y if match else 0)
        ctx.activate("exec_found" if match else "exec_timeout")


@node(friendly_name="Take Snapshot", exec_pins=True)
def rpa_take_snapshot(ctx: Context, session: SessionIn,
                      file_path: Annotated[FlowPath, Pin(description="The PNG file to write")],
                      monitor: int = 0) -> Annotated[bool, Pin(name="success")]:
    """Writes a screenshot of one display to a PNG file."""
    screen = desktop(ctx, session)
    shown = screen.monitor(monitor)
    write(ctx, file_path, png(screen.grab(shown.x, shown.y, shown.width, shown.height)))
    return True


@node(friendly_name="Diagnose Failure", exec_pins=True)
def rpa_diagnose_failure(
    ctx: Context, session: SessionIn, error_message: str = "",
    screenshot_path: Annotated[str, Pin(description="Where to save the screen as PNG (optional)")] = "",
) -> Annotated[str, Pin(name="diagnostic_info", description="JSON: time, error, screen, pointer, focused window")]:
    """Records what the desktop looked like when a step failed: the error, the screen's size, where the pointer
    was, which window had the focus, and a screenshot when a path is given."""
    screen = desktop(ctx, session)
    width, height = screen.size
    if screenshot_path:
        write(ctx, FlowPath(path=screenshot_path), png(screen.grab()))
    active = active_id(screen)
    focused = next((w.title for w in windows(screen) if int(w.id) == active), None)
    pointer_x, pointer_y = screen.pointer()
    return json.dumps({
        "timestamp": datetime.now(UTC).isoformat(), "error_message": error_message,
        "screen_size": {"width": width, "height": height}, "pointer": {"x": pointer_x, "y": pointer_y},
        "focused_window": focused, "screenshot_path": screenshot_path, "debug_mode": session.debug_mode,
    })
