"""Toasts, progress and notifications: log lines and progress events the notebook and the editor show."""

from __future__ import annotations

import pytest

from flowlike_core import Listener, NodeFailed


class Progress(Listener):
    def __init__(self) -> None:
        self.events: list[tuple[float, str]] = []

    def progress(self, run, node_id, fraction, message):
        self.events.append((fraction, message))


def test_toast_marks_a_log_line_as_a_notification(b):
    start = b.start()
    plain, toast, warn = b.add("log_info", message="saved"), b.add("log_info", message="saved", toast=True), \
        b.add("log_warning", message={"disk": 91}, toast=True)
    error = b.add("log_error", message="boom")
    b.chain(start, plain, toast, warn, error)
    run = b.run()
    assert [(line.level.value, line.message) for line in run.logs()] == [
        ("Info", "saved"), ("Info", "[notification] saved"), ("Warn", '[notification] {"disk": 91}'),
        ("Error", "boom")]


def test_progress_and_done_reach_the_listeners(b):
    start, half, done = b.start(), b.add("log_progress", id="import", message="rows", progress=50), \
        b.add("log_progress_done", id="import", message="all rows", success=False)
    b.chain(start, half, done)
    watcher = Progress()
    run = b.run(listeners=[watcher])
    assert watcher.events == [(0.5, "import: rows"), (1.0, "import: all rows")]
    assert [(line.level.value, line.message) for line in run.logs()] == [("Warn", "import: all rows")]
    with pytest.raises(NodeFailed, match="progress must be a percentage from 0 to 100, got 120"):
        b.compute("log_progress", "auto_handle_error_string", progress=120)


def test_notifications_are_marked_log_lines(b):
    start = b.start()
    user = b.add("notify_user", title="Build", description="finished", icon="✅", link="https://ci.example/1")
    other = b.add("notify_project_user", user_sub="ada", title="Review", description="")
    b.chain(start, user, other)
    run = b.run()
    assert [line.message for line in run.logs()] == [
        "[notification] ✅ Build: finished (https://ci.example/1)", "[notification] Review [for ada]"]
    assert run.output(user.id, "success") is True and run.output(other.id, "success") is True


def test_a_notification_needs_content_and_a_recipient(b):
    with pytest.raises(NodeFailed, match="a notification needs a title or a description"):
        b.compute("notify_user", "success", title="")
    with pytest.raises(NodeFailed, match="name the user the notification is for"):
        b.compute("notify_project_user", "success")
