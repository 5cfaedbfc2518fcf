"""Screenshots, displays, windows, the clipboard and launching programs against a real X server and the Tk test
program: what the nodes report must be what the screen shows and what the server knows."""

from __future__ import annotations

import base64
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from desk_boards import Desk, ran
from flowlike_catalog.automation.computer_windows import WindowInfo
from flowlike_catalog.media.image import pil_image
from PIL import Image
from xdisplay import MAIN, MAIN_SIZE, OTHER, OTHER_AT, OTHER_COLOR, OTHER_SIZE, SCREEN, SQUARES, until

from flowlike_core.errors import NodeFailed


def test_screenshot_shows_the_windows(app, desk):
    full = desk.step("computer_screenshot")
    region = desk.step("computer_screenshot", capture_type="region", region_x=20, region_y=20, region_width=60,
                       region_height=60)
    shown = desk.step("computer_screenshot", capture_type="display", display_index=0)
    run = desk.ok()
    image = pil_image(run.output(full.id, "image"))
    assert image.size == SCREEN
    for (x1, y1, _, _), color in SQUARES.values():
        assert image.getpixel((x1 + 3, y1 + 3)) == color
    assert image.getpixel((OTHER_AT[0] + 5, OTHER_AT[1] + 5)) == OTHER_COLOR
    artifact = run.output(full.id, "screenshot")
    assert Image.open(artifact.path["path"]).size == SCREEN and artifact.mime_type == "image/png"
    cut = pil_image(run.output(region.id, "image"))
    assert cut.size == (60, 60) and colors(cut) == {SQUARES["red"][1]}
    assert pil_image(run.output(shown.id, "image")).size == SCREEN


def test_displays_are_the_servers_screen(xserver):
    desk = Desk()
    listed = desk.step("computer_list_displays")
    one = desk.step("computer_get_display", index=0)
    primary = desk.step("computer_get_primary_display")
    size = desk.step("vision_get_screen_size")
    run = desk.ok()
    [display] = run.output(listed.id, "displays")
    assert (display.width, display.height, display.is_primary) == (*SCREEN, True)
    assert (run.output(listed.id, "count"), run.output(listed.id, "primary_index")) == (1, 0)
    assert run.output(one.id, "display") == run.output(primary.id, "display") == display
    assert (run.output(size.id, "width"), run.output(size.id, "height")) == SCREEN
    bad = Desk()
    bad.step("computer_get_display", index=3)
    with pytest.raises(NodeFailed, match="no display 3: the desktop has 1"):
        bad.run()


def test_windows_are_listed_found_and_focused(app, desk):
    listed = desk.step("computer_list_windows")
    found = desk.step("computer_find_window_by_title", title="main")
    missing = desk.step("computer_find_window_by_title", title="no such window", exact_match=True)
    missing_logs = desk.fired(missing, "exec_out", "exec_not_found")
    focus = Desk()
    focused = focus.step("computer_focus_window", window_title=MAIN, exact_match=True, launch_if_not_found=False)
    active = focus.step("computer_get_active_window")
    run = desk.run()
    windows = {w.title: w for w in run.output(listed.id, "windows")}
    assert {MAIN, OTHER} <= set(windows) and run.output(listed.id, "count") == len(windows)
    assert (windows[OTHER].x, windows[OTHER].y, windows[OTHER].width, windows[OTHER].height) == (*OTHER_AT,
                                                                                                 *OTHER_SIZE)
    assert (windows[MAIN].width, windows[MAIN].height) == MAIN_SIZE and not windows[MAIN].is_minimized
    assert run.output(found.id, "window").title == MAIN
    assert ran(run, missing_logs) == ["exec_not_found"]
    run = focus.ok()
    assert run.output(focused.id, "window").is_focused
    assert run.output(active.id, "title") == MAIN
    assert isinstance(run.output(active.id, "window"), WindowInfo)


def test_capture_window_is_what_it_shows(app, desk):
    found = desk.step("computer_find_window_by_title", title=OTHER, exact_match=True)
    window = desk.ok().output(found.id, "window")
    board = Desk()
    capture = board.step("computer_capture_window", window_id=window.id)
    missing = board.add("computer_capture_window", window_id="12345")
    board.wire(capture, "exec_out", missing, "exec_in")
    board.wire(*board.session, missing, "session")
    logs = board.fired(missing, "exec_out", "exec_error")
    run = board.run()
    image = pil_image(run.output(capture.id, "image"))
    assert image.size == OTHER_SIZE and colors(image) == {OTHER_COLOR}
    assert png_of(run.output(capture.id, "screenshot")).convert("RGB").getpixel((5, 5)) == OTHER_COLOR
    assert ran(run, logs) == ["exec_error"] and run.output(missing.id, "screenshot") == ""


def test_clipboard_round_trips_text_and_images(xserver, desk, tmp_path: Path):
    desk.step("computer_clipboard_set_text", text="grüße 1")
    text = desk.step("computer_clipboard_get_text")
    none = desk.step("computer_clipboard_get_image")
    none_logs = desk.fired(none, "exec_no_image")
    run = desk.run()
    assert (run.output(text.id, "text"), run.output(text.id, "has_text")) == ("grüße 1", True)
    assert run.output(none.id, "has_image") is False and ran(run, none_logs) == ["exec_no_image"]
    # another program reads what the node set: xclip itself
    out = subprocess.run(["xclip", "-selection", "clipboard", "-o"], capture_output=True, check=True,
                         env={**os.environ, "DISPLAY": xserver}).stdout.decode()
    assert out == "grüße 1"
    image = Desk()
    shot = image.step("computer_screenshot", capture_type="region", region_x=0, region_y=0, region_width=8,
                      region_height=4)
    image.wire(shot, "image", image.step("computer_clipboard_set_image"), "image")
    got = image.step("computer_clipboard_get_image")
    run = image.ok()
    assert run.output(got.id, "has_image") is True
    back = pil_image(run.output(got.id, "image"))
    assert back.size == (8, 4)
    assert back.convert("RGB").tobytes() == pil_image(run.output(shot.id, "image")).tobytes()


def test_launched_program_shows_its_window(xserver, desk, tmp_path: Path):
    script = Path(__file__).parent.parent / "xdisplay.py"
    launch = desk.step("computer_launch_app", path=sys.executable,
                       args=f"{script} {tmp_path / 'launched.jsonl'} 'Launched Desk'", wait_ms=0)
    failing = desk.add("computer_launch_app", path=str(tmp_path / "missing-program"))
    desk.wire(launch, "exec_out", failing, "exec_in")
    desk.wire(*desk.session, failing, "session")
    logs = desk.fired(failing, "exec_out", "exec_error")
    run = desk.run()
    pid = run.output(launch.id, "pid")
    assert pid > 0 and run.output(failing.id, "pid") == -1 and ran(run, logs) == ["exec_error"]
    try:
        def listed() -> bool:
            board = Desk()
            found = board.step("computer_find_window_by_title", title="Launched Desk", exact_match=True)
            return board.ok().output(found.id, "window") is not None

        until(listed, "the launched program's window")
    finally:
        os.kill(pid, signal.SIGKILL)


def png_of(data: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(data)))


def colors(image: Image.Image) -> set[tuple[int, ...]]:
    return {color for _, color in image.getcolors()}


def test_focus_window_starts_the_missing_program(xserver, monkeypatch, tmp_path: Path):
    """A program named like the window is started from PATH and its window focused once it shows."""
    script = Path(__file__).parent.parent / "xdisplay.py"
    program = tmp_path / "bin" / "desk-launched"
    program.parent.mkdir()
    program.write_text(f"#!/bin/sh\necho $$ > {tmp_path / 'pid'}\n"
                       f"exec {sys.executable} {script} {tmp_path / 'events.jsonl'} desk-launched\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{program.parent}{os.pathsep}{os.environ['PATH']}")
    desk = Desk()
    focus = desk.step("computer_focus_window", window_title="desk-launched", exact_match=True)
    try:
        run = desk.ok()
        window = run.output(focus.id, "window")
        assert window.title == "desk-launched" and window.is_focused
    finally:
        pid = until(lambda: (tmp_path / "pid").exists() and (tmp_path / "pid").read_text().strip(), "the pid file")
        os.kill(int(pid), signal.SIGKILL)
