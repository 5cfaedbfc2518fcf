"""A Discord session whose api_url answers web pages (a proxy's sign-in page, a wrong address) fails the node
naming the call, the server and what came, where it failed with "JSONDecodeError: Expecting value: line 1 column
1 (char 0)"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_server import serve

from flowlike_core import DataType, RunStatus, Variable, commands

PAGE = "<html><head><title>Proxy sign-in</title></head></html>"


@pytest.fixture(scope="module")
def web_pages() -> Iterator[str]:
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    async def page(request):
        return HTMLResponse(PAGE)

    with serve(Starlette(routes=[Route("/{rest:path}", page, methods=["GET", "POST"])])) as url:
        yield url


@pytest.mark.parametrize(("key", "defaults", "call"), [
    ("discord_send_message", {"content": "hi"}, "POST /channels/5/messages"),
    ("discord_get_channel", {}, "GET /channels/5"),
])
def test_an_api_url_answering_web_pages_says_so(b, web_pages, key, defaults, call) -> None:
    session = {"bot_token": "t0k", "channel_id": "5", "api_url": web_pages}
    node = b.add(key, **defaults)
    variable = b.add("variable_get", var_ref="session")
    b.board.apply(commands.UpsertVariable(Variable(name="session", data_type=DataType.GENERIC, exposed=True)))
    b.wire(variable, "value_ref", node, "session")
    b.chain(b.add("events_simple"), node)
    run = b.run(variables={"session": session})
    assert run.status is RunStatus.FAILED
    assert f"Discord {call}: {web_pages} answered 200 text/html; charset=utf-8, not JSON: it starts {PAGE[:40]!r}; " \
           "is api_url Discord's API (https://discord.com/api/v10)?" in run.error, run.error
