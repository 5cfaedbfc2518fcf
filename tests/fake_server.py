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
    """Serve a Starlette app with uvicorn on its own thread, on a free 127.0.0.1 port; yields its base URL."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
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
