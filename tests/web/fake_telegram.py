"""A local stand-in for Telegram's Bot API: `POST /bot<token>/<method>` with JSON or multipart parameters,
answering `{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., "description": ...}` as documented.

Every call is recorded (method, parameters with multipart objects decoded, uploaded files). `send*` methods
answer a Message built from what was sent; `results` sets the answer of any method (a value, or a function
of the parameters); `failures` makes a method fail with a description; `updates` feeds getUpdates.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

TOKEN = "123456:local-test-token"
CHAT = 4242
DATE = 1_700_000_000


class State:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.results: dict[str, Any] = {}
        self.failures: dict[str, tuple[int, str]] = {}
        self.updates: list[dict[str, Any]] = []
        self.next_message_id = 100
        self.flood_waits = 0
        """How many next calls answer 429 with retry_after 0.05 s (Telegram's flood control)."""

    def call(self, method: str) -> dict[str, Any]:
        """The last call of `method`."""
        found = [c for c in self.calls if c["method"] == method]
        assert found, f"no {method} call; calls: {[c['method'] for c in self.calls]}"
        return found[-1]

    def message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        self.next_message_id += 1
        chat = params.get("chat_id", 0)
        return {"message_id": self.next_message_id, "date": DATE, "chat": {"id": chat, "type": "private"},
                **content}


def decoded(value: str) -> Any:
    """A multipart field as the API reads it: JSON objects and arrays decoded, anything else as text."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            pass
    return value


def telegram_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    state = State()

    def failed(code: int, description: str) -> JSONResponse:
        return JSONResponse({"ok": False, "error_code": code, "description": description}, status_code=code)

    async def updates(params: dict[str, Any]) -> list[dict[str, Any]]:
        """getUpdates' long poll: the updates from `offset` on, waiting up to `timeout` seconds for one."""
        offset = int(params.get("offset", 0))
        allowed = params.get("allowed_updates") or []
        deadline = asyncio.get_running_loop().time() + float(params.get("timeout", 0))
        while True:
            ready = [u for u in state.updates if u["update_id"] >= offset
                     and (not allowed or any(kind in u for kind in allowed))]
            if ready or asyncio.get_running_loop().time() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    async def endpoint(request: Request) -> JSONResponse:
        method = request.path_params["method"]
        files: dict[str, dict[str, Any]] = {}
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            form = await request.form()
            params = {k: decoded(v) for k, v in form.items() if isinstance(v, str)}
            files = {k: {"filename": v.filename, "content": await v.read()} for k, v in form.items()
                     if not isinstance(v, str)}
            await form.close()
        else:
            body = await request.body()
            params = json.loads(body) if body else {}
        state.calls.append({"method": method, "params": params, "files": files})
        if request.path_params["token"] != TOKEN:
            return failed(401, "Unauthorized")
        if state.flood_waits:
            state.flood_waits -= 1
            return JSONResponse({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                 "parameters": {"retry_after": 0.05}}, status_code=429)
        if method in state.failures:
            return failed(*state.failures[method])
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await updates(params)})
        if method in state.results:
            answer = state.results[method]
            result = answer(params) if callable(answer) else answer
        elif method.startswith("send"):
            result = state.message(params, text=params.get("text", ""))
        elif method.startswith(("set", "delete", "ban", "unban", "pin", "unpin", "leave", "close", "reopen",
                                "hide", "unhide", "edit", "approve", "decline", "promote", "restrict", "log",
                                "answer", "stop", "refund", "convert", "transfer", "upgrade", "gift", "add",
                                "replace", "forward", "copy")):
            result = True
        else:
            return failed(404, "Not Found: method not found")
        return JSONResponse({"ok": True, "result": result})

    async def download(request: Request) -> Response:
        """A file somewhere on the web, for nodes that fetch a URL themselves."""
        return Response(f"contents of {request.path_params['name']}".encode(), media_type="application/pdf")

    app = Starlette(routes=[Route("/bot{token}/{method}", endpoint, methods=["POST"]),
                            Route("/files/{name}", download)])
    app.state.telegram = state
    return app


class TelegramBoard:
    """Start → To Telegram Session → one node; `run` gives the run, `out` an output of the node."""

    def __init__(self, b: Any, url: str, token: str = TOKEN) -> None:
        self.b = b
        self.session = b.add("telegram_to_session", local_session={
            "bot_token": token, "chat_id": str(CHAT), "message_id": "7", "chat_type": "private",
            "api_url": url})
        b.chain(b.add("events_simple"), self.session)

    def node(self, key: str, /, **inputs: Any) -> Any:
        added = self.b.add(key, **inputs)
        self.b.wire(self.session, "session", added, "session")
        self.b.chain(self.session, added)
        return added


def run_node(b: Any, api: tuple[str, State], key: str, /, **inputs: Any) -> dict[str, Any]:
    """Run one Telegram node; its outputs by pin name (the ones it set)."""
    board = TelegramBoard(b, api[0])
    added = board.node(key, **inputs)
    run = b.run()
    run.raise_for_status()
    outputs = {}
    for spec in b.registry.get(key).pin_specs():
        if spec.direction.name == "OUTPUT" and spec.data_type.name != "EXECUTION":
            with contextlib.suppress(KeyError):  # an output the node left unset
                outputs[spec.name] = run.output(added.id, spec.name)
    return outputs


def plain(value: Any) -> Any:
    """A struct output as its dict (lists of them too), to compare with the expected JSON."""
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value.model_dump() if hasattr(value, "model_dump") else value


def check_case(b: Any, api: tuple[str, State], case: tuple[str, dict, str, dict, Any, dict]) -> None:
    """One row of a test's CASES, (key, inputs, method, params, result, outputs): the node sends `method` with
    `params` (among others) and, Telegram answering `result` (when not None), outputs `outputs`."""
    key, inputs, method, params, result, outputs = case
    if result is not None:
        api[1].results[method] = result
    out = run_node(b, api, key, **inputs)
    sent_params = api[1].call(method)["params"]
    assert {name: sent_params.get(name) for name in params} == params
    assert {name: plain(out.get(name)) for name in outputs} == {name: plain(v) for name, v in outputs.items()}


def failure(b: Any, api: tuple[str, State], key: str, /, **inputs: Any) -> str:
    """Run one Telegram node that must fail; the run's error."""
    TelegramBoard(b, api[0]).node(key, **inputs)
    run = b.run()
    assert not run.ok, "the run should have failed"
    return str(run.error)
