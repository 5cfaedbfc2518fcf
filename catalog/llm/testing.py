"""A scripted chat server on 127.0.0.1 that speaks the OpenAI, Anthropic and Ollama wire formats.

For testing boards without a model: queue the answers (`server.expect(Reply("hi"))`, or a function of the
request), point a provider node at `server.url`, run, then read `server.requests` to see what was sent.
The path picks the format (`/chat/completions`, `/v1/messages`, `/api/chat`) and the request's `stream`
flag picks JSON or streaming (server-sent events; JSON lines for Ollama), so one script checks all three.
`/embeddings` (OpenAI's and VoyageAI's format) and `/api/embed` (Ollama's) answer unscripted ([characters, words]
per text) unless an error (`Raw`, or a `Reply` with a status) or a function is queued.

    with ChatServer() as server:
        server.expect(Reply("Paris"), Reply(tool_calls=[("add", {"a": 1, "b": 2})]))

`Raw(body, content_type)` sends a body as it is, to see how a board takes a broken server.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Recorded:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    def last_text(self) -> str:
        """The text of the request's last message (Anthropic's content blocks and OpenAI's parts joined)."""
        content = self.body["messages"][-1]["content"]
        if isinstance(content, str):
            return content
        return "\n".join(part.get("text") or str(part.get("content", "")) for part in content)


@dataclass(frozen=True)
class Reply:
    """A scripted answer: text, tool calls (name, arguments), or an HTTP error when `status` is not 200 (with
    `headers`, e.g. a 429's Retry-After)."""

    text: str = ""
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def pieces(self) -> list[str]:
        """The text in the pieces a stream sends: word by word, spaces kept."""
        words = self.text.split(" ")
        return [word if i == 0 else " " + word for i, word in enumerate(words)] if self.text else []


@dataclass(frozen=True)
class Raw:
    """A scripted answer sent as it is, whatever the request asked: how a client takes a broken or unexpected server
    (a proxy's HTML page, JSON cut short, a server that ignores `stream`)."""

    body: str
    content_type: str = "application/json"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Script = Reply | Raw | Callable[[Recorded], Reply | Raw]


class ChatServer:
    """The server runs in a thread from `start()` (or `with`) until `stop()`."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._script: deque[Script] = deque()
        self._default: Script | None = None
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="chat-server")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> ChatServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def __enter__(self) -> ChatServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def expect(self, *replies: Script) -> None:
        """Queue answers, used one per request in order."""
        with self._lock:
            self._script.extend(replies)

    def always(self, reply: Script | None) -> None:
        """Answer every request with this once the queue is empty (None: answer HTTP 500)."""
        self._default = reply

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()
        self._default = None

    def _next(self, request: Recorded) -> Reply | Raw:
        with self._lock:
            self.requests.append(request)
            script = self._script.popleft() if self._script else self._default
        if script is None:
            return Reply(status=500, text="the chat server has no scripted reply left")
        return script(request) if callable(script) else script


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # the body ends when the connection closes: simplest for streams

        def log_message(self, *args: Any) -> None:
            """Quiet: tests read `requests` instead."""

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
            request = Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            if self.path.split("?")[0].rstrip("/").endswith(("/embeddings", "/api/embed")):
                return self._embeddings(request)
            format_ = _format(self.path)
            if format_ is None:
                return self._send(404, "application/json", [json.dumps({"error": f"no route {self.path}"})])
            reply = server._next(request)
            if isinstance(reply, Raw) or reply.status != 200:
                return self._refuse(reply)
            render = _RENDER[format_]
            if body.get("stream", format_ == "ollama"):
                kind = "application/x-ndjson" if format_ == "ollama" else "text/event-stream"
                return self._send(200, kind, render.stream(body, reply))
            return self._send(200, "application/json", [json.dumps(render.whole(body, reply))])

        def _embeddings(self, request: Recorded) -> None:
            """Vectors, unscripted; or the error queued first (a `Raw`, or a `Reply` with a status), used up; a
            function queued first is used up too, called first (it may stall, as a slow server) and its error sent."""
            with server._lock:
                server.requests.append(request)
                first = server._script[0] if server._script else None
                scripted = callable(first) or isinstance(first, Raw) or isinstance(first, Reply) and first.status != 200
                if scripted:
                    server._script.popleft()
            reply = first(request) if callable(first) else first
            if scripted and (isinstance(reply, Raw) or reply.status != 200):
                return self._refuse(reply)
            ollama = request.path.split("?")[0].rstrip("/").endswith("/api/embed")
            answer = _ollama_embeddings(request.body) if ollama else _embeddings(request.body)
            return self._send(200, "application/json", [json.dumps(answer)])

        def _refuse(self, reply: Reply | Raw) -> None:
            if isinstance(reply, Raw):
                return self._send(reply.status, reply.content_type, [reply.body], reply.headers)
            error = json.dumps({"error": {"message": reply.text}})
            return self._send(reply.status, "application/json", [error], reply.headers)

        def _send(self, status: int, kind: str, parts: Iterator[str] | list[str],
                  headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            try:
                for part in parts:
                    self.wfile.write(part.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return  # the client left (it timed out, or was cancelled): nobody to answer

    return Handler


def _format(path: str) -> str | None:
    path = path.split("?")[0].rstrip("/")
    for suffix, name in (("/chat/completions", "openai"), ("/v1/messages", "anthropic"), ("/api/chat", "ollama")):
        if path.endswith(suffix):
            return name
    return None


def _embeddings(body: dict[str, Any]) -> dict[str, Any]:
    """VoyageAI's embeddings answer; each text's vector is [characters, words], listed last first (the API
    gives an index per item, so clients must not rely on the order)."""
    texts = body.get("input") or []
    data = [{"object": "embedding", "embedding": [float(len(t)), float(len(t.split()))], "index": i}
            for i, t in enumerate(texts)]
    return {"object": "list", "data": data[::-1], "model": body.get("model", ""),
            "usage": {"total_tokens": sum(len(t.split()) for t in texts)}}


def _ollama_embeddings(body: dict[str, Any]) -> dict[str, Any]:
    """Ollama's `/api/embed` answer: the vectors ([characters, words] per text) in the order of the texts."""
    texts = body.get("input") or []
    texts = [texts] if isinstance(texts, str) else texts
    return {"model": body.get("model", ""), "embeddings": [[float(len(t)), float(len(t.split()))] for t in texts]}


def _prompt_tokens(body: dict[str, Any]) -> int:
    """A stand-in token count: words in the request's messages."""
    return sum(len(json.dumps(m.get("content", "")).split()) for m in body.get("messages", []))


def _completion_tokens(reply: Reply) -> int:
    return len(reply.text.split()) + len(reply.tool_calls)


def _sse(data: dict[str, Any], event: str | None = None) -> str:
    return (f"event: {event}\n" if event else "") + f"data: {json.dumps(data)}\n\n"


class _OpenAI:
    @staticmethod
    def whole(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        calls = [{"id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
                 for i, (n, a) in enumerate(reply.tool_calls)]
        message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
        if calls:
            message["tool_calls"] = calls
        prompt, completion = _prompt_tokens(body), _completion_tokens(reply)
        return {"id": "chatcmpl-1", "object": "chat.completion", "model": body.get("model"),
                "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}],
                "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                          "total_tokens": prompt + completion}}

    @staticmethod
    def stream(body: dict[str, Any], reply: Reply) -> Iterator[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            return _sse({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": body.get("model"),
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

        yield chunk({"role": "assistant", "content": ""})
        for piece in reply.pieces():
            yield chunk({"content": piece})
        for i, (name, arguments) in enumerate(reply.tool_calls):
            text = json.dumps(arguments)
            yield chunk({"tool_calls": [{"index": i, "id": f"call_{i}", "type": "function",
                                         "function": {"name": name, "arguments": text[: len(text) // 2]}}]})
            yield chunk({"tool_calls": [{"index": i, "function": {"arguments": text[len(text) // 2:]}}]})
        yield chunk({}, "tool_calls" if reply.tool_calls else "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            prompt, completion = _prompt_tokens(body), _completion_tokens(reply)
            yield _sse({"id": "chatcmpl-1", "choices": [], "usage": {
                "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}})
        yield "data: [DONE]\n\n"


class _Anthropic:
    @staticmethod
    def whole(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"type": "text", "text": reply.text}] if reply.text else []
        content += [{"type": "tool_use", "id": f"toolu_{i}", "name": n, "input": a}
                    for i, (n, a) in enumerate(reply.tool_calls)]
        return {"id": "msg_1", "type": "message", "role": "assistant", "model": body.get("model"), "content": content,
                "stop_reason": "tool_use" if reply.tool_calls else "end_turn",
                "usage": {"input_tokens": _prompt_tokens(body), "output_tokens": _completion_tokens(reply)}}

    @staticmethod
    def stream(body: dict[str, Any], reply: Reply) -> Iterator[str]:
        yield _sse({"type": "message_start", "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "model": body.get("model"), "content": [],
            "usage": {"input_tokens": _prompt_tokens(body), "output_tokens": 1}}}, "message_start")
        index = 0
        if reply.text:
            yield _sse({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
                       "content_block_start")
            yield _sse({"type": "ping"}, "ping")
            for piece in reply.pieces():
                yield _sse({"type": "content_block_delta", "index": 0,
                            "delta": {"type": "text_delta", "text": piece}}, "content_block_delta")
            yield _sse({"type": "content_block_stop", "index": 0}, "content_block_stop")
            index = 1
        for i, (name, arguments) in enumerate(reply.tool_calls, start=index):
            text = json.dumps(arguments)
            yield _sse({"type": "content_block_start", "index": i, "content_block": {
                "type": "tool_use", "id": f"toolu_{i - index}", "name": name, "input": {}}}, "content_block_start")
            for part in (text[: len(text) // 2], text[len(text) // 2:]):
                yield _sse({"type": "content_block_delta", "index": i,
                            "delta": {"type": "input_json_delta", "partial_json": part}}, "content_block_delta")
            yield _sse({"type": "content_block_stop", "index": i}, "content_block_stop")
        yield _sse({"type": "message_delta", "delta": {"stop_reason": "tool_use" if reply.tool_calls else "end_turn"},
                    "usage": {"output_tokens": _completion_tokens(reply)}}, "message_delta")
        yield _sse({"type": "message_stop"}, "message_stop")


class _Ollama:
    @staticmethod
    def whole(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text}
        if reply.tool_calls:
            message["tool_calls"] = [{"function": {"name": n, "arguments": a}} for n, a in reply.tool_calls]
        return {"model": body.get("model"), "created_at": "2026-01-01T00:00:00Z", "message": message, "done": True,
                "done_reason": "stop", "prompt_eval_count": _prompt_tokens(body),
                "eval_count": _completion_tokens(reply)}

    @staticmethod
    def stream(body: dict[str, Any], reply: Reply) -> Iterator[str]:
        for piece in reply.pieces():
            yield json.dumps({"model": body.get("model"), "message": {"role": "assistant", "content": piece},
                              "done": False}) + "\n"
        last = _Ollama.whole(body, reply)
        last["message"]["content"] = ""
        yield json.dumps(last) + "\n"


_RENDER: dict[str, Any] = {"openai": _OpenAI, "anthropic": _Anthropic, "ollama": _Ollama}
