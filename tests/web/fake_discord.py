"""A local stand-in for Discord's REST API v10 (`/api/v10/...`, `Authorization: Bot <token>`): the channel,
message, reaction, pin, thread, DM and poll endpoints the Discord nodes call, over in-memory channels, with
Discord's JSON errors (`{"message": ..., "code": ...}`) and its 429 rate-limit answer.

Every request is recorded (method, path, query, JSON or `payload_json` body, uploaded files).
"""

from __future__ import annotations

import json
import re
from typing import Any

TOKEN = "discord-local-test-token"
BOT_ID = "900"
CHANNEL = "1000"
STAMP = "2026-01-02T03:04:05+00:00"


class State:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.channels: dict[str, dict[str, Any]] = {
            CHANNEL: {"id": CHANNEL, "type": 0, "name": "general", "guild_id": "77", "topic": "Chat", "nsfw": False}}
        self.messages: dict[str, list[dict[str, Any]]] = {CHANNEL: [self.message(CHANNEL, "500", "hello", "8")]}
        self.reactions: dict[str, set[str]] = {}
        self.pins: set[str] = set()
        self.next_id = 2000
        self.rate_limits = 0
        """How many next requests answer 429 (retry_after 0.05 s)."""

    def message(self, channel: str, ident: str, content: str, author: str, bot: bool = False) -> dict[str, Any]:
        return {"id": ident, "channel_id": channel, "content": content, "timestamp": STAMP,
                "author": {"id": author, "username": f"user{author}", "bot": bot}, "attachments": [],
                "components": []}

    def post(self, channel: str, content: str, author: str = "8") -> dict[str, Any]:
        """Someone posts in a channel (as a person would, while a node waits)."""
        self.next_id += 1
        message = self.message(channel, str(self.next_id), content, author, bot=author == BOT_ID)
        self.messages.setdefault(channel, []).append(message)
        return message

    def request(self, method: str, path: str) -> dict[str, Any]:
        """The last request with this method and path."""
        found = [r for r in self.requests if r["method"] == method and r["path"] == path]
        assert found, f"no {method} {path}; requests: {[(r['method'], r['path']) for r in self.requests]}"
        return found[-1]


def discord_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    state = State()

    def error(status: int, message: str, code: int = 0) -> JSONResponse:
        return JSONResponse({"message": message, "code": code}, status_code=status)

    def find(channel: str, ident: str) -> dict[str, Any] | None:
        return next((m for m in state.messages.get(channel, []) if m["id"] == ident), None)

    def create(channel: str, body: dict[str, Any], files: dict[str, Any]) -> JSONResponse:
        message = state.post(channel, body.get("content", ""), BOT_ID)
        message["components"] = body.get("components", [])
        message["attachments"] = [{"id": str(n), "filename": part["filename"],
                                   "url": f"https://cdn.example/{channel}/{part['filename']}"}
                                  for n, part in enumerate(files.values())]
        if "poll" in body:
            poll = body["poll"]
            message["poll"] = {"question": poll["question"], "allow_multiselect": poll["allow_multiselect"],
                               "answers": [{"answer_id": n + 1, "poll_media": a["poll_media"]}
                                           for n, a in enumerate(poll["answers"])],
                               "results": {"is_finalized": False,
                                           "answer_counts": [{"id": n + 1, "count": n + 2, "me_voted": False}
                                                             for n in range(len(poll["answers"]))]}}
        if "message_reference" in body:
            message["message_reference"] = body["message_reference"]
        return JSONResponse(message)

    async def endpoint(request: Request) -> Response:
        path = "/" + request.path_params["path"]
        files: dict[str, Any] = {}
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            form = await request.form()
            body = json.loads(form["payload_json"])
            files = {k: {"filename": v.filename, "content": await v.read()} for k, v in form.items()
                     if not isinstance(v, str)}
            await form.close()
        else:
            raw = await request.body()
            body = json.loads(raw) if raw else None
        state.requests.append({"method": request.method, "path": path, "query": dict(request.query_params),
                               "json": body, "files": files})
        if request.headers.get("authorization") != f"Bot {TOKEN}":
            return error(401, "401: Unauthorized")
        if state.rate_limits:
            state.rate_limits -= 1
            return JSONResponse({"message": "You are being rate limited.", "retry_after": 0.05, "global": False},
                                status_code=429)
        method = request.method
        if method == "POST" and path == "/users/@me/channels":
            dm = str(int(body["recipient_id"]) + 1)
            state.channels[dm] = {"id": dm, "type": 1, "recipients": [{"id": body["recipient_id"]}]}
            return JSONResponse(state.channels[dm])
        parts = re.fullmatch(r"/channels/(\d+)(/.*)?", path)
        if parts is None or parts[1] not in state.channels:
            return error(404, "Unknown Channel", 10003)
        channel, rest = parts[1], parts[2] or ""
        if rest == "":
            if method == "PATCH":
                state.channels[channel].update(body)
            return JSONResponse(state.channels[channel])
        if rest == "/typing":
            return Response(status_code=204)
        if rest == "/messages" and method == "POST":
            return create(channel, body or {}, files)
        if rest == "/messages":
            after, limit = int(request.query_params.get("after", 0)), int(request.query_params.get("limit", 50))
            newer = [m for m in state.messages.get(channel, []) if int(m["id"]) > after]
            return JSONResponse(sorted(newer, key=lambda m: -int(m["id"]))[:limit])  # newest first, as Discord
        target = re.fullmatch(r"/(?:messages|pins|polls)/(\d+)(/.*)?", rest)
        if target is None:
            return error(404, "404: Not Found")
        message = find(channel, target[1])
        if message is None:
            return error(404, "Unknown Message", 10008)
        tail = target[2] or ""
        if rest.startswith("/pins/"):
            (state.pins.add if method == "PUT" else state.pins.discard)(message["id"])
            return Response(status_code=204)
        if rest.startswith("/polls/"):
            message["poll"]["results"]["is_finalized"] = True
            return JSONResponse(message)
        if tail.startswith("/reactions"):
            emoji = tail.removeprefix("/reactions").removeprefix("/").removesuffix("/@me")
            bucket = state.reactions.setdefault(message["id"], set())
            if method == "PUT":
                bucket.add(emoji)
            elif emoji:
                bucket.discard(emoji)
            else:
                bucket.clear()
            return Response(status_code=204)
        if tail == "/threads":
            state.next_id += 1
            thread = {"id": str(state.next_id), "type": 11, "name": body["name"], "parent_id": channel}
            state.channels[thread["id"]] = thread
            return JSONResponse(thread)
        if method == "DELETE":
            state.messages[channel].remove(message)
            return Response(status_code=204)
        if method == "PATCH":
            if files:
                body["attachments"] = [{"id": "1", "filename": part["filename"]} for part in files.values()]
            message.update(body)
        return JSONResponse(message)

    app = Starlette(routes=[Route("/api/v10/{path:path}", endpoint,
                                  methods=["GET", "POST", "PUT", "PATCH", "DELETE"])])
    app.state.discord = state
    return app
