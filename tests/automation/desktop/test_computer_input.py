"""Mouse and keyboard nodes against a real X server: the Tk test program must receive the clicks, drags, wheel
turns and keys the nodes send, where and as they were sent."""

from __future__ import annotations

import pytest
from desk_boards import Desk, ran
from flowlike_catalog.automation.computer_input import curve, key_keysym, modifier_keysyms
from xdisplay import MAIN, OTHER, OTHER_AT, SQUARES, until

from flowlike_core.errors import NodeFailed


def centre(name: str) -> tuple[int, int]:
    (x1, y1, x2, y2), _ = SQUARES[name]
    return (x1 + x2) // 2, (y1 + y2) // 2


def test_click_lands_where_it_was_sent(app, desk):
    x, y = centre("green")
    desk.step("computer_mouse_click", x=x, y=y, button="right")
    desk.step("computer_mouse_click", x=x + 5, y=y, button="left", natural_move=True, move_duration_ms=80)
    desk.ok()
    right, left = app.wait_for("press", 2)[:2]
    assert (right["x"], right["y"], right["button"], right["window"]) == (x, y, 3, MAIN)
    assert (left["x"], left["y"], left["button"]) == (x + 5, y, 1)
    assert len(app.wait_for("release", 2)) == 2


def test_click_aims_at_a_fingerprint_box_before_the_point(app, desk):
    box = {"x1": 100, "y1": 20, "x2": 160, "y2": 80}
    desk.step("computer_mouse_double_click", x=5, y=5, fingerprint={"id": "fp", "bounding_box": box})
    desk.ok()
    [double] = app.wait_for("double")
    assert (double["x"], double["y"]) == (130, 50)
    assert [(p["x"], p["y"]) for p in app.events("press")] == [(130, 50)]  # Tk reports the second as the double
    assert len(app.wait_for("release", 2)) == 2


def test_move_drag_and_scroll(app, desk, xdisplay):
    desk.step("computer_mouse_move", x=300, y=100)
    desk.ok()
    q = xdisplay.screen().root.query_pointer()
    assert (q.root_x, q.root_y) == (300, 100)
    board = Desk()
    board.step("computer_mouse_drag", from_x=30, from_y=30, to_x=200, to_y=120)
    board.step("computer_natural_mouse_move", x=350, y=250, duration_ms=60, overshoot=True)
    board.step("computer_scroll", dx=0, dy=-2)
    board.step("rpa_scroll", clicks=-1)
    board.ok()
    assert app.wait_for("release", 4)[0] == {"type": "release", "x": 200, "y": 120, "button": 1}
    drags = app.events("drag")  # all in: the program logs the release after them
    assert drags[-1]["x"] == 200 and drags[-1]["y"] == 120 and len(drags) > 3
    assert [p["button"] for p in app.wait_for("press", 4)] == [1, 4, 4, 5]
    q = xdisplay.screen().root.query_pointer()
    assert (q.root_x, q.root_y) == (350, 250)


def test_keys_and_text_reach_the_focused_window(app, desk):
    focus = desk.step("computer_focus_window", window_title="desk other", launch_if_not_found=False)
    desk.step("computer_key_type", text="Hi é!")
    desk.step("computer_key_press", key="s", modifiers="ctrl,shift")
    desk.step("computer_key_press", key="enter")
    desk.step("rpa_type_text", text="ok", interval_ms=5)
    run = desk.ok()
    assert run.output(focus.id, "window").title == OTHER
    def typed() -> list[dict]:
        return [k for k in app.events("key") if k["keysym"] not in ("Shift_L", "Control_L")]

    keys = until(lambda: len(typed()) >= 9 and typed(), "the 9 keys")
    assert "".join(k["char"] for k in keys[:5]) == "Hi é!"
    assert {k["window"] for k in keys} == {OTHER}
    ctrl_shift_s = keys[5]
    assert ctrl_shift_s["keysym"] in ("S", "s") and ctrl_shift_s["state"] & 0x5 == 0x5  # Shift and Control held
    assert [k["keysym"] for k in keys[6:]] == ["Return", "o", "k"]


def test_bad_keys_say_what_is_wrong(app, desk):
    desk.step("computer_key_press", key="nosuchkey")
    with pytest.raises(NodeFailed, match="unknown key 'nosuchkey'"):
        desk.run()
    with pytest.raises(ValueError, match="unknown modifier hyper"):
        modifier_keysyms("ctrl,hyper")
    assert key_keysym("F5") == key_keysym("f5") != 0


def test_curve_ends_on_target_and_bends():
    import random

    points = curve((0, 0), (100, 0), 20, 0.3, random.Random(1))
    assert points[-1] == (100, 0) and len(points) == 20
    assert max(abs(y) for _, y in points) > 0


def test_other_window_is_at_its_place(app, desk):
    found = desk.step("computer_find_window_by_title", title=OTHER, exact_match=True)
    logs = desk.fired(found, "exec_out", "exec_not_found")
    run = desk.ok()
    assert ran(run, logs) == ["exec_out"]
    assert (run.output(found.id, "window").x, run.output(found.id, "window").y) == OTHER_AT
