"""A notebook with `board.app()` served by Voila renders as a dashboard: the app, its controls and its output."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from local_ports import free_port
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

RUNNING_AT = re.compile(r"Voilà is running at:\n(http://127\.0\.0\.1:\d+/)")

SOURCE = """import flowlike_nb as fnb
board = fnb.Board("dashboard")
board.variable("n", int, 3, exposed=True, schema={"minimum": 0, "maximum": 10})
board.variable("shout", bool, False, exposed=True)
start, read = board.add("events_simple", "start"), board.add("variable_get", "read", var_ref="n")
total, back = board.add("int_add", "total", integer2=100), board.add("events_generic_return_result", "back")
start.outputs.exec_out >> back.inputs.exec_in
read.outputs.value_ref >> total.inputs.integer1
total.outputs.sum >> back.inputs.response
app = board.app(["total.sum"], title="Dashboard app")
app.run()
app"""


@pytest.fixture(scope="module")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("voila")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SOURCE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, home / "dashboard.ipynb")
    env = {**os.environ, **{name: str(home / name.lower()) for name in (
        "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")}}
    log_path = home / "voila.log"
    log = log_path.open("wb")
    # Voila moves on to another port when this one was taken meanwhile (its port_retries), and logs where it runs.
    process = subprocess.Popen(
        [sys.executable, "-m", "voila", str(home / "dashboard.ipynb"), "--no-browser", f"--port={free_port()}",
         "--Voila.ip=127.0.0.1"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield serving_url(log_path, process, time.monotonic() + 60)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
        log.close()


def serving_url(log_path: Path, process: subprocess.Popen[bytes], deadline: float) -> str:
    """Voila's URL, once it has logged it and answers there."""
    while True:
        running = RUNNING_AT.search(log_path.read_text(errors="replace"))
        if running and answers(running[1] + "voila/static/"):
            return running[1]
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log_path.read_text(errors="replace"))
        time.sleep(0.2)


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5)  # noqa: S310 - our local server
    except OSError as exc:
        return getattr(exc, "code", None) is not None  # any HTTP answer: it is listening
    return True


def test_voila_renders_the_app_with_its_output(page: Page, voila: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(voila, timeout=120_000)
    app = page.locator(".flowlike-app")
    expect(app).to_have_count(1, timeout=120_000)
    expect(app).to_contain_text("Dashboard app")
    expect(app.locator(".widget-slider")).to_have_count(1)
    expect(app.locator(".widget-checkbox")).to_have_count(1)
    expect(app.locator(".flowlike-app-output")).to_contain_text("103")
    expect(page.get_by_text("Click to show javascript error")).to_have_count(0)
    assert errors == []
