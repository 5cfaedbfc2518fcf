"""Template matching and screen reading against a real X server: a template cut from a screenshot of the Tk test
program is found where the program drew it, clicks on it reach the program, and waits follow it coming and going."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from desk_boards import Desk, ran
from flowlike_catalog.automation.vision import matches
from flowlike_catalog.media.image import pil_image
from PIL import Image
from xdisplay import PATTERN_SIZE, PATTERNS, SCREEN, SQUARES

CENTRES = {(x + PATTERN_SIZE // 2, y + PATTERN_SIZE // 2) for x, y in PATTERNS}


@pytest.fixture
def template(app, tmp_path: Path) -> Path:
    """The pattern, cut from a screenshot the vision node wrote to a file."""
    shot = tmp_path / "screen.png"
    desk = Desk()
    desk.step("vision_screenshot_to_file", file_path={"path": str(shot)})
    desk.ok()
    x, y = PATTERNS[0]
    path = tmp_path / "pattern.png"
    Image.open(shot).crop((x, y, x + PATTERN_SIZE, y + PATTERN_SIZE)).save(path)
    return path


@pytest.fixture
def absent(tmp_path: Path) -> Path:
    """An image that is nowhere on the screen (noise)."""
    path = tmp_path / "noise.png"
    Image.fromarray(np.random.default_rng(7).integers(0, 255, (24, 24, 3), dtype=np.uint8)).save(path)
    return path


def test_find_template_finds_both_copies(template, absent, desk):
    one = desk.step("vision_find_template", template={"path": str(template)})
    every = desk.step("vision_find_all_templates", template={"path": str(template)}, confidence=0.95)
    none = desk.step("vision_find_template", template={"path": str(absent)})
    run = desk.ok()
    assert run.output(one.id, "found") is True
    assert (run.output(one.id, "x"), run.output(one.id, "y")) in CENTRES
    assert run.output(one.id, "result").confidence == pytest.approx(1.0)
    results = run.output(every.id, "results")
    assert run.output(every.id, "count") == 2 and {(r.x, r.y) for r in results} == CENTRES
    assert all(r.template_path == str(template) for r in results)
    assert run.output(none.id, "found") is False and run.output(none.id, "result").found is False


def test_click_template_clicks_its_centre_and_falls_back(app, template, absent, desk):
    click = desk.step("vision_click_template", template={"path": str(template)}, offset_x=2, click_type="Right")
    fallback = desk.step("vision_click_template", template={"path": str(absent)}, fallback_x=50, fallback_y=40)
    nowhere = desk.step("vision_click_template", template={"path": str(absent)})
    logs = desk.fired(nowhere, "exec_out", "exec_not_found")
    run = desk.run()
    x, y = run.output(click.id, "x"), run.output(click.id, "y")
    assert (x - 2, y) in CENTRES
    assert (run.output(fallback.id, "found"), run.output(fallback.id, "x")) == (False, 50)
    assert ran(run, logs) == ["exec_not_found"]
    presses = app.wait_for("press", 2)
    assert [(p["x"], p["y"], p["button"]) for p in presses] == [(x, y, 3), (50, 40, 1)]


def test_mouse_click_aims_at_a_template(app, template, desk):
    desk.step("computer_mouse_click", x=1, y=1, use_template_matching=True, template={"path": str(template)},
              natural_move=True, move_duration_ms=50)
    desk.ok()
    [press] = app.wait_for("press")
    assert (press["x"], press["y"]) in CENTRES and press["button"] == 1


def test_waits_follow_the_template_coming_and_going(app, template, desk):
    app.send("hide")
    app.send("later 300 show")
    come = desk.step("vision_wait_template", template={"path": str(template)}, timeout_ms=20000,
                     poll_interval_ms=50)
    come_logs = desk.fired(come, "exec_out", "exec_timeout")
    run = desk.run()
    assert ran(run, come_logs) == ["exec_out"] and run.output(come.id, "result").found
    app.send("later 300 hide")
    board = Desk()
    go = board.step("vision_wait_template_disappear", template={"path": str(template)}, timeout_ms=20000)
    go_logs = board.fired(go, "exec_timeout")
    stays = board.add("vision_wait_template", template={"path": str(template)}, timeout_ms=150, poll_interval_ms=50)
    board.wire(go, "exec_out", stays, "exec_in")
    board.wire(*board.session, stays, "session")
    stays_logs = board.fired(stays, "exec_out", "exec_timeout")
    run = board.run()
    assert ran(run, go_logs) == [] and run.output(go.id, "disappeared") is True and run.traces_of(stays.id)
    assert ran(run, stays_logs) == ["exec_timeout"] and run.output(stays.id, "found") is False


def test_pixels_regions_and_files(app, desk, tmp_path: Path):
    (x1, y1, _, _), green = SQUARES["green"]
    pixel = desk.step("vision_get_pixel_color", x=x1 + 1, y=y1 + 1)
    region = desk.step("vision_screenshot_region", x=x1, y=y1, width=10, height=5,
                       file_path={"path": str(tmp_path / "out" / "region.png")})
    whole = desk.step("vision_screenshot_to_file", file_path={"path": str(tmp_path / "whole.png")})
    run = desk.ok()
    assert (run.output(pixel.id, "red"), run.output(pixel.id, "green"), run.output(pixel.id, "blue")) == green
    assert run.output(pixel.id, "hex") == "#00ff00"
    saved = Image.open(tmp_path / "out" / "region.png")
    assert saved.size == (10, 5) and saved.convert("RGB").getpixel((9, 4)) == green
    assert pil_image(run.output(region.id, "image")).tobytes() == saved.convert("RGB").tobytes()
    assert Image.open(tmp_path / "whole.png").size == SCREEN and run.output(whole.id, "success")


def test_bad_input_says_what_is_wrong(xserver, tmp_path: Path):
    from flowlike_core.errors import NodeFailed

    for key, defaults, message in [
        ("vision_find_template", {"template": {"path": str(tmp_path / "missing.png")}}, "no file at"),
        ("vision_find_template", {"template": {"path": str(tmp_path)}, "confidence": 1.5}, "confidence must be"),
        ("vision_get_pixel_color", {"x": SCREEN[0]}, "off the screen"),
    ]:
        desk = Desk()
        desk.step(key, **defaults)
        with pytest.raises(NodeFailed, match=message):
            desk.run()
    (tmp_path / "text.png").write_text(json.dumps({"not": "an image"}))
    desk = Desk()
    desk.step("vision_find_template", template={"path": str(tmp_path / "text.png")})
    with pytest.raises(NodeFailed, match="is not an image"):
        desk.run()


def test_flat_templates_match_only_their_colour():
    screen = np.full((40, 60), 255, np.uint8)
    screen[10:20, 30:40] = 0
    assert matches(screen, np.zeros((6, 6), np.uint8), 0.99, 5)[0][:2] == (33, 13)
    assert matches(screen, np.full((6, 6), 128, np.uint8), 0.9, 5) == []
