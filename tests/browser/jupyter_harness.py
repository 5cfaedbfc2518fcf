"""Drive a real JupyterLab / Notebook 7 in Debian's Chromium: one isolated server, notebook pages, their outputs.

Plain classes (no pytest) so that `benchmarks/bench_editor.py` uses exactly what the browser tests use.
Pitfalls handled here are written up in `shared/notes/jupyter-testing.md`: the cold-start race (wait for the
kernel to be idle on the server AND connected in the page), the news toast, `?reset` against restored workspaces.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from playwright.sync_api import ConsoleMessage, Error, Locator, Page, expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
FRONTENDS = ("lab", "notebook7")

SETTINGS_OVERRIDES = {
    # The "Jupyter news" toast covers the page; it would also try to reach the internet.
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
    # Keep every cell in the DOM, so that what a test reads is what the page renders.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}

ALLOWED_CONSOLE_ERRORS = (
    # ipycytoscape-style labextensions pin @jupyter-widgets/base ^4 while Lab ships 6: harmless (see the notes).
    re.compile(r"Unsatisfied version .* of shared singleton module"),
)
# Notebook 7.6's own start-up, with no widget on the page (checked against a bare `jupyter notebook`): its
# shortcuts plugin reads the schema of a plugin it has not loaded, and it asks for a file browser it lacks.
KNOWN_NOTEBOOK7_PAGE_ERRORS = (
    re.compile(r"^Cannot read properties of undefined \(reading 'schema'\)$"),
    re.compile(r"^Command 'filebrowser:open-path' not registered\.$"),
)
NOTEBOOK7_CORE = "/static/notebook/notebook_core."
JAVASCRIPT_ERROR_BANNER = "Click to show javascript error"


@dataclass
class JupyterServer:
    """A `jupyter lab` server on 127.0.0.1 with its own config, data, runtime and IPython dirs.

    The same server also serves Notebook 7 (`/notebooks/<path>`): the notebook package is a server extension.
    Labextensions (anywidget, ipywidgets) stay found through `<sys.prefix>/share/jupyter`, which Jupyter
    always keeps on the data path whatever JUPYTER_DATA_DIR says.
    """

    url: str
    token: str
    root: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    @classmethod
    def start(cls, workdir: Path, timeout: float = 60.0) -> JupyterServer:
        workdir.mkdir(parents=True, exist_ok=True)
        root, home = workdir / "notebooks", workdir / "home"
        settings = home / "app-settings"
        for path in (root, settings):
            path.mkdir(parents=True, exist_ok=True)
        (settings / "overrides.json").write_text(json.dumps(SETTINGS_OVERRIDES, indent=2))
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "IPYTHONDIR": str(home / "ipython"),
            "JUPYTER_PLATFORM_DIRS": "1",
        }
        env.pop("JUPYTER_PATH", None)
        token = secrets.token_hex(16)
        log_path = workdir / "jupyter-server.log"
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--port=0", "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",  # 0: the OS picks a free port
            f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
            "--LabApp.expose_app_in_browser=True", "--JupyterNotebookApp.expose_app_in_browser=True",
            f"--LabApp.app_settings_dir={settings}", f"--JupyterNotebookApp.app_settings_dir={settings}",
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        server = cls("", token, root, process, log_path)
        server.wait_ready(Path(env["JUPYTER_RUNTIME_DIR"]) / f"jpserver-{process.pid}.json", timeout)
        return server

    def wait_ready(self, server_info: Path, timeout: float) -> None:
        """Wait until the server has written its URL (in `server_info`, once it listens) and answers on it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}; log:\n{self.log()}")
            try:
                if not self.url:
                    self.url = json.loads(server_info.read_text())["url"].rstrip("/")
                self.api("GET", "/api/status")
                return
            except (OSError, ValueError, KeyError):  # not written yet, written in part, not answering yet
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"jupyter lab not ready after {timeout:.0f}s; log:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def api(self, method: str, path: str) -> Any:
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernel_state(self, notebook: str) -> str | None:
        """The execution state the server reports for the kernel of `notebook`, None before it has one."""
        for session in self.api("GET", "/api/sessions"):
            if session.get("path") == notebook and session.get("kernel"):
                return session["kernel"].get("execution_state")
        return None

    def shutdown_sessions(self) -> None:
        """Stop every kernel, so that the next test starts from a quiet machine."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def page_url(self, frontend: str, notebook: str) -> str:
        if frontend == "lab":
            return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"
        if frontend == "notebook7":
            return f"{self.url}/notebooks/{notebook}?token={self.token}"
        raise ValueError(f"unknown front end {frontend!r} (known: {', '.join(FRONTENDS)})")

    def write_notebook(self, name: str, cells: list[str]) -> str:
        """Write a notebook of code cells into the server's root; returns its path for the URL."""
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, self.root / name)
        return name

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


@dataclass
class NotebookPage:
    """One notebook open in a browser page, in JupyterLab or Notebook 7, with its console errors collected."""

    page: Page
    server: JupyterServer
    frontend: str
    notebook: str = ""
    console_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not any(p.search(message.text) for p in ALLOWED_CONSOLE_ERRORS):
            self.console_errors.append(f"console.error: {message.text} ({message.location.get('url', '')})")

    def _on_page_error(self, error: Error) -> None:
        thrown_in = (error.stack or "").splitlines()[1:2]
        upstream = self.frontend == "notebook7" and any(NOTEBOOK7_CORE in frame for frame in thrown_in)
        if not (upstream and any(p.search(error.message) for p in KNOWN_NOTEBOOK7_PAGE_ERRORS)):
            self.console_errors.append(f"pageerror: {error.stack or error}")

    def open(self, notebook: str, timeout: float = 60.0) -> None:
        """Open `notebook` and return once its kernel is connected and idle, so that runs are not lost."""
        self.notebook = notebook
        self.page.goto(self.server.page_url(self.frontend, notebook))
        self.page.wait_for_function(
            """(path) => {
                const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                const kernel = widget && widget.context && widget.context.path === path
                    && widget.sessionContext.session && widget.sessionContext.session.kernel;
                return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
            }""",
            arg=notebook, timeout=timeout * 1000,
        )
        self.wait_until(lambda: self.server.kernel_state(notebook) == "idle", timeout, "the kernel to be idle")

    def wait_until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout:.0f}s for {what} in {self.notebook} ({self.frontend})")
            time.sleep(0.1)

    def run_all(self) -> None:
        """Run every cell through the application's own command, as the menu does; returns when all ran."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")

    def open_editor(self, name: str, cells: list[str], nodes: int) -> Locator:
        """Write a notebook of `cells` as `name` (one per front end), open and run it, and return the graph editor
        once its `nodes` node boxes are drawn."""
        self.open(self.server.write_notebook(f"{name}-{self.frontend}.ipynb", cells))
        self.run_all()
        editor = self.page.get_by_test_id("flowlike-editor")
        expect(editor.get_by_test_id("node")).to_have_count(nodes, timeout=30_000)
        editor.scroll_into_view_if_needed()
        return editor

    def run_code(self, code: str) -> str:
        """Append a code cell, run it, and return the text its output area shows once it has run."""
        return self.page.evaluate(
            """async (code) => {
                const app = window.jupyterapp;
                const notebook = app.shell.currentWidget.content;
                const index = notebook.model.cells.length;
                notebook.model.sharedModel.insertCell(index, {cell_type: 'code', source: code});
                notebook.activeCellIndex = index;
                await app.commands.execute('notebook:run-cell');
                const cell = notebook.widgets[index];
                await new Promise(requestAnimationFrame);
                cell.node.scrollIntoView();
                return cell.outputArea.node.innerText.trim();
            }""",
            code,
        )

    def output_text(self, index: int) -> str:
        """What the output area of cell `index` shows."""
        return self.page.evaluate(
            "(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].outputArea.node.innerText.trim()",
            index,
        )

    def problems(self) -> list[str]:
        """Console errors plus any widget that failed to render; empty when the page is healthy."""
        found = list(self.console_errors)
        if self.page.get_by_text(JAVASCRIPT_ERROR_BANNER).count():
            found.append(f"the page shows {JAVASCRIPT_ERROR_BANNER!r}")
        return found

    def assert_healthy(self) -> None:
        problems = self.problems()
        assert not problems, "the page has problems:\n" + "\n".join(problems)
