"""A calendar feed URL that answers a web page fails naming the feed (it said only "not an iCalendar text: ..."),
and a Telegram api_url that answers JSON of another shape fails saying it is not a Bot API answer (it failed with
"AttributeError: 'list' object has no attribute 'get'"), naming the server but never the bot's path (its token)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_server import serve

from flowlike_core import DataType, RunStatus, Variable, commands

PAGE = "<html><body>Welcome</body></html>"


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[str]:
    """/page/... answers a web page, /list/... a JSON list."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route

    async def page(request):
        return HTMLResponse(PAGE)

    async def listing(request):
        return JSONResponse([1, 2])

    app = Starlette(routes=[Route("/page/{rest:path}", page, methods=["GET", "POST"]),
                            Route("/list/{rest:path}", listing, methods=["GET", "POST"])])
    with serve(app) as url:
        yield url


def test_a_calendar_feed_that_is_a_web_page_is_named(b, elsewhere) -> None:
    feed = f"{elsewhere}/page/team.ics"
    node = b.add("mail_imap_calendar_subscribe", url=feed, start_date="2026-01-01T00:00:00",
                 end_date="2026-12-31T00:00:00")
    b.chain(b.add("events_simple"), node)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"calendar feed {feed} is not an iCalendar text: Content line could not be parsed" in run.error, run.error


@pytest.mark.parametrize(("path", "kind"), [("list", "application/json"), ("page", "text/html; charset=utf-8")])
def test_a_telegram_api_url_that_is_not_the_bot_api_says_so(b, elsewhere, path, kind) -> None:
    api_url = f"{elsewhere}/{path}"
    node, variable = b.add("telegram_send_message", message="hi"), b.add("variable_get", var_ref="session")
    b.board.apply(commands.UpsertVariable(Variable(name="session", data_type=DataType.GENERIC, exposed=True)))
    b.wire(variable, "value_ref", node, "session")
    b.chain(b.add("events_simple"), node)
    run = b.run(variables={"session": {"bot_token": "123:secret", "chat_id": "5", "api_url": api_url}})
    assert run.status is RunStatus.FAILED
    assert f"Telegram sendMessage: {api_url} answered HTTP 200 {kind}, not a Bot API answer" in run.error, run.error
    assert "secret" not in run.error
