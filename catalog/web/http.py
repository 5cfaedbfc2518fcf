"""The HTTP layer every web node shares: the request and response structs, one httpx client per run, and
sending with timeouts, redirects and retries (with backoff) on idempotent methods.

Secrets (bearer tokens, basic-auth passwords) sit in the request's `secret_headers` as pydantic `SecretStr`:
they reach the server, while every JSON dump of the struct (run records, previews, logs) shows `**********`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from flowlike_core import Context

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUS = frozenset({429, 502, 503, 504})
CLIENT_KEY = "web.httpx.client"
BACKOFF_SECONDS = 0.25
Model = TypeVar("Model", bound=BaseModel)


class HttpBody(BaseModel):
    """One request body: a JSON value, text, raw bytes, form fields, or multipart fields and files."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["json", "text", "bytes", "form", "multipart"]
    value: Any = None
    files: dict[str, tuple[str, bytes, str]] = Field(default_factory=dict)
    """Multipart files by field name: (file name, content, content type)."""


class HttpRequest(BaseModel):
    """What to send; built by Make Request and the Set nodes, sent by API Call."""

    model_config = ConfigDict(frozen=True)
    url: str
    method: str = "GET"
    headers: dict[str, str] = Field(default_factory=dict)
    secret_headers: dict[str, SecretStr] = Field(default_factory=dict)
    query: dict[str, str] = Field(default_factory=dict)
    body: HttpBody | None = None

    @field_validator("method")
    @classmethod
    def _known_method(cls, method: str) -> str:
        method = method.upper()
        if method not in METHODS:
            raise ValueError(f"unknown HTTP method {method!r} (known: {', '.join(METHODS)})")
        return method

    def all_headers(self) -> dict[str, str]:
        """The headers to send, secrets revealed (only for the wire)."""
        return {**self.headers, **{k: v.get_secret_value() for k, v in self.secret_headers.items()}}


class HttpResponse(BaseModel):
    """A finished response: status, headers (lower-case names) and the whole body."""

    model_config = ConfigDict(frozen=True)
    status_code: int
    headers: dict[str, str] = Field(default_factory=dict)
    body: bytes = b""
    url: str = ""

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300


REQUEST_SCHEMA = HttpRequest.model_json_schema()
RESPONSE_SCHEMA = HttpResponse.model_json_schema()


def bearer(token: SecretStr) -> SecretStr:
    """An Authorization header value for a bearer token, secret like the token."""
    return SecretStr(f"Bearer {token.get_secret_value()}")


def error_object(body: bytes, limit: int = 300) -> dict[str, Any] | str:
    """An error answer's JSON object, for a service's own message reader; a body that is not one, as text (at most
    `limit` characters), which is then the message."""
    try:
        data = json.loads(body)
    except ValueError:
        return body[:limit].decode("utf-8", "replace").strip()
    return data if isinstance(data, dict) else str(data)[:limit]


def http_base_url(url: str) -> str:
    """A provider's base URL as it keeps it (no trailing slash); a ValueError unless it is http(s)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must start with http:// or https://, got {url!r}")
    return url.rstrip("/")


def api_request(method: str, url: str, authorization: SecretStr, *, headers: dict[str, str] | None = None,
                params: dict[str, Any] | None = None, body: Any = None) -> HttpRequest:
    """A call to a hosted service's JSON API, as its nodes make them: the credentials in a secret header, the
    query without empty values (booleans as true/false), `body` sent as JSON when given."""
    return HttpRequest(
        url=url, method=method, headers=headers or {"Accept": "application/json"},
        secret_headers={"Authorization": authorization},
        query={k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (params or {}).items()
               if v not in ("", None)},
        body=HttpBody(kind="json", value=body) if body is not None else None)


def as_provider(value: Any, model: type[Model], expected: str) -> Model:
    """A hosted service's provider input as its model (a board's JSON gives a dict); `expected` names it in the
    TypeError for anything else."""
    if isinstance(value, dict) and value:
        value = model.model_validate(value)
    if not isinstance(value, model):
        raise TypeError(f"expected {expected}, got {type(value).__name__}")
    return value


def as_request(value: Any) -> HttpRequest:
    """A request from a pin (the struct itself or its dict form), with a clear error for anything else."""
    if isinstance(value, HttpRequest):
        return value
    if not isinstance(value, dict) or not value:
        raise TypeError(f"expected an HTTP request struct (from Make Request), got {type(value).__name__}")
    return HttpRequest.model_validate(value)


def client(ctx: Context) -> Any:
    """The run's shared httpx client (connection pooling, redirects followed), made on first use.

    The `web` extra installs sniffio: without it httpcore retries a failing `import sniffio` (a scan of
    sys.path) several times per request, which cost 1.5 ms of CPU per request here."""
    found = ctx.cache.get(CLIENT_KEY)
    if found is None:
        import httpx

        found = ctx.cache[CLIENT_KEY] = httpx.AsyncClient(
            follow_redirects=True, timeout=httpx.Timeout(30.0, connect=10.0),
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20))
        ctx.close_at_end(found.aclose)
    return found


def build(http: Any, request: HttpRequest, timeout: float) -> Any:
    """The httpx request for a struct."""
    body, kwargs = request.body, {}
    if body is not None:
        if body.kind == "json":
            kwargs["json"] = body.value
        elif body.kind == "text":
            kwargs["content"] = body.value.encode("utf-8")
        elif body.kind == "bytes":
            kwargs["content"] = body.value
        elif body.kind == "form":
            kwargs["data"] = body.value
        else:
            kwargs["data"] = body.value or {}
            kwargs["files"] = {name: part for name, part in body.files.items()}
    return http.build_request(request.method, request.url, headers=request.all_headers(),
                              params=request.query or None, timeout=timeout, **kwargs)


@asynccontextmanager
async def send(ctx: Context, request: HttpRequest, *, timeout: float = 30.0, retries: int = 2,
               stream: bool = False) -> AsyncIterator[Any]:
    """Send a request and yield the httpx response (closed afterwards). Idempotent methods are retried
    `retries` times on connection errors, timeouts and 429/502/503/504, waiting 0.25 s, 0.5 s, 1 s..."""
    import httpx

    http = client(ctx)
    attempts = 1 + (max(0, retries) if request.method in IDEMPOTENT else 0)
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            response = await http.send(build(http, request, timeout), stream=True)
        except httpx.TransportError as exc:
            if last:
                raise ConnectionError(f"{request.method} {request.url} failed: {type(exc).__name__}: {exc}") from None
            ctx.warn(f"{request.method} {request.url}: {type(exc).__name__}, retrying ({attempt + 1}/{retries})")
        else:
            if last or response.status_code not in RETRY_STATUS:
                try:
                    if not stream:
                        await response.aread()
                    yield response
                finally:
                    await response.aclose()
                return
            await response.aclose()
            ctx.warn(f"{request.method} {request.url}: status {response.status_code}, retrying "
                     f"({attempt + 1}/{retries})")
        await ctx.sleep(BACKOFF_SECONDS * 2 ** attempt)


def to_response(response: Any, body: bytes) -> HttpResponse:
    return HttpResponse(status_code=response.status_code, headers={k.lower(): v for k, v in response.headers.items()},
                        body=body, url=str(response.url))


async def fetch(ctx: Context, request: HttpRequest, *, timeout: float = 30.0, retries: int = 2) -> HttpResponse:
    """Send and read the whole body."""
    async with send(ctx, request, timeout=timeout, retries=retries) as response:
        return to_response(response, response.content)
