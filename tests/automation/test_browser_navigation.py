"""Opening a browser in a session, pages, navigation and the input nodes, on the shared Chromium."""

from __future__ import annotations


def test_goto_reports_the_final_url(steps, site) -> None:
    s = steps()
    goto = s.step("browser_goto", url=f"{site}/")
    run = s.ok()
    assert run.output(goto.id, "final_url") == f"{site}/"
