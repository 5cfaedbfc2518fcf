"""The three chat wire formats: OpenAI-compatible `/chat/completions`, Anthropic `/v1/messages`, Ollama `/api/chat`.

`complete` sends a History to a LanguageModel and returns a Response; with `on_chunk` it streams (server-sent
events for OpenAI and Anthropic, JSON lines for Ollama) and hands every ResponseChunk over as it arrives.
`embed` asks VoyageAI's `/embeddings` API for vectors. Everything provider-specific lives here; nodes only see
the structs.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from flowlike_catalog.llm import timeouts
from flowlike_catalog.llm.structs import (
    Choice,
    ContentPart,
    History,
    HistoryMessage,
    LanguageModel,
    Response,
    ResponseChunk,
    ResponseMessage,
    ToolCall,
    ToolCallDelta,
    ToolFunction,
    Usage,
)

if TYPE_CHECKING:
    import ssl

OnChunk = Callable[[ResponseChunk], Awaitable[None]]
ANTHROPIC_VERSION = "2023-06-01"
ANTHROPIC_DEFAULT_MAX_TOKENS = 4096
EMBED_BATCH = 128
"""Texts per embeddings request: within every provider's limit (OpenAI 2,048 inputs, VoyageAI 1,000) and, for
chunks of a few hundred tokens, within their tokens per request."""


async def complete(model: LanguageModel, history: History, on_chunk: OnChunk | None = None,
                   warn: Callable[[str], None] | None = None) -> Response:
    """One chat completion; streamed chunk by chunk to `on_chunk` when it is given. A rate limit with a Retry-After
    is waited out (see `RateLimited`), each wait told to `warn`."""
    import httpx

    url, headers, body = request(model, history, stream=on_chunk is not None)
    timeout = timeouts.of_model(model)
    try:
        async with httpx.AsyncClient(timeout=timeout.for_httpx(), verify=tls()) as client:
            for retry in range(1, RATE_LIMIT_RETRIES + 2):
                try:
                    return await _exchange(client, model, url, headers, body, on_chunk)
                except RateLimited as limited:
                    await asyncio.sleep(limited.wait_before(retry, warn))
    except httpx.ReadTimeout:
        advice = "" if on_chunk else "; a long answer arrives in time when streamed (wire On Stream, or Set Stream)"
        raise _silent(model, url, timeout, advice) from None
    except httpx.TransportError as error:
        raise ConnectionError(f"cannot reach {model.label} at {url}: {error!r}") from None
    raise AssertionError("unreachable")


async def _exchange(client: Any, model: LanguageModel, url: str, headers: dict[str, str], body: dict[str, Any],
                    on_chunk: OnChunk | None) -> Response:
    """One request and its answer."""
    if on_chunk is None:
        reply = await client.post(url, headers=headers, json=body)
        _check(model, url, reply.status_code, reply.text, reply.headers)
        return parse(model, _json(model, url, reply.text))
    async with client.stream("POST", url, headers=headers, json=body) as reply:
        if reply.status_code >= 400 or not _streams(model, reply.headers.get("content-type", "")):
            await reply.aread()
            _check(model, url, reply.status_code, reply.text, reply.headers)
            return await _answered_whole(model, parse(model, _json(model, url, reply.text)), on_chunk)
        response = Response(model=body["model"])
        async for chunk in _stream(model, url, reply.aiter_lines()):
            response = response.push_chunk(chunk)
            await on_chunk(chunk)
        return response


def _silent(model: LanguageModel, url: str, timeout: timeouts.Timeout, advice: str = "") -> TimeoutError:
    """The error of a model that sent nothing in time, naming the setting to change."""
    return TimeoutError(f"{model.label} at {url} sent nothing for {timeout.seconds:g} s (the read timeout of a model "
                        f"call, {timeout.setting}){advice}")


@functools.cache
def tls() -> ssl.SSLContext:
    """One TLS context (certifi's CAs) for every request of the process: making one per client took 80 ms, longer
    than the whole exchange with a local server."""
    import httpx

    return httpx.create_ssl_context()


RATE_LIMIT_RETRIES = 3
"""How often a rate-limited request is sent again, each time after the wait its Retry-After asks for."""
LONGEST_WAIT = 60.0
LIMITED = {429: "rate limited", 503: "unavailable", 529: "overloaded"}  # 529: Anthropic's overloaded_error
"""The longest Retry-After waited out, in seconds; a provider asking for more fails the node at once."""


class RateLimited(RuntimeError):
    """HTTP 429 (or 503, 529: overloaded) with a Retry-After of at most LONGEST_WAIT seconds: the request may be sent
    again after `wait` seconds."""

    def __init__(self, where: str, status: int, text: str, wait: float) -> None:
        super().__init__(f"{where} answered HTTP {status} ({LIMITED[status]}) still after {RATE_LIMIT_RETRIES} "
                         f"retries: {text[:500]}")
        self.where, self.status, self.text, self.wait = where, status, text, wait

    def wait_before(self, retry: int, warn: Callable[[str], None] | None) -> float:
        """The seconds to wait before retry number `retry`, told to `warn`; itself raised when retries are over."""
        if retry > RATE_LIMIT_RETRIES:
            raise self
        if warn is not None:
            warn(f"{self.where} answered HTTP {self.status} ({_error_text(self.text)}): waiting {_seconds(self.wait)} "
                 f"s, as its Retry-After says, then asking again (retry {retry} of {RATE_LIMIT_RETRIES})")
        return self.wait


def _retry_after(headers: Any) -> float | None:
    """The seconds a Retry-After header asks to wait (in seconds or as an HTTP date; OpenAI's retry-after-ms
    first), None without one."""
    import email.utils
    import time

    if headers.get("retry-after-ms"):
        try:
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        except ValueError:
            pass
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _seconds(wait: float) -> str:
    return f"{wait:g}" if wait < 1000 else f"{wait:.0f}"


def _error_text(text: str) -> str:
    """The message of an error answer (OpenAI's and Anthropic's `{"error": {"message": ...}}`, Ollama's
    `{"error": "..."}`), else its start."""
    try:
        error = json.loads(text).get("error")
    except (ValueError, AttributeError):
        return text[:200]
    return error if isinstance(error, str) else _message(error) if error else text[:200]


def _check(model: LanguageModel, url: str, status: int, text: str, headers: Any = None) -> None:
    """Nothing for a success; RateLimited for a rate limit worth waiting out; else a RuntimeError with the answer."""
    where = f"{model.label} at {url}"
    if status in LIMITED and headers is not None:
        wait = _retry_after(headers)
        if wait is not None and wait <= LONGEST_WAIT:
            raise RateLimited(where, status, text, wait)
        why = "without saying when to retry (no Retry-After)" if wait is None else \
            f"and asks to retry after {_seconds(wait)} s, longer than the {LONGEST_WAIT:g} s a node waits"
        raise RuntimeError(f"{where} answered HTTP {status} ({LIMITED[status]}) {why}: {text[:500]}")
    if status >= 400:
        raise RuntimeError(f"{where} answered HTTP {status}: {text[:500]}{_keyless(model, status)}")


def _keyless(model: LanguageModel, status: int) -> str:
    """For a refusal of a request that carried no key: that it did (a secret variable has no value in a papermill or
    CLI run, where secrets never travel)."""
    headers = {name.lower() for name in model.headers}
    if status not in (401, 403) or model.api_key.get_secret_value() or headers & {"authorization", "x-api-key"}:
        return ""
    return (" (no API key was sent: the model's API Key is empty; feed it from a secret variable with a value, or "
            "from Get Environment Variable)")


def _json(model: LanguageModel, url: str, text: str, what: str = "answer") -> Any:
    """A JSON answer (or one streamed event) parsed; a ValueError naming the provider and URL when it is not JSON
    (a proxy's HTML page, a body cut short)."""
    try:
        return json.loads(text)
    except ValueError as error:
        raise ValueError(f"{model.label} at {url} sent an {what} that is not JSON ({error}); it starts "
                         f"{text[:120]!r}") from None


def _message(error: Any) -> str:
    """An error object's message (OpenAI's and the routers' `{"message": ..., "code": ...}`), else its JSON."""
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"]) + (f" (code {error['code']})" if error.get("code") is not None else "")
    return json.dumps(error)[:300]


def _streams(model: LanguageModel, content_type: str) -> bool:
    """Whether a streaming request's answer is a stream: server-sent events (JSON lines from Ollama). A server that
    ignores `stream` answers with one JSON document, taken whole; so is anything else, which then fails as not
    JSON instead of streaming nothing."""
    return model.provider == "ollama" or content_type.startswith("text/event-stream")


async def _answered_whole(model: LanguageModel, response: Response, on_chunk: OnChunk) -> Response:
    """A streaming request answered at once: each choice handed over as one chunk, as if streamed."""
    for choice in response.choices:
        message = choice.message
        await on_chunk(ResponseChunk(
            index=choice.index, content=message.content or "", reasoning=message.reasoning or "",
            finish_reason=choice.finish_reason,
            tool_calls=[ToolCallDelta(index=i, id=call.id, name=call.function.name, arguments=call.function.arguments)
                        for i, call in enumerate(message.tool_calls)],
            usage=response.usage if choice is response.choices[-1] else None))
    return response


def request(model: LanguageModel, history: History, stream: bool) -> tuple[str, dict[str, str], dict[str, Any]]:
    """URL, headers and JSON body of the request, in the model's provider's format."""
    name = history.model or model.model_id
    if not name:
        raise ValueError(f"no model name for {model.label}: set model_id on the provider or model on the history")
    build = {"openai": _openai_request, "anthropic": _anthropic_request, "ollama": _ollama_request}.get(model.provider)
    if build is None:
        raise ValueError(f"{model.label} serves embeddings, not chat: wire its model into an Embed node")
    url, headers, body = build(model, history, name)
    body["stream"] = stream
    if stream and model.provider == "openai":
        body["stream_options"] = {"include_usage": True}
    return url, _sendable(model, {**headers, **model.headers}), body


def _sendable(model: LanguageModel, headers: dict[str, str]) -> dict[str, str]:
    """The headers, each value printable ASCII on one line; else a ValueError naming the header but not its value
    (an API key pasted with its line break made httpx fail with the key in its message, so in the run's error)."""
    for name, value in headers.items():
        if not value.isascii() or not value.isprintable():
            raise ValueError(f"{model.label}: header {name!r} holds a line break or characters a header cannot "
                             f"carry (a key pasted with a trailing newline?); its value is not shown")
    return headers


def parse(model: LanguageModel, data: dict[str, Any]) -> Response:
    """A provider's JSON answer as a Response."""
    parsers = {"openai": _openai_response, "anthropic": _anthropic_response, "ollama": _ollama_response}
    try:
        response = parsers[model.provider](data)
        refusal = data["choices"][-1]["message"].get("refusal") if model.provider == "openai" and \
            response.choices and not response.content() and not response.tool_calls() else None
    except (KeyError, TypeError, IndexError, AttributeError) as error:
        raise ValueError(f"{model.label} answered in an unexpected shape ({error!r}): {str(data)[:300]}") from None
    if not response.choices:
        raise ValueError(f"{model.label} answered without a message (no choices): {str(data)[:300]}")
    if refusal:
        raise ValueError(f"{model.label} refused to answer: {refusal}")
    return response


async def _stream(model: LanguageModel, url: str, lines: AsyncIterator[str]) -> AsyncIterator[ResponseChunk]:
    """The chunks of a streamed answer that carry something (not the keep-alives and empty deltas between)."""
    if model.provider == "ollama":
        async for line in lines:
            chunk = _ollama_chunk(_json(model, url, line, "event")) if line.strip() else None
            if chunk is not None and not chunk.is_empty():
                yield chunk
        return
    state = _AnthropicStream()
    async for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        event = _json(model, url, data, "event")
        if model.provider == "openai" and isinstance(event, dict) and event.get("error"):
            raise RuntimeError(f"{model.label} at {url} sent an error in its stream: {_message(event['error'])}")
        chunk = _openai_chunk(event) if model.provider == "openai" else state.chunk(event)
        if chunk is not None and not chunk.is_empty():
            yield chunk


def _tool_choice(choice: str | dict[str, Any] | None) -> str | None:
    """'auto', 'required', 'none' or a tool's name, from Flow-Like's 'Auto'/'Required'/'None' or a name."""
    if choice is None or isinstance(choice, dict):
        return choice.get("function", {}).get("name") if isinstance(choice, dict) else None
    return choice.lower() if choice.lower() in ("auto", "required", "none") else choice


# ---- OpenAI-compatible -------------------------------------------------------------------------------


def _openai_request(model: LanguageModel, history: History, name: str) -> tuple[str, dict[str, str], dict[str, Any]]:
    headers = {"Authorization": f"Bearer {model.api_key.get_secret_value()}"} if model.api_key.get_secret_value() \
        else {}
    body: dict[str, Any] = {"model": name, "messages": [_openai_message(m) for m in history.messages]}
    for field in ("temperature", "max_completion_tokens", "top_p", "stop", "n", "presence_penalty",
                  "frequency_penalty", "seed", "user", "response_format", "tools"):
        value = getattr(history, field)
        if value is not None:
            body[field] = value
    choice = _tool_choice(history.tool_choice)
    if choice is not None and history.tools:
        body["tool_choice"] = choice if choice in ("auto", "required", "none") else \
            {"type": "function", "function": {"name": choice}}
    return model.endpoint.rstrip("/") + "/chat/completions", headers, body


def _openai_message(message: HistoryMessage) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role}
    if isinstance(message.content, str):
        out["content"] = message.content
    else:
        out["content"] = [{"type": "text", "text": p.text} if p.type == "text"
                          else {"type": "image_url", "image_url": {"url": p.image_url}} for p in message.content]
    if message.tool_calls:
        out["tool_calls"] = [call.model_dump() for call in message.tool_calls]
    if message.tool_call_id:
        out["tool_call_id"] = message.tool_call_id
    if message.name:
        out["name"] = message.name
    return out


def _openai_usage(data: dict[str, Any] | None) -> Usage:
    data = data or {}
    return Usage(prompt_tokens=data.get("prompt_tokens", 0), completion_tokens=data.get("completion_tokens", 0),
                 total_tokens=data.get("total_tokens", 0))


def _openai_response(data: dict[str, Any]) -> Response:
    choices = []
    for choice in data["choices"]:
        message = choice["message"]
        calls = [ToolCall(id=c.get("id", ""), function=ToolFunction(**c["function"]))
                 for c in message.get("tool_calls") or ()]
        choices.append(Choice(index=choice.get("index", 0), finish_reason=choice.get("finish_reason"),
                              message=ResponseMessage(role=message.get("role", "assistant"),
                                                      content=message.get("content"), tool_calls=calls,
                                                      reasoning=_openai_reasoning(message) or None)))
    return Response(id=data.get("id", ""), model=data.get("model", ""), choices=choices,
                    usage=_openai_usage(data.get("usage")))


def _openai_chunk(event: dict[str, Any]) -> ResponseChunk | None:
    usage = _openai_usage(event["usage"]) if event.get("usage") else None
    if not event.get("choices"):
        return ResponseChunk(usage=usage) if usage else None
    choice = event["choices"][0]
    delta = choice.get("delta") or {}
    calls = [ToolCallDelta(index=c.get("index", 0), id=c.get("id") or "",
                           name=(c.get("function") or {}).get("name") or "",
                           arguments=(c.get("function") or {}).get("arguments") or "")
             for c in delta.get("tool_calls") or ()]
    return ResponseChunk(index=choice.get("index", 0), content=delta.get("content") or "", tool_calls=calls,
                         finish_reason=choice.get("finish_reason"), usage=usage, reasoning=_openai_reasoning(delta))


def _openai_reasoning(message: dict[str, Any]) -> str:
    """The thinking in an OpenAI-compatible message or delta: DeepSeek's and vLLM's reasoning_content, OpenRouter's
    and Ollama's (compatibility endpoint) reasoning."""
    return message.get("reasoning_content") or message.get("reasoning") or ""


# ---- Anthropic Messages API ---------------------------------------------------------------------------


def _anthropic_request(model: LanguageModel, history: History, name: str) -> tuple[str, dict[str, str], dict]:
    if history.n not in (None, 1):
        raise ValueError("Anthropic's Messages API answers once per request: n must be 1")
    if history.response_format is not None:
        raise ValueError("Anthropic's Messages API has no response_format: use LLM Extractor for structured output")
    headers = {"x-api-key": model.api_key.get_secret_value(), "anthropic-version": ANTHROPIC_VERSION}
    system = "\n\n".join(m.text() for m in history.messages if m.role == "system")
    body: dict[str, Any] = {"model": name, "max_tokens": history.max_completion_tokens or ANTHROPIC_DEFAULT_MAX_TOKENS,
                            "messages": _anthropic_messages(history.messages)}
    if system:
        body["system"] = system
    for field, key in (("temperature", "temperature"), ("top_p", "top_p"), ("stop", "stop_sequences")):
        value = getattr(history, field)
        if value is not None:
            body[key] = value
    if history.user:
        body["metadata"] = {"user_id": history.user}
    if history.tools:
        body["tools"] = [{"name": t["function"]["name"], "description": t["function"].get("description", ""),
                          "input_schema": t["function"].get("parameters") or {"type": "object"}}
                         for t in history.tools]
        choice = _tool_choice(history.tool_choice)
        if choice is not None:
            body["tool_choice"] = {"auto": {"type": "auto"}, "required": {"type": "any"},
                                   "none": {"type": "none"}}.get(choice, {"type": "tool", "name": choice})
    base = model.endpoint.rstrip("/")
    return (base if base.endswith("/v1") else base + "/v1") + "/messages", headers, body


def _tool_input(call: ToolCall) -> dict[str, Any]:
    """A tool call's arguments as the object Anthropic and Ollama take back in a history. Arguments the model left
    broken (its stream cut at max_tokens) go back as text, under `unparsed_arguments`, beside the tool's error: the
    agent's next request failed on its own history instead of letting the model try again."""
    try:
        return call.parsed_arguments()
    except ValueError:
        return {"unparsed_arguments": call.function.arguments}


def _anthropic_part(part: ContentPart) -> dict[str, Any]:
    if part.type == "text":
        return {"type": "text", "text": part.text}
    if part.image_url.startswith("data:"):
        media, _, data = part.image_url[5:].partition(";base64,")
        return {"type": "image", "source": {"type": "base64", "media_type": media, "data": data}}
    return {"type": "image", "source": {"type": "url", "url": part.image_url}}


def _anthropic_messages(messages: list[HistoryMessage]) -> list[dict[str, Any]]:
    """User and assistant turns as content blocks; tool results travel as user turns (joined when adjacent)."""
    out: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "system":
            continue
        if message.role == "tool":
            role = "user"
            blocks = [{"type": "tool_result", "tool_use_id": message.tool_call_id or "", "content": message.text()}]
        else:
            role = message.role
            content = message.content
            blocks = [{"type": "text", "text": content}] if isinstance(content, str) and content else \
                [] if isinstance(content, str) else [_anthropic_part(p) for p in content]
            blocks += [{"type": "tool_use", "id": c.id, "name": c.function.name, "input": _tool_input(c)}
                       for c in message.tool_calls]
        if out and out[-1]["role"] == role:
            out[-1]["content"].extend(blocks)
        else:
            out.append({"role": role, "content": blocks})
    return out


def _anthropic_response(data: dict[str, Any]) -> Response:
    text = "".join(b["text"] for b in data["content"] if b["type"] == "text")
    thinking = "".join(b.get("thinking", "") for b in data["content"] if b["type"] == "thinking")
    calls = [ToolCall(id=b["id"], function=ToolFunction(name=b["name"], arguments=json.dumps(b["input"])))
             for b in data["content"] if b["type"] == "tool_use"]
    usage = data.get("usage") or {}
    prompt, completion = usage.get("input_tokens", 0), usage.get("output_tokens", 0)
    return Response(id=data.get("id", ""), model=data.get("model", ""),
                    choices=[Choice(finish_reason=data.get("stop_reason"),
                                    message=ResponseMessage(content=text or None, tool_calls=calls,
                                                            reasoning=thinking or None))],
                    usage=Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion))


class _AnthropicStream:
    """Anthropic streams numbered content blocks; tool calls are numbered among themselves, usage comes twice."""

    def __init__(self) -> None:
        self.tools: dict[int, int] = {}
        """Content-block index -> tool-call index."""
        self.prompt_tokens = 0

    def chunk(self, event: dict[str, Any]) -> ResponseChunk | None:
        kind = event.get("type")
        if kind == "error":
            raise RuntimeError(f"Anthropic stream error: {event.get('error')}")
        if kind == "message_start":
            self.prompt_tokens = (event["message"].get("usage") or {}).get("input_tokens", 0)
        elif kind == "content_block_start" and event["content_block"]["type"] == "tool_use":
            index = self.tools[event["index"]] = len(self.tools)
            block = event["content_block"]
            return ResponseChunk(tool_calls=[ToolCallDelta(index=index, id=block["id"], name=block["name"])])
        elif kind == "content_block_delta":
            delta = event["delta"]
            if delta["type"] == "text_delta":
                return ResponseChunk(content=delta["text"])
            if delta["type"] == "thinking_delta":
                return ResponseChunk(reasoning=delta["thinking"])
            if delta["type"] == "input_json_delta":
                return ResponseChunk(tool_calls=[ToolCallDelta(index=self.tools[event["index"]],
                                                               arguments=delta["partial_json"])])
        elif kind == "message_delta":
            completion = (event.get("usage") or {}).get("output_tokens", 0)
            return ResponseChunk(finish_reason=event["delta"].get("stop_reason"),
                                 usage=Usage(prompt_tokens=self.prompt_tokens, completion_tokens=completion,
                                             total_tokens=self.prompt_tokens + completion))
        return None


# ---- Ollama -------------------------------------------------------------------------------------------


def _ollama_request(model: LanguageModel, history: History, name: str) -> tuple[str, dict[str, str], dict]:
    if history.n not in (None, 1):
        raise ValueError("Ollama's chat API answers once per request: n must be 1")
    options = {key: value for key, value in (
        ("temperature", history.temperature), ("top_p", history.top_p), ("num_predict", history.max_completion_tokens),
        ("stop", history.stop), ("seed", history.seed), ("presence_penalty", history.presence_penalty),
        ("frequency_penalty", history.frequency_penalty)) if value is not None}
    body: dict[str, Any] = {"model": name, "messages": [_ollama_message(m) for m in history.messages]}
    if options:
        body["options"] = options
    if history.tools and _tool_choice(history.tool_choice) != "none":
        body["tools"] = history.tools
    if history.response_format is not None:
        kind = history.response_format.get("type")
        body["format"] = history.response_format["json_schema"]["schema"] if kind == "json_schema" else "json"
    headers = {"Authorization": f"Bearer {model.api_key.get_secret_value()}"} if model.api_key.get_secret_value() \
        else {}
    return model.endpoint.rstrip("/") + "/api/chat", headers, body


def _ollama_message(message: HistoryMessage) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role, "content": message.text()}
    if not isinstance(message.content, str):
        images = [p.image_url for p in message.content if p.type == "image_url"]
        if any(not url.startswith("data:") for url in images):
            raise ValueError("Ollama takes images as data, not URLs: use data: URLs (base64)")
        if images:
            out["images"] = [url.partition(";base64,")[2] for url in images]
    if message.tool_calls:
        out["tool_calls"] = [{"function": {"name": c.function.name, "arguments": _tool_input(c)}}
                             for c in message.tool_calls]
    if message.role == "tool" and message.name:
        out["tool_name"] = message.name
    return out


def _ollama_calls(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [call["function"] for call in message.get("tool_calls") or ()]


def _ollama_usage(data: dict[str, Any]) -> Usage:
    prompt, completion = data.get("prompt_eval_count", 0), data.get("eval_count", 0)
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion)


def _ollama_response(data: dict[str, Any]) -> Response:
    message = data["message"]
    calls = [ToolCall(id=f"call_{i}", function=ToolFunction(name=f["name"], arguments=json.dumps(f["arguments"])))
             for i, f in enumerate(_ollama_calls(message))]
    return Response(model=data.get("model", ""), usage=_ollama_usage(data),
                    choices=[Choice(finish_reason=data.get("done_reason"),
                                    message=ResponseMessage(role=message.get("role", "assistant"),
                                                            content=message.get("content"), tool_calls=calls,
                                                            reasoning=message.get("thinking") or None))])


def _ollama_chunk(data: dict[str, Any]) -> ResponseChunk:
    if "error" in data:
        raise RuntimeError(f"Ollama stream error: {data['error']}")
    message = data.get("message") or {}
    calls = [ToolCallDelta(index=i, id=f"call_{i}", name=f["name"], arguments=json.dumps(f["arguments"]))
             for i, f in enumerate(_ollama_calls(message))]
    done = data.get("done", False)
    return ResponseChunk(content=message.get("content") or "", tool_calls=calls,
                         finish_reason=data.get("done_reason") if done else None,
                         usage=_ollama_usage(data) if done else None, reasoning=message.get("thinking") or "")


def data_url(data: bytes, media_type: str) -> str:
    """Bytes as a data: URL, the form images take in a message."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def embed(model: LanguageModel, texts: list[str], input_type: str, warn: Callable[[str], None] | None = None
          ) -> list[list[float]]:
    """Vectors of the texts from the model's embeddings API: OpenAI's `/embeddings` (VoyageAI's adds `input_type`,
    "query" or "document"), Ollama's `/api/embed`, `EMBED_BATCH` texts a request. A rate limit with a Retry-After is
    waited out, as for chat (each wait told to `warn`)."""
    import time

    import httpx

    if model.provider == "anthropic":
        raise ValueError("Anthropic's API has no embeddings: wire an OpenAI-compatible, Ollama or VoyageAI model, or "
                         "Load Model (offline), into the Embed node")
    ollama = model.provider == "ollama"
    url = model.endpoint.rstrip("/") + ("/api/embed" if ollama else "/embeddings")
    key = model.api_key.get_secret_value()
    headers = _sendable(model, {**({"Authorization": f"Bearer {key}"} if key else {}), **model.headers})
    body: dict[str, Any] = {"input": texts, "model": model.model_id}
    if model.provider == "voyageai":
        body["input_type"] = input_type
    timeout = timeouts.of_model(model)
    vectors: list[list[float]] = []
    for start in range(0, len(texts), EMBED_BATCH):
        batch = texts[start:start + EMBED_BATCH]
        body["input"] = batch
        for retry in range(1, RATE_LIMIT_RETRIES + 2):
            try:
                response = httpx.post(url, json=body, headers=headers, timeout=timeout.for_httpx(), verify=tls())
            except httpx.ReadTimeout:
                raise _silent(model, url, timeout) from None
            except httpx.HTTPError as error:
                raise RuntimeError(f"{model.label} at {url}: {error}") from None
            try:
                _check(model, url, response.status_code, response.text, response.headers)
                break
            except RateLimited as limited:
                time.sleep(limited.wait_before(retry, warn))
        answer = _json(model, url, response.text)
        found = answer.get("embeddings", []) if ollama else \
            [item["embedding"] for item in sorted(answer.get("data", []), key=lambda item: item["index"])]
        if len(found) != len(batch):
            raise RuntimeError(f"{model.label} at {url} gave {len(found)} vectors for {len(batch)} texts")
        vectors += [[float(x) for x in vector] for vector in found]
    return vectors
