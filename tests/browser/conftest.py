"""Fixtures for the real-browser tests: one Jupyter server and one Chromium per session, a page per test.

Run them with `pytest -m browser` (Debian's /usr/bin/chromium, never a downloaded browser). On failure the
page's screenshot, HTML and the server log land in `test-artifacts/`. `--headed` and `--slowmo` from
pytest-playwright work for debugging.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_harness import CHROMIUM, CHROMIUM_ARGS, FRONTENDS, JupyterServer, NotebookPage
from playwright.sync_api import Page


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    server = JupyterServer.start(tmp_path_factory.mktemp("jupyter"))
    yield server
    server.stop()


@pytest.fixture(params=FRONTENDS)
def frontend(request: pytest.FixtureRequest) -> str:
    """JupyterLab 4 and Notebook 7; a test pins one with `@pytest.mark.parametrize("frontend", ["lab"])`."""
    return request.param


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.fixture
def notebook_page(
    page: Page, jupyter_server: JupyterServer, frontend: str, request: pytest.FixtureRequest
) -> Iterator[NotebookPage]:
    """A browser page on the test server; fails the test on console errors or a widget that did not render."""
    notebook = NotebookPage(page, jupyter_server, frontend)
    yield notebook
    problems = notebook.problems()
    reports = request.node.stash.get(_reports, {})
    if problems or any(report.failed for report in reports.values()):
        _keep_artifacts(request.node, page, jupyter_server, problems)
    jupyter_server.shutdown_sessions()
    if problems:
        pytest.fail("the page has problems:\n" + "\n".join(problems))


def _keep_artifacts(item: pytest.Item, page: Page, server: JupyterServer, problems: list[str]) -> None:
    folder = Path(item.config.rootpath) / "test-artifacts"
    folder.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", item.nodeid)[-150:]
    page.screenshot(path=folder / f"{stem}.png", full_page=True)
    (folder / f"{stem}.html").write_text(page.content())
    (folder / f"{stem}.log").write_text("\n".join(problems) + "\n--- jupyter server log ---\n" + server.log())
