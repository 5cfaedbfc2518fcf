"""Mouse and keyboard on the session's desktop: moves (straight or along a human-like curve), clicks, drags,
scrolls, key presses with modifiers and typed text, sent as XTEST events that the windows receive as real input.

A click can aim at a template image found on the screen or at an element fingerprint's box instead of its x and y
(in that order of preference, as in Flow-Like); the coordinates are the fallback.
"""

from __future__ import annotations

import math
import random
from typing import Annotated, Any

from flowlike_catalog.automation.computer import BUTTONS, Desktop, desktop
from flowlike_catalog.automation.fingerprint import ElementFingerprint
from flowlike_catalog.automation.session import AutomationSession, SessionIn, SessionOut
from flowlike_catalog.automation.vision import locate
from flowlike_catalog.data.handles import FlowPath

from flowlike_core import Context, Pin, node

CATEGORY = "Automation/Computer/Mouse"
CAPABILITIES = ("processes", "files")  # drives the other programs on the desktop, reads template images
CACHEABLE = False  # every run acts again
KEYBOARD = "Automation/Computer/Keyboard"
KEY_NAMES = {
    "enter": "Return", "return": "Return", "tab": "Tab", "escape": "Escape", "esc": "Escape",
    "backspace": "BackSpace", "delete": "Delete", "space": "space", "up": "Up", "arrowup": "Up", "down": "Down",
    "arrowdown": "Down", "left": "Left", "arrowleft": "Left", "right": "Right", "arrowright": "Right",
    "home": "Home", "end": "End", "pageup": "Prior", "pagedown": "Next", "insert": "Insert",
}
MODIFIERS = {"ctrl": "Control_L", "control": "Control_L", "shift": "Shift_L", "alt": "Alt_L", "meta": "Super_L",
             "cmd": "Super_L", "command": "Super_L", "win": "Super_L", "super": "Super_L"}
MOTION_STEP_MS = 10


def char_keysym(char: str) -> int:
    """The X keysym that types one character (Latin-1 keysyms are the code point, others 0x01000000 + it)."""
    from Xlib import XK

    if char == "\n":
        return XK.XK_Return
    if char == "\t":
        return XK.XK_Tab
    code = ord(char)
    return code if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF else 0x01000000 | code


def key_keysym(key: str) -> int:
    """The keysym of a key name: Flow-Like's names (enter, tab, f5, pageup...), one character, or an X keysym
    name (Insert, KP_Add...)."""
    from Xlib import XK

    if len(key) == 1:
        return char_keysym(key)
    name = KEY_NAMES.get(key.lower()) or (key.upper() if key.lower().startswith("f") and key[1:].isdigit() else key)
    keysym = XK.string_to_keysym(name)
    if not keysym:
        raise ValueError(f"unknown key {key!r}: use a character, a name like enter, tab, escape, f5, pageup, or an "
                         f"X keysym name")
    return keysym


def modifier_keysyms(modifiers: str) -> list[int]:
    """Keysyms of comma- or plus-separated modifiers (ctrl, shift, alt, meta)."""
    from Xlib import XK

    names = [m.strip().lower() for m in modifiers.replace("+", ",").split(",") if m.strip()]
    unknown = [m for m in names if m not in MODIFIERS]
    if unknown:
        raise ValueError(f"unknown modifier {', '.join(unknown)}: use {', '.join(MODIFIERS)}")
    return [XK.string_to_keysym(MODIFIERS[m]) for m in names]


def press(screen: Desktop, key: str, modifiers: str = "") -> None:
    """Presses a key while the modifiers are held."""
    held = modifier_keysyms(modifiers)
    keysym = key_keysym(key)
    for modifier in held:
        screen.key(modifier, True)
    try:
        screen.tap(keysym)
    finally:
        for modifier in reversed(held):
            screen.key(modifier, False)


async def type_text(ctx: Context, screen: Desktop, text: str, interval_ms: int = 0) -> None:
    """Types the text one character after another, waiting `interval_ms` between them."""
    for index, char in enumerate(text):
        if index and interval_ms > 0:
            await ctx.sleep(interval_ms / 1000)
        screen.tap(char_keysym(char))


def curve(start: tuple[int, int], end: tuple[int, int], steps: int, intensity: float,
          rng: random.Random) -> list[tuple[int, int]]:
    """Points along a cubic Bezier from start to end whose control points stray sideways by `intensity` times the
    distance, eased in and out like a hand."""
    (x0, y0), (x3, y3) = start, end
    dx, dy = x3 - x0, y3 - y0
    normal_x, normal_y = -dy, dx
    bend1, bend2 = (rng.uniform(-intensity, intensity) for _ in range(2))
    x1, y1 = x0 + dx / 3 + normal_x * bend1, y0 + dy / 3 + normal_y * bend1
    x2, y2 = x0 + 2 * dx / 3 + normal_x * bend2, y0 + 2 * dy / 3 + normal_y * bend2
    points = []
    for step in range(1, steps + 1):
        t = (1 - math.cos(math.pi * step / steps)) / 2
        u = 1 - t
        points.append((round(u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3),
                       round(u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3)))
    points[-1] = end
    return points


async def glide(ctx: Context, screen: Desktop, x: int, y: int, duration_ms: int, intensity: float = 0.0,
                overshoot: bool = False) -> None:
    """Moves the pointer to (x, y) over `duration_ms` through the points of a curve (a line at intensity 0),
    past the target and back when `overshoot`."""
    if duration_ms < 0:
        raise ValueError(f"the move's duration must not be negative, got {duration_ms} ms")
    start = screen.pointer()
    steps = max(1, duration_ms // MOTION_STEP_MS)
    rng = random.Random()
    if overshoot and start != (x, y):
        distance = math.dist(start, (x, y))
        reach = min(distance * 0.05, 20) / distance
        beyond = (round(x + (x - start[0]) * reach), round(y + (y - start[1]) * reach))
        path = curve(start, beyond, max(1, steps * 9 // 10), intensity, rng)
        path += curve(beyond, (x, y), max(1, steps // 10), 0.0, rng)
    else:
        path = curve(start, (x, y), steps, intensity, rng)
    for point in path:
        screen.move(*point)
        await ctx.sleep(duration_ms / len(path) / 1000)


async def drag(ctx: Context, screen: Desktop, start: tuple[int, int], end: tuple[int, int], duration_ms: int,
               button: str = "left") -> None:
    """Presses the button at start, moves to end through intermediate points (so the window sees a drag), releases."""
    if button.lower() not in BUTTONS:
        raise ValueError(f"button must be one of {', '.join(BUTTONS)}, got {button!r}")
    screen.move(*start)
    screen.button(BUTTONS[button.lower()], True)
    try:
        await glide(ctx, screen, *end, duration_ms)
    finally:
        screen.button(BUTTONS[button.lower()], False)


def target(ctx: Context, session: Any, x: int, y: int, use_template: bool, template: Any, confidence: float,
           use_fingerprint: bool, fingerprint: Any) -> tuple[int, int]:
    """Where a click lands: the template's match, else the fingerprint box's centre, else (x, y)."""
    if use_template and template:
        found, path = locate(ctx, session, template, confidence)
        if found:
            return found[0].x, found[0].y
        ctx.warn(f"template {path} not on the screen (confidence {confidence}): clicking the fallback")
    box = ElementFingerprint.model_validate(fingerprint).bounding_box if use_fingerprint and fingerprint else None
    if box is not None:
        return round((box.x1 + box.x2) / 2), round((box.y1 + box.y2) / 2)
    return x, y


async def aim(ctx: Context, session: AutomationSession, point: tuple[int, int], natural_move: bool,
              move_duration_ms: int) -> Desktop:
    """Brings the pointer to the point (gliding when asked) and waits the session's click delay."""
    screen = desktop(ctx, session)
    if natural_move:
        await glide(ctx, screen, *point, move_duration_ms, 0.3)
    else:
        screen.move(*point)
    if session.click_delay_ms:
        await ctx.sleep(session.click_delay_ms / 1000)
    return screen


TemplateIn = Annotated[dict, Pin(schema=FlowPath.model_json_schema(), description=(
    "An image to find on the screen and click (use_template_matching)"))]
FingerprintIn = Annotated[dict, Pin(schema=ElementFingerprint.model_json_schema(), description=(
    "An element fingerprint whose box centre is clicked (use_fingerprint)"))]
Confidence = Annotated[float, Pin(range=(0.0, 1.0), step=0.05)]
MoveDuration = Annotated[int, Pin("Move Duration (ms)", range=(0, 60_000))]


@node(friendly_name="Mouse Move", exec_pins=True)
def computer_mouse_move(ctx: Context, session: SessionIn, x: int = 0, y: int = 0) -> SessionOut:
    """Moves the pointer to a point of the desktop at once."""
    desktop(ctx, session).move(x, y)
    return session


@node(friendly_name="Natural Mouse Move", exec_pins=True)
async def computer_natural_mouse_move(
    ctx: Context, session: SessionIn, x: int = 0, y: int = 0,
    duration_ms: Annotated[int, Pin("Duration (ms)", range=(0, 60_000))] = 300,
    curve_intensity: Annotated[float, Pin(range=(0.0, 1.0), step=0.05, description="How far the path bends")] = 0.3,
    overshoot: Annotated[bool, Pin(description="Go slightly past the target and come back")] = False,
) -> SessionOut:
    """Moves the pointer along a curved, eased path like a hand would."""
    await glide(ctx, desktop(ctx, session), x, y, duration_ms, curve_intensity, overshoot)
    return session


@node(friendly_name="Mouse Click", exec_pins=True)
async def computer_mouse_click(
    ctx: Context, session: SessionIn, x: int = 0, y: int = 0,
    button: Annotated[str, Pin(valid_values=("left", "right", "middle"))] = "left",
    use_template_matching: bool = False, template: TemplateIn = None, confidence: Confidence = 0.8,
    natural_move: bool = False, move_duration_ms: MoveDuration = 200,
    use_fingerprint: bool = True, fingerprint: FingerprintIn = None,
) -> SessionOut:
    """Clicks a mouse button at the template's match, the fingerprint's box or the given point."""
    point = target(ctx, session, x, y, use_template_matching, template, confidence, use_fingerprint, fingerprint)
    screen = await aim(ctx, session, point, natural_move, move_duration_ms)
    screen.click(*point, button)
    return session


@node(friendly_name="Mouse Double Click", exec_pins=True)
async def computer_mouse_double_click(
    ctx: Context, session: SessionIn, x: int = 0, y: int = 0,
    use_template_matching: bool = False, template: TemplateIn = None, confidence: Confidence = 0.8,
    natural_move: bool = False, move_duration_ms: MoveDuration = 200,
    use_fingerprint: bool = True, fingerprint: FingerprintIn = None,
) -> SessionOut:
    """Double-clicks the left button at the template's match, the fingerprint's box or the given point."""
    point = target(ctx, session, x, y, use_template_matching, template, confidence, use_fingerprint, fingerprint)
    screen = await aim(ctx, session, point, natural_move, move_duration_ms)
    screen.click(*point, "left", 2)
    return session


@node(friendly_name="Mouse Drag", exec_pins=True)
async def computer_mouse_drag(
    ctx: Context, session: SessionIn, from_x: int = 0, from_y: int = 0, to_x: int = 0, to_y: int = 0,
    button: Annotated[str, Pin(valid_values=("left", "right", "middle"))] = "left",
) -> SessionOut:
    """Drags with a button held from one point to another."""
    await drag(ctx, desktop(ctx, session), (from_x, from_y), (to_x, to_y), 200, button)
    return session


@node(friendly_name="Scroll", exec_pins=True)
def computer_scroll(ctx: Context, session: SessionIn,
                    dx: Annotated[int, Pin(description="Horizontal wheel clicks (positive = right)")] = 0,
                    dy: Annotated[int, Pin(description="Vertical wheel clicks (positive = down)")] = 3) -> SessionOut:
    """Turns the scroll wheel at the pointer."""
    desktop(ctx, session).scroll(dx, dy)
    return session


@node(friendly_name="Key Press", category=KEYBOARD, exec_pins=True)
def computer_key_press(
    ctx: Context, session: SessionIn,
    key: Annotated[str, Pin(description="A character or a key name: enter, tab, escape, backspace, delete, space, "
                                        "up, down, left, right, home, end, pageup, pagedown, f1-f12")] = "",
    modifiers: Annotated[str, Pin(description="Held while pressing, comma-separated: ctrl, shift, alt, meta")] = "",
) -> SessionOut:
    """Presses and releases one key, with modifier keys held (ctrl,shift + t)."""
    if not key:
        raise ValueError("key is empty: name the key to press")
    press(desktop(ctx, session), key, modifiers)
    return session


@node(friendly_name="Type Text", category=KEYBOARD, exec_pins=True)
async def computer_key_type(ctx: Context, session: SessionIn, text: str = "") -> SessionOut:
    """Types the text into the focused window, any Unicode character included."""
    await type_text(ctx, desktop(ctx, session), text)
    return session
