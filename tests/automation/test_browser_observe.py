"""Console messages, the network observer and waiting for the network to go quiet."""

from __future__ import annotations

import json


def test_console_messages_and_page_errors(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/console")
    everything = s.step("browser_get_console_logs")
    warnings = s.step("browser_get_console_logs", level_filter="warn")
    s.step("browser_clear_console_logs")
    s.step("browser_click", selector="#more")
    s.step("browser_click", selector="#throw")
    s.step("browser_wait_for", selector="body", timeout_ms=20000)  # a round trip: the click's messages are in
    later = s.step("browser_get_console_logs")
    run = s.ok()
    logs = run.output(everything.id, "logs")
    assert [(m.level, m.text) for m in logs] == [("log", "plain 1"), ("warn", "careful"), ("error", "broken")]
    assert all(m.source == f"{site}/console" and m.line_number == 1 and m.timestamp > 0 for m in logs)
    assert (run.output(everything.id, "count"), run.output(everything.id, "has_errors")) == (3, True)
    assert [m.text for m in run.output(warnings.id, "logs")] == ["careful"]
    assert run.output(warnings.id, "has_errors") is False
    after = [(m.level, m.text) for m in run.output(later.id, "logs")]
    assert after[0] == ("info", "clicked")
    assert after[1][0] == "error" and "Cannot read properties of null" in after[1][1]


def test_network_observer_records_requests(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/network")
    before = s.step("browser_get_network_requests")
    s.step("browser_start_network_observer", url_pattern="/api/")
    s.step("browser_click", selector="#fetch")
    s.step("browser_wait_for", selector="#got:has-text('data!')", timeout_ms=20000)
    s.step("browser_click", selector="#other")
    s.step("browser_click", selector="#slow")
    s.step("browser_wait_for_network_idle", idle_time_ms=100, timeout_ms=20000)
    seen = s.step("browser_get_network_requests", clear_after=True)
    cleared = s.step("browser_get_network_requests")
    run = s.ok()
    assert run.output(before.id, "count") == 0
    requests = run.output(seen.id, "requests")
    assert [r.url for r in requests] == [f"{site}/api/data?x=1", f"{site}/api/slow"]
    data, slow = requests
    assert (data.method, data.status, data.status_text, data.resource_type) == ("GET", 200, "OK", "fetch")
    assert json.loads(data.response_headers)["x-answer"] == "42"
    assert "user-agent" in json.loads(data.request_headers)
    assert data.size_bytes > len("data!") and data.duration_ms >= 0
    assert slow.status == 200 and slow.duration_ms >= 350  # the server takes 0.4 s
    assert run.output(seen.id, "count") == 2 and run.output(cleared.id, "count") == 0


def test_network_idle_gives_up_on_a_hanging_request(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/network")
    s.step("browser_click", selector="#hang")
    wait = s.step("browser_wait_for_network_idle", idle_time_ms=50, timeout_ms=1000)
    s.on(wait, "exec_timeout", "still busy")
    s.on(wait, "exec_out", "quiet")
    run = s.ok()
    assert s.said(run) == ["still busy"]
