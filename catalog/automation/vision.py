"""Screen vision: find a template image on the desktop (OpenCV's normalised cross-correlation on grey pixels),
wait for it to come or go, click it; pixel colours, the screen's size and screenshots of regions to files.

A match's x and y are the centre of the matched area in desktop pixels (where a click lands on it); its confidence
is the correlation, 1.0 for a pixel-exact match.
"""

from __future__ import annotations

import time
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.automation.computer import desktop, png
from flowlike_catalog.automation.session import AutomationSession, SessionIn, session_in
from flowlike_catalog.data.files import read, write
from flowlike_catalog.data.handles import FlowPath
from flowlike_catalog.media.image import ImageRef, keep_image, open_image
from pydantic import BaseModel

from flowlike_core import Context, DataType, NodeType, Pin, PinOptions, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Automation/Vision"
CAPABILITIES = ("processes", "files")  # reads the desktop, reads templates and writes screenshots
CACHEABLE = False  # the screen changes between runs
EXTRA = "pip install 'flowlike-nb[automation]'"
CLICK_TYPES = {"Left": ("left", 1), "Right": ("right", 1), "Middle": ("middle", 1), "Double": ("left", 2)}
MATCH_MODES = ("Segmented", "FFT")
CONFIDENCE = PinOptions(range=(0.0, 1.0), step=0.05)
PATH_SCHEMA = FlowPath.model_json_schema()


class TemplateMatchResult(BaseModel):
    """One place the template was found (Flow-Like's fields): its centre and how well it matched."""

    found: bool
    x: int
    y: int
    confidence: float
    template_path: str


def check_confidence(confidence: float) -> None:
    if not 0.0 < confidence <= 1.0:
        raise ValueError(f"confidence must be in (0, 1], got {confidence}")


def load_template(ctx: Context, template: Any) -> tuple[Any, str]:
    """The template as a grey numpy image, and its path for the results."""
    import numpy as np

    path = FlowPath.of(template, "template")
    image = open_image(read(ctx, path), what=f"template {path.path}")
    return np.asarray(image.convert("L")), path.path


def matches(screen: Any, template: Any, confidence: float, limit: int) -> list[tuple[int, int, float]]:
    """Up to `limit` non-overlapping places (centre x, centre y, score) where the grey template matches the grey
    screen with at least `confidence`, best first."""
    try:
        import cv2
    except ImportError:
        raise ImportError(f"template matching needs OpenCV (opencv-python-headless): {EXTRA}") from None
    import numpy as np

    height, width = template.shape
    if height > screen.shape[0] or width > screen.shape[1]:
        raise ValueError(f"the template ({width}x{height}) is larger than the screen "
                         f"({screen.shape[1]}x{screen.shape[0]})")
    if template.std() == 0:  # a flat template has no correlation: score how close the pixels are
        scores = 1.0 - cv2.matchTemplate(screen, template, cv2.TM_SQDIFF) / (template.size * 255.0**2)
    else:
        scores = np.nan_to_num(cv2.matchTemplate(screen, template, cv2.TM_CCOEFF_NORMED), nan=0.0)
    found = []
    while len(found) < limit:
        _, best, _, (x, y) = cv2.minMaxLoc(scores)
        if best < confidence:
            break
        found.append((x + width // 2, y + height // 2, round(float(best), 4)))
        scores[max(0, y - height // 2):y + height // 2 + 1, max(0, x - width // 2):x + width // 2 + 1] = -1.0
    return found


def locate(ctx: Context, session: Any, template: Any, confidence: float, limit: int = 1
           ) -> tuple[list[TemplateMatchResult], str]:
    """Where the template shows on the desktop now (best first), and the template's path."""
    import numpy as np

    check_confidence(confidence)
    grey, path = load_template(ctx, template)
    screen = np.asarray(desktop(ctx, session).grab().convert("L"))
    return [TemplateMatchResult(found=True, x=x, y=y, confidence=score, template_path=path)
            for x, y, score in matches(screen, grey, confidence, limit)], path


async def wait_for(ctx: Context, session: Any, template: Any, confidence: float, timeout_ms: int,
                   poll_interval_ms: int, present: bool = True) -> TemplateMatchResult | None:
    """Polls the screen until the template shows (`present`) or is gone; the match (or a not-found result once it
    is gone), None at the timeout."""
    if timeout_ms < 0 or poll_interval_ms <= 0:
        raise ValueError(f"timeout_ms must not be negative and poll_interval_ms must be positive, got {timeout_ms} "
                         f"and {poll_interval_ms}")
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        found, path = locate(ctx, session, template, confidence)
        if found and present:
            return found[0]
        if not found and not present:
            return TemplateMatchResult(found=False, x=0, y=0, confidence=0.0, template_path=path)
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        await ctx.sleep(min(poll_interval_ms / 1000, left))


TemplateIn = Annotated[FlowPath, Pin(description="The image to look for (PNG, JPEG...), e.g. cut from a screenshot")]
Confidence = Annotated[float, Pin(range=(0.0, 1.0), step=0.05, description="Lowest match score accepted (1 = exact)")]


class Found(NamedTuple):
    found: bool
    result: TemplateMatchResult
    x: Annotated[int, Pin(description="Centre of the match (0 when not found)")]
    y: int


@node(friendly_name="Find Template", exec_pins=True)
def vision_find_template(
    ctx: Context, session: SessionIn, template: TemplateIn, confidence: Confidence = 0.8,
    match_mode: Annotated[str, Pin(valid_values=MATCH_MODES, description=(
        "Flow-Like's matcher choice; here OpenCV's correlation (which uses an FFT for large templates) serves "
        "both"))] = "Segmented",
) -> Found:
    """Searches the screen for a template image and gives the best match's centre."""
    if match_mode not in MATCH_MODES:
        raise ValueError(f"match_mode must be one of {', '.join(MATCH_MODES)}, got {match_mode!r}")
    found, path = locate(ctx, session, template, confidence)
    if not found:
        return Found(False, TemplateMatchResult(found=False, x=0, y=0, confidence=0.0, template_path=path), 0, 0)
    return Found(True, found[0], found[0].x, found[0].y)


class AllFound(NamedTuple):
    count: int
    results: list[TemplateMatchResult]


@node(friendly_name="Find All Templates", exec_pins=True)
def vision_find_all_templates(
    ctx: Context, session: SessionIn, template: TemplateIn, confidence: Confidence = 0.8,
    max_results: Annotated[int, Pin(range=(1, 1000))] = 10,
) -> AllFound:
    """Every place the template shows on the screen (not overlapping each other), best first."""
    if max_results < 1:
        raise ValueError(f"max_results must be at least 1, got {max_results}")
    found, _ = locate(ctx, session, template, confidence, max_results)
    return AllFound(len(found), found)


def template_pins() -> tuple[Any, ...]:
    return (exec_in(), session_in(),
            data_in("template", DataType.STRUCT, schema=PATH_SCHEMA, required=True,
                    description="The image to look for (PNG, JPEG...)"),
            data_in("confidence", DataType.FLOAT, default=0.8, options=CONFIDENCE,
                    description="Lowest match score accepted (1 = exact)"))


class WaitTemplate(NodeType):
    name = "vision_wait_template"
    friendly_name = "Wait For Template"
    description = "Polls the screen until the template shows (Continue) or the time is up (Timeout)."
    pins = (*template_pins(),
            data_in("timeout_ms", DataType.INTEGER, default=30000, friendly_name="Timeout (ms)"),
            data_in("poll_interval_ms", DataType.INTEGER, default=500, friendly_name="Poll Interval (ms)"),
            exec_out(), exec_out("exec_timeout", "Timeout", "The template did not show in time"),
            data_out("found", DataType.BOOLEAN),
            data_out("result", DataType.STRUCT, schema=TemplateMatchResult.model_json_schema()))

    async def run(self, ctx: Context, *, session: AutomationSession, template: FlowPath, confidence: float,
                  timeout_ms: int, poll_interval_ms: int) -> None:
        match = await wait_for(ctx, session, template, confidence, timeout_ms, poll_interval_ms)
        ctx.set_output("found", match is not None)
        ctx.set_output("result", match or TemplateMatchResult(found=False, x=0, y=0, confidence=0.0,
                                                              template_path=FlowPath.of(template).path))
        ctx.activate("exec_out" if match else "exec_timeout")


class WaitTemplateDisappear(NodeType):
    name = "vision_wait_template_disappear"
    friendly_name = "Wait Template Disappear"
    description = "Polls the screen until the template is gone (Continue) or the time is up (Timeout)."
    pins = (*template_pins(),
            data_in("timeout_ms", DataType.INTEGER, default=30000, friendly_name="Timeout (ms)"),
            exec_out(), exec_out("exec_timeout", "Timeout", "The template still shows"),
            data_out("disappeared", DataType.BOOLEAN))

    async def run(self, ctx: Context, *, session: AutomationSession, template: FlowPath, confidence: float,
                  timeout_ms: int) -> None:
        gone = await wait_for(ctx, session, template, confidence, timeout_ms, 250, present=False)
        ctx.set_output("disappeared", gone is not None)
        ctx.activate("exec_out" if gone else "exec_timeout")


class ClickTemplate(NodeType):
    name = "vision_click_template"
    friendly_name = "Click Template"
    description = ("Finds the template on the screen and clicks its centre (plus the offset); without a match it "
                   "clicks the fallback point when one is given (both >= 0), else Not Found fires.")
    pins = (*template_pins(),
            data_in("click_type", DataType.STRING, default="Left", options=PinOptions(valid_values=tuple(CLICK_TYPES))),
            data_in("offset_x", DataType.INTEGER, default=0), data_in("offset_y", DataType.INTEGER, default=0),
            data_in("fallback_x", DataType.INTEGER, default=-1), data_in("fallback_y", DataType.INTEGER, default=-1),
            exec_out(), exec_out("exec_not_found", "Not Found", "No match and no fallback point"),
            data_out("found", DataType.BOOLEAN), data_out("x", DataType.INTEGER), data_out("y", DataType.INTEGER))

    def run(self, ctx: Context, *, session: AutomationSession, template: FlowPath, confidence: float,
            click_type: str, offset_x: int, offset_y: int, fallback_x: int, fallback_y: int) -> None:
        if click_type not in CLICK_TYPES:
            raise ValueError(f"click_type must be one of {', '.join(CLICK_TYPES)}, got {click_type!r}")
        found, _ = locate(ctx, session, template, confidence)
        if found:
            x, y = found[0].x + offset_x, found[0].y + offset_y
        elif fallback_x >= 0 and fallback_y >= 0:
            x, y = fallback_x, fallback_y
        else:
            ctx.set_output("found", False)
            ctx.set_output("x", 0)
            ctx.set_output("y", 0)
            ctx.activate("exec_not_found")
            return
        desktop(ctx, session).click(x, y, *CLICK_TYPES[click_type])
        ctx.set_output("found", bool(found))
        ctx.set_output("x", x)
        ctx.set_output("y", y)
        ctx.activate("exec_out")


class PixelColor(NamedTuple):
    red: int
    green: int
    blue: int
    hex: Annotated[str, Pin(description="#rrggbb")]


@node(friendly_name="Get Pixel Color", exec_pins=True)
def vision_get_pixel_color(ctx: Context, session: SessionIn, x: int = 0, y: int = 0) -> PixelColor:
    """The colour of one screen pixel."""
    red, green, blue = desktop(ctx, session).color(x, y)
    return PixelColor(red, green, blue, f"#{red:02x}{green:02x}{blue:02x}")


class ScreenSize(NamedTuple):
    width: int
    height: int


@node(friendly_name="Get Screen Size", exec_pins=True)
def vision_get_screen_size(ctx: Context, session: SessionIn, monitor: int = 0) -> ScreenSize:
    """The size of one display in pixels."""
    shown = desktop(ctx, session).monitor(monitor)
    return ScreenSize(shown.width, shown.height)


class Shot(NamedTuple):
    success: bool
    image: Annotated[ImageRef, Pin(description="The screenshot, for the image and vision nodes")]


OptionalFile = Annotated[dict, Pin(schema=PATH_SCHEMA, description="A PNG file to write (optional)")]


@node(friendly_name="Screenshot Region", exec_pins=True)
def vision_screenshot_region(ctx: Context, session: SessionIn, x: int = 0, y: int = 0, width: int = 100,
                             height: int = 100, file_path: OptionalFile = None) -> Shot:
    """Captures a box of the screen (clipped to it) as an image, written as PNG when a file is given."""
    if width <= 0 or height <= 0:
        raise ValueError(f"the region must have a positive size, got {width}x{height}")
    image = desktop(ctx, session).grab(x, y, width, height)
    if file_path:
        write(ctx, file_path, png(image))
    return Shot(True, keep_image(ctx, image))


@node(friendly_name="Screenshot To File", exec_pins=True)
def vision_screenshot_to_file(ctx: Context, session: SessionIn,
                              file_path: Annotated[FlowPath, Pin(description="The PNG file to write")],
                              monitor: int = 0) -> Shot:
    """Captures one display and writes it as a PNG file."""
    screen = desktop(ctx, session)
    shown = screen.monitor(monitor)
    image = screen.grab(shown.x, shown.y, shown.width, shown.height)
    write(ctx, file_path, png(image))
    return Shot(True, keep_image(ctx, image))
