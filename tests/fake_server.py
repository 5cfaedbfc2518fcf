"""Serving a fake service's Starlette app on a thread, for the tests of every pack that talks to a hosted service
(a module of its own: `conftest` is a name every test folder has)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve a Starlette app with uvicorn on its own thread, on a free 127.0.0.1 port; yields its base URL. The
    socket the OS gave the port to is the one served: no other process can take the port in between."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = server.force_exit = True  # force: do not wait for long polls still open
        thread.join(10)
        sock.close()


@contextlib.contextmanager
def running(app: Any, name: str) -> Iterator[SimpleNamespace]:
    """Body of a module-scoped server fixture: the served app as `.url`, `.app` and its state `app.state.<name>`."""
    with serve(app) as url:
        yield SimpleNamespace(url=url, app=app, name=name)


@contextlib.contextmanager
def served_state(app: Any, name: str) -> Iterator[Any]:
    """Body of a per-test server fixture: the app's state `app.state.<name>`, its `.url` set, while it is served."""
    state = getattr(app.state, name)
    with serve(app) as url:
        state.url = url
        yield state


def fresh(server: SimpleNamespace) -> SimpleNamespace:
    """The server of `running` with fresh data for one test (reset in place: the handlers hold the state)."""
    state = getattr(server.app.state, server.name)
    state.__init__()
    return SimpleNamespace(url=server.url, state=state)


class TokenEndpoint:
    """An OAuth 2.0 token endpoint's refresh_token grant (RFC 6749 section 6), as the providers document it: a POST
    with grant_type and refresh_token (and Microsoft's scope), form-encoded (Google, Microsoft, Databricks,
    LinkedIn) or as JSON (`encoding`: Atlassian, Notion), the client's id and secret among the fields or as HTTP
    Basic auth (`client_auth`: Notion); a JSON answer with the new access token (and, when `rotate`, a new refresh
    token), or 400/401 with `error` and `error_description`. A fake service keeps one in its state and routes its
    token path to it (`token_route`)."""

    CLIENT_ID = "local-oauth-client"
    CLIENT_SECRET = "local-oauth-client-secret"
    REFRESH_TOKEN = "local-refresh-token-1"

    def __init__(self, access_token: str, *, rotate: bool = False, encoding: str = "form",
                 client_auth: str = "body") -> None:
        self.access_token, self.rotate, self.encoding, self.client_auth = access_token, rotate, encoding, client_auth
        self.refresh_token = self.REFRESH_TOKEN
        self.calls: list[dict[str, str]] = []
        """The fields it was sent (with `basic`: the client's id and secret from Basic auth)."""

    async def __call__(self, request: Any) -> Any:
        import base64
        import json

        from starlette.responses import JSONResponse

        def refused(status: int, error: str, description: str) -> Any:
            return JSONResponse({"error": error, "error_description": description}, status_code=status)

        kind = {"form": "application/x-www-form-urlencoded", "json": "application/json"}[self.encoding]
        if not request.headers.get("content-type", "").startswith(kind):
            return refused(400, "invalid_request", f"The request body must be {kind}.")
        fields = ({key: str(value) for key, value in (await request.form()).items()} if self.encoding == "form"
                  else json.loads(await request.body()))
        if self.client_auth == "basic":
            scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
            client, _, secret = base64.b64decode(credentials).decode().partition(":") if scheme == "Basic" else "::"
            fields["basic"] = f"{client}:{secret}"
        else:
            client, secret = fields.get("client_id"), fields.get("client_secret")
        self.calls.append(fields)
        if fields.get("grant_type") != "refresh_token":
            return refused(400, "unsupported_grant_type", f"Invalid grant_type: {fields.get('grant_type')}")
        if (client, secret) != (self.CLIENT_ID, self.CLIENT_SECRET):
            return refused(401, "invalid_client", "The OAuth client was not found.")
        if fields.get("refresh_token") != self.refresh_token:
            return refused(400, "invalid_grant", "Token has been expired or revoked.")
        answer = {"access_token": self.access_token, "expires_in": 3599, "token_type": "Bearer",
                  "scope": fields.get("scope", "")}
        if self.rotate:
            self.refresh_token = answer["refresh_token"] = f"local-refresh-token-{len(self.calls) + 1}"
        return JSONResponse(answer, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def token_route(path: str, state: Any) -> Any:
    """The route to a fake service's token endpoint, `state.oauth` (looked up on each call: tests renew the state)."""
    from starlette.routing import Route

    async def endpoint(request: Any) -> Any:
        return await state.oauth(request)

    return Route(path, endpoint, methods=["POST"])
