"""The session, opening a browser, pages, navigation, interaction, input, waits and reading a page, on the shared
Chromium (and once on a Chromium the node launches itself)."""

from __future__ import annotations

import json
import urllib.request

import pytest
from flowlike_catalog.automation import PACK as AUTOMATION
from pack_builder import Builder

from flowlike_core import NodeFailed


def test_navigation_and_input_on_a_form(steps, site) -> None:
    s = steps()
    goto = s.step("browser_goto", url=f"{site}/")
    intro = s.step("browser_get_text", selector="#intro")
    s.step("browser_click", selector="#next")
    found = s.step("browser_wait_for", selector="#name", timeout_ms=20000)
    s.step("browser_type_text", selector="#name", text="Ada")
    s.step("browser_press_key", selector="#name", key="Enter")
    s.step("browser_press_key", key="Tab")  # the focused element: still the field
    s.step("browser_select_option", selector="#color", value="g")
    s.step("browser_click", selector="#send")
    out = s.step("browser_get_text", selector="#out")
    keys = s.step("browser_get_text", selector="#keys")
    s.step("browser_double_click", selector="#twice")
    clicks = s.step("browser_get_text", selector="#clicks")
    s.step("browser_hover", selector="#spot")
    hovered = s.step("browser_get_text", selector="#hovered")
    s.step("browser_scroll_into_view", selector="#bottom")
    scrolled = s.step("browser_execute_js", script="return scrollY > 1000;")
    s.step("browser_type_text", selector="#name", text="!", clear_first=False)
    typed = s.step("browser_execute_js", script="return document.querySelector('#name').value;")
    s.step("browser_back")
    back = s.step("browser_execute_js", script="return location.pathname;")
    s.step("browser_forward")
    forward = s.step("browser_execute_js", script="return location.pathname;")
    s.step("browser_reload")
    reloaded = s.step("browser_get_text", selector="#out")
    run = s.ok()
    assert run.output(goto.id, "final_url") == f"{site}/"
    assert run.output(intro.id, "text") == "Hello there"
    assert run.output(found.id, "found") is True
    assert run.output(out.id, "text") == "sent Ada g"
    assert run.output(keys.id, "text") == "Delete,A,d,a,Enter,Tab,"  # clearing: select all, Delete
    assert run.output(clicks.id, "text") == "double"
    assert run.output(hovered.id, "text") == "yes"
    assert run.output(scrolled.id, "result") is True
    assert run.output(typed.id, "result") == "Ada!"
    assert (run.output(back.id, "result"), run.output(forward.id, "result")) == ("/", "/form")
    assert run.output(reloaded.id, "text") == ""


def test_reading_html_attributes_and_script_results(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/")
    outer = s.step("browser_get_html", selector="#intro")
    inner = s.step("browser_get_html", selector="#intro", outer_html=False)
    page = s.step("browser_get_html")
    kind = s.step("browser_get_attribute", selector="#intro", attribute="data-kind")
    none = s.step("browser_get_attribute", selector="#intro", attribute="data-none")
    value = s.step("browser_execute_js", script="return await Promise.resolve({title: document.title, n: [1, 2]});")
    nothing = s.step("browser_execute_js", script="document.title;")
    late_page = s.step("browser_goto", url=f"{site}/late")
    late = s.step("browser_wait_for", selector="#late", timeout_ms=20000)
    never = s.step("browser_wait_for", selector="#never", timeout_ms=100)
    s.step("browser_wait_delay", delay_ms=1)
    run = s.ok()
    assert run.output(outer.id, "html") == '<p id="intro" data-kind="greeting">Hello <b>there</b></p>'
    assert run.output(inner.id, "html") == "Hello <b>there</b>"
    assert '<h1 id="title">Welcome</h1>' in run.output(page.id, "html")
    assert (run.output(kind.id, "value"), run.output(none.id, "value")) == ("greeting", "")
    assert run.output(value.id, "result") == {"title": "Home", "n": [1, 2]}
    assert run.output(nothing.id, "result") is None
    assert run.output(late_page.id, "final_url") == f"{site}/late"
    assert (run.output(late.id, "found"), run.output(never.id, "found")) == (True, False)


def test_each_session_acts_on_its_own_page(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/")
    first = s.session
    second = s.step("browser_new_page")
    s.step("browser_goto", url=f"{site}/form")
    on_second = s.step("browser_execute_js", script="return document.title;")
    on_first = s.add("browser_execute_js", script="return document.title;")
    s.chain(s.last, on_first)
    s.wire(*first, on_first, "session")
    s.last = on_first
    s.session = (second, "session_out")
    s.step("browser_close_page")
    after = s.add("browser_get_text", selector="#out")
    s.chain(s.last, after)
    s.wire(second, "session_out", after, "session")
    run = s.run()
    assert (run.output(on_second.id, "result"), run.output(on_first.id, "result")) == ("Form", "Home")
    assert "page" in run.error and "is closed" in run.error
    assert run.error_node == after.id


def test_the_session_from_before_open_names_no_page(steps, site) -> None:
    s = steps()
    s.session = (s.start, "session")
    s.step("browser_goto", url=f"{site}/")
    with pytest.raises(NodeFailed, match="this session names no page: use the session Open Browser or New Page"):
        s.ok()


def test_browser_nodes_need_a_session_and_an_open_browser(site) -> None:
    b = Builder(AUTOMATION)
    start = b.add("automation_start_session")
    goto = b.add("browser_goto", url=f"{site}/")
    b.chain(b.add("events_simple"), start, goto)
    b.wire(start, "session", goto, "session")
    with pytest.raises(NodeFailed, match="no browser open in this automation session: put Open Browser before"):
        b.run()
    b = Builder(AUTOMATION)
    goto = b.add("browser_goto", url=f"{site}/")
    b.feed(goto, session={"session_ref": "gone", "platform": "Linux"})
    with pytest.raises(NodeFailed, match="no automation session 'gone' in this run"):
        b.steps(goto)


def test_stop_closes_the_browser_and_the_run_end_closes_what_is_left(steps, site, chromium_endpoint) -> None:
    def pages() -> list[str]:
        with urllib.request.urlopen(f"{chromium_endpoint}/json/list", timeout=10) as reply:
            return [target["url"] for target in json.load(reply)]

    s = steps()
    s.step("browser_goto", url=f"{site}/?stopped")
    opened = s.step("browser_execute_js", script="return location.search;")
    s.step("automation_stop_session")
    s.step("browser_get_text", selector="#intro")
    run = s.run()
    assert run.output(opened.id, "result") == "?stopped"
    assert "no automation session" in run.error
    s = steps()
    s.step("browser_goto", url=f"{site}/?left-open")
    s.ok()
    assert not [url for url in pages() if url.startswith(site)]


def test_debug_mode_logs_each_step(steps, site) -> None:
    s = steps(session={"debug_mode": True})
    s.step("browser_goto", url=f"{site}/")
    s.step("browser_click", selector="#counter")
    run = s.ok()
    logged = [line.message for line in run.logs()]
    assert f"browser: go to {site}/ on about:blank" in logged
    assert f"browser: click #counter on {site}/" in logged


def test_open_launches_chromium_itself_without_an_endpoint(steps, site) -> None:
    s = steps(webdriver_url="", viewport_width=640, viewport_height=480, user_agent="flowlike-test")
    s.step("browser_goto", url=f"{site}/")
    seen = s.step("browser_execute_js", script="return [navigator.userAgent, innerWidth, innerHeight];")
    s.step("browser_close")
    again = s.step("browser_open", webdriver_url="", browser_type="Firefox")
    run = s.run()
    assert run.output(seen.id, "result") == ["flowlike-test", 640, 480]
    assert run.error_node == again.id and "cannot start Firefox here" in run.error


def test_an_endpoint_nobody_listens_on(steps, site, closed_port) -> None:
    port = closed_port
    s = steps(webdriver_url=f"http://127.0.0.1:{port}")
    with pytest.raises(NodeFailed, match=f"cannot reach a Chrome DevTools endpoint at http://127.0.0.1:{port}"):
        s.ok()
