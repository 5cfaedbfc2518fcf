"""Screen RPA steps against a real X server and the Tk test program: clicks and drags it receives, colours and
templates where it drew them, waits that follow its changes, snapshots and a failure diagnosis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from desk_boards import Desk, pixel, ran
from PIL import Image
from xdisplay import MAIN, PATTERN_SIZE, PATTERNS, SCREEN, SQUARES, until

CENTRES = {(x + PATTERN_SIZE // 2, y + PATTERN_SIZE // 2) for x, y in PATTERNS}


def test_clicks_and_drags_reach_the_program(app, desk):
    desk.step("rpa_click_at_position", x=50, y=50, click_type="Right")
    desk.step("rpa_click_at_position", x=60, y=50, click_type="Double")
    desk.step("rpa_drag_drop", from_x=120, from_y=40, to_x=300, to_y=200, duration_sec=0.1)
    desk.ok()
    first, second, drag_start = app.wait_for("press", 3)[:3]
    assert (first["x"], first["y"], first["button"]) == (50, 50, 3)
    assert (second["x"], second["y"], second["button"]) == (60, 50, 1)
    assert [(d["x"], d["y"]) for d in app.wait_for("double")] == [(60, 50)]
    assert (drag_start["x"], drag_start["y"]) == (120, 40)
    assert app.wait_for("release", 4)[-1] == {"type": "release", "x": 300, "y": 200, "button": 1}
    assert app.events("drag")[-1] == {"type": "drag", "x": 300, "y": 200}  # all in: logged before the release


def test_colours_are_checked_found_and_waited_for(app, desk):
    (rx, ry, _, _), red = SQUARES["red"]
    (gx, gy, _, _), green = SQUARES["green"]
    (bx, by, _, _), _ = SQUARES["blue"]
    passes = desk.step("rpa_assert_color", after="exec_out", x=rx + 5, y=ry + 5, red=250, green=5, blue=0)
    pass_logs = desk.fired(passes, "exec_fail")
    fails = desk.add("rpa_assert_color", x=rx + 5, y=ry + 5, red=0, green=0, blue=0, tolerance=0)
    desk.wire(passes, "exec_pass", fails, "exec_in")
    desk.wire(*desk.session, fails, "session")
    locate = desk.add("rpa_locate_color", red=green[0], green=green[1], blue=green[2], tolerance=0)
    desk.wire(fails, "exec_fail", locate, "exec_in")
    desk.wire(*desk.session, locate, "session")
    locate_logs = desk.fired(locate, "exec_found", "exec_not_found")
    run = desk.run()
    assert ran(run, pass_logs) == [] and run.output(passes.id, "passed") is True
    assert run.output(fails.id, "passed") is False
    assert ran(run, locate_logs) == ["exec_found"]
    assert (run.output(locate.id, "x"), run.output(locate.id, "y")) == (gx, gy)

    app.send("later 300 paint #ffff00")
    board = Desk()
    wait = board.step("rpa_wait_for_color", x=bx + 5, y=by + 5, red=255, green=255, blue=0, tolerance=0,
                      timeout_ms=20000)
    wait_logs = board.fired(wait, "exec_found", "exec_timeout")
    assert ran(board.run(), wait_logs) == ["exec_found"]
    board = Desk()
    never = board.step("rpa_wait_for_color", x=bx + 5, y=by + 5, red=1, green=2, blue=3, tolerance=0,
                       timeout_ms=150)
    never_logs = board.fired(never, "exec_found", "exec_timeout")
    assert ran(board.run(), never_logs) == ["exec_timeout"]


def test_templates_are_asserted_located_and_waited_for(app, desk, xdisplay, tmp_path: Path):
    snapshot = desk.step("rpa_take_snapshot", file_path={"path": str(tmp_path / "snap.png")})
    assert desk.ok().output(snapshot.id, "success") is True
    shot = Image.open(tmp_path / "snap.png")
    assert shot.size == SCREEN
    x, y = PATTERNS[1]
    template = tmp_path / "pattern.png"
    shot.crop((x, y, x + PATTERN_SIZE, y + PATTERN_SIZE)).save(template)
    app.send("hide")
    until(lambda: all(pixel(xdisplay, px + 1, py + 1) == (255, 255, 255) for px, py in PATTERNS), "the hiding")
    board = Desk()
    absent = board.step("rpa_assert_template_exists", template_path=str(template), confidence=0.9)
    absent_logs = board.fired(absent, "exec_pass", "exec_fail")
    run = board.run()
    assert ran(run, absent_logs) == ["exec_fail"] and run.output(absent.id, "passed") is False
    app.send("later 300 show")
    board = Desk()
    wait = board.step("rpa_wait_for_template", template_path=str(template), timeout_ms=20000, poll_interval_ms=50)
    wait_logs = board.fired(wait, "exec_found", "exec_timeout")
    run = board.run()
    assert ran(run, wait_logs) == ["exec_found"] and (run.output(wait.id, "x"), run.output(wait.id, "y")) in CENTRES
    board = Desk()
    present = board.step("rpa_assert_template_exists", after="exec_out", template_path=str(template))
    locate = board.add("rpa_locate_template", template_path=str(template))
    board.wire(present, "exec_pass", locate, "exec_in")
    board.wire(*board.session, locate, "session")
    run = board.ok()
    assert run.output(present.id, "passed") is True
    assert (run.output(locate.id, "x"), run.output(locate.id, "y")) in CENTRES


def test_diagnosis_names_the_screen_the_focus_and_saves_a_screenshot(app, desk, tmp_path: Path):
    desk.step("computer_focus_window", window_title=MAIN, exact_match=True, launch_if_not_found=False)
    desk.step("computer_mouse_move", x=12, y=34)
    diagnose = desk.step("rpa_diagnose_failure", error_message="button missing",
                         screenshot_path=str(tmp_path / "failure.png"))
    run = desk.ok()
    info = json.loads(run.output(diagnose.id, "diagnostic_info"))
    assert info["error_message"] == "button missing" and info["focused_window"] == MAIN
    assert info["screen_size"] == {"width": SCREEN[0], "height": SCREEN[1]} and info["pointer"] == {"x": 12, "y": 34}
    assert Image.open(tmp_path / "failure.png").size == SCREEN


def test_bad_input_says_what_is_wrong(xserver):
    from flowlike_core.errors import NodeFailed

    for key, defaults, message in [
        ("rpa_assert_color", {"tolerance": 300}, "tolerance must be within 0-255"),
        ("rpa_locate_template", {}, "template_path is empty"),
        ("rpa_click_at_position", {"click_type": "Triple"}, "click_type must be one of"),
    ]:
        desk = Desk()
        desk.step(key, **defaults)
        with pytest.raises(NodeFailed, match=message):
            desk.run()
