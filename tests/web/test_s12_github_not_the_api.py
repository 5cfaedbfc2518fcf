"""A GitHub provider whose base URL is not GitHub's API (a GitHub Enterprise host without /api/v3 answers its web
pages with status 200) fires Error saying so, where the node failed with "JSONDecodeError: Expecting value: line 1
column 1 (char 0)" even with Error wired; an answer without the fields GitHub's API gives fires Error naming the
field and the call, where the node failed with a bare KeyError."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_server import serve

from flowlike_core import RunStatus

PAGE = "<!DOCTYPE html><html><head><title>Sign in to GitHub Enterprise</title></head></html>"


@pytest.fixture(scope="module")
def web_pages() -> Iterator[str]:
    """A server answering every GET with a web page, and /api/... with a JSON object of no known shape."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route

    async def page(request):
        return HTMLResponse(PAGE)

    async def api(request):
        return JSONResponse({"message": "hello"})

    app = Starlette(routes=[Route("/api/{rest:path}", api), Route("/{rest:path}", page)])
    with serve(app) as url:
        yield url


def run_github(b, base_url: str, key: str, wired_error: bool, **defaults):
    provider = b.add("data_github_provider_pat", token="ghp_test", base_url=base_url)
    node = b.add(key, **defaults)
    b.wire(provider, "provider", node, "provider")
    b.chain(b.add("events_simple"), node)
    if wired_error:
        b.wire(node, "error", b.add("events_generic_return_result"), "exec_in")
    return b.run(), node


@pytest.mark.parametrize(("key", "inputs"), [("data_github_get_user", {}),
                                             ("data_github_list_releases", {"owner": "octo", "repo": "hello"}),
                                             ("data_github_list_pr_reviews", {"owner": "octo", "repo": "hello",
                                                                              "pr_number": 1})])
def test_a_base_url_answering_web_pages_fires_error_saying_so(b, web_pages, key, inputs) -> None:
    run, node = run_github(b, web_pages, key, wired_error=True, **inputs)
    assert run.status is RunStatus.SUCCESS, run.error
    message = run.output(node.id, "error_message")
    assert message.startswith(f"GitHub at {web_pages} answered GET ") and \
        f"with 200 text/html; charset=utf-8, not JSON: it starts {PAGE[:40]!r}" in message, message
    assert "is the base URL GitHub's API (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise)?" \
        in message, message


def test_left_unwired_the_node_fails_with_the_same_words(b, web_pages) -> None:
    run, _ = run_github(b, web_pages, "data_github_get_user", wired_error=False)
    assert run.status is RunStatus.FAILED
    assert f"GitHub at {web_pages} answered GET /user with 200 text/html; charset=utf-8, not JSON" in run.error, \
        run.error


def test_an_answer_without_githubs_fields_fires_error_naming_the_field(b, web_pages) -> None:
    run, node = run_github(b, f"{web_pages}/api", "data_github_get_branch", wired_error=True, owner="octo",
                           repo="hello", branch="main")
    assert run.status is RunStatus.SUCCESS, run.error
    assert run.output(node.id, "error_message") == \
        f"GitHub GET /repos/octo/hello/branches/main at {web_pages}/api: the answer has no 'commit': is the base URL " \
        "GitHub's API (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise)?"
