"""A local stand-in for LinkedIn's API: OpenID Connect's /v2/userinfo and the UGC Posts API (/v2/ugcPosts),
checking the headers and body LinkedIn documents and answering with its shapes and error JSON."""

from __future__ import annotations

import json
from typing import Any

from fake_server import TokenEndpoint, token_route

TOKEN = "AQV_local_test_token"
MEMBER = "782bbtaQ"


class State:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.posts: list[dict[str, Any]] = []
        self.oauth = TokenEndpoint(TOKEN)


def linkedin_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    state = State()

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"serviceErrorCode": 100, "message": message, "status": status}, status_code=status)

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            payload = json.loads(body) if body else None
            state.requests.append({"method": request.method, "path": request.url.path,
                                   "headers": dict(request.headers), "json": payload})
            if request.headers.get("authorization") != f"Bearer {TOKEN}":
                return error(401, "Invalid access token")
            return await handler(request, payload)

        return endpoint

    async def userinfo(request: Request, payload: Any) -> Response:
        return JSONResponse({"sub": MEMBER, "email_verified": True, "name": "Ada Lovelace", "given_name": "Ada",
                             "family_name": "Lovelace", "locale": {"country": "GB", "language": "en"},
                             "email": "ada@example.org", "picture": "https://media.licdn.com/ada.jpg"})

    async def ugc_posts(request: Request, payload: Any) -> Response:
        if request.headers.get("x-restli-protocol-version") != "2.0.0":
            return error(400, "Restli protocol version 2.0.0 is required")
        if payload.get("author") != f"urn:li:person:{MEMBER}":
            return error(403, "Unpermitted fields present in REQUEST_BODY: Data Processing Exception while "
                              "processing fields [/author]")
        content = payload["specificContent"]["com.linkedin.ugc.ShareContent"]
        if content["shareMediaCategory"] == "ARTICLE" and not content.get("media"):
            return error(422, "ARTICLE shares need media")
        state.posts.append(payload)
        urn = f"urn:li:share:{6800000000000000000 + len(state.posts)}"
        return JSONResponse({"id": urn}, status_code=201, headers={"X-RestLi-Id": urn})

    app = Starlette(routes=[Route("/v2/userinfo", guarded(userinfo)),
                            Route("/v2/ugcPosts", guarded(ugc_posts), methods=["POST"]),
                            token_route("/oauth/v2/accessToken", state)])
    app.state.linkedin = state
    return app
