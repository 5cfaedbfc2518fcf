"""A header sent several times (Set-Cookie, whose Expires dates hold commas) keeps each of its values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flowlike_catalog.web import responses as rs
from flowlike_catalog.web.http import HttpResponse

COOKIES = ["session=abc; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/; HttpOnly",
           "theme=dark; Expires=Thu, 22 Oct 2026 07:28:00 GMT", "lang=en"]


def cookie_app() -> Any:
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def login(request: Any) -> Response:
        response = Response("ok", media_type="text/plain")
        for cookie in COOKIES:
            response.raw_headers.append((b"set-cookie", cookie.encode()))
        response.raw_headers.append((b"x-once", b"1"))
        return response

    return Starlette(routes=[Route("/login", login)])


@pytest.fixture(scope="module")
def cookie_server() -> Iterator[str]:
    from fake_server import serve

    with serve(cookie_app()) as url:
        yield url


def fetched(b: Any, url: str) -> HttpResponse:
    start, made, fetch = b.add("events_simple"), b.add("http_make_request", url=url), b.add("http_fetch")
    b.chain(start, fetch)
    b.wire(made, "request", fetch, "request")
    return b.result_of(fetch, fetch, "response", out="exec_success")


def test_each_set_cookie_is_kept_whole(b: Any, cookie_server: str) -> None:
    response = fetched(b, f"{cookie_server}/login")
    assert tuple(rs.http_response_get_header_values.func(response, "Set-Cookie")) == (True, COOKIES)
    assert tuple(rs.http_response_get_header_values.func(response, "x-once")) == (True, ["1"])
    assert tuple(rs.http_response_get_header_values.func(response, "x-none")) == (False, [])
    assert rs.http_response_get_header.func(response, "x-once").value == "1"


def test_the_values_survive_the_response_as_json(b: Any, cookie_server: str) -> None:
    """A response passes between nodes and processes as its JSON."""
    response = HttpResponse.model_validate_json(fetched(b, f"{cookie_server}/login").model_dump_json())
    assert rs.http_response_get_header_values.func(response, "set-cookie").values == COOKIES


def test_a_response_made_by_hand_gives_its_one_value() -> None:
    response = HttpResponse(status_code=200, headers={"set-cookie": "a=1"})
    assert tuple(rs.http_response_get_header_values.func(response, "Set-Cookie")) == (True, ["a=1"])
