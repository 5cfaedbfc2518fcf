"""A user's web task on a board, end to end: log in through a form, click through, read a table as Arrow, download
a file, take a screenshot, answer dialogs, wait for a late element, fail clearly on a missing element, and a
browser the run launched itself that is gone when the run ends or is cancelled."""

from __future__ import annotations

import base64
import os
import shlex
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import playwright
import pyarrow as pa
import pytest
from flowlike_catalog.automation import PACK as AUTOMATION
from flowlike_catalog.web import PACK as WEB
from pack_builder import Builder
from xdisplay import until

from flowlike_core import DataType, NodeFailed, RunStatus, Variable, commands, start_run

CHROMIUM = "/usr/bin/chromium"
WAIT = 60.0


def test_log_in_click_through_read_the_table_download_and_screenshot(steps, site, tmp_path: Path) -> None:
    s = steps(packs=(WEB,))
    s.step("browser_goto", url=f"{site}/orders")  # not logged in yet: sent to the login form
    s.step("browser_type_text", selector="#user", text="ada")
    s.step("browser_type_text", selector="#password", text="lovelace")
    s.step("browser_click", selector="#log-in")
    who = s.step("browser_get_text", selector="#who")
    s.step("browser_click", selector="#orders")
    html = s.step("browser_get_html", selector="#orders")
    tables, first = s.add("web_scrape_tables"), s.add("array_get", index=0)
    s.wire(html, "html", tables, "html")
    s.wire(tables, "tables", first, "array_in")
    s.board.apply(commands.UpsertVariable(Variable(name="orders", data_type=DataType.GENERIC)))
    keep = s.add("variable_set", var_ref="orders")
    s.chain(s.last, keep)
    s.wire(first, "element", keep, "value_in")
    s.last = keep
    s.step("browser_set_download_dir", download_path={"path": str(tmp_path)})
    s.step("browser_trigger_download", selector="#export")
    saved = s.step("browser_wait_for_download", download_dir={"path": str(tmp_path)}, file_pattern="*.csv")
    shot = s.step("browser_screenshot")
    url = s.step("browser_execute_js", script="return location.pathname;")
    run = s.ok()
    assert run.output(who.id, "text") == "ada"
    orders = run.output(keep.id, "value_ref")
    assert isinstance(orders, pa.Table)
    assert orders.to_pylist() == [{"id": "1", "item": "apple", "qty": "3"}, {"id": "2", "item": "pear", "qty": "5"}]
    assert Path(run.output(saved.id, "downloaded_file").path).read_text() == "a,b\n1,2\n"
    assert base64.b64decode(run.output(shot.id, "screenshot")).startswith(b"\x89PNG\r\n\x1a\n")
    assert run.output(url.id, "result") == "/orders"


def test_a_wrong_password_shows_the_page_that_says_so(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/login")
    s.step("browser_type_text", selector="#user", text="ada")
    s.step("browser_type_text", selector="#password", text="babbage")
    s.step("browser_click", selector="#log-in")
    error = s.step("browser_get_text", selector="#error")
    assert s.ok().output(error.id, "text") == "wrong user or password"


def test_dialogs_are_dismissed_until_the_board_says_how_to_answer_them(steps, site) -> None:
    s = steps()
    s.step("browser_goto", url=f"{site}/dialogs")
    s.step("browser_click", selector="#confirm")
    kept = s.step("browser_get_text", selector="#answer")
    s.step("browser_click", selector="#alert")
    alerted = s.step("browser_get_text", selector="#answer")
    s.step("browser_handle_dialogs", accept=True)
    s.step("browser_click", selector="#prompt")
    defaulted = s.step("browser_get_text", selector="#answer")
    s.step("browser_handle_dialogs", accept=True, prompt_text="Ada")
    s.step("browser_click", selector="#prompt")
    named = s.step("browser_get_text", selector="#answer")
    s.step("browser_click", selector="#confirm")
    deleted = s.step("browser_get_text", selector="#answer")
    seen = s.step("browser_get_dialogs", clear_after=True)
    none = s.step("browser_get_dialogs")
    run = s.ok()
    answers = [run.output(node.id, "text") for node in (kept, alerted, defaulted, named, deleted)]
    assert answers == ["kept", "after alert", "nobody", "Ada", "deleted"]
    dialogs = [(d["type"], d["message"], d["default_value"], d["accepted"], d["prompt_text"], d["url"])
               for d in (dialog.model_dump() for dialog in run.output(seen.id, "dialogs"))]
    page = f"{site}/dialogs"
    assert dialogs == [("confirm", "Delete all?", "", False, None, page), ("alert", "Saved", "", False, None, page),
                       ("prompt", "Your name?", "nobody", True, "nobody", page),
                       ("prompt", "Your name?", "nobody", True, "Ada", page),
                       ("confirm", "Delete all?", "", True, None, page)]
    assert run.output(seen.id, "count") == 5
    assert (run.output(none.id, "dialogs"), run.output(none.id, "count")) == ([], 0)


def test_an_element_that_never_comes_fails_its_node_naming_selector_page_and_timeout(steps, site) -> None:
    s = steps(page_load_timeout=3)
    s.step("browser_goto", url=f"{site}/late")
    late = s.step("browser_wait_for", selector="#late", timeout_ms=20000)
    s.step("browser_click", selector="#late")
    missing = s.step("browser_click", selector="#nowhere")
    run = s.run()
    assert run.output(late.id, "found") is True
    assert run.error_node == missing.id
    assert run.error == (f"node 'Click Element' ({missing.id}) failed: RuntimeError: clicking '#nowhere' failed: "
                         f"nothing on {site}/late matches '#nowhere' (waited 3 s: Open Browser's Timeout)")


def test_an_element_there_but_never_ready_says_so(steps, site) -> None:
    s = steps(page_load_timeout=3)
    s.step("browser_goto", url=f"{site}/")
    s.step("browser_click", selector="#hidden")
    with pytest.raises(NodeFailed, match=(
            r"clicking '#hidden' failed: '#hidden' is on the page but was not ready to act on \(hidden, disabled or "
            r"covered\) after 3 s \(Open Browser's Timeout\)")):
        s.ok()


class OwnChromium:
    """What Open Browser starts when it launches Chromium (Playwright's driver, the browser and its helpers, crash
    handlers that leave its process group too), found by a mark in the environment they all inherit from this
    process; the browser is started through a wrapper that counts launches."""

    def __init__(self, folder: Path) -> None:
        self.mark, self.launches = f"FLOWLIKE_TEST_BROWSER={uuid.uuid4().hex}".encode(), folder / "launches"
        self.wrapper = folder / "chromium"
        self.wrapper.write_text(f"#!/bin/sh\necho launched >> {shlex.quote(str(self.launches))}\n"
                                f"exec {CHROMIUM} \"$@\"\n")
        self.wrapper.chmod(0o755)

    def processes(self) -> list[int]:
        """The processes still running (zombies, already gone, have no environment; this one's shows its start)."""
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and self.mark in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:  # it ended meanwhile
                continue
        return found

    def launched(self) -> int:
        return len(self.launches.read_text().splitlines()) if self.launches.exists() else 0


@pytest.fixture
def own_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OwnChromium]:
    browser = OwnChromium(tmp_path)
    monkeypatch.setenv("FLOWLIKE_CHROMIUM", str(browser.wrapper))
    name, value = browser.mark.decode().split("=")
    monkeypatch.setenv(name, value)
    yield browser
    for pid in browser.processes():  # a failed test leaves nothing behind either
        os.kill(pid, signal.SIGKILL)


def launching(*steps: tuple[str, dict[str, object]]) -> tuple[Builder, list]:
    """A board: Start -> Start Automation Session -> Open Browser (launching Chromium) -> the steps."""
    b = Builder(AUTOMATION)
    start, opened = b.add("automation_start_session"), b.add("browser_open")
    nodes = [b.add(key, **defaults) for key, defaults in steps]
    b.chain(b.add("events_simple"), start, opened, *nodes)
    b.wire(start, "session", opened, "session")
    for before, node in zip([opened, *nodes], nodes, strict=False):
        b.wire(before, "session_out", node, "session")
    return b, nodes


def test_one_browser_serves_every_node_of_a_run_and_is_gone_at_its_end(own_chromium, site) -> None:
    b, (goto, click, read) = launching(("browser_goto", {"url": f"{site}/"}),
                                       ("browser_click", {"selector": "#counter"}),
                                       ("browser_get_text", {"selector": "#counter"}))
    handle = start_run(b.board, registry=b.registry)
    run = handle.wait(WAIT)
    run.raise_for_status()
    assert run.output(read.id, "text") == "1"
    assert own_chromium.launched() == 1
    until(lambda: not own_chromium.processes(), "the browser's processes to end", WAIT)


def test_cancelling_while_a_page_loads_closes_the_browser(own_chromium, stalled_page) -> None:
    url, asked = stalled_page
    b, _ = launching(("browser_goto", {"url": url}))
    handle = start_run(b.board, registry=b.registry)
    until(asked.is_set, "the browser to ask for the page", WAIT)
    assert own_chromium.processes(), "the browser runs while its page loads"
    handle.cancel()
    run = handle.wait(WAIT)
    assert run.status is RunStatus.CANCELLED and run.stuck is None, run.stuck
    until(lambda: not own_chromium.processes(), "the browser's processes to end", WAIT)


def test_cancelling_while_the_browser_starts_leaves_no_process(own_chromium, site, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    started, go = tmp_path / "driver-started", tmp_path / "driver-go"
    node = Path(playwright.__file__).parent / "driver" / "node"
    slow_node = tmp_path / "node"  # Playwright's driver, held at its start until the run was cancelled
    slow_node.write_text(f"#!/bin/sh\ntouch {shlex.quote(str(started))}\n"
                         f"while [ ! -e {shlex.quote(str(go))} ]; do sleep 0.02; done\n"
                         f"exec {shlex.quote(str(node))} \"$@\"\n")
    slow_node.chmod(0o755)
    monkeypatch.setenv("PLAYWRIGHT_NODEJS_PATH", str(slow_node))
    b, _ = launching(("browser_goto", {"url": f"{site}/"}))
    handle = start_run(b.board, registry=b.registry)
    until(started.exists, "Playwright to start its driver", WAIT)
    handle.cancel()
    go.touch()  # the driver starts when the cancel is on its way (it takes far longer than the cancel)
    run = handle.wait(WAIT)
    assert run.status is RunStatus.CANCELLED and run.stuck is None, run.stuck
    until(lambda: not own_chromium.processes(), "the driver's and browser's processes to end", WAIT)
